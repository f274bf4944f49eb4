"""The catalog's facets for Datasette: ``year`` (an ISO date column by year) and ``status``
(a column's values and the rows with none).

Datasette's own ``date`` facet counts by day, too fine for a catalog that spans decades. This one
groups by the first four characters of a ``YYYY-MM-DD`` value, and selecting a year filters with
Datasette's own ``column__startswith=YYYY``, so the selection is a plain table filter that the
filter bar shows and removes like any other. Configured as ``{"year": "shot_date"}``.

Datasette's column facet leaves out the rows whose value is NULL, so a release facet would hide
every asset whose release status is missing, unknown or in conflict - the very assets a desk must
look at. The ``status`` facet (``{"status": "release_status"}``) is the column facet plus one entry,
"no status", counting those rows and selecting them with Datasette's own
``column__isnull=1`` filter.
"""

from __future__ import annotations

from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet, Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class YearFacet(Facet):
    type = "year"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        size = self.get_facet_size()
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            year = f"substr({escape_sqlite(column)}, 1, 4)"
            sql = (
                f"SELECT {year} AS value, count(*) AS count FROM ({self.sql}) "
                f"WHERE {escape_sqlite(column)} GLOB '[0-9][0-9][0-9][0-9]-*' "
                f"GROUP BY value ORDER BY value DESC LIMIT {size + 1}"
            )
            try:
                rows = await _run(self, sql)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(self.request, {"_facet_year": column}),
                    "truncated": len(rows) > size,
                    "results": [
                        _entry(self, key, row["value"], row["value"], row["count"])
                        for row in rows.rows[:size]
                    ],
                }
            )
        return results, timed_out


class StatusFacet(ColumnFacet):
    type = "status"
    #: The entry of the rows without a value.
    NO_STATUS = "no status"

    async def suggest(self) -> list[dict[str, Any]]:
        return []  # the column facet suggests the column already

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = await super().facet_results()
        for facet in results:
            column = facet["name"]
            sql = f"SELECT count(*) FROM ({self.sql}) WHERE {escape_sqlite(column)} IS NULL"
            try:
                rows = await _run(self, sql)
            except QueryInterrupted:
                timed_out.append(column)
                continue
            count = rows.first()[0]
            if count:
                entry = _entry(self, f"{column}__isnull", "1", self.NO_STATUS, count)
                facet["results"].append({**entry, "value": None})
        return results, timed_out


async def _run(facet: Facet, sql: str) -> Any:
    """A facet's query over the page's rows, within Datasette's facet time limit."""
    return await facet.ds.execute(
        facet.database,
        sql,
        facet.params,
        truncate=False,
        custom_time_limit=facet.ds.setting("facet_time_limit_ms"),
    )


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
