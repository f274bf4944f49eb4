"""Captions: the shot date they state, their closing credit line, and the caption rules (spec
section 4).

A DoD caption says who, what, where and when in its first sentence, in AP style ("Airmen load
cargo ... at Travis Air Force Base, Calif., Feb. 14, 2022."), then gives background, then ends with
the credit line in parentheses. Navy captions often start with the VIRIN and a dateline
("170518-N-MD297-201 WASHINGTON (May 18, 2017) ..."), which is simply part of the first sentence.

The shot date is the first date of the first sentence (dateline included). Dates in later
sentences are background - an anniversary, an earlier deployment - and taking them for the shot
date would report false mismatches against the VIRIN, so they are never compared: a caption whose
first sentence has no date gets the "no date" warning, which names the later date it saw.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from catalog.core.codes import CodeTables
from catalog.core.credit import Credit, parse_credit, trailing_group
from catalog.core.findings import Finding, Severity
from catalog.core.rule import define

FIELD = "caption"
CAPTION_DATASET = "2:120"  # IPTC Caption-Abstract, whose byte limit applies

MISSING = define(
    "CAP001",
    "caption-missing",
    Severity.ERROR,
    "There is no caption.",
    explanation="""
The caption (IPTC Caption-Abstract 2:120, XMP dc:description) is mandatory for submission
(DINFOS, DVIDS): it is the only place that says who and what is shown, where and when, and it
carries the closing credit line. An image without one cannot be published or found.""",
    good="Airmen load cargo aboard a C-17 at Travis Air Force Base, Calif., Feb. 14, 2022. "
    "(U.S. Air Force photo by Senior Airman Karla Parra)",
    bad="(empty Caption-Abstract)",
    fix="Write a caption: who, what, where, when (AP style date), why, then the credit line.",
)
DATE_MISMATCH = define(
    "CAP002",
    "caption-date-differs-from-virin",
    Severity.ERROR,
    "The date in the caption is not the VIRIN date.",
    explanation="""
The first date of the caption's first sentence (or its dateline) is the shot date, and it must be
the date in VIRIN field 1 (spec section 4). When they differ one of them is wrong, and readers,
searches and the DoD archive will disagree about when the image was made. The seed article's first
image is a real case: caption "Feb. 14, 2022", VIRIN 220215.""",
    good="220224-F-FW957-2001Y with '... over the 86th Air Base in Romania, Feb. 24, 2022.'",
    bad="220215-F-DU706-1241 with '... at Travis Air Force Base, Calif., Feb. 14, 2022.'",
    fix="Find the true shot date and correct the caption or the VIRIN (a new VIRIN means a new "
    "file name).",
)
DATE_MISSING = define(
    "CAP003",
    "caption-date-missing",
    Severity.WARNING,
    "The caption's first sentence states no date.",
    explanation="""
DoD captions give the shot date in the first sentence, AP style ("Feb. 14, 2022"; March to July
spelled out, other months abbreviated), or in a dateline ("WASHINGTON (May 18, 2017)"). Without it
the caption cannot be checked against the VIRIN. Dates in later sentences are background and are
not taken as the shot date; the message names the first one seen.""",
    good="Sailors man the rails aboard USS Example in Norfolk, Va., May 18, 2017.",
    bad="Sailors man the rails aboard USS Example in Norfolk, Va.",
    fix="Add the shot date to the first sentence, AP style: Feb. 14, 2022.",
)
CREDIT_MISSING = define(
    "CAP004",
    "caption-credit-missing",
    Severity.WARNING,
    "The caption does not end with a credit line in parentheses.",
    explanation="""
The DoD Visual Information Style Guide ends every caption with the credit line in parentheses,
because captions travel without the rest of the metadata (web pages, DVIDS, wire services). A
caption without it publishes the image unattributed. It is a warning because the credit may be in
IPTC Credit; the credit rules check that field.""",
    good="... Feb. 14, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)",
    bad="... Feb. 14, 2022.",
    fix="End the caption with the credit line in parentheses.",
)
TOO_LONG = define(
    "CAP005",
    "caption-too-long",
    Severity.ERROR,
    "The caption is longer than IPTC Caption-Abstract holds.",
    explanation="""
IPTC Caption-Abstract (2:120) holds 2,000 bytes (schemas/tables/iim_limits.toml), counted in UTF-8,
where a letter outside ASCII takes two bytes or more. The DoD ingest cuts longer captions, and what
it cuts is the end - the closing credit line.""",
    good="a caption of 1,200 bytes",
    bad="a caption of 2,300 bytes",
    fix="Shorten the background part of the caption; keep the first sentence and the credit line.",
)

MONTH_DAY_MISMATCH = define(
    "CAP006",
    "caption-month-day-differs-from-virin",
    Severity.WARNING,
    "The caption's date without a year is not the VIRIN's month and day.",
    explanation="""
Many desks print the shot date without the year ("... at Fort Example, Ala., Feb. 20.") because the
page or the VIRIN gives it. Such a date is compared by month and day with VIRIN field 1: when they
agree there is nothing to report (and no "no date" warning either); when they differ one of them is
wrong. It is a warning, not an error like a full date that differs, because a date without a year
in the first sentence is sometimes an event date rather than the shot date.""",
    good="160220-A-AB123-1001 with '... during the Best Warrior Competition, Feb. 20.'",
    bad="160220-A-AB123-1001 with '... during the Best Warrior Competition, Feb. 21.'",
    fix="Find the true shot date; write it in full (Feb. 20, 2016) and correct the caption or the "
    "VIRIN.",
)

#: What ``check_caption`` can report, in code order; the rule table lists them from here.
RULES = (MISSING, DATE_MISMATCH, DATE_MISSING, CREDIT_MISSING, TOO_LONG, MONTH_DAY_MISMATCH)

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "sept": 9,  # AP's one four-letter abbreviation
}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: "Feb. 14, 2022" (AP), "February 14, 2022", "Feb 14 2022", "14 February 2022", "14 Feb. 2022",
#: and the slips desks print: "July, 19, 2024", "Dec. 15. 2005".
_DATE = re.compile(
    rf"""\b(?:
        (?P<month>{_MONTH})\.?,?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[,.]?\s+(?P<year>\d{{4}})
      | (?P<day_first>\d{{1,2}})\s+(?P<month_second>{_MONTH})\.?,?\s+(?P<year_second>\d{{4}})
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTH_ABBREVIATIONS = (
    frozenset(_MONTHS)
    - {name for name in _MONTHS if len(name) > 4}
    - {
        "may",
        "june",
        "july",
    }
)
#: A month and day with no year after them: "Feb. 20", "June 2.", "May 02," (the year is in the
#: VIRIN or the page).
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\.?,?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?![,.]?\s+\d{{4}})(?!\d)",
    re.IGNORECASE,
)
#: Abbreviations written before a capitalized word inside a sentence ("St. Louis", "Gov. Smith",
#: "Tech. Sgt.", "Army vs. Navy"); rank and civilian titles come from the rank table.
_ABBREVIATIONS = frozenset(
    {"st", "mt", "ft", "gov", "sen", "rep", "rev", "prof", "pres", "sec", "no", "vs", "jr", "sr"}
    | {"tech", "brig"}
    # AP state abbreviations without an inner full stop ("Hartford, Conn. Soldiers ...")
    | {"ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan"}
    | {"ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore"}
    | {"pa", "tenn", "vt", "va", "wash", "wis", "wyo"}
)
#: Where a sentence may end: ".", "!" or "?" (and closing quotes) before a capitalized word. Not
#: before a parenthesis: "NORFOLK, Va. (May 18, 2017)" is one dateline.
_STOP = re.compile(r"(?<!\S)(?P<word>\S*?)(?P<stop>[.!?])[)\"'”’]*(?=\s+[\"“‘]*[A-Z])")


@dataclass(frozen=True, slots=True)
class CaptionDate:
    """A date found in a caption: the date, the text it was read from, ``caption[start:end]``."""

    date: dt.date
    text: str
    start: int
    end: int


def find_caption_date(caption: str, *, tables: CodeTables) -> CaptionDate | None:
    """The shot date: the first date of the caption's first sentence or dateline.

    None when the first sentence has no date, or when its first date is no calendar date ("Feb.
    30, 2022"): a later date is then not the shot date either.
    """
    end = _first_sentence_end(caption, tables)
    match, date = next(_dates(caption, 0, end), (None, None))
    if match is None:
        match, date = _date_fragment(caption, end)
    if match is None or date is None:
        return None
    return CaptionDate(date, match.group(), match.start(), match.end())


def closing_credit(caption: str, *, tables: CodeTables) -> str | None:
    """The credit line closing ``caption`` - ``(U.S. Air Force photo by ...)`` with any
    disclosure group after it - or None when the caption does not end with one."""
    closing = parse_closing_credit(caption, tables=tables)
    return None if closing is None else closing.text


def parse_closing_credit(caption: str, *, tables: CodeTables) -> Credit | None:
    """The closing credit line parsed (its ``text`` is ``closing_credit``'s), or None."""
    text = caption.rstrip().rstrip(".").rstrip()
    last = trailing_group(text)
    if last is None:
        return None
    before = trailing_group(text[:last].rstrip())
    candidates = [text[last:]] if before is None else [text[before:], text[last:]]
    parsed = (parse_credit(candidate, tables=tables) for candidate in candidates)
    return next((credit for credit in parsed if credit is not None), None)


def check_caption(
    caption: str | None,
    *,
    virin_date: dt.date | None = None,
    tables: CodeTables,
) -> tuple[Finding, ...]:
    """Apply the caption rules. ``virin_date`` is the date of the record's VIRIN, when known."""
    if not isinstance(caption, str) or not caption.strip():
        return (MISSING.finding("there is no caption", field=FIELD),)
    return (
        *_length_findings(caption, tables),
        *_date_findings(caption, virin_date, tables),
        *_credit_findings(caption, tables),
    )


def _first_sentence_end(caption: str, tables: CodeTables) -> int:
    """Where the first sentence ends: at the first stop that does not close an abbreviation.

    A full stop after a single letter (an initial, "U.S."), a month abbreviation, a rank or title
    ("Staff Sgt.", "Mr.") or a common title abbreviation belongs to the word, not the sentence.
    A missed end only widens the first sentence; a false one could hide the shot date.
    """
    for match in _STOP.finditer(caption):
        if match["stop"] != "." or not _is_abbreviation(match["word"], tables):
            return match.end()
    return len(caption)


def _date_fragment(caption: str, end: int) -> tuple[re.Match[str] | None, dt.date | None]:
    """A date printed as a sentence of its own right after the first ("..., Ga. Jan. 8, 2015.")
    belongs to the first sentence."""
    start = len(caption) - len(caption[end:].lstrip())
    match, date = next(_dates(caption, start, len(caption)), (None, None))
    if match is None or match.start() != start or caption[match.end() : match.end() + 1] != ".":
        return None, None
    return match, date


def find_month_day(caption: str, *, tables: CodeTables) -> tuple[int, int, str] | None:
    """Month, day and text of a date without a year in the first sentence ("Feb. 20."), when
    the first sentence has no full date; None otherwise."""
    end = _first_sentence_end(caption, tables)
    for match in _MONTH_DAY.finditer(caption, 0, end):
        month, day = _MONTHS[match["month"].casefold()], int(match["day"])
        if 1 <= day <= 31:
            return month, day, match.group()
    return None


def _is_abbreviation(word: str, tables: CodeTables) -> bool:
    word = word.lstrip("\"'(“‘")
    key = word.casefold()
    return (
        len(word) == 1
        or "." in word
        or key in _MONTH_ABBREVIATIONS
        or key in _ABBREVIATIONS
        or bool(tables.ranks_named(word))
    )


def _dates(caption: str, start: int, end: int) -> Iterator[tuple[re.Match[str], dt.date | None]]:
    """The dates written in ``caption[start:end]``, in order; "Feb. 30, 2022" gives None."""
    for match in _DATE.finditer(caption, start, end):
        month = match["month"] or match["month_second"]
        day = match["day"] or match["day_first"]
        year = match["year"] or match["year_second"]
        try:
            date = dt.date(int(year), _MONTHS[month.casefold()], int(day))
        except ValueError:
            date = None
        yield match, date


def _length_findings(caption: str, tables: CodeTables) -> list[Finding]:
    dataset = tables.iim.get(CAPTION_DATASET)
    size = len(caption.encode("utf-8", "surrogatepass"))
    if dataset is None or size <= dataset.max_bytes:
        return []
    return [
        TOO_LONG.finding(
            f"the caption is {size} bytes, IPTC {dataset.name} holds {dataset.max_bytes}",
            field=FIELD,
            bytes=size,
            limit=dataset.max_bytes,
        )
    ]


def _date_findings(caption: str, virin_date: dt.date | None, tables: CodeTables) -> list[Finding]:
    found = find_caption_date(caption, tables=tables)
    month_day = find_month_day(caption, tables=tables) if found is None else None
    if month_day is not None:
        return _month_day_findings(month_day, virin_date)
    if found is None:
        return [_date_missing(caption, tables)]
    if virin_date is None or found.date == virin_date:
        return []
    return [
        DATE_MISMATCH.finding(
            f"the caption says {found.text!r} ({found.date}) but the VIRIN date is {virin_date}",
            field=FIELD,
            part="date",
            caption_date=found.date.isoformat(),
            virin_date=virin_date.isoformat(),
            caption_text=found.text,
        )
    ]


def _month_day_findings(
    month_day: tuple[int, int, str], virin_date: dt.date | None
) -> list[Finding]:
    month, day, text = month_day
    if virin_date is None or (virin_date.month, virin_date.day) == (month, day):
        return []
    return [
        MONTH_DAY_MISMATCH.finding(
            f"the caption says {text!r} but the VIRIN date is {virin_date:%b.} {virin_date.day}"
            f" ({virin_date})",
            field=FIELD,
            part="date",
            caption_text=text,
            virin_date=virin_date.isoformat(),
        )
    ]


def _date_missing(caption: str, tables: CodeTables) -> Finding:
    """Say why no shot date was found: none at all, not a calendar date, or only later ones."""
    end = _first_sentence_end(caption, tables)
    first, _ = next(_dates(caption, 0, end), (None, None))
    later, _ = next(_dates(caption, end, len(caption)), (None, None))
    if first is not None:
        message = f"the first date of the caption, {first.group()!r}, is no calendar date"
    elif later is not None:
        message = (
            f"the caption's first sentence has no date; the later {later.group()!r} is "
            "background, not the shot date"
        )
    else:
        message = "the caption states no date"
    return DATE_MISSING.finding(
        message,
        field=FIELD,
        part="date",
        invalid_date=first.group() if first else None,
        later_date=later.group() if later else None,
    )


def _credit_findings(caption: str, tables: CodeTables) -> list[Finding]:
    if closing_credit(caption, tables=tables) is not None:
        return []
    return [
        CREDIT_MISSING.finding(
            "the caption does not end with a credit line in parentheses",
            field=FIELD,
            part="credit",
        )
    ]
