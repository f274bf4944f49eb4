"""The fix planner: a record, every source's values and the findings in, field edits out.

Pure (no I/O, no clock): each edit names the rule code it fixes and whether it is safe, so the
command can apply safe edits by default and unsafe ones on request, as ruff does. An edit is
proposed only where the right value follows from what the file already says (the VIRIN, the
By-line, the other metadata copy); content a person must supply - a caption, a photographer, a
release decision - is never guessed, and those findings stay.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.core.codes import CodeTables, Rank
from catalog.core.credit import check_credit, parse_byline
from catalog.core.findings import Finding, Severity
from catalog.core.merge import SourcedValue
from catalog.core.record import AssetRecord, field_locations
from catalog.core.record_checks import KEYWORDS_KEPT
from catalog.core.virin import parse_virin

IPTC, XMP, EXIF = "iptc", "xmp", "exif"
#: Pseudo-field of the GPS edit: latitude, longitude and altitude go together.
GPS = "gps"
GPS_FIELDS = ("gps_latitude", "gps_longitude", "gps_altitude")
#: Formats whose IPTC-IIM copy the writer keeps (PNG has no standard IIM home).
IIM_FORMATS = frozenset({"JPEG", "TIFF"})

_LOCATIONS = field_locations()
_EXTENSION = re.compile(r"\.(?:jpe?g|jpe|tiff?|png)\Z", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s_]+")
_FOUR_DIGIT_YEAR = re.compile(r"\A((?:19|20)\d\d)(\d{4}-)")


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to one field of a copy.

    ``new`` None removes the field. ``copies`` are the metadata blocks written (``iptc``, ``xmp``,
    ``exif``); a block not named keeps its value (a restored copy writes only the missing one, the
    GPS edit leaves IPTC alone). ``code`` is the rule fixed, None for an edit that only restores the
    missing copy of a value the other copy holds.
    """

    field: str
    old: Any
    new: Any
    code: str | None
    safe: bool
    why: str
    copies: tuple[str, ...] = (IPTC, XMP)


@dataclass(frozen=True, slots=True)
class FixOptions:
    """What the user asked for: unsafe fixes too; GPS removed (--strip-gps, --for-release)."""

    unsafe: bool = False
    strip_gps: bool = False


def plan_fixes(
    record: AssetRecord,
    values: Sequence[SourcedValue],
    findings: Sequence[Finding],
    *,
    file_format: str | None,
    options: FixOptions,
    tables: CodeTables,
    today: dt.date,
) -> tuple[Edit, ...]:
    """The edits that fix what they can of ``findings``, safe ones only unless ``options.unsafe``.

    The edits restoring a missing IPTC or XMP copy come last, for fields no other edit writes, and
    only when some rule's fix is made: a file is never copied just to add a duplicate.
    """
    if file_format is None:
        return ()
    iim = file_format in IIM_FORMATS
    fixes = [
        *_virin_fixes(record, findings, tables, today),
        *_date_created_fixes(record, findings, tables, today),
        *_byline_fixes(findings, record, tables, today, iim),
        *_keyword_fixes(record, findings),
        *_credit_fixes(record, findings, tables, today),
        *_gps_fixes(record, options),
    ]
    chosen = [edit for edit in fixes if edit.safe or options.unsafe]
    if not chosen:
        return ()
    written = {edit.field for edit in chosen}
    return (*chosen, *_copy_fixes(values, written, iim, tables))


def fixed_codes(edits: Iterable[Edit]) -> set[str]:
    """The rule codes the edits fix."""
    return {edit.code for edit in edits if edit.code}


def normalized_virin(text: str, *, tables: CodeTables, today: dt.date) -> str | None:
    """The canonical form of a VIRIN written with the wrong case, separators, a file extension or
    a four-digit year, or None when that form does not parse without error (then it is not
    unambiguous) or is what was written."""
    candidate = _SEPARATORS.sub("-", _EXTENSION.sub("", text.strip()))
    year = _FOUR_DIGIT_YEAR.match(candidate)
    if year:
        candidate = candidate[2:]
    check = parse_virin(candidate, tables=tables, today=today)
    if check.virin is None or not check.ok:
        return None
    if year and (check.virin.date is None or check.virin.date.year != int(year[1])):
        return None
    return check.virin.normalized if check.virin.normalized != text else None


def _virin_fixes(
    record: AssetRecord, findings: Sequence[Finding], tables: CodeTables, today: dt.date
) -> list[Edit]:
    code = next((f.code for f in findings if f.code in ("VIR002", "VIR015")), None)
    new = normalized_virin(record.virin, tables=tables, today=today) if record.virin else None
    if code is None or new is None:
        return []
    return [Edit("virin", record.virin, new, code, True, "the VIRIN in its canonical form")]


def _date_created_fixes(
    record: AssetRecord, findings: Sequence[Finding], tables: CodeTables, today: dt.date
) -> list[Edit]:
    missing = any(f.code == "REC001" and f.field == "date_created" for f in findings)
    date = _virin_date(record, tables, today)
    if not missing or record.date_created is not None or date is None:
        return []
    return [Edit("date_created", None, date, "REC001", True, "Date Created from the VIRIN date")]


def _byline_fixes(
    findings: Sequence[Finding],
    record: AssetRecord,
    tables: CodeTables,
    today: dt.date,
    iim: bool,
) -> list[Edit]:
    edits = []
    service = _virin_service(record, tables, today)
    for finding in findings:
        if not iim or finding.code != "REC002":
            continue
        if finding.field not in ("photographer", "photographer_unit"):
            continue
        text, limit = finding.values.get("value"), finding.values.get("limit")
        short = _abbreviated(text, service, tables) if isinstance(text, str) else None
        if short and isinstance(limit, int) and len(short.encode("utf-8")) <= limit:
            # Both copies: the record keeps XMP, so a full XMP value beside an abbreviated IIM one
            # would still be too long for the rules, and the two copies would disagree (SRC001).
            why = "the official rank abbreviation, to fit the 32-byte IIM limit"
            edits.append(Edit(finding.field, text, short, "REC002", True, why))
    return edits


def _abbreviated(text: str, service: str | None, tables: CodeTables) -> str | None:
    """``text`` with its leading rank in the rank's shortest one-word spelling, when exactly one
    such spelling names the rank (narrowed to the VIRIN's service) and reads back as it."""
    byline = parse_byline(text, tables=tables)
    written = byline.rank_as_written if byline else None
    if not written or not text.startswith(written):
        return None
    ranks = tables.ranks_named(written)
    if service:
        ranks = tuple(r for r in ranks if service in r.services) or ranks
    spellings = {_official_abbreviation(rank, tables) for rank in ranks}
    if len(spellings) != 1 or None in spellings:
        return None
    (spelling,) = spellings
    return None if spelling == written else spelling + text[len(written) :]


def _official_abbreviation(rank: Rank, tables: CodeTables) -> str | None:
    one_word = [s for s in (rank.title, *rank.abbreviations) if " " not in s]
    if not one_word:
        return None
    shortest = min(one_word, key=len)  # min keeps the first of equal lengths: the table's order
    return shortest if rank in tables.ranks_named(shortest) else None


def _keyword_fixes(record: AssetRecord, findings: Sequence[Finding]) -> list[Edit]:
    names = {f.values.get("keyword") for f in findings if f.code == "REC004"}
    too_many = any(f.code == "REC003" for f in findings)
    if not names and not too_many:
        return []
    kept = _unique(k for k in record.keywords if k not in names)
    edits = []
    if kept != record.keywords:
        code = "REC004" if names else "REC003"
        why = "the photographer's name removed" if names else "duplicate keywords removed"
        edits.append(Edit("keywords", record.keywords, kept, code, True, why))
    if len(kept) > KEYWORDS_KEPT:
        why = f"only the first {KEYWORDS_KEPT} keywords kept"
        edits.append(Edit("keywords", kept, kept[:KEYWORDS_KEPT], "REC003", False, why))
    return edits


def _unique(keywords: Iterable[str]) -> list[str]:
    """Keywords without repeats (compared case-insensitively), in their first order."""
    seen: set[str] = set()
    kept = []
    for keyword in keywords:
        key = keyword.strip().casefold()
        if key not in seen:
            seen.add(key)
            kept.append(keyword)
    return kept


def _credit_fixes(
    record: AssetRecord, findings: Sequence[Finding], tables: CodeTables, today: dt.date
) -> list[Edit]:
    """A missing credit line made of the VIRIN service's organisation and the By-line's rank and
    name ("U.S. Air Force photo by SrA Karla Parra"), when the rules accept the result. Without a
    By-line there is no photographer to name, and a person writes the credit."""
    service = _virin_service(record, tables, today)
    byline = parse_byline(record.photographer, tables=tables) if record.photographer else None
    if not any(f.code == "CRD001" for f in findings) or service not in tables.services:
        return []
    if byline is None or byline.rank is None:
        return []
    names = sorted(tables.services[service].credit_names, key=lambda n: (n[:5] != "U.S. ", len(n)))
    for name in names:
        credit = f"{name} photo by {record.photographer.strip()}"
        check = check_credit(credit, virin_service=service, tables=tables)
        if check.credit and not any(f.severity >= Severity.WARNING for f in check.findings):
            why = "the organisation of the VIRIN's service and the By-line"
            return [Edit("credit", None, credit, "CRD001", False, why)]
    return []


def _gps_fixes(record: AssetRecord, options: FixOptions) -> list[Edit]:
    if not options.strip_gps or not any(getattr(record, f) is not None for f in GPS_FIELDS):
        return []
    old = {f: getattr(record, f) for f in GPS_FIELDS if getattr(record, f) is not None}
    return [Edit(GPS, old, None, "REL007", True, "GPS removed from the copy", (EXIF, XMP))]


def _copy_fixes(
    values: Sequence[SourcedValue], written: set[str], iim: bool, tables: CodeTables
) -> list[Edit]:
    """Edits writing the IPTC copy from XMP and the XMP copy from IPTC where one is missing."""
    embedded = {
        (v.field, v.source): v.value
        for v in values
        if v.source in (IPTC, XMP) and v.error is None and v.value not in (None, "", [])
    }
    edits = []
    for name, location in _LOCATIONS.items():
        if name in written or not (location.iptc and location.xmp):
            continue
        in_iptc, in_xmp = (name, IPTC) in embedded, (name, XMP) in embedded
        if in_xmp and not in_iptc and iim and _fits(embedded[name, XMP], location.iptc, tables):
            value = embedded[name, XMP]
            edits.append(Edit(name, None, value, None, True, "IPTC copy from XMP", (IPTC,)))
        elif in_iptc and not in_xmp:
            value = embedded[name, IPTC]
            edits.append(Edit(name, None, value, None, True, "XMP copy from IPTC", (XMP,)))
    return edits


def _fits(value: Any, datasets: tuple[str, ...], tables: CodeTables) -> bool:
    limit = tables.iim[datasets[0]].max_bytes if datasets[0] in tables.iim else None
    items = value if isinstance(value, list) else [value]
    return limit is None or all(len(str(item).encode("utf-8")) <= limit for item in items)


def _virin_date(record: AssetRecord, tables: CodeTables, today: dt.date) -> dt.date | None:
    check = parse_virin(record.virin, tables=tables, today=today) if record.virin else None
    return check.virin.date if check and check.virin and check.ok else None


def _virin_service(record: AssetRecord, tables: CodeTables, today: dt.date) -> str | None:
    check = parse_virin(record.virin, tables=tables, today=today) if record.virin else None
    return check.virin.service.upper() if check and check.virin else None
