"""VIRINs: parse and validate one (``parse_virin``), find them in text and file names.

A VIRIN (Visual Information Record Identification Number, spec section 1) is
``YYMMDD-S-OOOOO-SSSS[-CC]``: date shot, service of the photographer, originator (VISION ID,
DVIAN or legacy ID), sequence, optional country of a foreign photographer. Validation runs in two
stages so that every finding can name the part it is about:

1. a *lenient grammar* decides whether the text is shaped like a VIRIN at all. It accepts every
   variant met on DoD pages (lower case, 3-digit sequences, a trailing letter, the legacy motion
   sub-sequence) and rejects everything else with ``VIR002``, naming the first field that is off;
2. each part is then checked against the spec's severity table, one rule per row, all that apply.

Code lists (services, DVIAN letters, placeholder IDs, countries, the Object Name byte limit) come
from ``CodeTables``; only the shape of a VIRIN and the century rule live here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter

from catalog.core.codes import CodeTables, Service
from catalog.core.findings import Finding, Severity, shorten
from catalog.core.rule import define

FIELD = "virin"
GOOD = "220215-F-DU706-1241"

MISSING = define(
    "VIR001",
    "virin-missing",
    Severity.ERROR,
    "The VIRIN is empty or missing.",
    explanation="""
The VIRIN is the unique identifier of an official still, video or audio record, and the first of
the fields DINFOS and DVIDS require for submission. DoD stores it in IPTC Object Name (2:05, XMP
dc:title). Without it a file cannot be matched to its caption, its published copies or its
duplicates.""",
    good=GOOD,
    bad="(empty IPTC Object Name)",
    fix="Write the VIRIN, YYMMDD-S-OOOOO-SSSS, into IPTC Object Name (2:05) and XMP dc:title.",
)
MALFORMED = define(
    "VIR002",
    "virin-malformed",
    Severity.ERROR,
    "The value is not shaped like a VIRIN at all.",
    explanation="""
A VIRIN is hyphen-separated fields: a 6-digit date YYMMDD, a one-letter service code, a
5-character originator (VISION ID, DVIAN or legacy ID), a 4-digit sequence (3 digits before about
2017) and, for a foreign photographer, an ISO 3166-1 alpha-2 country. The grammar tolerates what
DoD pages publish (lower case, a trailing letter, a legacy motion sub-sequence) but not an 8-digit
date, underscores or spaces between fields, an alpha-3 country, a two-letter suffix or a digit as
the service code: such a value cannot be parsed, sorted or matched against DoD systems, so none of
the other VIRIN checks can run on it.""",
    good=GOOD,
    bad="20220215-F-DU706-1241",
    fix="Rewrite the value as YYMMDD-S-OOOOO-SSSS; the message names the first field that is off.",
)
DATE_INVALID = define(
    "VIR003",
    "virin-date-invalid",
    Severity.ERROR,
    "The VIRIN date (field 1) is not a real calendar date.",
    explanation="""
Field 1 is the date the image was shot, and it must equal IPTC Date Created. A date that does not
exist (February 30, month 13) is a typing error, and nobody can tell which date was meant: the
record can neither be dated nor checked against its caption.""",
    good="200229-D-XY123-1001 (2020 is a leap year)",
    bad="220230-F-DU706-1241",
    fix="Correct field 1 to the date shot (YYMMDD), the same as IPTC Date Created.",
)
SERVICE_INVALID = define(
    "VIR004",
    "virin-service-invalid",
    Severity.ERROR,
    "The service code (field 2) is not a service code.",
    explanation="""
Field 2 is the affiliation of the photographer (not of the people shown), one letter of the DIMOC
service-code table (schemas/tables/services.toml: A D F G H M N O S Z as shipped). A letter outside
the table, a digit, or P (seen once in a DVIDS SDK guide, never a code) names no service, so the
VIRIN is not one DoD systems would issue.""",
    good=GOOD,
    bad="220215-P-JD123-1001",
    fix="Use the photographer's service code (F for Air Force ...; O for others and foreign "
    "nationals), or add the code to [tool.catalog.tables.services] if your unit has one.",
)
SERVICE_UNOFFICIAL = define(
    "VIR005",
    "virin-service-unofficial",
    Severity.WARNING,
    "The service code is provisional (X, U) or from the 2011 list only (C, J, L).",
    explanation="""
X (Space Force) and U (USDA) appear only in third-party code, never on a DoD page; C, J and L
(coalition, joint, multinational) appear only in the 2011 list, probably confused with the
"service shown" codes. They may be right for your unit, so this is a warning; configuration can
make a code current.""",
    good=GOOD,
    bad="230101-X-AB123-1001",
    fix="Check the code with the photographer's unit; if it is official for you, set its status to "
    '"current" in [tool.catalog.tables.services].',
)
PLACEHOLDER = define(
    "VIR006",
    "virin-originator-placeholder",
    Severity.ERROR,
    "The originator (field 3) is the documentation placeholder (ZZ999).",
    explanation="""
ZZ999 is the VISION ID used in DIMOC's instructions for building a VIRIN. It identifies no
photographer and is forbidden in a real VIRIN: it is a template that was never filled in.""",
    good="060515-M-AB123-1001",
    bad="060515-M-ZZ999-1001",
    fix="Replace ZZ999 with the photographer's VISION ID.",
)
LEGACY_ID = define(
    "VIR007",
    "virin-originator-legacy",
    Severity.WARNING,
    "The originator is a legacy ID (last 4 SSN digits + surname initial).",
    explanation="""
Before VISION IDs (until about November 2011) field 3 was the last four digits of the
photographer's Social Security Number and the initial of the surname: a fragment of personal
data. Archive VIRINs keep it as their identity, hence a warning; on imagery shot later it is a
mistake.""",
    good=GOOD,
    bad="060515-M-1234S-001",
    fix="For new imagery use the photographer's VISION ID. Archive VIRINs stay as published.",
)
DVIAN_LETTER = define(
    "VIR008",
    "virin-dvian-letter-unknown",
    Severity.WARNING,
    "A DVIAN originator (letter + 4 digits) has a letter that is no DoD component letter.",
    explanation="""
A DVIAN is a unit code: one letter naming the DoD component that assigned it, then four digits.
Only the component letters (schemas/tables/dvian.toml: A D F G J K M N O S W Z as shipped) are
issued, so another letter is most likely a typing error in the DVIAN.""",
    good="180515-A-A0987-1001",
    bad="180515-A-B0987-1001",
    fix="Check the unit's DVIAN with the unit or on the DIMOC DVIAN list.",
)
SEQUENCE_ZERO = define(
    "VIR009",
    "virin-sequence-zero",
    Severity.ERROR,
    "The sequence (field 4) is 0000 or 000.",
    explanation="""
The sequence counts the items of the day: the first is 1001 (scene 1, item 001), or 001 in the
3-digit form. Zero numbers no item; it is a template value that was never filled in.""",
    good=GOOD,
    bad="220215-F-DU706-0000",
    fix="Number the item: 1001 for the first item of the first scene.",
)
SEQUENCE_LEADING_ZERO = define(
    "VIR010",
    "virin-sequence-leading-zero",
    Severity.WARNING,
    "The 4-digit sequence starts with 0, which is no scene.",
    explanation="""
In the 4-digit sequence the first digit is the scene of the day (1-9) and the next three the item
within the scene, so 1001 is the first item of the first scene. A leading 0 names no scene; DoD
pages do publish such VIRINs (210311-D-PA656-0001), so this is a warning.""",
    good="210311-D-PA656-1001",
    bad="210311-D-PA656-0001",
    fix="Number new imagery from 1001; published VIRINs stay as they are.",
)
SEQUENCE_THREE_DIGITS = define(
    "VIR011",
    "virin-sequence-three-digits",
    Severity.WARNING,
    "The sequence has 3 digits, the form used until about 2017.",
    explanation="""
Until about 2017 the sequence had three digits restarting at 001 every day; current VIRINs use
four (scene + item). Right for archive imagery, wrong for new imagery, hence a warning.""",
    good="160414-N-YW238-1031",
    bad="160414-N-YW238-031",
    fix="Use the 4-digit scene + item sequence for new imagery.",
)
VARIANT_SUFFIX = define(
    "VIR012",
    "virin-variant-suffix",
    Severity.WARNING,
    "A letter is glued to the sequence (2001Y).",
    explanation="""
DoD web pages publish VIRINs with one trailing letter on field 4 (2001Y, 031A, 0024L). Its meaning
is undocumented, most likely a derived version of the same shot. The catalog keeps the base VIRIN
(without the letter) and the variant letter apart, so the versions of one shot group together.""",
    good="220224-F-FW957-2001",
    bad="220224-F-FW957-2001Y",
    fix="Nothing to do for a published VIRIN; the base VIRIN links it to the original shot.",
)
COUNTRY_UNEXPECTED = define(
    "VIR013",
    "virin-country-unexpected",
    Severity.WARNING,
    "A country (field 5) on a VIRIN whose service is not O, or the country US.",
    explanation="""
Field 5 marks a foreign photographer, and foreign nationals are credited with service code O
(Other). A country after another service code, or the country US (not foreign), contradicts the
rest of the VIRIN.""",
    good="180515-O-AB123-1001-BE",
    bad="180515-F-AB123-1001-US",
    fix="Drop field 5 for a U.S. photographer, or use service code O for a foreign one.",
)
COUNTRY_UNKNOWN = define(
    "VIR014",
    "virin-country-unknown",
    Severity.ERROR,
    "The country (field 5) is not an ISO 3166-1 alpha-2 code.",
    explanation="""
Field 5 is the ISO 3166-1 alpha-2 code of a foreign photographer's country. Two letters that are
not an assigned code (UK for the United Kingdom, whose code is GB) identify no country.""",
    good="180515-O-AB123-1001-GB",
    bad="180515-O-AB123-1001-UK",
    fix="Use the ISO 3166-1 alpha-2 code of the photographer's country.",
)
LOWER_CASE = define(
    "VIR015",
    "virin-lower-case",
    Severity.WARNING,
    "The VIRIN is not in upper case.",
    explanation="""
VIRINs are written in capitals. A lower-case VIRIN names the same record, but compares unequal to
the file name, the published copies and DoD systems. The catalog stores the upper-cased form.""",
    good=GOOD,
    bad="220215-f-du706-1241",
    fix="Write the VIRIN in capitals.",
)
TOO_LONG = define(
    "VIR016",
    "virin-too-long",
    Severity.ERROR,
    "The VIRIN field is longer than IPTC Object Name allows (64 bytes).",
    explanation="""
The VIRIN lives in IPTC Object Name (2:05), limited to 64 bytes; the DoD ingest cuts longer
values, which is data loss. A real VIRIN has fewer than 30 characters, so such a value is
something else (a title, a sentence) written into the VIRIN field.""",
    good=GOOD,
    bad="Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III",
    fix="Put the VIRIN in Object Name and the title in Headline (2:105).",
)
DATE_EARLY = define(
    "VIR017",
    "virin-date-early",
    Severity.WARNING,
    "The VIRIN date is before 1995.",
    explanation="""
The year has two digits, so the century is inferred: YY is read as 20YY unless that is after the
current year, then as 19YY. Digital VIRINs dated before 1995 are implausible: such a date is
most likely a typing error, or a scan of older film whose VIRIN deserves a second look.""",
    good=GOOD,
    bad="940101-N-AB123-1001",
    fix="Check field 1 against the date shot (IPTC Date Created).",
)

#: The date before which a VIRIN date is implausible (VIR017).
EARLIEST_PLAUSIBLE = dt.date(1995, 1, 1)
#: VISION IDs replaced the legacy SSN form around this date (VIR007 mentions later use).
LEGACY_ID_RETIRED = dt.date(2011, 11, 1)
#: The IIM dataset that holds the VIRIN: its byte limit is the VIRIN's (VIR016).
OBJECT_NAME = "2:05"

OriginatorKind = Literal["vision_id", "dvian", "legacy"]
_ORIGINATOR_KINDS: tuple[OriginatorKind, ...] = ("vision_id", "dvian", "legacy")
#: How each originator form is called in output.
ORIGINATOR_LABELS = {"vision_id": "VISION ID", "dvian": "DVIAN", "legacy": "legacy ID"}
_UNOFFICIAL_STATUSES = {"provisional": "provisional", "obsolete": "only in the 2011 list"}


# The lenient grammar, one step per field. Each step is (part, pattern, end of the part,
# what the part should be); the full grammar is the concatenation of the patterns, and a value
# that fails it is diagnosed by the first step whose prefix does not match.
_ALNUM_AHEAD = r"(?![A-Za-z0-9])"
_STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("date", r"(?P<date>[0-9]{6})", _ALNUM_AHEAD, "six digits, YYMMDD"),
    ("service", r"-(?P<service>[A-Za-z])", _ALNUM_AHEAD, "one letter"),
    (
        "originator",
        r"-(?P<originator>(?P<vision_id>[A-Za-z]{2}[0-9]{3})|(?P<dvian>[A-Za-z][0-9]{4})"
        r"|(?P<legacy>[0-9]{4}[A-Za-z]))",
        _ALNUM_AHEAD,
        "a VISION ID (DU706), a DVIAN (A0987) or a legacy ID (1234S)",
    ),
    (
        "sequence",
        r"-(?P<sequence>[0-9]{3}(?P<fourth>[0-9])?)",
        r"(?![0-9])",
        "four digits (three in older VIRINs)",
    ),
    ("variant", r"(?P<variant>[A-Za-z])?", _ALNUM_AHEAD, "at most one letter"),
    (
        "country",
        # The legacy motion sub-sequence (-001) only follows a 3-digit sequence.
        r"(?(fourth)|(?:-(?P<subsequence>[0-9]{3}))?)(?:-(?P<country>[A-Za-z]{2}))?",
        r"\Z",
        "a two-letter ISO 3166-1 country code such as BE (a 3-digit motion sub-sequence may "
        "follow a 3-digit sequence only)",
    ),
)
_BODY = "".join(pattern for _, pattern, _, _ in _STEPS)
_PREFIXES = tuple(
    (part, expected, re.compile("".join(p for _, p, _, _ in _STEPS[: i + 1]) + end))
    for i, (part, _, end, expected) in enumerate(_STEPS)
)
_LENIENT = _PREFIXES[-1][2]
_SEPARATOR_JUNK = re.compile(r"[\s_]")
# In running text and file names: no letter or digit glued to either end, and no further
# hyphenated field after it (so 220215-F-DU706-1241-USA yields nothing rather than a wrong VIRIN).
_IN_TEXT = re.compile(rf"(?<![^\W_]){_BODY}(?![^\W_]|-[^\W_])")


@dataclass(frozen=True, slots=True)
class Virin:
    """The parts of a VIRIN that has the shape of one (it may still carry findings)."""

    text: str  # as given
    normalized: str  # upper case: the form the catalog stores
    base: str  # normalized, without the variant letter
    date: dt.date | None  # None when field 1 is not a real date
    date_text: str  # YYMMDD as written
    service: str
    service_meaning: str | None
    originator: str
    originator_kind: OriginatorKind
    sequence: str  # as written: 3 or 4 digits
    scene: int | None  # 4-digit sequences: the first digit ...
    item: int | None  # ... and the next three
    variant: str | None
    country: str | None
    subsequence: str | None  # legacy motion sub-sequence after a 3-digit sequence

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parts (the date in ISO form)."""
        parts = asdict(self)
        parts["date"] = self.date.isoformat() if self.date else None
        return parts


@dataclass(frozen=True)
class VirinCheck:
    """The outcome of ``parse_virin``: the parts (None when there are none) and the findings."""

    virin: Virin | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return all(f.severity < Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "virin": self.virin.to_dict() if self.virin else None,
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class VirinMatch:
    """A VIRIN found in text: the string as written and where it is (``text[start:end]``)."""

    text: str
    start: int
    end: int


def parse_virin(text: str | None, *, tables: CodeTables, today: dt.date) -> VirinCheck:
    """Parse ``text`` as a VIRIN and report every deviation from the rules.

    Never raises: untrusted input gets findings. ``today`` fixes the century rule and the
    future-date check; the caller takes it from the clock once, at the edge.
    """
    if not isinstance(text, str) or not text.strip():
        return VirinCheck(None, (_missing_or_not_text(text),))
    findings = list(_length_findings(text, tables))
    match = _LENIENT.match(text)
    if match is None:
        return VirinCheck(None, (*findings, _malformed(text)))
    date, date_problem = _resolve_date(match["date"], today)
    virin = _virin(text, match, date, tables)
    findings += _date_findings(virin, date_problem)
    for check in _PART_CHECKS:
        findings += check(virin, tables)
    return VirinCheck(virin, tuple(findings))


def is_virin_shaped(text: object) -> bool:
    """Whether ``text`` has the shape of a VIRIN at all (the lenient grammar ``parse_virin``
    starts from), whatever else is wrong with it: a title in the VIRIN field has not, and takes no
    part in the whole-set rules (VIR002 already reports it)."""
    return isinstance(text, str) and _LENIENT.match(text) is not None


def find_virins(text: str) -> list[VirinMatch]:
    """Every VIRIN-shaped string in ``text`` (captions, titles, file names), in order.

    Look-alikes are not taken: an 8-digit date (20220215-F-...), aircraft serials (86-0123),
    ISO dates, phone numbers and long numeric ids do not have a VIRIN's shape or boundaries.
    The matches are shaped like VIRINs; ``parse_virin`` says whether they are valid.
    """
    return [VirinMatch(m.group(), m.start(), m.end()) for m in _IN_TEXT.finditer(text)]


def virin_in_filename(name: str) -> str | None:
    """The VIRIN in a file name (folders ignored), or None when it has none or several.

    The same VIRIN written twice counts once; two different VIRINs are ambiguous.
    """
    basename = re.split(r"[/\\]", name)[-1]
    found = [m.text for m in find_virins(basename)]
    return found[0] if len({text.upper() for text in found}) == 1 else None


def virin_pattern(tables: CodeTables) -> str:
    """The regular expression (ECMA-262 compatible) of a VIRIN the catalog accepts without error.

    Built from the code tables, in the canonical upper-case form: current and warned-about service
    codes, no placeholder originator, real calendar dates, a non-zero sequence, an assigned
    country. It is stricter than the lenient grammar, which also admits values that get errors.
    """
    services = "".join(sorted(c for c, s in tables.services.items() if _service_error(s) is None))
    placeholders = "|".join(sorted(re.escape(p) for p in tables.originator_placeholders))
    no_placeholder = f"(?!(?:{placeholders})-)" if placeholders else ""
    return (
        f"^{_REAL_DATE}-[{services}]-{no_placeholder}"
        r"(?:[A-Z]{2}[0-9]{3}|[A-Z][0-9]{4}|[0-9]{4}[A-Z])-"
        r"(?:(?!0000)[0-9]{4}[A-Z]?|(?!000)[0-9]{3}[A-Z]?(?:-[0-9]{3})?)"
        f"(?:-(?:{_letter_pairs(tables.countries)}))?$"
    )


def virin_adapter(tables: CodeTables) -> TypeAdapter[str]:
    """The VIRIN string type (pydantic), whose JSON Schema is ``schemas/virin.schema.json``.

    Python's regex engine is required: the pattern uses look-ahead, which pydantic's default
    (Rust) engine lacks.
    """
    dataset = tables.iim.get(OBJECT_NAME)
    virin_string = Annotated[
        str,
        StringConstraints(
            pattern=virin_pattern(tables),
            max_length=dataset.max_bytes if dataset else None,
        ),
        Field(
            title="VIRIN",
            description="Visual Information Record Identification Number "
            "(YYMMDD-S-OOOOO-SSSS[-CC]) in its canonical upper-case form, as the catalog accepts "
            "it without error. Values that pass may still get warnings (3-digit sequence, variant "
            "letter, legacy originator ...); lower case is accepted by the catalog with a warning "
            "and stored upper-cased.",
            examples=["220215-F-DU706-1241", "180515-O-AB123-1001-BE"],
        ),
    ]
    return TypeAdapter(virin_string, config=ConfigDict(regex_engine="python-re"))


# A real calendar date YYMMDD. Leap years are those with YY divisible by 4: under the century
# rule YY=00 is 2000 (a leap year) for any current year from 2000 on.
_REAL_DATE = (
    "(?:[0-9]{2}(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)|02(?:0[1-9]|1[0-9]|2[0-8]))"
    "|(?:[02468][048]|[13579][26])0229)"
)


def _letter_pairs(codes: Iterable[str]) -> str:
    """A compact alternation of two-letter codes: ``B[ADEF]|C[AH]`` ..."""
    seconds: dict[str, list[str]] = defaultdict(list)
    for code in sorted(c for c in codes if re.fullmatch("[A-Z]{2}", c)):
        seconds[code[0]].append(code[1])
    return "|".join(f"{first}[{''.join(rest)}]" for first, rest in seconds.items())


def _missing_or_not_text(value: object) -> Finding:
    if value is None or isinstance(value, str):
        return MISSING.finding("the VIRIN is missing or empty", field=FIELD)
    kind = type(value).__name__
    return MALFORMED.finding(f"a VIRIN is text, not {kind}", field=FIELD, value=repr(value)[:80])


def _length_findings(text: str, tables: CodeTables) -> Iterator[Finding]:
    dataset = tables.iim.get(OBJECT_NAME)
    size = len(text.encode("utf-8", "surrogatepass"))
    if dataset and size > dataset.max_bytes:
        yield TOO_LONG.finding(
            f"the VIRIN field holds {size} bytes, more than the {dataset.max_bytes} of IPTC "
            f"{dataset.name}: {shorten(text)!r}",
            field=FIELD,
            part="length",
            bytes=size,
            limit=dataset.max_bytes,
        )


def _malformed(text: str) -> Finding:
    """VIR002, naming the first field that breaks the lenient grammar."""
    shown = shorten(text)
    if _SEPARATOR_JUNK.search(text):
        return MALFORMED.finding(
            f"{shown!r} is not a VIRIN: its fields must be separated by hyphens, without spaces "
            "or underscores",
            field=FIELD,
            value=shown,
        )
    # The full grammar failed, so when every shorter prefix matches, the last step is to blame.
    last = len(_PREFIXES) - 1
    index = next((i for i, (_, _, p) in enumerate(_PREFIXES[:last]) if not p.match(text)), last)
    part, expected, _ = _PREFIXES[index]
    fields = text.split("-")
    # Field 4 holds the sequence and its variant letter; whatever follows it is the country's.
    written = "-".join(fields[4:]) if part == "country" else _nth(fields, min(index, 3))
    found = f"found {shorten(written)!r}" if written else "found nothing"
    return MALFORMED.finding(
        f"{shown!r} is not a VIRIN: the {part} should be {expected}, {found}",
        field=FIELD,
        part=part,
        value=shown,
        found=written,
    )


def _nth(fields: list[str], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def _resolve_date(date_text: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """The date of field 1 under the century rule, or None and why it is not a date."""
    yy, month, day = int(date_text[:2]), int(date_text[2:4]), int(date_text[4:])
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        return dt.date(year, month, day), None
    except ValueError:
        if not 1 <= month <= 12:
            return None, f"there is no month {month:02d}"
        return None, f"{year}-{month:02d} has no day {day:02d}"


def _virin(text: str, match: re.Match[str], date: dt.date | None, tables: CodeTables) -> Virin:
    normalized = text.upper()
    sequence = match["sequence"]
    four_digits = len(sequence) == 4
    variant_at = match.start("variant")
    service_code = match["service"].upper()
    service = tables.services.get(service_code)
    return Virin(
        text=text,
        normalized=normalized,
        base=normalized
        if variant_at < 0
        else normalized[:variant_at] + normalized[variant_at + 1 :],
        date=date,
        date_text=match["date"],
        service=service_code,
        service_meaning=service.meaning if service else None,
        originator=match["originator"].upper(),
        originator_kind=next(kind for kind in _ORIGINATOR_KINDS if match[kind]),
        sequence=sequence,
        scene=int(sequence[0]) if four_digits else None,
        item=int(sequence[1:]) if four_digits else None,
        variant=match["variant"].upper() if match["variant"] else None,
        country=match["country"].upper() if match["country"] else None,
        subsequence=match["subsequence"],
    )


def _date_findings(virin: Virin, problem: str | None) -> Iterator[Finding]:
    if problem:
        yield DATE_INVALID.finding(
            f"the date {virin.date_text!r} is not a real date (YYMMDD): {problem}",
            field=FIELD,
            part="date",
            value=virin.date_text,
        )
    elif virin.date and virin.date < EARLIEST_PLAUSIBLE:
        yield DATE_EARLY.finding(
            f"the date {virin.date_text!r} reads as {virin.date.isoformat()}, before "
            f"{EARLIEST_PLAUSIBLE.year}",
            field=FIELD,
            part="date",
            value=virin.date_text,
            date=virin.date.isoformat(),
        )


def _check_case(virin: Virin, tables: CodeTables) -> Iterator[Finding]:
    if virin.text != virin.normalized:
        yield LOWER_CASE.finding(
            f"{virin.text!r} is not in upper case; stored as {virin.normalized!r}",
            field=FIELD,
            part="case",
            value=virin.text,
        )


def _service_error(service: Service) -> str | None:
    """Why a service-table entry is no service code, or None when it is one (maybe unofficial)."""
    if service.status == "current" or service.status in _UNOFFICIAL_STATUSES:
        return None
    return service.meaning


def _check_service(virin: Virin, tables: CodeTables) -> Iterator[Finding]:
    code = virin.service
    service = tables.services.get(code)
    if service is None:
        yield SERVICE_INVALID.finding(
            f"the service code {code!r} is not in the service code table",
            field=FIELD,
            part="service",
            value=code,
        )
    elif (why := _service_error(service)) is not None:
        yield SERVICE_INVALID.finding(
            f"{code!r} is not a service code ({why})", field=FIELD, part="service", value=code
        )
    elif service.status in _UNOFFICIAL_STATUSES:
        yield SERVICE_UNOFFICIAL.finding(
            f"the service code {code!r} ({service.meaning}) is "
            f"{_UNOFFICIAL_STATUSES[service.status]}, not an official DoD code",
            field=FIELD,
            part="service",
            value=code,
            status=service.status,
        )


def _check_originator(virin: Virin, tables: CodeTables) -> Iterator[Finding]:
    originator = virin.originator
    if originator in tables.originator_placeholders:
        yield PLACEHOLDER.finding(
            f"the originator {originator!r} is the documentation placeholder, not a photographer",
            field=FIELD,
            part="originator",
            value=originator,
        )
    if virin.originator_kind == "legacy":
        late = virin.date is not None and virin.date >= LEGACY_ID_RETIRED
        when = ", though VISION IDs replaced it before this date (about Nov 2011)" if late else ""
        yield LEGACY_ID.finding(
            f"the originator {originator!r} is a legacy ID holding a fragment of an SSN{when}",
            field=FIELD,
            part="originator",
            value=originator,
        )
    if virin.originator_kind == "dvian" and originator[0] not in tables.dvian_letters:
        yield DVIAN_LETTER.finding(
            f"the DVIAN {originator!r} starts with {originator[0]!r}, which is no DoD component "
            f"letter ({' '.join(sorted(tables.dvian_letters))})",
            field=FIELD,
            part="originator",
            value=originator,
        )


def _check_sequence(virin: Virin, tables: CodeTables) -> Iterator[Finding]:
    sequence = virin.sequence
    if int(sequence) == 0:
        yield SEQUENCE_ZERO.finding(
            f"the sequence {sequence!r} numbers no item",
            field=FIELD,
            part="sequence",
            value=sequence,
        )
    elif virin.scene == 0:
        yield SEQUENCE_LEADING_ZERO.finding(
            f"the sequence {sequence!r} starts with 0, but its first digit is the scene (1-9)",
            field=FIELD,
            part="sequence",
            value=sequence,
        )
    if virin.scene is None:
        yield SEQUENCE_THREE_DIGITS.finding(
            f"the sequence {sequence!r} has 3 digits (the form used until about 2017)",
            field=FIELD,
            part="sequence",
            value=sequence,
        )


def _check_variant(virin: Virin, tables: CodeTables) -> Iterator[Finding]:
    if virin.variant:
        yield VARIANT_SUFFIX.finding(
            f"the letter {virin.variant!r} follows the sequence; base VIRIN {virin.base!r}",
            field=FIELD,
            part="variant",
            value=virin.variant,
            base=virin.base,
        )


def _check_country(virin: Virin, tables: CodeTables) -> Iterator[Finding]:
    country = virin.country
    if country is None:
        return
    if country not in tables.countries:
        yield COUNTRY_UNKNOWN.finding(
            f"the country {country!r} is not an ISO 3166-1 alpha-2 code",
            field=FIELD,
            part="country",
            value=country,
        )
    reasons = []
    if virin.service != "O":
        reasons.append(f"the service code is {virin.service!r}, not 'O'")
    if country == "US":
        reasons.append("'US' is not foreign")
    if reasons:
        yield COUNTRY_UNEXPECTED.finding(
            f"the country {country!r} marks a foreign photographer, but {', and '.join(reasons)}",
            field=FIELD,
            part="country",
            value=country,
        )


_PART_CHECKS: tuple[Callable[[Virin, CodeTables], Iterator[Finding]], ...] = (
    _check_case,
    _check_service,
    _check_originator,
    _check_sequence,
    _check_variant,
    _check_country,
)
