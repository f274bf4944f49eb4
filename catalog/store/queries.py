"""What ``catalog search`` and ``catalog export`` look for: the filters and the result columns.

``Catalog.search``, ``Catalog.count`` and ``Catalog.export_rows`` take a ``Filters``. Every filter
maps to an indexed column (or the full-text index), so queries stay fast on a catalog of millions
of assets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Columns of a search result, in display order.
RESULT_COLUMNS = (
    "sha256",
    "virin",
    "shot_date",
    "photographer_name",
    "release_status",
    "publishable",
    "error_count",
    "warning_count",
    "title",
    "primary_path",
)

#: Above this many full-text matches, results come newest first instead of best first: ranking
#: scores every match (milliseconds per thousand), while newest first stops at the page's end.
RANKED_MATCHES = 1_000

#: How the orders a search can be listed in are named (``catalog search --sort``).
SORTS = ("relevance", "date")

#: Where a matched word begins and ends in a result's snippet: control characters, which stored
#: text shows only escaped (``core.text.printable``), so a caption cannot fake a highlight.
MARK_START, MARK_END = "\x02", "\x03"

#: The best-matching passage of a result (FTS5 ``snippet()`` over whichever column matched best).
SNIPPET_SQL = "snippet(assets_fts, -1, char(2), char(3), '…', 16)"

_TYPED = re.compile(r'"([^"]*)"|(\S+)')


def plain_words(text: str) -> str:
    """What a person types, as an FTS5 query: every word, and every "quoted phrase", matched as
    written, all of them required. ``C-17``, ``F-35`` or ``U.S. Air Force`` are words here, not
    FTS5 operators (a bare ``C-17`` is a syntax error in FTS5, the ``-`` a column filter).
    An empty string when ``text`` holds no word."""
    terms = [phrase or word for phrase, word in _TYPED.findall(text)]
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms if term.strip())


def highlighted(snippet: str) -> list[tuple[str, bool]]:
    """A snippet cut into (text, matched) pieces at its marks, for the shell and the web page to
    highlight each in their own way."""
    pieces = []
    for i, part in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet)):
        if part:
            pieces.append((part, i % 2 == 1))
    return pieces


@dataclass(frozen=True)
class Filters:
    """What to look for. Every field left None does not filter.

    ``text`` uses SQLite FTS5 query syntax over title, caption, credit and keywords (``cargo``,
    ``"security assistance"``, ``airmen AND NOT navy``, ``cargo*``). Dates are ``YYYY-MM-DD`` and
    apply to the shot date; ``photographer`` matches part of the name, any case.
    """

    text: str | None = None
    service: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    photographer: str | None = None
    release_status: str | None = None
    rule: str | None = None
    has_errors: bool | None = None
    publishable: bool | None = None

    def where(self, *, rule_per_asset: bool = False) -> tuple[str, dict[str, Any]]:
        """The SQL condition on ``assets`` and its parameters.

        The rule filter is a list of the rule's assets, or with ``rule_per_asset`` a look-up per
        asset: the faster way to fill a page in date order when the rule found many."""
        clauses, params = [], {}

        def add(clause: str, **values: Any) -> None:
            clauses.append(clause)
            params.update(values)

        if self.text:
            add(
                "assets.id IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH :text)",
                text=self.text,
            )
        if self.service:
            add("assets.virin_service = :service", service=self.service.upper())
        if self.date_from:
            add("assets.shot_date >= :date_from", date_from=self.date_from)
        if self.date_to:
            add("assets.shot_date <= :date_to", date_to=self.date_to)
        if self.photographer:
            add(
                "(assets.photographer_name LIKE :photographer "
                "OR assets.photographer LIKE :photographer)",
                photographer=f"%{self.photographer}%",
            )
        if self.release_status:
            add("assets.release_status = :release COLLATE NOCASE", release=self.release_status)
        if self.rule:
            add(
                "EXISTS (SELECT 1 FROM findings f WHERE f.sha256 = assets.sha256 "
                "AND f.code = :rule)"
                if rule_per_asset
                else "assets.sha256 IN (SELECT sha256 FROM findings WHERE code = :rule)",
                rule=self.rule.upper(),
            )
        if self.has_errors is not None:
            add("assets.error_count > 0" if self.has_errors else "assets.error_count = 0")
        if self.publishable is not None:
            add("assets.publishable = :publishable", publishable=int(self.publishable))
        return (" AND ".join(clauses) or "1"), params
