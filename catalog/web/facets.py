"""The catalog's facets for Datasette: counted by the writer, not at every page view.

A facet of Datasette's counts its column over the table's rows at each page view: at a million
assets a facet takes seconds and Datasette leaves it off the page when it times out. A catalog
keeps those counts in ``summary_counts`` (its writer's triggers, in the same transaction as the
rows), so the facets here read them when the page shows the whole table (a keyset ``_next``
page too: it pages through the same table), and run Datasette's own facet on a filtered page,
whose rows are the filter's and need counting.

* ``summary``: a column facet (an array facet for ``keywords``), configured as
  ``{"summary": "column"}``; selecting a value filters as Datasette's facet of that kind does,
  but for a keyword of the assets: ``_keyword=word`` (``keyword_filter``), which finds the assets
  through the keywords table's index where ``keywords__arraycontains`` reads every asset.
* ``year``: counts by the year of an ISO date column. Datasette's own ``date`` facet counts by
  day, too fine for a catalog that spans decades. It groups by the first four characters of a
  ``YYYY-MM-DD`` value, and selecting a year filters with Datasette's own
  ``column__startswith=YYYY``, so the selection is a plain table filter that the filter bar shows
  and removes like any other. Configured as ``{"year": "shot_date"}``.
* ``status``: the ``summary`` facet plus one entry, "no status", counting the rows whose value is
  NULL and selecting them with Datasette's own ``column__isnull=1`` filter. Datasette's column
  facet leaves NULL out, so a release facet would hide every asset whose release status is
  missing, unknown or in conflict - the very assets a desk must look at. Configured as
  ``{"status": "release_status"}``.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Callable
from functools import partial
from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet, Facet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from catalog.store.catalog import Catalog

#: (table, column) -> the Datasette facet kind it is, and the desk summary facet (schema 008)
#: that counts it with the part of its rows that is the value (``Catalog.summary_facet``).
_SUMMARIES: dict[tuple[str, str], tuple[type[Facet], str, str]] = {
    ("assets", "virin_service_name"): (ColumnFacet, "asset_service", "detail"),
    ("assets", "release_status"): (ColumnFacet, "asset_release", "key"),
    ("assets", "photographer_name"): (ColumnFacet, "asset_photographer", "key"),
    ("assets", "keywords"): (ArrayFacet, "keyword", "key"),
    ("keywords", "keyword"): (ColumnFacet, "keyword", "key"),
    ("findings", "code"): (ColumnFacet, "rule", "key"),
    ("findings", "severity"): (ColumnFacet, "severity", "key"),
    ("findings", "field"): (ColumnFacet, "finding_field", "key"),
    ("locations", "status"): (ColumnFacet, "location_status", "key"),
}

#: The assets table's filter by keyword (``?_keyword=word``, repeated for several words).
KEYWORD_ARG = "_keyword"


def keyword_filter(request: Any, table: str) -> FilterArguments | None:
    """The assets with each ``_keyword`` the page asks for (the keyword facet's links), or None
    for a page that asks for none."""
    words = request.args.getlist(KEYWORD_ARG) if table == "assets" else []
    if not words:
        return None
    params = {f"catalog_keyword_{i}": word for i, word in enumerate(words)}
    return FilterArguments(
        [Catalog.keyword_condition(name) for name in params],
        params,
        [f'keyword is "{word}"' for word in words],
    )


#: Datasette's filter of an array column: the keyword facet's links before ``_keyword``.
OLD_KEYWORD_ARG = "keywords__arraycontains"


def keyword_query(query_string: str) -> str | None:
    """The query string of an assets page filtered by ``keywords__arraycontains=word`` with the
    filter as ``?_keyword=word`` (every other parameter kept, in order), for a redirect: the
    filter reads every asset's JSON (2 s at a million, its facets timing out), and Datasette
    applies it before any plugin hook could answer it through the keywords table's index.
    None unless the query has exactly one such filter."""
    pairs = urllib.parse.parse_qsl(query_string, keep_blank_values=True)
    if [name for name, _ in pairs].count(OLD_KEYWORD_ARG) != 1:
        return None
    return urllib.parse.urlencode(
        [(KEYWORD_ARG if name == OLD_KEYWORD_ARG else name, value) for name, value in pairs]
    )


def _filtered(request: Any) -> bool:
    """Whether the table page shows a filter's rows rather than the whole table (sorting,
    paging, sizes and facet choices do not filter)."""
    return any(
        not key.startswith("_")
        or key in ("_where", "_through", KEYWORD_ARG)
        or key.startswith(("_search", "_filter"))
        for key in request.args
    )


async def _summary(facet: Facet, read: Callable[[Catalog], Any]) -> Any:
    """What ``read`` takes from the summaries for an unfiltered page; None when the page is
    filtered or the file keeps no summaries (a public catalog)."""
    if _filtered(facet.request):
        return None

    def summarized(conn: Any) -> Any:
        catalog = Catalog(conn)
        return read(catalog) if catalog.has_summaries else None

    return await facet.ds.get_database(facet.database).execute_fn(summarized)


#: The assets' facets ``Catalog.asset_facets_sql`` counts, by name (a column, or what it counts).
_ASSET_FACETS = frozenset(
    {
        *Catalog.ASSET_FACET_COLUMNS,
        Catalog.ASSET_KEYWORDS,
        Catalog.ASSET_YEARS,
        Catalog.ASSETS_WITHOUT_STATUS,
    }
)
#: Where a page's facets keep their shared count of the assets (in the request's ASGI scope).
_PAGE_COUNTS = "catalog.asset_facet_counts"


async def _asset_counts(facet: Facet, name: str) -> list[tuple] | None:
    """(value, count) of one facet of the assets over the page's rows, for a page the summaries
    do not answer (a filtered page, a public file); None for another table or facet.

    The page's facets (three classes) share one query, ``Catalog.asset_facets_sql``, started by
    the first to ask and kept in the request's scope; past Datasette's facet time limit it
    raises ``QueryInterrupted`` to each of them."""
    if facet.table != "assets" or name not in _ASSET_FACETS:
        return None
    scope = facet.request.scope
    if _PAGE_COUNTS not in scope:
        scope[_PAGE_COUNTS] = asyncio.ensure_future(_count_assets(facet))
    return (await scope[_PAGE_COUNTS]).get(name, [])


async def _count_assets(facet: Facet) -> dict[str, list[tuple]]:
    sql = Catalog.asset_facets_sql(facet.sql, facet.get_facet_size() + 1)
    counts: dict[str, list[tuple]] = {}
    for name, value, count in (await _run(facet, sql)).rows:
        counts.setdefault(name, []).append((value, count))
    return counts


class SummaryFacet(Facet):
    type = "summary"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        size = self.get_facet_size()
        for config in self.get_configs():
            column = _column(config)
            kind, summary, by = _SUMMARIES.get((self.table, column), (ColumnFacet, "", "key"))
            count = partial(Catalog.summary_facet, facet=summary, by=by, limit=size + 1)
            try:
                rows = await _summary(self, count) if summary else None
                if rows is None:
                    rows = await _asset_counts(self, column)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = KEYWORD_ARG if (self.table, column) == ("assets", "keywords") else column
            if rows is None:  # Datasette's own facet of that kind counts the rows
                found, missed = await self._datasette_facet(kind, config).facet_results()
                if key == KEYWORD_ARG:  # its entries select the keyword as this facet's do
                    for facet in found:
                        facet["results"] = [
                            _entry(self, key, str(e["value"]), e["label"], e["count"])
                            for e in facet["results"]
                        ]
                results += found
                timed_out += missed
                continue
            hide = self.ds.urls.path(
                path_with_removed_args(self.request, {f"_facet_{self.type}": column})
            )
            # shown as Datasette's facet of that kind is
            results.append(_result(self, config, kind.type, hide, key, rows, size))
        return results, timed_out

    def _datasette_facet(self, kind: type[Facet], config: dict[str, Any]) -> Facet:
        class Configured(kind):  # Datasette's facet, given this one configuration
            def get_configs(self) -> list[dict[str, Any]]:
                return [config]

        # The table's settings are ``metadata`` on 0.65, ``table_config`` on 1.0: positional.
        settings = getattr(self, "metadata", None) or getattr(self, "table_config", None)
        return Configured(
            self.ds,
            self.request,
            self.database,
            self.sql,
            self.table,
            self.params,
            settings,
            self.row_count,
        )


class YearFacet(Facet):
    type = "year"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        size = self.get_facet_size()
        for config in self.get_configs():
            column = _column(config)
            try:
                rows = await self._years(column, size + 1)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            hide = path_with_removed_args(self.request, {"_facet_year": column})
            results.append(
                _result(self, config, self.type, hide, f"{column}__startswith", rows, size)
            )
        return results, timed_out

    async def _years(self, column: str, limit: int) -> list[tuple]:
        """(year, count) of the page's rows, newest first: for the assets' shot dates from the
        summaries or the page's shared count, for another column by a query of its own."""
        if (self.table, column) == ("assets", "shot_date"):
            rows = await _summary(self, lambda c: c.year_counts(limit))
            return rows if rows is not None else await _asset_counts(self, Catalog.ASSET_YEARS)
        year = f"substr({escape_sqlite(column)}, 1, 4)"
        sql = (
            f"SELECT {year} AS value, count(*) AS count FROM ({self.sql}) "
            f"WHERE {escape_sqlite(column)} GLOB '[0-9][0-9][0-9][0-9]-*' "
            f"GROUP BY value ORDER BY value DESC LIMIT {limit}"
        )
        return [tuple(r) for r in (await _run(self, sql)).rows]


class StatusFacet(SummaryFacet):
    type = "status"
    #: The entry of the rows without a value.
    NO_STATUS = "no status"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = await super().facet_results()
        for facet in results:
            column = facet["name"]
            try:
                count = await self._without_value(column)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            if count:
                entry = _entry(self, f"{column}__isnull", "1", self.NO_STATUS, count)
                facet["results"].append({**entry, "value": None})
        return results, timed_out

    async def _without_value(self, column: str) -> int:
        """The rows of the page's table whose ``column`` is NULL: from the summaries on the whole
        table, counted over the filter's rows otherwise (with the other facets of the assets)."""
        if (self.table, column) == ("assets", "release_status"):
            counted = await _summary(self, lambda c: c.assets_outside("asset_release"))
            if counted is None:
                [(_, counted)] = await _asset_counts(self, Catalog.ASSETS_WITHOUT_STATUS)
            return counted
        sql = f"SELECT count(*) FROM ({self.sql}) WHERE {escape_sqlite(column)} IS NULL"
        return (await _run(self, sql)).first()[0]


async def _run(facet: Facet, sql: str) -> Any:
    """A facet's query over the page's rows, within Datasette's facet time limit."""
    return await facet.ds.execute(
        facet.database,
        sql,
        facet.params,
        truncate=False,
        custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
    )


def _column(config: dict[str, Any]) -> str:
    """The column a facet's configuration names (``{"year": "shot_date"}`` or with ``column``)."""
    return config["config"].get("column") or config["config"]["simple"]


def _result(
    facet: Facet,
    config: dict[str, Any],
    shown_as: str,
    toggle_url: str,
    key: str,
    rows: list[tuple],
    size: int,
) -> dict[str, Any]:
    """One facet of ``config``'s column as Datasette's template shows it (as a facet of type
    ``shown_as``; ``toggle_url`` hides it): the first ``size`` of ``rows`` (value, count), each
    selecting ``key=value``, and truncated when there are more (``rows`` holds one more)."""
    return {
        "name": _column(config),
        "type": shown_as,
        "hideable": config["source"] != "metadata",
        "toggle_url": toggle_url,
        "truncated": len(rows) > size,
        "results": [_entry(facet, key, str(v), str(v), count) for v, count in rows[:size]],
    }


def _entry(facet: Facet, key: str, value: str, label: str, count: int) -> dict[str, Any]:
    """A facet entry selecting ``key=value``, or, when selected, the link that removes it."""
    selected = (key, value) in facet.get_querystring_pairs()
    change = path_with_removed_args if selected else path_with_added_args
    return {
        "value": value,
        "label": label,
        "count": count,
        "toggle_url": facet.ds.absolute_url(facet.request, change(facet.request, {key: value})),
        "selected": selected,
    }
