"""DoD web-article text: the image blocks of a defense.gov page become records.

An image block, as defense.gov prints it (see the seed article), is consecutive lines::

    A military aircraft sits on a runway.  Airmen load cargo aboard the aircraft.   <- alt text
    Loading Cargo                                                                     <- title
    Airmen load security assistance cargo for Ukraine aboard a C-17 ... Feb. 14, 2022. <- caption
    Credit: Air Force Senior Airman Karla Parra
    VIRIN: 220215-F-DU706-1241

The anchor is a ``Credit:`` line directly followed by a ``VIRIN:`` line; the caption is the line
just above, the title the line above that when it reads like a title (short, not ending like a
sentence). Values are kept exactly as printed, only the line's surrounding white space removed.
A ``Credit:`` or ``VIRIN:`` line outside such a pair gives no record but an
``article-block-incomplete`` finding; all other text gives nothing.

Records are matched to image files by VIRIN (``index_by_virin``), since the article names no file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from catalog.core.file_rules import ARTICLE_BLOCK_INCOMPLETE
from catalog.core.findings import Finding
from catalog.core.merge import SourceValues, virin_key
from catalog.files.untrusted import read_regular
from catalog.readers.fields import Collector

_CREDIT = re.compile(r"Credit:\s*(?P<value>\S.*)")
_VIRIN = re.compile(r"VIRIN:\s*(?P<value>\S.*)")
_SENTENCE_END = (".", "!", "?", '"', "”", ":")
MAX_TITLE = 150
#: Articles larger than this are refused unread: a long web page is a few hundred kilobytes.
MAX_ARTICLE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ArticleRecord:
    """One image block: its number in the article (from 1), first line (from 1) and values."""

    number: int
    line: int
    source: SourceValues

    @property
    def virin(self) -> str | None:
        return self.source.values.get("virin")


@dataclass(frozen=True)
class Article:
    records: tuple[ArticleRecord, ...]
    findings: tuple[Finding, ...]


def read_article(path: Path) -> Article:
    """Parse an article file (UTF-8; undecodable bytes are replaced). OSError if unreadable:
    ``NotReadable`` for a link, a special file or one over ``MAX_ARTICLE_BYTES`` (never opened
    through a link, never waited on)."""
    raw = read_regular(path, MAX_ARTICLE_BYTES)
    return parse_article(raw.decode("utf-8", errors="replace"), name=path.name)


def parse_article(text: str, *, name: str) -> Article:
    """The image blocks of article ``text``; ``name`` labels the records (``article:NAME#1``)."""
    lines = [line.strip() for line in text.splitlines()]
    records: list[ArticleRecord] = []
    findings: list[Finding] = []
    paired: set[int] = set()
    for index, line in enumerate(lines):
        credit = _CREDIT.fullmatch(line)
        virin = _VIRIN.fullmatch(lines[index + 1]) if index + 1 < len(lines) else None
        if credit is None or virin is None or index == 0 or not lines[index - 1]:
            continue
        paired.update((index, index + 1))
        number = len(records) + 1
        title = _title(lines, index - 2)
        collector = Collector("article", f"article:{name}#{number}")
        for field, value in (
            ("title", title),
            ("caption", lines[index - 1]),
            ("credit", credit["value"]),
            ("virin", virin["value"]),
        ):
            if value:
                collector.put(field, value, where=f"line {index + 1}")
        first_line = index - (2 if title else 1) + 1
        records.append(ArticleRecord(number, first_line, collector.result()))
    for index, line in enumerate(lines):
        if index not in paired and (_CREDIT.fullmatch(line) or _VIRIN.fullmatch(line)):
            findings.append(
                ARTICLE_BLOCK_INCOMPLETE.finding(
                    f"{name} line {index + 1}: {line[:60]!r} is not part of a complete image "
                    "block (title, caption, Credit:, VIRIN:)",
                    field="*",
                    line=index + 1,
                )
            )
    return Article(tuple(records), tuple(findings))


def _title(lines: list[str], index: int) -> str | None:
    if index < 0:
        return None
    line = lines[index]
    if not line or len(line) > MAX_TITLE or line.endswith(_SENTENCE_END):
        return None
    return line


def index_by_virin(records: Iterable[ArticleRecord]) -> dict[str, ArticleRecord]:
    """Article records by VIRIN in its compared form (``virin_key``), to match image files."""
    return {virin_key(r.virin): r for r in records if r.virin}
