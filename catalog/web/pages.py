"""What the asset page shows: one asset gathered from a catalog connection, as plain data.

Run inside Datasette's query threads (``Database.execute_fn``), so these are plain functions of a
``sqlite3`` connection. The internal page reuses the store's ``asset_detail`` (the same data as
``catalog show``); the public page reads only the public file's allow-listed tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from sqlite_utils import Database

from catalog.core.record import field_descriptions
from catalog.store.queries import asset_detail
from catalog.store.schema import COLUMN_DESCRIPTIONS
from catalog.web.config import INTERNAL

#: How many of a photographer's other images the page shows.
RELATED_LIMIT = 12


def asset_page(conn: sqlite3.Connection, sha256: str, kind: str) -> dict[str, Any] | None:
    """Everything the asset page of ``sha256`` shows, or None when the catalog has no such asset."""
    conn.row_factory = sqlite3.Row
    found = conn.execute("SELECT id FROM assets WHERE sha256 = ?", (sha256,)).fetchone()
    if found is None:
        return None
    if kind == INTERNAL:
        detail = asset_detail(Database(conn), sha256)
    else:
        detail = _public_detail(conn, sha256)
    asset = detail["asset"]
    return {
        "id": found[0],
        "asset": asset,
        "record": _record_fields(asset, detail.get("field_values")),
        "derived": _derived_fields(asset),
        "thumbnail": detail["thumbnail"],
        "findings": _with_rules(conn, detail.get("findings", [])),
        "locations": detail.get("locations", []),
        "same_virin": _others(conn, "virin_base", asset, limit=None),
        "by_photographer": _others(conn, "photographer_name", asset, limit=RELATED_LIMIT),
        "photographer_total": _count(conn, "photographer_name", asset),
        "originator_total": _count(conn, "virin_originator", asset),
    }


def _public_detail(conn: sqlite3.Connection, sha256: str) -> dict[str, Any]:
    asset = dict(conn.execute("SELECT * FROM assets WHERE sha256 = ?", (sha256,)).fetchone())
    asset["keywords"] = json.loads(asset["keywords"]) if asset["keywords"] else []
    thumb = conn.execute(
        "SELECT width, height FROM thumbnails WHERE sha256 = ?", (sha256,)
    ).fetchone()
    return {"asset": asset, "thumbnail": dict(thumb) if thumb else None}


def _record_fields(
    asset: dict[str, Any], field_values: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Each record field the catalog has, with its value, the source it was taken from, and
    what the other sources said (internal only: the public file keeps no sources)."""
    by_field: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for value in field_values or []:
        by_field[value["field"]].append(value)
    fields = []
    for name, description in field_descriptions().items():
        if name not in asset:
            continue
        values = by_field.get(name, [])
        chosen = next((v for v in values if v["chosen"]), None)
        fields.append(
            {
                "name": name,
                "description": description,
                "value": asset[name],
                "source": chosen["source"] if chosen else None,
                "others": [
                    {
                        **v,
                        "shown": _decoded(v["value"]),
                        "agrees": chosen is not None and _same(v["value"], chosen["value"]),
                    }
                    for v in values
                    if not v["chosen"]
                ],
            }
        )
    return fields


def _same(one: str | None, other: str | None) -> bool:
    """Whether two stored source values say the same (one may be JSON text: a date, a list)."""
    return _decoded(one) == _decoded(other)


def _decoded(value: str | None) -> Any:
    try:
        return json.loads(value) if value is not None else None
    except ValueError:
        return value


def _derived_fields(asset: dict[str, Any]) -> list[dict[str, Any]]:
    record = field_descriptions()
    described = COLUMN_DESCRIPTIONS["assets"]
    return [
        {"name": name, "description": described.get(name, ""), "value": value}
        for name, value in asset.items()
        if name not in record and name not in ("id", "sha256") and value not in (None, "")
    ]


def _with_rules(conn: sqlite3.Connection, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings, each with its rule's summary, explanation and fix from the catalog's rules."""
    codes = sorted({f["code"] for f in findings})
    if not codes:
        return []
    rules = {
        row["code"]: dict(row)
        for row in conn.execute(
            "SELECT code, name, summary, explanation, fix FROM rules "
            f"WHERE code IN ({', '.join('?' * len(codes))})",
            codes,
        )
    }
    severity_order = {"error": 0, "warning": 1, "info": 2}
    ordered = sorted(findings, key=lambda f: (severity_order.get(f["severity"], 3), f["code"]))
    return [{**f, "rule_info": rules.get(f["code"], {})} for f in ordered]


def _others(
    conn: sqlite3.Connection, column: str, asset: dict[str, Any], *, limit: int | None
) -> list[dict[str, Any]]:
    """Other assets sharing ``column``'s value with ``asset``, newest shots first."""
    if not asset.get(column):
        return []
    sql = (
        "SELECT a.sha256, a.virin, a.shot_date, a.title, t.sha256 IS NOT NULL AS has_thumbnail "
        "FROM assets a LEFT JOIN thumbnails t ON t.sha256 = a.sha256 "
        f"WHERE a.{column} = ? AND a.sha256 != ? ORDER BY a.shot_date DESC, a.virin"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [dict(row) for row in conn.execute(sql, (asset[column], asset["sha256"]))]


def _count(conn: sqlite3.Connection, column: str, asset: dict[str, Any]) -> int:
    if not asset.get(column):
        return 0
    return conn.execute(
        f"SELECT count(*) FROM assets WHERE {column} = ?", (asset[column],)
    ).fetchone()[0]
