"""Typed code tables: services, DVIAN letters, countries, ranks, release vocabulary, IIM limits.

The tables are data (``schemas/tables/*.toml``), not code, because the DoD sources disagree and
units differ: a unit that treats ``X`` as an official service code changes a data file or its
configuration, never the rules. This module turns the raw TOML mappings into frozen, typed tables;
reading the files is the job of ``catalog.schemas``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class Service:
    """A VIRIN service code (field 2)."""

    code: str
    meaning: str
    status: str  # current | provisional | obsolete | invalid
    credit_names: tuple[str, ...] = ()
    credited_as: tuple[str, ...] = ()  # codes a credit may name instead (Z: "Army", "Air Force")
    state_prefix: bool = False  # a state may precede a credit name ("Alaska National Guard")

    def credited_like(self, other: Service) -> bool:
        """Whether a credit naming one may mean the other: they share a code or a
        ``credited_as`` (Z is credited "U.S. Army", so Z and A agree)."""
        return bool({self.code, *self.credited_as} & {other.code, *other.credited_as})


@dataclass(frozen=True, slots=True)
class Rank:
    """A rank or title as it appears in credit lines and By-lines.

    ``title`` is the canonical AP-style title DoD uses (``Senior Airman``); ``abbreviations`` are
    the other spellings met in the wild (``SrA``, ``SRA``); ``services`` are the service codes that
    use the rank (empty for civilian titles such as ``Mr.``).
    """

    title: str
    abbreviations: tuple[str, ...]
    services: tuple[str, ...]
    grade: str | None = None
    years: str | None = None  # when the title was in use, for ratings no longer given ("1942-2006")


@dataclass(frozen=True, slots=True)
class CreditKind:
    """What a credit line says the imagery is: "photo", "photo illustration", "video" ...

    ``still``: allowed in the credit of a still image; ``courtesy``: made outside the crediting
    organization, which only distributes it.
    """

    name: str
    still: bool
    courtesy: bool = False


@dataclass(frozen=True, slots=True)
class Term:
    """A release or classification term with its aliases."""

    canonical: str
    aliases: tuple[str, ...]
    public: bool  # release: may be published; classification: not restrictive


@dataclass(frozen=True, slots=True)
class IimDataset:
    """An IPTC-IIM dataset the catalog reads, with its byte limit."""

    tag: str  # "2:05"
    name: str
    max_bytes: int
    repeatable: bool = False


def normalize_term(text: str) -> str:
    """The one normalization applied to release and classification values before lookup.

    NFKC, surrounding white space and one trailing full stop removed, inner white space collapsed,
    case folded. Anything else (a typo, extra words) stays unmatched and therefore not public.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if text.endswith("."):
        text = text[:-1]
    return " ".join(text.split()).casefold()


_ORDINAL_WORDS = {"first": "1st", "second": "2nd", "third": "3rd"}


def lookup_key(text: str) -> str:
    """The one normalization applied to rank spellings, credited names and credit kinds.

    NFKC, full stops dropped ("Sgt." = "Sgt", "U.S." = "US"), white space collapsed, case folded,
    and the ordinal words First, Second and Third read as AP writes them, so that "Sergeant First
    Class" and "Sergeant 1st Class" are one spelling.
    """
    words = unicodedata.normalize("NFKC", text).replace(".", "").casefold().split()
    return " ".join(_ORDINAL_WORDS.get(word, word) for word in words)


@dataclass(frozen=True)
class CodeTables:
    """All code tables, immutable once loaded."""

    services: Mapping[str, Service]
    dvian_letters: Mapping[str, str]
    originator_placeholders: frozenset[str]
    countries: Mapping[str, str]
    ranks: tuple[Rank, ...]
    release: Mapping[str, Term]  # normalized alias -> term
    classification: Mapping[str, Term]  # normalized alias -> term
    iim: Mapping[str, IimDataset]  # dataset tag ("2:05") -> dataset
    profiles: Mapping[str, tuple[tuple[str, ...], ...]]  # profile -> required field alternatives
    credit_kinds: Mapping[str, CreditKind]  # lookup_key of a spelling -> kind
    states: frozenset[str] = frozenset()  # lookup keys of state names (organizations.toml)
    people_words: frozenset[str] = frozenset()  # lookup keys of words naming people ("family")

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> CodeTables:
        """Build the tables from the merged TOML documents (see ``catalog.schemas``)."""
        services = {
            code.upper(): Service(
                code.upper(),
                entry["meaning"],
                entry["status"],
                tuple(entry.get("credit_names", ())),
                tuple(c.upper() for c in entry.get("credited_as", ())),
                bool(entry.get("state_prefix", False)),
            )
            for code, entry in raw.get("services", {}).items()
        }
        ranks = tuple(
            Rank(
                entry["title"],
                tuple(entry.get("abbreviations", ())),
                tuple(entry.get("services", ())),
                entry.get("grade"),
                entry.get("years"),
            )
            for entry in raw.get("ranks", {}).values()
        )
        iim = {
            tag: IimDataset(
                tag,
                entry["name"],
                int(entry["max_bytes"]),
                bool(entry.get("repeatable", False)),
            )
            for tag, entry in raw.get("datasets", {}).items()
        }
        organizations = raw.get("organizations", {})
        return cls(
            services=MappingProxyType(services),
            dvian_letters=MappingProxyType(
                {k.upper(): v for k, v in raw.get("dvian_letters", {}).items()}
            ),
            originator_placeholders=frozenset(
                p.upper() for p in raw.get("originator", {}).get("placeholders", ())
            ),
            countries=MappingProxyType({k.upper(): v for k, v in raw.get("countries", {}).items()}),
            ranks=ranks,
            release=MappingProxyType(_terms(raw.get("release", {}), "public", True)),
            classification=MappingProxyType(
                _terms(raw.get("classification", {}), "restrictive", False)
            ),
            iim=MappingProxyType(iim),
            profiles=MappingProxyType(
                {
                    name: tuple(tuple(alternatives) for alternatives in entry["required"])
                    for name, entry in raw.get("profiles", {}).items()
                }
            ),
            credit_kinds=MappingProxyType(_credit_kinds(raw.get("credit_kinds", {}))),
            states=frozenset(lookup_key(s) for s in organizations.get("states", ())),
            people_words=frozenset(lookup_key(w) for w in organizations.get("people", ())),
        )

    def release_term(self, text: str | None) -> Term | None:
        """The release term ``text`` names after normalization, or None when it names none."""
        return None if text is None else self.release.get(normalize_term(text))

    def classification_term(self, text: str | None) -> Term | None:
        """The classification marking ``text`` names after normalization, or None."""
        return None if text is None else self.classification.get(normalize_term(text))

    def credit_kind(self, spelling: str | None) -> CreditKind | None:
        """The credit kind ``spelling`` names ("Photo", "photo-illustration"), or None."""
        return self.credit_kinds.get(lookup_key(spelling)) if spelling else None

    def has_ranks(self, service: str) -> bool:
        """Whether the rank table gives the service code ``service`` any rank (DoD has none)."""
        return service in self._ranked_services

    def ranks_named(self, spelling: str) -> tuple[Rank, ...]:
        """The rank entries ``spelling`` names (several when grades differ by service: Capt.)."""
        return self._rank_index.get(lookup_key(spelling), ())

    def leading_rank(self, words: Sequence[str]) -> tuple[int, tuple[Rank, ...]]:
        """How many leading ``words`` spell a rank, longest spelling first, and its entries.

        ``(0, ())`` when the words start with no rank.
        """
        for count in range(min(len(words), self._rank_words), 0, -1):
            ranks = self.ranks_named(" ".join(words[:count]))
            if ranks:
                return count, ranks
        return 0, ()

    def service_credited(self, name: str) -> Service | None:
        """The service a credit line means by ``name`` ("U.S. Air Force" -> F), or None.

        A state before the credit name of a service that allows it is that service: "Alaska
        National Guard" -> Z.
        """
        key = lookup_key(name)
        service = self._credit_names.get(key)
        if service is not None:
            return service
        words = key.split()
        for count in range(1, min(len(words), 4)):
            rest = self._credit_names.get(" ".join(words[count:]))
            if rest and rest.state_prefix and " ".join(words[:count]) in self.states:
                return rest
        return None

    # Indexes derived from the tables, built on first use (the dataclass is frozen, not slotted).

    @cached_property
    def _rank_index(self) -> Mapping[str, tuple[Rank, ...]]:
        index: dict[str, tuple[Rank, ...]] = {}
        for rank in self.ranks:
            for key in {lookup_key(s) for s in (rank.title, *rank.abbreviations)} - {""}:
                index[key] = (*index.get(key, ()), rank)
        return MappingProxyType(index)

    @cached_property
    def _ranked_services(self) -> frozenset[str]:
        return frozenset(code for rank in self.ranks for code in rank.services)

    @cached_property
    def _rank_words(self) -> int:
        return max((len(key.split()) for key in self._rank_index), default=0)

    @cached_property
    def _credit_names(self) -> Mapping[str, Service]:
        return MappingProxyType(
            {lookup_key(n): s for s in self.services.values() for n in s.credit_names}
        )


def _credit_kinds(entries: Mapping[str, Any]) -> dict[str, CreditKind]:
    """Index credit kinds by the lookup key of their name and of every alias."""
    index = {}
    for name, entry in entries.items():
        kind = CreditKind(
            lookup_key(name), bool(entry.get("still", False)), bool(entry.get("courtesy", False))
        )
        for spelling in (name, *entry.get("aliases", ())):
            index[lookup_key(spelling)] = kind
    return index


def _terms(entries: Mapping[str, Any], flag: str, public_when: bool) -> dict[str, Term]:
    """Index terms by every normalized alias (and the canonical name itself)."""
    index: dict[str, Term] = {}
    for canonical, entry in entries.items():
        term = Term(
            canonical,
            tuple(entry.get("aliases", ())),
            bool(entry.get(flag, not public_when)) is public_when,
        )
        for alias in (canonical, *term.aliases):
            index[normalize_term(alias)] = term
    return index
