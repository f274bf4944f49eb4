"""Merge the values of several metadata sources into one record, keeping every value's source.

Precedence
----------
One ordered tuple, ``PRECEDENCE``, applied field by field: the first source (in that order) that
has a usable value for a field gives the record its value; every other value is kept and compared.

1. ``sidecar-json`` - a record written for this one file by a person or a tool on purpose;
2. ``manifest``     - a row of a CSV manifest: also deliberate, but written for a whole batch;
3. ``sidecar-xmp``  - ``IMG.xmp`` / ``IMG.jpg.xmp``: edits a DAM keeps beside a file it must not
                      touch, so newer than what is embedded;
4. ``exif``         - the camera's own fields (date, make, model, GPS); the Metadata Working Group
                      (MWG) guidance prefers EXIF over its XMP copies (``exif:``, ``tiff:``);
5. ``xmp``          - embedded XMP: Unicode, no byte limits, what MWG tells readers to prefer ...
6. ``iptc``         - ... over embedded IPTC-IIM, *unless* the IPTC digest (Photoshop resource
                      0x0425) exists and no longer matches the IIM: then an IIM-only tool edited
                      the file after the XMP was written and the IIM is newer (MWG 2.0, and how
                      ExifTool's MWG tags read). ``merge(..., iim_edited=True)`` swaps 5 and 6;
7. ``article``      - text published on a DoD web page: it only fills gaps, never overrides what
                      travels with the file.

Why XMP over IIM although DoD tooling reads IIM: the IIM copy is the one the DoD ingest cuts to its
byte limits, so when both exist the XMP is the complete value. The IIM is still compared, and what
DoD systems will show is reported: a cut copy is an ``iim-copy-truncated`` finding, any other
difference a ``sources-disagree`` finding (spec section 2: a warning). Following MWG (and ExifTool's
``RecoverTruncatedIPTC``), an IIM value that is merely the other value cut at the IIM limit never
wins over the full value. The file name's VIRIN is not a source of record values at all: it is only
compared with the merged VIRIN (``compare_filename_virin``).

What counts as a disagreement: text is compared after Unicode NFC normalization with runs of
white space collapsed and ends trimmed, case-sensitively (``f`` and ``F`` in a VIRIN are different
values); keyword lists are compared as bags, so order and repeats do not matter (dc:subject is an
unordered bag, and IIM order is not meaningful); date-times to the second, with their UTC offsets
when both sources give one; coordinates within 1e-6 degrees (XMP writes them in minutes with
limited decimals). Empty text and empty lists count as absent.

This module is pure: readers hand it values that already fit their record field.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from catalog.core.codes import CodeTables
from catalog.core.findings import Finding, Severity, shorten
from catalog.core.record import AssetRecord, field_locations
from catalog.core.rule import define

#: Source kinds from most to least trusted (see the module docstring); ``iim_edited`` swaps the
#: embedded ``xmp`` and ``iptc``.
PRECEDENCE: tuple[str, ...] = (
    "sidecar-json",
    "manifest",
    "sidecar-xmp",
    "exif",
    "xmp",
    "iptc",
    "article",
)
_LOCATIONS = field_locations()

SOURCES_DISAGREE = define(
    "SRC001",
    "sources-disagree",
    Severity.WARNING,
    "Two metadata sources give different values for the same field.",
    explanation="""
IPTC-IIM and XMP copies drift apart when a tool updates one and not the other; a sidecar or a
manifest can contradict the file. The record keeps the value of the source with the highest
precedence (documented in `catalog.core.merge` and shown with every value); the finding names both
values and both sources, because DoD systems that read only IIM will show the other one.
""",
    good="IPTC 2:110 Credit and XMP photoshop:Credit both 'U.S. Air Force'",
    bad="IPTC 2:110 'U.S. Air Force' but XMP photoshop:Credit 'U.S. Space Force'",
    fix="Decide which value is right and write it to every place (exiftool -tagsFromFile @ ...).",
)

IIM_COPY_TRUNCATED = define(
    "SRC002",
    "iim-copy-truncated",
    Severity.WARNING,
    "The IPTC-IIM copy of a value is the full value cut at the IIM byte limit.",
    explanation="""
IIM datasets have byte limits (32 for a By-line, 2,000 for a caption); tools and the DoD ingest cut
longer values, e.g. 'Mass Communication Specialist Jo'. The record keeps the full value from the
other source, but systems that read only IIM will show the cut one.
""",
    good="By-line 'MC2 Jane Doe' in IIM and XMP",
    bad="IIM By-line 'Mass Communication Specialist Jo', XMP '... Specialist Jane Doe'",
    fix="Shorten the value (use the rank abbreviation) so the IIM copy is complete.",
)

IPTC_DIGEST_STALE = define(
    "SRC003",
    "iptc-digest-stale",
    Severity.INFO,
    "The IPTC digest does not match the IIM: the IIM was edited after the XMP; IIM is preferred.",
    explanation="""
XMP-aware tools store an MD5 digest of the IIM block (Photoshop resource 0x0425) when they
synchronize IIM and XMP. A digest that no longer matches means a tool that knows only IIM changed
it later, so (following the Metadata Working Group) the IIM values take precedence over the
embedded XMP for this file.
""",
    good="IPTCDigest equal to the MD5 of the IPTC-NAA resource",
    bad="IPTCDigest left over from before the caption was edited in an IIM-only tool",
    fix="Open and save the file in an XMP-aware tool to synchronize IIM and XMP.",
)

FILENAME_VIRIN_DIFFERS = define(
    "SRC004",
    "filename-virin-differs",
    Severity.WARNING,
    "The VIRIN in the file name differs from the file's metadata VIRIN.",
    explanation="""
A DoD image file is named after its VIRIN (220215-F-DU706-1241.JPG). When the name and the
embedded VIRIN differ, one of them was changed by hand; the catalog keeps the metadata VIRIN and
never takes the name's, but the two must be reconciled before publication.
""",
    good="220215-F-DU706-1241.jpg with Object Name 220215-F-DU706-1241",
    bad="220215-F-DU706-1241.jpg with Object Name 220215-F-DU706-1242",
    fix="Rename the file or correct the embedded VIRIN.",
)


def virin_key(text: str) -> str:
    """The form in which two VIRINs are compared: trimmed and upper-cased.

    It is the form ``parse_virin`` normalizes a VIRIN to (``Virin.normalized``: a VIRIN-shaped
    value has no surrounding white space), got without parsing.
    """
    return text.strip().upper()


def compare_filename_virin(record_virin: str | None, filename_virin: str | None) -> Finding | None:
    """A finding when the file name's VIRIN differs from the record's (after normalization).

    The file name is never a source of the record's VIRIN; without a record VIRIN there is
    nothing to compare (the missing VIRIN is a rule of its own).
    """
    if not record_virin or not filename_virin:
        return None
    if virin_key(record_virin) == virin_key(filename_virin):
        return None
    return FILENAME_VIRIN_DIFFERS.finding(
        f"the file name says {filename_virin} but the metadata VIRIN is {record_virin}",
        field="virin",
        filename=filename_virin,
        metadata=record_virin,
    )


@dataclass(frozen=True, slots=True)
class SourcedValue:
    """One value as one source gives it.

    ``error`` is None for a value that fits its record field; otherwise it says why the value was
    not usable and ``value`` is the raw value as read (kept so nothing is lost).
    """

    field: str
    source: str
    value: Any
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SourceValues:
    """The values one source gives, ready for the merge.

    ``kind`` is one of ``PRECEDENCE``; ``label`` names the source as shown to people
    (``xmp``, ``sidecar-json:IMG.json``, ``manifest:photos.csv#12``). ``values`` maps record fields
    to values that already fit them; ``extra`` holds values shown with the source but not merged
    (rejected raw values, other languages of a language alternative); ``findings`` are what the
    reader of the source found (damage, charset guesses), passed through by the merge.
    """

    kind: str
    label: str
    values: Mapping[str, Any]
    extra: tuple[SourcedValue, ...] = ()
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class Merged:
    """The merge result: the record, the winning source of each field, all values, findings."""

    record: AssetRecord
    sources: dict[str, str]
    values: tuple[SourcedValue, ...]
    findings: tuple[Finding, ...] = field(default=())


def precedence(iim_edited: bool = False) -> tuple[str, ...]:
    """The source order in force: ``PRECEDENCE``, with IIM ahead of XMP when the IIM was edited."""
    if not iim_edited:
        return PRECEDENCE
    order = list(PRECEDENCE)
    xmp, iptc = order.index("xmp"), order.index("iptc")
    order[xmp], order[iptc] = order[iptc], order[xmp]
    return tuple(order)


def merge(
    sources: Iterable[SourceValues],
    *,
    iim_edited: bool = False,
    tables: CodeTables,
) -> Merged:
    """Merge ``sources`` field by field (see the module docstring for the rules)."""
    order = precedence(iim_edited)
    ranked = sorted(sources, key=lambda source: _rank(order, source.kind))
    limits = iim_limits(tables)
    chosen: dict[str, Any] = {}
    winners: dict[str, str] = {}
    findings: list[Finding] = [f for source in ranked for f in source.findings]
    if iim_edited:
        findings.append(
            IPTC_DIGEST_STALE.finding(
                "the IPTC digest does not match the IIM data: IIM values take precedence over XMP",
                field="*",
            )
        )
    candidates: dict[str, list[tuple[SourceValues, Any]]] = {}
    for source in ranked:
        for name, value in source.values.items():
            if _present(value):
                candidates.setdefault(name, []).append((source, value))
    for name in (n for n in AssetRecord.model_fields if n in candidates):  # record order
        (winner, value), extra_findings = _pick(name, candidates[name], limits.get(name))
        chosen[name] = value
        winners[name] = winner.label
        findings.extend(extra_findings)
    values: list[SourcedValue] = []
    for source in ranked:
        values += [SourcedValue(name, source.label, v) for name, v in source.values.items()]
        values += source.extra
    return Merged(AssetRecord.model_validate(chosen), winners, tuple(values), tuple(findings))


def _rank(order: tuple[str, ...], kind: str) -> int:
    try:
        return order.index(kind)
    except ValueError:
        raise ValueError(f"unknown metadata source kind {kind!r}") from None


def iim_limits(tables: CodeTables) -> dict[str, int]:
    """Record field -> IIM byte limit of its (first) dataset."""
    limits = {}
    for name, location in _LOCATIONS.items():
        for tag in location.iptc:
            if tag in tables.iim:
                limits[name] = tables.iim[tag].max_bytes
                break
    return limits


def _pick(
    name: str, candidates: list[tuple[SourceValues, Any]], limit: int | None
) -> tuple[tuple[SourceValues, Any], list[Finding]]:
    """The winning candidate of one field and the findings of comparing it with the others."""
    winner = candidates[0]
    findings: list[Finding] = []
    for other in candidates[1:]:
        if _same(winner[1], other[1]):
            continue
        cut = _truncation(winner, other, limit)
        if cut is None:
            findings.append(_disagreement(name, winner, other))
            continue
        short, full = cut
        findings.append(_truncated(name, short, full, limit))
        if short is winner:
            winner = full  # MWG: a cut IIM copy never wins over the full value
    return winner, findings


def _disagreement(
    name: str, kept: tuple[SourceValues, Any], other: tuple[SourceValues, Any]
) -> Finding:
    return SOURCES_DISAGREE.finding(
        f"{name}: {kept[0].label} says {_show(kept[1])} but {other[0].label} says "
        f"{_show(other[1])}; the record keeps {kept[0].label}",
        field=name,
        kept_source=kept[0].label,
        kept=_plain(kept[1]),
        other_source=other[0].label,
        other=_plain(other[1]),
    )


def _truncated(
    name: str, short: tuple[SourceValues, Any], full: tuple[SourceValues, Any], limit: int | None
) -> Finding:
    return IIM_COPY_TRUNCATED.finding(
        f"{name}: the IIM copy {_show(short[1])} is {full[0].label}'s {_show(full[1])} cut at "
        f"{limit} bytes; the record keeps the full value",
        field=name,
        truncated_source=short[0].label,
        truncated=_plain(short[1]),
        full_source=full[0].label,
        full=_plain(full[1]),
        limit=limit,
    )


def _present(value: Any) -> bool:
    """Whether a value counts as given: None, blank text and empty lists do not."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_present(item) for item in value)
    return True


def normalize_text(text: str) -> str:
    """The text form two sources are compared in: NFC, white space collapsed, ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        return normalize_text(a) == normalize_text(b)
    if isinstance(a, list) and isinstance(b, list):
        return _bag(a) == _bag(b)
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return _same_moment(a, b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-6)
    return a == b


def _bag(items: list[str]) -> frozenset[str]:
    return frozenset(normalize_text(item) for item in items if item.strip())


def _same_moment(a: dt.datetime, b: dt.datetime) -> bool:
    """Equal to the second; UTC offsets are compared only when both values have one."""
    if a.replace(tzinfo=None, microsecond=0) != b.replace(tzinfo=None, microsecond=0):
        return False
    return a.tzinfo is None or b.tzinfo is None or a.utcoffset() == b.utcoffset()


def _truncation(
    a: tuple[SourceValues, Any], b: tuple[SourceValues, Any], limit: int | None
) -> tuple[tuple[SourceValues, Any], tuple[SourceValues, Any]] | None:
    """(cut, full) when one of the two is an IIM value cut from the other at ``limit``."""
    if limit is None:
        return None
    for short, full in ((a, b), (b, a)):
        if short[0].kind == "iptc" and _is_cut(short[1], full[1], limit):
            return short, full
    return None


def _is_cut(short: Any, full: Any, limit: int) -> bool:
    if isinstance(short, list) and isinstance(full, list):
        missing = _bag(short) - _bag(full)
        extra = _bag(full) - _bag(short)
        return bool(missing) and all(any(_is_cut(m, e, limit) for e in extra) for m in missing)
    if not (isinstance(short, str) and isinstance(full, str)):
        return False
    short, full = short.rstrip(), full.strip()
    if not (len(short) < len(full) and full.startswith(short.lstrip())):
        return False
    # Cut at the limit: UTF-8 may have dropped up to 3 bytes of a split character, and a
    # single-byte charset (cp1252) fills the limit exactly with characters.
    return len(full.encode()) > limit and (len(short.encode()) > limit - 4 or len(short) >= limit)


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a value for ``Finding.values``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def _show(value: Any) -> str:
    return shorten(repr(_plain(value)))
