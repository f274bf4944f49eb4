"""The catalog's facets for Datasette: counted by the writer, not at every page view.

A facet of Datasette's counts its column over the table's rows at each page view: at a million
assets a facet takes seconds and Datasette leaves it off the page when it times out. A catalog
keeps those counts in ``summary_counts`` (its writer's triggers, in the same transaction as the
rows), so the facets here read them when the page shows the whole table (a keyset ``_next``
page too: it pages through the same table), and run Datasette's own facet on a filtered page,
whose rows are the filter's and need counting.

* ``summary``: a column facet (an array facet for ``keywords``), configured as
  ``{"summary": "column"}``; selecting a value filters as Datasette's facet of that kind does.
* ``year``: counts by the year of an ISO date column. Datasette's own ``date`` facet counts by
  day, too fine for a catalog that spans decades. It groups by the first four characters of a
  ``YYYY-MM-DD`` value, and selecting a year filters with Datasette's own
  ``column__startswith=YYYY``, so the selection is a plain table filter that the filter bar shows
  and removes like any other. Configured as ``{"year": "shot_date"}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet, Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from catalog.store.catalog import Catalog

#: (table, column) -> the Datasette facet kind it is and how the summaries count it.
_SUMMARIES: dict[tuple[str, str], tuple[type[Facet], Callable[[Catalog, int], list[tuple]]]] = {
    ("assets", "virin_service_name"): (
        ColumnFacet,
        lambda c, n: c.summary_facet("asset_service", by="detail", limit=n),
    ),
    ("assets", "release_status"): (
        ColumnFacet,
        lambda c, n: c.summary_facet("asset_release", limit=n),
    ),
    ("assets", "photographer_name"): (
        ColumnFacet,
        lambda c, n: c.summary_facet("asset_photographer", limit=n),
    ),
    ("assets", "keywords"): (ArrayFacet, lambda c, n: c.summary_facet("keyword", limit=n)),
    ("keywords", "keyword"): (ColumnFacet, lambda c, n: c.summary_facet("keyword", limit=n)),
    ("findings", "code"): (ColumnFacet, lambda c, n: c.summary_facet("rule", limit=n)),
    ("findings", "severity"): (ColumnFacet, lambda c, n: c.summary_facet("severity", limit=n)),
    ("findings", "field"): (ColumnFacet, lambda c, n: c.summary_facet("finding_field", limit=n)),
    ("locations", "status"): (
        ColumnFacet,
        lambda c, n: c.summary_facet("location_status", limit=n),
    ),
}


def _filtered(request: Any) -> bool:
    """Whether the table page shows a filter's rows rather than the whole table (sorting,
    paging, sizes and facet choices do not filter)."""
    return any(
        not key.startswith("_")
        or key in ("_where", "_through")
        or key.startswith(("_search", "_filter"))
        for key in request.args
    )


async def _summary(facet: Facet, count: Callable[[Catalog, int], list[tuple]], size: int):
    """The summary's (value, count) rows for an unfiltered page, None when the page is filtered
    or the file keeps no summaries (a public catalog)."""
    if _filtered(facet.request):
        return None

    def read(conn: Any) -> list[tuple] | None:
        catalog = Catalog(conn)
        return count(catalog, size + 1) if catalog.has_summaries else None

    return await facet.ds.get_database(facet.database).execute_fn(read)


class SummaryFacet(Facet):
    type = "summary"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            kind, count = _SUMMARIES.get((self.table, column), (ColumnFacet, None))
            rows = await _summary(self, count, size) if count else None
            if rows is None:  # Datasette's own facet of that kind counts the rows
                found, missed = await self._datasette_facet(kind, config).facet_results()
                results += found
                timed_out += missed
                continue
            key = f"{column}__arraycontains" if kind is ArrayFacet else column
            results.append(
                {
                    "name": column,
                    "type": kind.type,  # shown as Datasette's facet of that kind is
                    "hideable": config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet_summary": column})
                    ),
                    "truncated": len(rows) > size,
                    "results": [
                        self._value(key, str(value), n, (key, str(value)) in pairs)
                        for value, n in rows[:size]
                    ],
                }
            )
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

    def _value(self, key: str, value: str, count: int, selected: bool) -> dict[str, Any]:
        change = path_with_removed_args if selected else path_with_added_args
        return {
            "value": value,
            "label": value,
            "count": count,
            "toggle_url": self.ds.absolute_url(
                self.request, self.ds.urls.path(change(self.request, {key: value}))
            ),
            "selected": selected,
        }


class YearFacet(Facet):
    type = "year"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            rows = None
            if (self.table, column) == ("assets", "shot_date"):
                rows = await _summary(self, lambda c, n: c.year_counts(n), size)
            if rows is not None:
                results.append(self._result(column, config, rows, size, args))
                continue
            year = f"substr({escape_sqlite(column)}, 1, 4)"
            sql = (
                f"SELECT {year} AS value, count(*) AS count FROM ({self.sql}) "
                f"WHERE {escape_sqlite(column)} GLOB '[0-9][0-9][0-9][0-9]-*' "
                f"GROUP BY value ORDER BY value DESC LIMIT {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            results.append(self._result(column, config, [tuple(r) for r in rows.rows], size, args))
        return results, timed_out

    def _result(
        self, column: str, config: dict[str, Any], rows: list[tuple], size: int, args: dict
    ) -> dict[str, Any]:
        key = f"{column}__startswith"
        return {
            "name": column,
            "type": self.type,
            "hideable": config["source"] != "metadata",
            "toggle_url": path_with_removed_args(self.request, {"_facet_year": column}),
            "truncated": len(rows) > size,
            "results": [
                self._value(key, year, count, args.get(key)) for year, count in rows[:size]
            ],
        }

    def _value(self, key: str, year: str, count: int, selected_year: str | None) -> dict:
        selected = selected_year == year
        change = path_with_removed_args if selected else path_with_added_args
        return {
            "value": year,
            "label": year,
            "count": count,
            "toggle_url": self.ds.absolute_url(self.request, change(self.request, {key: year})),
            "selected": selected,
        }
