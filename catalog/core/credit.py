"""Credit lines and By-lines: parse them into their parts, and check them (spec section 3).

A credit line names what the imagery is (photo, photo illustration, video ...), the organization
that credits it, and the maker: an optional service, a rank or civilian title, a name, a unit.
DoD writes it in several shapes, all handled by one grammar::

    [label] [(] [organization] kind [by | / | of | from | :] maker [release] [)] [(disclosure)]
    [label] [organization] rank name                     (the web form, "Credit: Air Force ...")
    [label] maker / organization [/ unit]                (reversed, "Jane Doe / U.S. Navy")
    name, medium, size                                   (artwork, "Jane Doe, oil, 14 x 18")

where ``label`` is ``Credit:``, ``Photo credit:``, ``Photo Caption:`` or a leading ``by``;
``maker`` is ``[service] [retired] [rank] name [, unit]`` (a second person after "and" is dropped),
or for courtesy imagery an organization; ``release`` is any release tail DoD prints (``/Released``,
``, Released``, ``(RELEASED)``, a glued ``NameReleased``). A maker that is an organization or
"Unknown" ("Photo by: U.S. Coast Guard") is no person: the credit says the photographer is
unknown.
Ranks, credited names and kinds come from the code tables (``schemas/tables/ranks.toml``,
``services.toml``, ``credit_kinds.toml``); only the grammar lives here. Parsing never raises: text
that fits no shape gives None, and ``check_credit`` turns that into a finding.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from catalog.core.codes import CodeTables, CreditKind, Rank, Service, lookup_key
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
For still images the spec allows "photo" and "photo illustration" (section 3); a courtesy photo or
file photo is still a photo, and DoD publishes graphics, illustrations and artwork as still
products in their own right, credited as what they are (published practice wins here). A still
credited as video, video still or audio was credited from another product (the video it was
grabbed from). An altered photograph must be called a "photo illustration" and disclosed:
undisclosed alteration is prohibited. The allowed kinds are listed in
schemas/tables/credit_kinds.toml.""",
    good="(U.S. Air Force photo illustration by Staff Sgt. Jane Doe) (Background blurred)",
    bad="U.S. Air Force video by Staff Sgt. Jane Doe (on a JPEG photograph)",
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

PHOTOGRAPHER_UNKNOWN = define(
    "CRD006",
    "credit-photographer-unknown",
    Severity.WARNING,
    'The credit has an organization or "Unknown" where the photographer\'s name belongs.',
    explanation="""
DoD credits name the photographer: the DINFOS and DVIDS checklists require rank and name. Web forms
and CMS footers fill the name slot with what they have instead - the service, an organization's
"photo", or "Unknown". Read as a person, that would index a photographer called "U.S. Coast
Guard"; the catalog reads it as "photographer unknown" and says so, because an unattributed
official image usually means the name was lost on the way, and the original file or the desk that
published it still knows it.""",
    good="Photo by: Petty Officer 3rd Class Jane Doe",
    bad="Photo by: U.S. Coast Guard",
    fix="Find the photographer in the original file's By-line (IPTC 2:80) or ask the publishing "
    "desk, and credit rank and name.",
)

_LABEL = re.compile(
    r"(?:(?:photo\s+)?credit|photo\s+caption)\s*:\s*|by\b\s*:?\s*(?=\S)", re.IGNORECASE
)
#: Release tails: "/Released", ", Released", " Released", and glued to a surname, "DoeReleased"
#: (capital R after a lower-case letter). "(Released)" is a group of its own (see parse_credit).
_RELEASED = re.compile(r"(?:\s*[/,]\s*|\s+)(?i:released)\s*\.?\s*$|(?<=[a-z])Released\s*\.?\s*$")
#: What follows the kind: a separator ("by", "by:", "by/", "of", "from", "/", ":") or none.
_AFTER_KIND = re.compile(
    r"\s*(?:(?P<sep>by|of|from)\b\s*[:/]?|(?P<slash>[/:]))?\s*(?P<maker>.*)",
    re.IGNORECASE | re.DOTALL,
)
#: An organization that starts with its own kind: "Photo taken by U.S. Navy" (a doubled credit),
#: "Photo illustration -- original DoD" (an illustration of a DoD photo); and "Official USMC".
_ORGANIZATION_LEAD = re.compile(
    r"(?P<kind>.+?)\s*(?:\btaken\s+by\b|\bby\b|--|[—–:])\s*(?:original\s+)?|official\s+",
    re.IGNORECASE,
)
_MAKER_LEAD = re.compile(r"(?:story\s+|written\s+)?by\b\s*:?\s*", re.IGNORECASE)
_INITIAL = re.compile(r"[A-Z]\.")
_RETIRED = frozenset({"retired", "ret.", "ret"})
#: Warfare qualification after a Navy rate: "MC1(AW)", "JO1 (SW/AW)".
_WARFARE_DEVICE = re.compile(r"\s*\([A-Z]{2,4}(?:/[A-Z]{2,4})*\)")
#: "Jane Doe, oil on canvas, 14 x 18": a work of art, credited to its artist.
_ARTWORK = re.compile(
    r"(?P<name>[^,]+),\s*[a-z][a-z ]*,\s*\d+(?:\.\d+)?\s*[x×]\s*\d+(?:\.\d+)?[^,]*"
)
#: What a photographer's name field holds when nobody knows the photographer.
_UNKNOWN = frozenset({"unknown", "n/a", "na", "none", "not available", "unknown photographer"})
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
    photographer_unknown: bool = False

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
    body = " ".join(text.split())
    label = _LABEL.match(body)
    body = body[label.end() :] if label else body
    body, released_outside = _strip_released(_strip_stop(body))
    body, disclosure = _split_disclosure(body)
    released_group = disclosure is not None and _is_release(disclosure, tables)
    organization_group = disclosure is not None and tables.service_credited(disclosure)
    disclosure = None if released_group or organization_group else disclosure
    body, released_inside = _strip_released(_strip_stop(body.strip("[]")))
    named = bool(label or organization_group)  # "Jane Doe (U.S. Navy)" is a credit line
    credit = (
        _kind_form(body, tables)
        or _slash_form(body, named, tables)
        or _web_form(body, named, tables)
        or _artwork_form(body)
    )
    if credit is None:
        return None
    if organization_group and credit.organization is None:
        credit = replace(credit, organization=disclosure_text(text))
    return _finish(
        credit,
        text=text.strip(),
        released=released_outside or released_inside or released_group,
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
        *_unknown_findings(credit),
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


def disclosure_text(text: str) -> str:
    """The text of the parenthesized group ending ``text`` ("Jane Doe (U.S. Navy)" -> U.S. Navy)."""
    body = _strip_stop(text.strip())
    start = trailing_group(body)
    return body if start is None else body[start + 1 : -1].strip()


def _strip_stop(body: str) -> str:
    """Drop a final full stop ("U.S. Coast Guard photo.", "Jane Doe."), but not one that ends an
    initial or a name suffix ("John Q.", "John Doe Jr.")."""
    body = body.rstrip()
    if not body.endswith("."):
        return body
    last = body[:-1].split()[-1:] or [""]
    if len(last[0].strip("()")) <= 1 or _NAME_SUFFIX.fullmatch(last[0] + "."):
        return body
    return body[:-1].rstrip()


def _strip_released(body: str) -> tuple[str, bool]:
    match = _RELEASED.search(body)
    return (body[: match.start()].rstrip(), True) if match else (body, False)


def _is_release(text: str, tables: CodeTables) -> bool:
    term = tables.release_term(text)
    return term is not None and term.public


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
    """The kinds of the table as whole words, longest first."""
    longest_first = sorted(spellings, key=len, reverse=True)
    kinds = "|".join(r"\s+".join(map(re.escape, s.split())) for s in longest_first)
    return re.compile(rf"\b(?P<kind>{kinds})\b", re.IGNORECASE)


def _kind_form(body: str, tables: CodeTables) -> Credit | None:
    """``[organization] kind [separator] maker``: the first kind word that gives a credit.

    A later kind word can be the real one: in "Photo taken by U.S. Navy photo by ..." the first
    "Photo" is followed by no maker.
    """
    for match in _kind_pattern(tables).finditer(body):
        credit = _kind_candidate(body, match, tables)
        if credit is not None:
            return credit
    return None


def _kind_candidate(body: str, match: re.Match[str], tables: CodeTables) -> Credit | None:
    kind = tables.credit_kinds[lookup_key(match["kind"])]
    organization, lead = _organization(body[: match.start()].strip(), tables)
    if organization and len(organization.split()) > _MAX_ORGANIZATION_WORDS:
        return None
    after = _AFTER_KIND.fullmatch(body, match.end())
    if after is None:  # pragma: no cover - the pattern matches any text
        return None
    credit = Credit(body, kind=(lead or kind).name, organization=organization)
    source = after["maker"].strip()
    sep = (after["sep"] or after["slash"] or "").casefold()
    if not source:
        return None if sep in {"by", "of", "from"} else credit  # "photo by" cut off before a name
    if sep in {"of", "from"} or (kind.courtesy and sep):
        return _courtesy_source(credit, kind.courtesy, source, tables)
    unknown = _unknown_maker(credit, source, tables)
    if unknown is not None:
        return unknown
    maker = _maker(source, tables)
    if maker is None or not (sep or maker.rank_as_written):
        return None  # "photo" followed by words that are no maker, or no rank without a "by"
    return _with_maker(credit, maker)


def _organization(text: str, tables: CodeTables) -> tuple[str | None, CreditKind | None]:
    """The organization before the kind, without a leading kind of its own or "Official"."""
    lead = _ORGANIZATION_LEAD.match(text)
    if lead is None:
        return text or None, None
    kind = tables.credit_kind(lead["kind"])
    if lead["kind"] and kind is None:
        return text or None, None
    return text[lead.end() :].strip() or None, kind


def _unknown_maker(credit: Credit, source: str, tables: CodeTables) -> Credit | None:
    """The credit when its maker is no person: "Unknown", an organization ("Photo by: U.S. Coast
    Guard"), or an organization's kind-only credit ("Photo by: DoD Photo")."""
    if lookup_key(source) in _UNKNOWN:
        return replace(credit, photographer_unknown=True)
    if tables.service_credited(source):
        return replace(
            credit, organization=credit.organization or source, photographer_unknown=True
        )
    inner = next(_kind_pattern(tables).finditer(source), None)
    if inner is not None and inner.end() == len(source):
        organization = source[: inner.start()].strip()
        if organization and tables.service_credited(organization):
            return replace(
                credit, organization=credit.organization or organization, photographer_unknown=True
            )
    return None


def _courtesy_source(
    credit: Credit, courtesy: bool, source: str, tables: CodeTables
) -> Credit | None:
    """ "Photo courtesy of X": X is a person when a rank or title says so, people when the name
    has a middle initial or a word such as "family" (organizations.toml ``people``), as printed
    ("the Doe family", "John Q. Doe"), else an organization: courtesy imagery mostly comes from
    organizations, and capitalization cannot tell "Lockheed Martin" from a person."""
    if not courtesy:
        return None
    maker = _maker(source, tables)
    if maker is not None and maker.rank_as_written:
        return _with_maker(credit, maker)
    plain = _ARTICLE.sub("", source).strip()
    words = {lookup_key(word) for word in plain.split()}
    person = maker is not None and (
        bool(words & tables.people_words) or any(_INITIAL.fullmatch(w) for w in plain.split())
    )
    if not person:
        return None if credit.organization else replace(credit, organization=plain)
    return replace(credit, name=source)


def _slash_form(body: str, labelled: bool, tables: CodeTables) -> Credit | None:
    """The reversed forms: "Jane Doe / U.S. Navy", "U.S. Navy / Lt. Cmdr. Jane Doe", "PO2 Jane
    Doe/U.S. Navy/DoD", "Jane Doe / Arlington National Cemetery". The first credited service is
    the organization, the first other part the maker, what remains its unit or place."""
    parts = [part.strip() for part in body.split("/") if part.strip()]
    if len(parts) < 2:
        return None
    organizations = [part for part in parts if tables.service_credited(part)]
    others = [part for part in parts if part not in organizations]
    if not others:
        return None
    maker = _maker(others[0], tables)
    if maker is None or not (maker.rank_as_written or labelled or organizations):
        return None
    credit = _with_maker(Credit(body, organization=next(iter(organizations), None)), maker)
    unit = ", ".join(filter(None, (maker.unit, *others[1:]))) or None
    return replace(credit, unit=unit)


def _web_form(body: str, labelled: bool, tables: CodeTables) -> Credit | None:
    """ "Air Force Senior Airman Karla Parra": a rank is needed, or a label."""
    maker = _maker(body, tables)
    if maker is None or not (maker.rank_as_written or labelled):
        return None
    return _with_maker(Credit(body), maker)


def _artwork_form(body: str) -> Credit | None:
    match = _ARTWORK.fullmatch(body)
    name = match["name"].strip() if match else None
    return Credit(body, kind="artwork", name=name) if name and _NAME.fullmatch(name) else None


def _maker(text: str, tables: CodeTables) -> _Maker | None:
    """``[service] [retired] [rank] name [, unit]``; None when what is left is no name."""
    lead = _MAKER_LEAD.match(text)
    head, unit = _split_unit(_WARFARE_DEVICE.sub("", text[lead.end() :] if lead else text))
    words = head.split()
    if words and words[0].casefold() in _RETIRED:
        words = words[1:]
    if not 0 < len(words) <= _MAX_PERSON_WORDS:
        return None
    start, count, ranks = _find_rank(words, tables)
    name = _first_person(" ".join(words[start + count :]))
    if not _NAME.fullmatch(name):
        return None
    return _Maker(
        " ".join(words[:start]) or None,
        ranks,
        " ".join(words[start : start + count]) or None,
        name,
        unit,
    )


def _first_person(name: str) -> str:
    """A credit naming two people ("Maj. John Doe and Jane Doe") is kept as its first."""
    return re.split(r"\s+(?:and|&)\s+", name, maxsplit=1)[0]


def _split_unit(text: str) -> tuple[str, str | None]:
    """Name and unit (or place) are separated by the first comma or slash, unless a name suffix
    follows it (AP writes "John Doe Jr.", so "John Doe, Jr." becomes that)."""
    parts = [part.strip() for part in re.split(r"[,/]", text)]
    if len(parts) > 1 and _NAME_SUFFIX.fullmatch(parts[1]):
        parts[0:2] = [f"{parts[0]} {parts[1]}"]
    unit = _strip_stop(", ".join(filter(None, parts[1:]))) or None
    return parts[0], unit


def _find_rank(words: list[str], tables: CodeTables) -> tuple[int, int, tuple[Rank, ...]]:
    """Where the rank starts (first word, or after the photographer's service), its length, entries.

    The service before a rank is a credited service name, or a foreign one that starts with an
    acronym ("ROK Army Maj. ..."). A shorter rank that leaves a name beats a longer one that
    leaves none ("Sgt. Maj" is Sgt. Maj, a surname); a rank that takes every word leaves an empty
    name, which is no maker at all.
    """
    for start in range(len(words)):
        prefix = " ".join(words[:start])
        if start and not (tables.service_credited(prefix) or _foreign_service(words[:start])):
            continue
        count, ranks = tables.leading_rank(words[start:])
        if count and start + count == len(words):
            shorter = tables.leading_rank(words[start:-1])
            count, ranks = shorter if shorter[0] else (count, ranks)
        if count:
            return start, count, ranks
    return 0, 0, ()


def _foreign_service(words: list[str]) -> bool:
    """ "ROK Army", "RAF": an acronym first, then at most two capitalized words."""
    first = words[0].replace(".", "")
    return len(first) >= 2 and first.isalpha() and first.isupper() and len(words) <= 3


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
    "Photo by Marvin Lynchard, DOD". The service code is None when the organization only
    distributes the imagery (courtesy), and when the photographer's own service, printed or
    pinned by the rank, conflicts with it ("DoD photo by Navy Petty Officer ...", "DoD photo by
    Sgt. 1st Class ..."): the VIRIN then carries the photographer's code, not the organization's.
    """
    organization, unit = credit.organization, credit.unit
    if organization is None and unit and tables.service_credited(unit):
        organization, unit = unit, None
    service = tables.service_credited(organization) if organization else None
    kind = tables.credit_kind(credit.kind)
    if (kind is not None and kind.courtesy) or _own_service_conflicts(credit, service, tables):
        service = None
    return replace(
        credit,
        text=text,
        organization=organization,
        unit=unit,
        service=service.code if service else None,
        released=released,
        disclosure=disclosure,
    )


def _own_service_conflicts(credit: Credit, service: Service | None, tables: CodeTables) -> bool:
    if service is None:
        return False
    if credit.affiliation:
        own = tables.service_credited(credit.affiliation)
        return own is None or not own.credited_like(service)
    if not credit.rank_as_written or tables.has_ranks(service.code):
        return False
    rank_services = _services(tables.ranks_named(credit.rank_as_written))
    return bool(rank_services)


def _title(ranks: tuple[Rank, ...]) -> str | None:
    return ranks[0].title if ranks else None


def _services(ranks: tuple[Rank, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for rank in ranks for code in rank.services))


# -- the rules ---------------------------------------------------------------------------------


def _unknown_findings(credit: Credit) -> list[Finding]:
    if not credit.photographer_unknown:
        return []
    named = credit.organization or "no one (Unknown)"
    return [
        PHOTOGRAPHER_UNKNOWN.finding(
            f"the credit names {named} where the photographer's name belongs: photographer unknown",
            field=FIELD,
            part="name",
            organization=credit.organization,
        )
    ]


def _kind_findings(credit: Credit, still: bool, tables: CodeTables) -> list[Finding]:
    kind = tables.credit_kind(credit.kind)
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
    kind = tables.credit_kind(credit.kind)
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
    if not rank_services or not tables.has_ranks(service.code) or service.code in rank_services:
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
