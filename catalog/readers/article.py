"""DoD web pages: every photo block of an article or gallery page becomes a record.

Pages print a photo block in many layouts; what they share is a caption paragraph near a group of
labelled lines (``Credit:``, ``Photo By:``, ``VIRIN:``, DVIDS's ``Date Taken:`` ...):

* the seed's defense.gov article: alt text, title, caption, ``Credit: ...``, ``VIRIN: ...``;
* defense.gov / war.gov / Army Reserve / Coast Guard gallery pages: caption (often printed twice
  around the title), then a footer ``Photo By: NAME | VIRIN: 170815-A-DR075-349C.JPG`` or
  ``Credit: NAME VIRIN: FILE`` on one bullet line, or ``FILE.JPG Photo By: NAME``;
* Guard and af.mil pages: the footer split one field per line (``PHOTO BY:`` / ``Unknown`` /
  ``VIRIN:`` / ``111109-F-EJ686-011.JPG``);
* DVIDS image pages: caption then ``IMAGE INFO`` (one line, one field a line, or
  ``Label: | value |`` pipe rows), the credit in a ``Photo by NAME`` header line or the licence
  line ``This work, ..., by NAME, identified by DVIDS``;
* migrated pages on one line: ``CAPTION SHARE: Download: ... Credit: VIRIN: FILE``;
* marines.mil ``Photo Information`` and old defense.gov ``Click photo for screen-resolution image``
  blocks, which print no VIRIN.

A block is anchored on its VIRIN (a ``VIRIN:`` label with a value, a VIRIN-shaped file name leading
a footer line, or an unlabelled pipe row holding only a VIRIN), on a ``Credit:`` group without
one, or on the two markers above. Labels without a value (empty ``VIRIN:`` rows) anchor nothing.
The VIRIN is kept as printed without the file extension a page adds (``.JPG``) and cut where a
page glues the next word to it; captions spanning several lines are joined, a caption printed
twice is kept once. A block the reader cannot complete (no VIRIN, so it can never be matched to an
image) is still a record, and an ``article-block-incomplete`` finding naming its line.

Text is decoded as UTF-8; a page that is not UTF-8 is read as Windows-1252 with a finding
(``article-not-utf8``), never with silent replacement characters. HTML pages (``.html``) are
turned into the same lines by ``catalog.readers.article_html``, each line keeping the number of
the source line it came from.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from catalog.core.file_rules import ARTICLE_BLOCK_INCOMPLETE, ARTICLE_NOT_UTF8
from catalog.core.findings import Finding
from catalog.core.merge import SourceValues, virin_key
from catalog.files.untrusted import read_regular
from catalog.readers.article_html import html_lines
from catalog.readers.fields import Collector

#: Articles larger than this are refused unread: a long web page is a few hundred kilobytes.
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
#: Suffixes of the pages read as HTML; every other article is text.
HTML_SUFFIXES = frozenset({".html", ".htm"})
#: Suffixes ``catalog validate`` takes for articles when it walks a folder.
ARTICLE_SUFFIXES = HTML_SUFFIXES | {".txt"}

MAX_TITLE = 100
#: A caption is a paragraph; a paragraph longer than this is page text, and is cut here so that a
#: crafted page of endless lines costs linear time.
MAX_CAPTION_LINES = 40
_AS_LATIN1 = "catalog-article-latin1"
codecs.register_error(
    _AS_LATIN1, lambda error: (error.object[error.start : error.end].decode("latin-1"), error.end)
)
_LABELS = {
    "credit": r"Credit|Photo\s+By",
    "virin": r"VIRIN",
    "other": r"Date\s+Taken|Date\s+Posted|Photo\s+ID|Resolution|Size|Location|Web\s+Views|"
    r"Downloads|Full\s+Size|Download(?:\s+Image)?|SHARE",
}
_LABEL = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + r")\s*:\s*\|?",
    re.IGNORECASE,
)
#: Any other short ``Label: value`` row of a metadata table (DVIDS ``Video ID: | 370107 |``).
_SHORT_ROW = re.compile(r"[A-Z][\w .-]{0,24}:\s*(?P<value>(?:\|?\s*[^|]{0,40}\s*\|?)?)")
_LABEL_LIKE = re.compile(r"[A-Za-z][\w .]{0,30}:(?:\s|$)")
_BULLET = re.compile(r"^[•·*]\s*")
_EXTENSION = re.compile(r"\.(?:jpe?g|jpe|tiff?|png|gif)", re.IGNORECASE)
_VIRIN_TOKEN = re.compile(
    r"\d{6}-[A-Z]{1,2}-[A-Z0-9]{3,6}-\d{3,4}(?:[A-Z](?![a-z]))?(?:-\d{3})?(?:-[A-Z]{2}(?![a-z]))?",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"(?:IMAGE INFO|VIDEO INFO|Photo Gallery|Download\b.*|SHARE:?|Additional Details|Read More|"
    r"PUBLIC DOMAIN|Content Credentials.*)",
    re.IGNORECASE,
)
_PHOTO_INFORMATION = re.compile(r"Photo Information", re.IGNORECASE)
_CLICK_PHOTO = re.compile(r"\(?Click photo for screen-resolution image\)?", re.IGNORECASE)
_PHOTO_BY_LINE = re.compile(r"(?:Photo|Video|Graphic) by\s+(?P<name>\S.{2,80})", re.IGNORECASE)
_DVIDS_WORK = re.compile(r"This work, .*?, by (?P<name>[^,]{3,80}), identified by DVIDS")
#: How a line that ends a paragraph ends; a caption wrapped over lines breaks mid-sentence.
_PARAGRAPH_END = (".", "!", "?", '"', "”")
_SENTENCE_END = (".", "!", "?", '"', "”", ":", ",", ";", ")")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "during",
        "for",
        "from",
        "in",
        "of",
        "on",
        "the",
        "to",
        "with",
        "as",
        "into",
        "over",
        "near",
    ]
)


@dataclass(frozen=True)
class ArticleRecord:
    """One photo block: its number in the page (from 1), its first and last line (from 1) and
    its values (``source``, labelled ``article:PAGE#NUMBER``)."""

    number: int
    line: int
    source: SourceValues
    end_line: int = 0

    @property
    def virin(self) -> str | None:
        return self.source.values.get("virin")

    @property
    def complete(self) -> bool:
        """Whether the reader found the block's caption, credit and VIRIN."""
        return all(self.source.values.get(f) for f in ("caption", "credit", "virin"))


@dataclass(frozen=True)
class Article:
    records: tuple[ArticleRecord, ...]
    findings: tuple[Finding, ...]
    path: Path | None = None


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    prefix: str  # the text before the first label
    fields: tuple[tuple[str, str], ...]  # (kind, value) of each label on the line

    @property
    def labelled(self) -> bool:
        """A line of the labels: nothing but labels, after a VIRIN or a heading like IMAGE INFO."""
        prefix = self.prefix
        return bool(self.fields) and (
            not prefix or _leading_virin(prefix) is not None or bool(_NOISE.fullmatch(prefix))
        )


def read_article(path: Path) -> Article:
    """Parse the page at ``path`` (text, or HTML for ``.html``). OSError if unreadable:
    ``NotReadable`` for a link, a special file or one over ``MAX_ARTICLE_BYTES`` (never opened
    through a link, never waited on)."""
    raw = read_regular(path, MAX_ARTICLE_BYTES)
    text, findings = decode_page(raw, name=path.name)
    if path.suffix.lower() in HTML_SUFFIXES:
        article = parse_lines(html_lines(text), name=path.name)
    else:
        article = parse_article(text, name=path.name)
    return Article(article.records, (*findings, *article.findings), path)


def decode_page(raw: bytes, *, name: str) -> tuple[str, list[Finding]]:
    """The page's text: UTF-8 (a byte-order mark dropped), else Windows-1252 with a finding. The
    five bytes Windows-1252 leaves undefined are read as Latin-1 control characters, which the
    record rules flag (REC007): nothing is replaced silently."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        where = raw[: error.start].count(b"\n") + 1
    text = raw.decode("cp1252", errors=_AS_LATIN1)
    return text, [
        ARTICLE_NOT_UTF8.finding(
            f"{name} is not UTF-8 (first at line {where}): read as Windows-1252",
            field="*",
            line=where,
            encoding="cp1252",
        )
    ]


def parse_article(text: str, *, name: str) -> Article:
    """The photo blocks of page ``text``; ``name`` labels the records (``article:NAME#1``)."""
    return parse_lines(list(enumerate(text.splitlines(), start=1)), name=name)


def parse_lines(numbered: Sequence[tuple[int, str]], *, name: str) -> Article:
    """The photo blocks of a page given as (line number, text) pairs."""
    lines = [_split(number, text) for number, text in numbered]
    blocks = _anchors(lines)
    records: list[ArticleRecord] = []
    findings: list[Finding] = []
    for start, end, kind in blocks:
        values, first = _block_values(lines, start, end, kind)
        if not values:
            continue
        number = len(records) + 1
        collector = Collector("article", f"article:{name}#{number}")
        for field in ("title", "caption", "credit", "virin"):
            if values.get(field):
                collector.put(field, values[field], where=f"line {lines[start].number}")
        record = ArticleRecord(number, lines[first].number, collector.result(), lines[end].number)
        records.append(record)
        if not record.virin:
            missing = [f for f in ("caption", "credit", "virin") if not values.get(f)]
            findings.append(
                ARTICLE_BLOCK_INCOMPLETE.finding(
                    f"{name} line {record.line}: photo block {number} has no "
                    f"{' or '.join(missing)}: it is kept but can match no image",
                    field="virin",
                    line=record.line,
                    missing=missing,
                )
            )
    return Article(tuple(records), tuple(findings))


def _split(number: int, text: str) -> _Line:
    text = _BULLET.sub("", text.strip()).strip()
    matches = list(_LABEL.finditer(text))
    if not matches:
        row = _SHORT_ROW.fullmatch(text)
        fields = (("other", row["value"].strip("| ")),) if row else ()
        return _Line(number, text, "" if row else text, fields)
    fields = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        value = text[match.end() : following.start() if following else len(text)]
        fields.append((match.lastgroup or "other", value.strip().strip("|").strip()))
    return _Line(number, text, text[: matches[0].start()].strip().strip("|").strip(), tuple(fields))


def _leading_virin(text: str) -> str | None:
    """The VIRIN a footer starts with, printed as a file name (``160420-A-XN107-005.JPG``), or
    the VIRIN of a pipe row holding nothing else."""
    text = text.strip().strip("|").strip()
    match = _VIRIN_TOKEN.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    if extension := _EXTENSION.match(rest):
        rest = rest[extension.end() :]
    return match.group() if not rest.strip() else None


def clean_virin(value: str) -> str | None:
    """A printed VIRIN without the file extension and without a word glued after it."""
    value = value.strip()
    match = _VIRIN_TOKEN.match(value)
    if match is not None:
        return match.group()
    token = value.split(maxsplit=1)[0] if value else ""
    return _EXTENSION.split(token)[0] if token[:1].isdigit() else None


def _anchors(lines: list[_Line]) -> list[tuple[int, int, str]]:
    """(first, last, kind) of each block's labelled group or marker, in page order."""
    found: list[tuple[int, int, str]] = []
    floor = -1  # the last line of the previous block: a group never reaches above it
    for index, line in enumerate(lines):
        if index <= floor:
            continue
        if _PHOTO_INFORMATION.fullmatch(line.text) or _CLICK_PHOTO.fullmatch(line.text):
            found.append((index, index, "marker"))
            continue
        if _virin_of(lines, index) is None and not _lone_credit(lines, index):
            continue
        start, end = _group(lines, index, floor)
        floor = end
        found.append((start, end, "group"))
    return found


def _virin_of(lines: list[_Line], index: int) -> str | None:
    line = lines[index]
    if not line.fields:
        return _leading_virin(line.text) if line.text.startswith("|") else None
    for kind, value in line.fields:
        if kind == "virin":
            value = value or _value_below(lines, index)
            virin = clean_virin(value) if value else None
            if virin:
                return virin
    return _leading_virin(line.prefix) if line.prefix else None


def _lone_credit(lines: list[_Line], index: int) -> bool:
    line = lines[index]
    return line.labelled and any(k == "credit" and v for k, v in line.fields)


def _value_below(lines: list[_Line], index: int) -> str | None:
    """The value of an empty label printed on the next non-blank line (one field a line)."""
    for below in lines[index + 1 : index + 3]:
        if not below.text:
            continue
        if below.fields or _LABEL_LIKE.match(below.text) or len(below.text) > MAX_TITLE:
            return None
        return below.text
    return None


def _group(lines: list[_Line], index: int, floor: int) -> tuple[int, int]:
    """The labelled lines around ``index``: blank lines and values of empty labels included, up
    to the next unlabelled text, the next VIRIN or the previous block (``floor``)."""
    start = index
    while start - 1 > floor and _in_group(lines, start - 1, upward=True):
        start -= 1
        if lines[start].text == "":  # a run of blank lines is in the group as a whole
            start = max(_blank_run(lines, start, -1), floor + 1)
    end = index
    has_virin = any(_virin_of(lines, i) for i in range(start, index + 1))
    while end + 1 < len(lines) and _in_group(lines, end + 1, upward=False):
        if _virin_of(lines, end + 1) is not None:
            if has_virin:
                break
            has_virin = True
        end += 1
        if lines[end].text == "":
            end = _blank_run(lines, end, 1)
    while lines[start].text == "" and start < index:
        start += 1
    while lines[end].text == "" and end > index:
        end -= 1
    return start, end


def _in_group(lines: list[_Line], index: int, *, upward: bool) -> bool:
    line = lines[index]
    if upward and _virin_of(lines, index):
        return False  # another block's VIRIN
    if line.labelled or _NOISE.fullmatch(line.text):
        return True
    if line.text.startswith("|") and len(line.text) < 60:
        return True  # DVIDS's unlabelled pipe rows
    if line.text == "":
        step = -1 if upward else 1
        nxt = _blank_run(lines, index, step) + step
        return 0 <= nxt < len(lines) and (lines[nxt].labelled or _is_value(lines, nxt))
    return _is_value(lines, index)


def _blank_run(lines: list[_Line], index: int, step: int) -> int:
    """The last blank line of the run that starts at the blank line ``index``, going ``step``:
    the group takes or leaves a run whole, so a page of endless blank lines costs linear time."""
    while 0 <= index + step < len(lines) and lines[index + step].text == "":
        index += step
    return index


def _is_value(lines: list[_Line], index: int) -> bool:
    """Whether the unlabelled line is the value (or the continuation) of the label above it."""
    for above in range(index - 1, max(index - 3, -1), -1):
        if lines[above].text == "":
            continue
        fields = lines[above].fields
        if not lines[above].labelled or not fields:
            return False
        kind, value = fields[-1]
        return (not value and _value_below(lines, above) == lines[index].text) or (
            kind == "credit"
            and bool(value)
            and len(lines[index].text) <= MAX_TITLE
            and index + 1 < len(lines)
            and lines[index + 1].labelled
        )
    return False


def _block_values(
    lines: list[_Line], start: int, end: int, kind: str
) -> tuple[dict[str, str], int]:
    """The block's values and the index of its first line."""
    if kind == "marker":
        return _marker_values(lines, start)
    values: dict[str, str] = {}
    credit_parts: list[str] = []
    for index in range(start, end + 1):
        line = lines[index]
        if not line.fields and not line.text.startswith("|"):
            if credit_parts and _is_value(lines, index) and not _is_empty_label_value(lines, index):
                credit_parts.append(line.text)  # a credit broken over two lines
            continue
        virin = _virin_of(lines, index)
        if virin and "virin" not in values:
            values["virin"] = virin
        for field_kind, value in line.fields:
            if field_kind == "credit" and "credit" not in values and not credit_parts:
                value = value or _value_below(lines, index) or ""
                if value:
                    credit_parts.append(value)
    if credit_parts:
        values["credit"] = " ".join(credit_parts)
    first = start
    prefix = lines[start].prefix
    if lines[start].fields and not lines[start].labelled:
        values["caption"] = _once(prefix)  # a migrated page on one line
    else:
        caption_start = _caption_above(lines, start, values)
        first = caption_start if caption_start is not None else start
    if "credit" not in values:
        credit = _credit_nearby(lines, first, end)
        if credit:
            values["credit"] = credit
    return values, first


def _is_empty_label_value(lines: list[_Line], index: int) -> bool:
    above = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].text), None)
    return above is not None and bool(above.fields) and not above.fields[-1][1]


def _caption_above(lines: list[_Line], start: int, values: dict[str, str]) -> int | None:
    """Fill caption and title from the paragraph above the group; its first line's index."""
    paragraph = _paragraph_above(lines, start)
    if not paragraph:
        return None
    texts = [lines[i].text for i in paragraph]
    split = _title_index(texts)
    if split is not None:
        values["title"] = texts[split]
        values["caption"] = _once(" ".join(texts[split + 1 :]))
        return paragraph[split]
    ends = [i for i, text in enumerate(texts[:-1]) if text.endswith(_PARAGRAPH_END)]
    if ends:  # a paragraph of its own printed right above: the caption is what follows it
        paragraph, texts = paragraph[ends[-1] + 1 :], texts[ends[-1] + 1 :]
    values["caption"] = _once(" ".join(texts))
    title = _title_above(lines, paragraph[0], values["caption"])
    if title is not None:
        values["title"] = lines[title].text
        return title
    return paragraph[0]


def _paragraph_above(lines: list[_Line], start: int) -> list[int]:
    index = start - 1
    while index >= 0 and (not lines[index].text or _NOISE.fullmatch(lines[index].text)):
        index -= 1
    paragraph: list[int] = []
    while index >= 0 and lines[index].text and not lines[index].fields:
        text = lines[index].text
        if _NOISE.fullmatch(text) or _PHOTO_BY_LINE.fullmatch(text) or text.startswith("|"):
            break
        if len(paragraph) == MAX_CAPTION_LINES:
            break
        paragraph.insert(0, index)
        index -= 1
    return paragraph


def _title_above(lines: list[_Line], first: int, caption: str) -> int | None:
    """The title printed as a paragraph of its own above the caption: between two copies of the
    caption, or below a paragraph that is no title (the image's alt text)."""
    above = _paragraph_above(lines, first)
    if len(above) != 1 or not _title_like(lines[above[0]].text, following=caption):
        return None
    before = _paragraph_above(lines, above[0])
    before_text = " ".join(lines[i].text for i in before)
    if _once(before_text) == caption or (before and not _title_like(before_text, following="")):
        return above[0]
    return None


def _title_index(texts: list[str]) -> int | None:
    """The last title line of a paragraph that goes on with the caption (the seed's layout)."""
    for index in range(len(texts) - 2, -1, -1):
        previous = texts[index - 1] if index else ""
        if _title_like(texts[index], following=texts[index + 1]) and (
            not previous or previous.endswith(_SENTENCE_END)
        ):
            return index
    return None


def _title_like(text: str, *, following: str) -> bool:
    words = text.split()
    return (
        0 < len(text) <= MAX_TITLE
        and not text.endswith(_SENTENCE_END)
        and words[-1].lower() not in _FUNCTION_WORDS
        and (
            not following
            or following[:1].isupper()
            or following[:1].isdigit()
            or all(word[:1].isupper() for word in words if len(word) > 3)  # Title Case
        )
    )


def _once(text: str) -> str:
    """A caption printed twice (``A A`` or ``A - A``) as printed once."""
    text = " ".join(text.split())
    for separator in (" - ", " "):
        size = len(text) - len(separator)
        half = size // 2
        if (
            size > 0
            and size % 2 == 0
            and text[half : half + len(separator)] == separator
            and text[:half] == text[half + len(separator) :]
        ):
            return text[:half]
    return text


def _credit_nearby(lines: list[_Line], first: int, end: int) -> str | None:
    """A credit printed outside the labels: DVIDS's ``Photo by NAME`` header line above the
    caption, or its licence line ``This work, ..., by NAME, identified by DVIDS`` below."""
    for index in range(first - 1, max(first - 12, -1), -1):
        match = _PHOTO_BY_LINE.fullmatch(lines[index].text)
        if match:
            return match["name"].strip()
    for index in range(first, min(end + 6, len(lines))):
        match = _DVIDS_WORK.search(lines[index].text)
        if match:
            return match["name"].strip()
    return None


def _marker_values(lines: list[_Line], index: int) -> tuple[dict[str, str], int]:
    """A ``Photo Information`` or ``Click photo`` block: the caption paragraph below the marker,
    and a ``Photo by NAME`` paragraph after it."""
    below = []
    cursor = index + 1
    while cursor < len(lines) and not lines[cursor].text:
        cursor += 1
    while cursor < len(lines) and lines[cursor].text and not _is_marker(lines[cursor].text):
        below.append(lines[cursor].text)
        cursor += 1
    values = {"caption": _once(" ".join(below))} if below else {}
    while cursor < len(lines) and not lines[cursor].text:
        cursor += 1
    if cursor < len(lines):
        match = _PHOTO_BY_LINE.fullmatch(lines[cursor].text)
        if match:
            values["credit"] = match["name"].strip()
    return values, index


def _is_marker(text: str) -> bool:
    return bool(_PHOTO_INFORMATION.fullmatch(text) or _CLICK_PHOTO.match(text))


def index_by_virin(records: Iterable[ArticleRecord]) -> dict[str, ArticleRecord]:
    """Article records by VIRIN in its compared form (``virin_key``), to match image files."""
    return {virin_key(r.virin): r for r in records if r.virin}
