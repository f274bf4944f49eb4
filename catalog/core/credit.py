"""Credit lines and By-lines: parse them into their parts, and check them (spec section 3).

A credit line names what the imagery is (photo, photo illustration, video ...), the organization
that credits it, and the maker: an optional service, a rank or civilian title, a name, a unit.
DoD writes it in several shapes, all handled by one grammar::

    [Credit:] [(] [organization] kind (by | / | of | :) maker [/Released] [)] [(disclosure)]
    [Credit:] [organization] rank name                   (the web form, "Credit: Air Force ...")

where ``maker`` is ``[service] [rank] name [, unit]``, or for "courtesy of" an organization.
Ranks, credited names and kinds come from the code tables (``schemas/tables/ranks.toml``,
``services.toml``, ``credit_kinds.toml``); only the grammar lives here. Parsing never raises: text
that fits no shape gives None, and ``check_credit`` turns that into a finding.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from catalog.core.codes import CodeTables, Rank, lookup_key
from catalog.core.findings import Finding, Severity, shorten
from catalog.core.rule import define

FIELD = "credit"

#: Longer text is not a credit line (IPTC Credit holds 32 bytes; a closing line with its
#: disclosure stays far below this), and refusing it keeps every pattern linear on hostile input.
MAX_CREDIT_CHARS = 1_000
_MAX_PERSON_WORDS = 16
_MAX_ORGANIZATION_WORDS = 8

MISSING = define(
    "CRD001",
    "credit-missing",
    Severity.ERROR,
    "There is no credit line.",
    explanation="""
Every official image is credited to its maker: the DINFOS and DVIDS checklists require the
photographer's rank and name, and the DoD Visual Information Style Guide ends every caption with a
credit line. Without one, a published image is unattributed and its VIRIN service code cannot be
checked against anything.""",
    good="U.S. Air Force photo by Senior Airman Karla Parra",
    bad="(empty IPTC Credit and no closing credit line in the caption)",
    fix="Write the credit into IPTC Credit (2:110) and end the caption with it in parentheses.",
)
UNPARSEABLE = define(
    "CRD002",
    "credit-unparseable",
    Severity.WARNING,
    "The credit line fits none of the shapes DoD uses.",
    explanation="""
The catalog reads a credit line as kind, organization, rank, name and unit, in any of the shapes DoD
publishes (spec section 3). A credit that fits none of them may still be right, but its parts
cannot be checked or indexed, and it is often a unit name or a note typed into the wrong field.""",
    good="U.S. Army photo by Sgt. Trey Martin, 55th Signal Company",
    bad="photographer unknown, see caption",
    fix='Rewrite it as "<Service> photo by <Rank> <Name>", e.g. "U.S. Navy photo by Mass '
    'Communication Specialist 2nd Class John Doe".',
)
KIND_NOT_STILL = define(
    "CRD003",
    "credit-kind-not-still",
    Severity.ERROR,
    "A still image is credited as something other than a photo or photo illustration.",
    explanation="""
For still images only "photo" and "photo illustration" are allowed (spec section 3); a courtesy
photo or file photo is still a photo. A still credited as video, graphic or illustration was either
credited from another product (the video it was grabbed from) or is altered imagery, which must be
called a "photo illustration" and disclosed: undisclosed alteration is prohibited. The allowed
kinds are listed in schemas/tables/credit_kinds.toml.""",
    good="(U.S. Air Force photo illustration by Staff Sgt. Jane Doe) (Background blurred)",
    bad="U.S. Air Force graphic by Staff Sgt. Jane Doe (on a JPEG photograph)",
    fix='Credit the still as "photo", or as "photo illustration" with a disclosure if it was '
    "altered.",
)
SERVICE_MISMATCH = define(
    "CRD004",
    "credit-service-mismatch",
    Severity.WARNING,
    "The credited service is not the service code of the VIRIN.",
    explanation="""
VIRIN field 2 is the photographer's affiliation, and the credit names the same service in the usual
case. The two legitimately differ when photographers shoot for another service's unit, so this is
only a warning (spec section 3). National Guard photographers (VIRIN Z) credited "U.S. Army" or
"U.S. Air Force" are normal practice and not reported (services.toml `credited_as`); courtesy
imagery is not compared at all, because its credited organization only distributes it.""",
    good="220215-F-DU706-1241 with U.S. Air Force photo by Senior Airman Karla Parra",
    bad="220215-F-DU706-1241 with U.S. Navy photo by Senior Airman Karla Parra",
    fix="Check which is wrong: the VIRIN service code or the credited organization.",
)
RANK_NOT_IN_SERVICE = define(
    "CRD005",
    "credit-rank-not-in-service",
    Severity.WARNING,
    "The rank in the credit is not one the credited service uses.",
    explanation="""
Rank titles differ by service: Senior Airman is Air Force, Lance Cpl. Marine Corps, Sgt. 1st Class
Army, Petty Officer Navy and Coast Guard (schemas/tables/ranks.toml). A rank the credited service
does not use usually means the wrong organization was credited, but photographers do shoot for
other services' units ("U.S. Space Force photo by Senior Airman ..." is real), so this is a
warning. When the credit names the photographer's own service before the rank ("DoD photo by Navy
Petty Officer ..."), that service is the one compared; organizations without ranks (DoD) are not
compared.""",
    good="U.S. Army photo by Sgt. 1st Class John Doe",
    bad="U.S. Army photo by Senior Airman John Doe",
    fix="Correct the credited organization or the rank.",
)

_LABEL = re.compile(r"(?:photo\s+)?credit\s*:\s*", re.IGNORECASE)
_RELEASED = re.compile(r"\s*/\s*released\s*$", re.IGNORECASE)
_WORD = r"[^\W\d_](?:[^\W\d_]|['’.\-])*"
_NAME = re.compile(rf"{_WORD}(?: {_WORD}){{0,5}}")
_NAME_SUFFIX = re.compile(r"(?:Jr|Sr|II|III|IV)\.?", re.IGNORECASE)
_ARTICLE = re.compile(r"\Athe\s+", re.IGNORECASE)
_DEPTH = {")": 1, "(": -1}


@dataclass(frozen=True, slots=True)
class Credit:
    """A parsed credit line; every part as written except ``rank`` (canonical) and ``service``.

    ``affiliation`` is the photographer's own service when the credit names one besides the
    crediting organization ("DoD photo by *Navy* Petty Officer ...").
    """

    text: str
    kind: str | None = None
    organization: str | None = None
    service: str | None = None
    rank: str | None = None
    rank_as_written: str | None = None
    name: str | None = None
    unit: str | None = None
    released: bool = False
    disclosure: str | None = None
    affiliation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Byline:
    """An IPTC By-line: rank (canonical title and as written), name, services using the rank."""

    rank: str | None
    rank_as_written: str | None
    name: str
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CreditCheck:
    """The parsed credit (None when missing or not understood) and what the rules found."""

    credit: Credit | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class _Maker:
    """The ``[service] [rank] name [, unit]`` part of a credit line."""

    service: str | None
    ranks: tuple[Rank, ...]
    rank_as_written: str | None
    name: str
    unit: str | None


def parse_credit(text: str | None, *, tables: CodeTables) -> Credit | None:
    """The parts of a credit line, or None when ``text`` is not a credit line this understands."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_CREDIT_CHARS:
        return None
    body = text.strip()
    label = _LABEL.match(body)
    body = body[label.end() :] if label else body
    body, released_outside = _strip_released(body)
    body, disclosure = _split_disclosure(body)
    body, released_inside = _strip_released(body)
    credit = _kind_form(body, tables) or _web_form(body, bool(label), tables)
    if credit is None:
        return None
    return _finish(
        credit,
        text=text.strip(),
        released=released_outside or released_inside,
        disclosure=disclosure,
        tables=tables,
    )


def parse_byline(text: str | None, *, tables: CodeTables) -> Byline | None:
    """Rank and name from an IPTC By-line ("SrA Karla Parra", "MC2 John Doe"), or None."""
    if not isinstance(text, str) or len(text) > MAX_CREDIT_CHARS:
        return None
    maker = _maker(text, tables)
    if maker is None:
        return None
    return Byline(_title(maker.ranks), maker.rank_as_written, maker.name, _services(maker.ranks))


def check_credit(
    text: str | None,
    *,
    virin_service: str | None = None,
    still: bool = True,
    tables: CodeTables,
) -> CreditCheck:
    """Parse and check one credit line.

    ``virin_service`` is the service code of the record's VIRIN (field 2), when known; ``still``
    says the record is a still image (the kinds allowed for motion and audio are not checked).
    """
    if not isinstance(text, str) or not text.strip():
        return CreditCheck(None, (MISSING.finding("there is no credit line", field=FIELD),))
    credit = parse_credit(text, tables=tables)
    if credit is None:
        finding = UNPARSEABLE.finding(
            f"credit line {shorten(text)!r} fits none of the DoD credit shapes",
            field=FIELD,
            credit=text,
        )
        return CreditCheck(None, (finding,))
    findings = (
        *_kind_findings(credit, still, tables),
        *_service_findings(credit, virin_service, tables),
        *_rank_findings(credit, tables),
    )
    return CreditCheck(credit, findings)


def trailing_group(text: str) -> int | None:
    """Where the parenthesized group that ends ``text`` opens, or None (no group, unbalanced)."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += _DEPTH.get(text[index], 0)
        if depth == 0:
            return index
    return None


# -- the grammar -------------------------------------------------------------------------------


def _strip_released(body: str) -> tuple[str, bool]:
    match = _RELEASED.search(body)
    return (body[: match.start()], True) if match else (body, False)


def _split_disclosure(body: str) -> tuple[str, str | None]:
    """Drop the credit's own parentheses; a group after the credit is its disclosure."""
    start = trailing_group(body)
    if start is None:
        return body, None
    if start == 0:
        return body[1:-1].strip(), None
    disclosure = body[start + 1 : -1].strip() or None
    body = body[:start].rstrip()
    if trailing_group(body) == 0:
        body = body[1:-1].strip()
    return body, disclosure


def _kind_pattern(tables: CodeTables) -> re.Pattern[str]:
    return _compile_kind_pattern(tuple(tables.credit_kinds))


@lru_cache(maxsize=16)
def _compile_kind_pattern(spellings: tuple[str, ...]) -> re.Pattern[str]:
    """``[organization] kind [separator maker]``, kinds from the table, longest first."""
    longest_first = sorted(spellings, key=len, reverse=True)
    kinds = "|".join(r"\s+".join(map(re.escape, s.split())) for s in longest_first)
    return re.compile(
        rf"(?P<org>.*?)\s*\b(?P<kind>{kinds})\b"
        r"(?:\s*(?:(?P<sep>by|of)\b\s*:?|[/:])\s*(?P<maker>.+?))?\s*",
        re.IGNORECASE | re.DOTALL,
    )


def _kind_form(body: str, tables: CodeTables) -> Credit | None:
    match = _kind_pattern(tables).fullmatch(body)
    if match is None:
        return None
    organization = match["org"].strip() or None
    if organization and len(organization.split()) > _MAX_ORGANIZATION_WORDS:
        return None
    kind = tables.credit_kinds[lookup_key(match["kind"])]
    credit = Credit(body, kind=kind.name, organization=organization)
    if match["maker"] is None:
        return credit
    maker = _maker(match["maker"], tables)
    if (match["sep"] or "").casefold() == "of":
        return _courtesy_source(credit, kind.courtesy, match["maker"], maker)
    return None if maker is None else _with_maker(credit, maker)


def _courtesy_source(
    credit: Credit, courtesy: bool, source: str, maker: _Maker | None
) -> Credit | None:
    """ "Photo courtesy of X": X is a person only when a rank or title says so, else an
    organization (courtesy imagery mostly comes from organizations, and guessing personhood from
    capitalization is unreliable)."""
    if not courtesy:
        return None
    if maker is not None and maker.rank_as_written:
        return _with_maker(credit, maker)
    if credit.organization:
        return None
    return replace(credit, organization=_ARTICLE.sub("", source).strip())


def _web_form(body: str, labelled: bool, tables: CodeTables) -> Credit | None:
    """ "Air Force Senior Airman Karla Parra": a rank is needed, or the "Credit:" label."""
    maker = _maker(body, tables)
    if maker is None or not (maker.rank_as_written or labelled):
        return None
    return _with_maker(Credit(body), maker)


def _maker(text: str, tables: CodeTables) -> _Maker | None:
    """``[service] [rank] name [, unit]``; None when what is left for the name is no name."""
    head, unit = _split_unit(text)
    words = head.split()
    if not 0 < len(words) <= _MAX_PERSON_WORDS:
        return None
    start, count, ranks = _find_rank(words, tables)
    name = " ".join(words[start + count :])
    if not _NAME.fullmatch(name):
        return None
    return _Maker(
        " ".join(words[:start]) or None,
        ranks,
        " ".join(words[start : start + count]) or None,
        name,
        unit,
    )


def _split_unit(text: str) -> tuple[str, str | None]:
    """Name and unit are separated by the first comma, unless a name suffix follows it (AP writes
    "John Doe Jr.", so "John Doe, Jr." becomes that)."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 1 and _NAME_SUFFIX.fullmatch(parts[1]):
        parts[0:2] = [f"{parts[0]} {parts[1]}"]
    return parts[0], ", ".join(parts[1:]) or None


def _find_rank(words: list[str], tables: CodeTables) -> tuple[int, int, tuple[Rank, ...]]:
    """Where the rank starts (first word, or after a credited service name), its length, entries.

    A shorter rank that leaves a name beats a longer one that leaves none ("Sgt. Maj" is Sgt. Maj,
    a surname); a rank that takes every word leaves an empty name, which is no maker at all.
    """
    for start in range(len(words)):
        if start and tables.service_credited(" ".join(words[:start])) is None:
            continue
        count, ranks = tables.leading_rank(words[start:])
        if count and start + count == len(words):
            shorter = tables.leading_rank(words[start:-1])
            count, ranks = shorter if shorter[0] else (count, ranks)
        if count:
            return start, count, ranks
    return 0, 0, ()


def _with_maker(credit: Credit, maker: _Maker) -> Credit:
    """Add the maker; its service is the organization unless the credit names one already."""
    return replace(
        credit,
        organization=credit.organization or maker.service,
        affiliation=maker.service if credit.organization else None,
        rank=_title(maker.ranks),
        rank_as_written=maker.rank_as_written,
        name=maker.name,
        unit=maker.unit,
    )


def _finish(
    credit: Credit, *, text: str, released: bool, disclosure: str | None, tables: CodeTables
) -> Credit:
    """Set the verbatim text and tails, and resolve the organization to a service code.

    With no organization before the kind, a unit that is a credited name is the organization:
    "Photo by Marvin Lynchard, DOD".
    """
    organization, unit = credit.organization, credit.unit
    if organization is None and unit and tables.service_credited(unit):
        organization, unit = unit, None
    service = tables.service_credited(organization) if organization else None
    return replace(
        credit,
        text=text,
        organization=organization,
        unit=unit,
        service=service.code if service else None,
        released=released,
        disclosure=disclosure,
    )


def _title(ranks: tuple[Rank, ...]) -> str | None:
    return ranks[0].title if ranks else None


def _services(ranks: tuple[Rank, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for rank in ranks for code in rank.services))


# -- the rules ---------------------------------------------------------------------------------


def _kind_findings(credit: Credit, still: bool, tables: CodeTables) -> list[Finding]:
    kind = tables.credit_kinds.get(lookup_key(credit.kind)) if credit.kind else None
    if not still or kind is None or kind.still:
        return []
    allowed = sorted({k.name for k in tables.credit_kinds.values() if k.still})
    return [
        KIND_NOT_STILL.finding(
            f"a still image is credited as {credit.kind!r}; allowed: {', '.join(allowed)}",
            field=FIELD,
            part="kind",
            kind=credit.kind,
            allowed=allowed,
        )
    ]


def _service_findings(
    credit: Credit, virin_service: str | None, tables: CodeTables
) -> list[Finding]:
    if not virin_service or credit.service is None:
        return []
    kind = tables.credit_kinds.get(lookup_key(credit.kind)) if credit.kind else None
    virin = tables.services.get(virin_service.upper())
    if (kind and kind.courtesy) or credit.service == virin_service.upper():
        return []
    if virin is not None and credit.service in virin.credited_as:
        return []
    return [
        SERVICE_MISMATCH.finding(
            f"the credit names {credit.organization} ({credit.service}) but the VIRIN service "
            f"code is {virin_service.upper()}",
            field=FIELD,
            part="service",
            credit_service=credit.service,
            virin_service=virin_service.upper(),
            organization=credit.organization,
        )
    ]


def _rank_findings(credit: Credit, tables: CodeTables) -> list[Finding]:
    named = credit.affiliation or credit.organization
    service = tables.service_credited(named) if named else None
    if service is None or not credit.rank_as_written:
        return []
    rank_services = _services(tables.ranks_named(credit.rank_as_written))
    has_ranks = any(service.code in rank.services for rank in tables.ranks)
    if not rank_services or not has_ranks or service.code in rank_services:
        return []
    return [
        RANK_NOT_IN_SERVICE.finding(
            f"{credit.rank_as_written} is not a rank of {named} ({service.code}); it is used by "
            f"{', '.join(rank_services)}",
            field=FIELD,
            part="rank",
            rank=credit.rank,
            rank_as_written=credit.rank_as_written,
            service=service.code,
            rank_services=list(rank_services),
        )
    ]
