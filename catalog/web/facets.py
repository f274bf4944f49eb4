"""A ``year`` facet for Datasette: counts by the year of an ISO date column.

Datasette's own ``date`` facet counts by day, too fine for a catalog that spans decades. This one
groups by the first four characters of a ``YYYY-MM-DD`` value, and selecting a year filters with
Datasette's own ``column__startswith=YYYY``, so the selection is a plain table filter that the
filter bar shows and removes like any other. Configured as ``{"year": "shot_date"}``.
"""

from __future__ import annotations

from typing import Any

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class YearFacet(Facet):
    type = "year"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
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
            key = f"{column}__startswith"
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(self.request, {"_facet_year": column}),
                    "truncated": len(rows) > size,
                    "results": [
                        self._value(key, row["value"], row["count"], args.get(key))
                        for row in rows.rows[:size]
                    ],
                }
            )
        return results, timed_out

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
