"""Checks of a whole record: the VIRIN, credit and caption rules together, plus the rules that
need several fields at once (dates that must agree, byte limits, keywords, mandatory fields,
release).

``check_record`` is the one function the importer and the linter call per asset; it is pure, so the
same record always gets the same findings whichever front end asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from catalog.core import caption
from catalog.core.caption import CREDIT_MISSING, check_caption, parse_closing_credit
from catalog.core.codes import CodeTables
from catalog.core.credit import Credit, CreditCheck, check_credit, parse_byline, parse_credit
from catalog.core.findings import Finding, Severity, shorten
from catalog.core.merge import SourcedValue
from catalog.core.mojibake import find_mojibake, repaired
from catalog.core.record import AssetRecord, field_locations, iim_dataset
from catalog.core.release import ReleaseDecision, Unusable, decide_release
from catalog.core.rule import Rule, define
from catalog.core.text import printable, unusual_characters
from catalog.core.virin import VirinCheck, parse_virin

REQUIRED_FIELD_MISSING = define(
    "REC001",
    "required-field-missing",
    Severity.ERROR,
    "A field the submission profile requires is empty.",
    explanation="""
DINFOS and DVIDS require, for every submitted image: VIRIN, date shot, caption, keywords,
base/location, country, release instructions and the photographer's rank and name. The `dvids`
profile (`--profile dvids`) requires all of them; the default profile relies on the VIRIN, caption
and credit rules alone. Profiles are listed in schemas/tables/profiles.toml.""",
    good="Country: United States, City: Travis Air Force Base",
    bad="Country: (empty)",
    fix="Fill in the field before submission.",
)
VALUE_TOO_LONG = define(
    "REC002",
    "iim-value-too-long",
    Severity.ERROR,
    "A value is longer than its IPTC-IIM dataset allows.",
    explanation="""
The DoD ingest cuts IPTC-IIM values at the dataset's byte limit (schemas/tables/iim_limits.toml),
so an over-long value loses its end - DoD's own example is a By-line cut to "Mass Communications
Specialist Jo". The length counted is the UTF-8 encoding, which is how IIM values are written with
the UTF-8 character-set marker: a non-ASCII letter takes two bytes or more.""",
    good="By-line: SrA Karla Parra (22 bytes)",
    bad="By-line: Mass Communication Specialist 2nd Class Jonathan Doe (56 bytes, limit 32)",
    fix="Shorten the value: use the service abbreviation of the rank in the By-line.",
)
TOO_MANY_KEYWORDS = define(
    "REC003",
    "too-many-keywords",
    Severity.WARNING,
    "More than 6 keywords.",
    explanation="""
The DVIDS submission checklist allows at most 6 keywords; extra keywords are dropped on ingest.""",
    good="Keywords: C-17; cargo; Ukraine; Travis AFB",
    bad="Keywords: ten loosely related words",
    fix="Keep the 6 most useful keywords.",
)
PHOTOGRAPHER_IN_KEYWORDS = define(
    "REC004",
    "photographer-in-keywords",
    Severity.WARNING,
    "The photographer's name is used as a keyword.",
    explanation="""
The DVIDS checklist forbids the photographer's name among the keywords: it belongs in the By-line
and the credit line, and as a keyword it pollutes subject searches.""",
    good="Keywords: C-17; cargo",
    bad="Keywords: C-17; Karla Parra",
    fix="Remove the name from the keywords.",
)
DATE_CREATED_MISMATCH = define(
    "REC005",
    "date-created-differs-from-virin",
    Severity.ERROR,
    "Date Created differs from the VIRIN date.",
    explanation="""
The first field of a VIRIN is the date the image was shot, and IPTC Date Created must be that same
date (spec section 4). A difference means one of them is wrong, and searches by date will
disagree with the identifier.""",
    good="VIRIN 220215-F-DU706-1241, Date Created 2022-02-15",
    bad="VIRIN 220215-F-DU706-1241, Date Created 2022-02-14",
    fix="Find the true shot date and correct the other value (a new VIRIN means a new file name).",
)
EXIF_DATE_MISMATCH = define(
    "REC006",
    "exif-date-differs",
    Severity.WARNING,
    "EXIF DateTimeOriginal is more than one day from the shot date.",
    explanation="""
DVIDS uses the EXIF date as the shot date. The camera clock may run in another time zone, so one
day of difference from the VIRIN date (or Date Created) is tolerated; more than that suggests a
wrong camera clock or a wrong VIRIN.""",
    good="VIRIN 220215-..., DateTimeOriginal 2022:02:14 23:10:00",
    bad="VIRIN 220215-..., DateTimeOriginal 2021:02:15 10:00:00",
    fix="Check the camera clock; correct DateTimeOriginal or the VIRIN date.",
)

UNUSUAL_CHARACTERS = define(
    "REC007",
    "text-control-characters",
    Severity.WARNING,
    "A text field holds control characters or bidirectional overrides.",
    explanation="""
No caption, credit or keyword needs a control character (NUL, escape, bell ...) other than tab and
line ends, nor the Unicode embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
reorder how text is displayed: right-to-left names need at most the marks U+200E/U+200F. They come
from a damaged file or from someone trying to spoof a value (a bidirectional override shows
"gpj.exe" as "exe.jpg") or to attack whoever displays it (an escape sequence rewrites a terminal,
some tools cut text at a NUL). The catalog keeps the value exactly as given and shows every such
character as a visible escape in all its outputs.""",
    good="Caption: Airmen load cargo ... Feb. 14, 2022.",
    bad="Caption: 'Airmen load cargo' then ESC [ 2 J (clears a terminal); a credit holding U+202E",
    fix="Rewrite the value without the characters (exiftool -Caption-Abstract=... ).",
)

MOJIBAKE = define(
    "REC008",
    "text-mojibake",
    Severity.WARNING,
    "A text field holds mojibake: characters decoded with the wrong character set.",
    explanation="""
Text that went through a tool with the wrong character set comes out damaged: UTF-8 read as
Windows-1252 ("CafÃ©" for "Café", "â€™" for an apostrophe), Windows-1252 read as Mac Roman ("the
Armyís" for "the Army’s"), Mac Roman read as Latin-1 ("the unitÕs"), or an apostrophe a converter
could not write ("the world?s"). Published that way it reads as a typo on an official page and
breaks searches for the words. The finding names the likely intended text; the catalog keeps the
value as given.""",
    good="Caption: The Army’s newest cadets report to West Point, Café Lane, N.Y.",
    bad="Caption: The Armyís newest cadets report to West Point, CafÃ© Lane, N.Y.",
    fix="Re-enter the text from its source in UTF-8, or apply the repair the finding names.",
)
CLOSING_CREDIT_DIFFERS = define(
    "CAP007",
    "caption-credit-differs-from-credit",
    Severity.WARNING,
    "The caption's closing credit names another photographer or service than the credit field.",
    explanation="""
The closing credit of the caption and the credit field (IPTC Credit, a page's "Photo by:" line)
describe the same image, so they should name the same photographer and service. When they differ,
one was copied from another image or names the uploader rather than the photographer, and a
reader cannot tell who made the picture. Middle initials and rank spellings are not compared.""",
    good="Caption ends '(U.S. Army photo by Sgt. Jane Doe)', credit 'Photo by: Sgt. Jane Doe'",
    bad="Caption ends '(U.S. Army photo by Sgt. Jane Doe)', credit 'Photo by: Spc. John Roe'",
    fix="Find which credit is right and correct the other.",
)
CLOSING_CREDIT_KIND = define(
    "CAP008",
    "caption-credit-kind-not-still",
    Severity.WARNING,
    "The caption of a still image closes with a credit for a video or another motion product.",
    explanation="""
A still's caption that closes "(U.S. Army video by ...)" was copied from the video the still
belongs to, or the still is a frame grab credited as video. Only photo and photo illustration (and
courtesy photos, graphics and artwork) describe a still (schemas/tables/credit_kinds.toml). When the
credit field itself is the credit checked, its kind is checked by CRD003; this rule covers the
caption's own closing line.""",
    good="... Feb. 14, 2022. (U.S. Army photo by Sgt. Jane Doe)",
    bad="... Feb. 14, 2022. (U.S. Army video by Sgt. Jane Doe)",
    fix='Correct the closing credit to "photo by", or credit the still as a video still if it is '
    "a frame from the video.",
)

_LOCATIONS = field_locations()
#: Fields whose length has a rule of their own (VIR016, CAP005), so REC002 does not repeat it.
_OWN_LENGTH_RULE = frozenset({"virin", "caption"})
#: Keywords a DVIDS record keeps; more are cut by the ingest (REC003).
KEYWORDS_KEPT = 6


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """Everything the rules found out about one record."""

    virin: VirinCheck
    credit: CreditCheck
    release: ReleaseDecision
    findings: tuple[Finding, ...]


def check_record(
    record: AssetRecord,
    *,
    profile: str = "default",
    release_statuses: Iterable[str | Unusable | None] | None = None,
    classifications: Iterable[str | Unusable | None] | None = None,
    texts: Iterable[SourcedValue] | None = None,
    tables: CodeTables,
    today: dt.date,
    selected: AbstractSet[str] | None = None,
    sources: Mapping[str, str] | None = None,
) -> RecordCheck:
    """Apply every per-record rule, or only the ``selected`` codes' (None: every rule).

    ``sources`` maps each field to the label of the source its value was taken from (the merge's
    ``sources``): the IIM byte limits (REC002) then apply only to values read from IIM or to be
    written to it (``record.iim_dataset``), and the caption's closing credit (CAP004) is not
    asked for where a web page prints the credit on a line of its own. Without it every value is
    taken for IIM, as before sources were known.

    ``release_statuses`` and ``classifications`` are every value any source gave (so that the most
    restrictive one wins, and a source that could not be used counts); ``texts`` every text value
    of every source, searched for classification markings. They default to the record's own. The
    VIRIN, credit and release are always parsed and decided - the record's parts and its
    publishability depend on them - but a check whose every rule is unselected is not run at all,
    and no finding of an unselected rule is returned: an unselected rule costs nothing.
    """
    virin = parse_virin(record.virin, tables=tables, today=today)
    shot = virin.virin.date if virin.virin else None
    # Each credit line is parsed once here: the rules below compare the parts.
    closing = parse_closing_credit(record.caption, tables=tables) if record.caption else None
    given = parse_credit(record.credit, tables=tables) if record.credit else None
    checked = _credit_to_check(record.credit, given, closing)
    credit = check_credit(
        checked,
        virin_service=virin.virin.service if virin.virin else None,
        tables=tables,
    )
    release = decide_release(
        [record.release_instructions] if release_statuses is None else release_statuses,
        [record.classification] if classifications is None else classifications,
        texts=_record_texts(record) if texts is None else texts,
        has_gps=record.has_gps,
        tables=tables,
    )
    checks: tuple[tuple[frozenset[str], Callable[[], Iterable[Finding]]], ...] = (
        (_CAPTION_CODES, lambda: _caption_findings(record, shot, tables, sources)),
        (_codes(DATE_CREATED_MISMATCH, EXIF_DATE_MISMATCH), lambda: _date_findings(record, shot)),
        (_codes(VALUE_TOO_LONG), lambda: _length_findings(record, tables, sources)),
        (
            _codes(TOO_MANY_KEYWORDS, PHOTOGRAPHER_IN_KEYWORDS),
            lambda: _keyword_findings(record, credit, tables),
        ),
        (_codes(UNUSUAL_CHARACTERS), lambda: _unusual_character_findings(record)),
        (_codes(MOJIBAKE), lambda: _mojibake_findings(record)),
        (
            _codes(CLOSING_CREDIT_DIFFERS, CLOSING_CREDIT_KIND),
            lambda: _closing_credit_findings(record, closing, given, checked, tables),
        ),
        (_codes(REQUIRED_FIELD_MISSING), lambda: _required_findings(record, profile, tables)),
    )
    findings = [
        *virin.findings,
        *credit.findings,
        *(f for codes, run in checks if selected is None or codes & selected for f in run()),
        *release.findings,
    ]
    if selected is not None:
        findings = [f for f in findings if f.code in selected]
    return RecordCheck(virin, credit, release, tuple(findings))


def _record_texts(record: AssetRecord) -> list[SourcedValue]:
    """The record's own text values: the texts searched for markings when none are given."""
    return [
        SourcedValue(name, "record", value)
        for name, value in record.model_dump().items()
        if isinstance(value, str | list)
    ]


def _codes(*rules: Rule) -> frozenset[str]:
    return frozenset(rule.code for rule in rules)


_CAPTION_CODES = _codes(*caption.RULES)


def _credit_to_check(text: str | None, given: Credit | None, closing: Credit | None) -> str | None:
    """The credit line to check: the IPTC Credit ``text`` when it is one (``given`` parsed), else
    the caption's closing line.

    IPTC Credit sometimes holds a unit or an agency rather than a credit line (spec section 2), so a
    Credit that does not parse gives way to a caption closing line that does.
    """
    if text and (given or not closing):
        return text
    return closing.text if closing else text


def _date_findings(record: AssetRecord, shot: dt.date | None) -> list[Finding]:
    findings = []
    if shot and record.date_created and record.date_created != shot:
        findings.append(
            DATE_CREATED_MISMATCH.finding(
                f"Date Created {record.date_created} but the VIRIN says {shot}",
                field="date_created",
                date_created=record.date_created.isoformat(),
                virin_date=shot.isoformat(),
            )
        )
    reference = shot or record.date_created
    exif = record.date_time_original
    if reference and exif and abs((exif.date() - reference).days) > 1:
        findings.append(
            EXIF_DATE_MISMATCH.finding(
                f"EXIF DateTimeOriginal {exif.isoformat(sep=' ')} is more than one day from "
                f"the shot date {reference}",
                field="date_time_original",
                date_time_original=exif.isoformat(),
                shot_date=reference.isoformat(),
            )
        )
    return findings


def _caption_findings(
    record: AssetRecord, shot: dt.date | None, tables: CodeTables, sources: Mapping[str, str] | None
) -> list[Finding]:
    """The caption rules; no closing credit asked for (CAP004) where the page that gave the
    caption prints the credit on its own line (the same article block gave both)."""
    findings = check_caption(record.caption, virin_date=shot, tables=tables)
    given = sources or {}
    caption_source = given.get("caption", "")
    apart = caption_source.startswith("article:") and given.get("credit") == caption_source
    return [f for f in findings if not (apart and f.code == CREDIT_MISSING.code)]


def _length_findings(
    record: AssetRecord, tables: CodeTables, sources: Mapping[str, str] | None
) -> list[Finding]:
    findings = []
    for field, location in _LOCATIONS.items():
        limits = [tables.iim[tag].max_bytes for tag in location.iptc if tag in tables.iim]
        value = getattr(record, field)
        if not limits or value is None or field in _OWN_LENGTH_RULE:
            continue
        if sources is not None and field in sources and not iim_dataset(field, sources[field]):
            continue  # article, manifest or JSON-sidecar text: never IIM (REC002's scope)
        limit = max(limits)
        for text in value if isinstance(value, list) else [value]:
            size = len(text.encode("utf-8")) if isinstance(text, str) else 0
            if size > limit:
                findings.append(
                    VALUE_TOO_LONG.finding(
                        f"{field} is {size} bytes, its IPTC dataset holds {limit}: "
                        f"it would be cut to {_cut(text, limit)!r}",
                        field=field,
                        value=text,
                        bytes=size,
                        limit=limit,
                    )
                )
    return findings


def _texts(record: AssetRecord) -> Iterator[tuple[str, str]]:
    """Every text value of the record with its field, list fields (keywords) item by item."""
    for field in _LOCATIONS:
        value = getattr(record, field)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                yield field, text


def _unusual_character_findings(record: AssetRecord) -> list[Finding]:
    findings = []
    for field, text in _texts(record):
        found = unusual_characters(text)
        if found:
            shown = ", ".join(printable(char) for char in found)
            findings.append(
                UNUSUAL_CHARACTERS.finding(
                    f"{field} holds {shown}: shown escaped, kept as given",
                    field=field,
                    characters=[f"U+{ord(char):04X}" for char in found],
                )
            )
    return findings


def _mojibake_findings(record: AssetRecord) -> list[Finding]:
    findings = []
    for field, text in _texts(record):
        damage = find_mojibake(text)
        if damage:
            shown = ", ".join(f"{run.damaged!r} -> {run.intended!r}" for run in damage)
            findings.append(
                MOJIBAKE.finding(
                    f"{field} holds mojibake ({shown}); likely meant: "
                    f"{shorten(repaired(text, damage))!r}",
                    field=field,
                    damaged=[run.damaged for run in damage],
                    intended=[run.intended for run in damage],
                )
            )
    return findings


def _closing_credit_findings(
    record: AssetRecord,
    closing: Credit | None,
    given: Credit | None,
    checked: str | None,
    tables: CodeTables,
) -> list[Finding]:
    """The caption's closing credit against the credit field (``given``), and its kind on a
    still; nothing when the closing line is the credit checked (CRD rules cover it)."""
    if closing is None or checked == closing.text:
        return []
    closing_text = closing.text
    findings = []
    kind = tables.credit_kind(closing.kind)
    if kind is not None and not kind.still:
        findings.append(
            CLOSING_CREDIT_KIND.finding(
                f"the caption closes with a {closing.kind!r} credit: {shorten(closing_text)!r}",
                field="caption",
                part="credit",
                kind=closing.kind,
            )
        )
    differences = _credit_differences(closing, given, tables) if given else []
    if differences:
        findings.append(
            CLOSING_CREDIT_DIFFERS.finding(
                f"the caption credits {shorten(closing_text)!r} but the credit field says "
                f"{shorten(record.credit or '')!r} (different {' and '.join(differences)})",
                field="credit",
                differences=differences,
            )
        )
    return findings


def _credit_differences(first: Credit, second: Credit, tables: CodeTables) -> list[str]:
    differences = []
    if first.name and second.name and not _same_person(first, second):
        differences.append("photographer")
    services = [tables.services.get(c.service) for c in (first, second) if c.service]
    if len(services) == 2 and services[0] and services[1]:
        one, other = services
        if not one.credited_like(other):
            differences.append("service")
    return differences


def _same_person(first: Credit, second: Credit) -> bool:
    """Whether either credit names the other's photographer: by surname, so that "John W. Doe" and
    "John Doe" agree, and so does a credit that names two people, one of them this one."""
    return any(
        one.name.split()[-1].casefold() in other.text.casefold()
        for one, other in ((first, second), (second, first))
        if one.name
    )


def _cut(text: str, limit: int) -> str:
    """What a byte-limited IIM reader keeps of ``text`` (never half a character)."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def _keyword_findings(
    record: AssetRecord, credit: CreditCheck, tables: CodeTables
) -> list[Finding]:
    findings = []
    if len(record.keywords) > KEYWORDS_KEPT:
        findings.append(
            TOO_MANY_KEYWORDS.finding(
                f"{len(record.keywords)} keywords, at most {KEYWORDS_KEPT} are kept",
                field="keywords",
                count=len(record.keywords),
            )
        )
    names = _photographer_names(record, credit, tables)
    for keyword in record.keywords:
        if keyword.strip().casefold() in names:
            findings.append(
                PHOTOGRAPHER_IN_KEYWORDS.finding(
                    f"keyword {keyword!r} is the photographer's name",
                    field="keywords",
                    keyword=keyword,
                )
            )
    return findings


def _photographer_names(record: AssetRecord, credit: CreditCheck, tables: CodeTables) -> set[str]:
    names = set()
    byline = parse_byline(record.photographer, tables=tables) if record.photographer else None
    if byline and byline.name:
        names.add(byline.name.casefold())
    if credit.credit and credit.credit.name:
        names.add(credit.credit.name.casefold())
    return names


def _required_findings(record: AssetRecord, profile: str, tables: CodeTables) -> list[Finding]:
    try:
        required = tables.profiles[profile]
    except KeyError:
        known = ", ".join(sorted(tables.profiles))
        raise ValueError(f"unknown profile {profile!r} (known: {known})") from None
    return [
        REQUIRED_FIELD_MISSING.finding(
            f"{' or '.join(alternatives)} is required by the {profile} profile",
            field=alternatives[0],
            profile=profile,
        )
        for alternatives in required
        if not any(getattr(record, field) for field in alternatives)
    ]
