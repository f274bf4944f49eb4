"""What the asset page shows: one asset gathered from a catalog connection, as plain data.

Run inside Datasette's query threads (``Database.execute_fn``), so these are plain functions of a
``sqlite3`` connection, read through the store's ``Catalog``. The internal page shows the store's
``asset_detail`` (the same data as ``catalog show``); the public page reads only the public file's
allow-listed tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from typing import Any

from catalog.core.collection import same_picture
from catalog.core.record import field_descriptions
from catalog.store.catalog import Catalog
from catalog.store.schema import COLUMN_DESCRIPTIONS
from catalog.web.config import INTERNAL
from catalog.web.labels import label

#: How many of a photographer's other images the page shows.
RELATED_LIMIT = 12


def asset_page(conn: sqlite3.Connection, sha256: str, kind: str) -> dict[str, Any] | None:
    """Everything the asset page of ``sha256`` shows, or None when the catalog has no such asset."""
    catalog = Catalog(conn)
    asset_id = catalog.asset_id(sha256)
    if asset_id is None:
        return None
    if kind == INTERNAL:
        detail = catalog.asset_detail(sha256)
    else:  # the public file has no sources, findings or locations
        detail = {"asset": catalog.asset(sha256), "thumbnail": catalog.thumbnail_size(sha256)}
    asset = detail["asset"]
    return {
        "id": asset_id,
        "asset": asset,
        "record": _record_fields(asset, detail.get("field_values")),
        "derived": _derived_fields(asset),
        "thumbnail": detail["thumbnail"],
        "findings": _with_rules(catalog, detail.get("findings", [])),
        "locations": detail.get("locations", []),
        **_same_virin(asset, _others(catalog, "virin_base", asset, limit=None)),
        "by_photographer": _others(catalog, "photographer_name", asset, limit=RELATED_LIMIT),
        "photographer_total": _count(catalog, "photographer_name", asset),
        "originator_total": _count(catalog, "virin_originator", asset),
    }


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
                "label": label(name),
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
        {"name": name, "label": label(name), "description": described.get(name, ""), "value": value}
        for name, value in asset.items()
        if name not in record and name not in ("id", "sha256") and value not in (None, "")
    ]


def _with_rules(catalog: Catalog, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings, each with its rule's summary, explanation and fix from the catalog's rules."""
    if not findings:
        return []
    rules = catalog.rules_of(sorted({f["code"] for f in findings}))
    severity_order = {"error": 0, "warning": 1, "info": 2}
    ordered = sorted(findings, key=lambda f: (severity_order.get(f["severity"], 3), f["code"]))
    return [{**f, "rule_info": rules.get(f["code"], {})} for f in ordered]


def _others(
    catalog: Catalog, column: str, asset: dict[str, Any], *, limit: int | None
) -> list[dict[str, Any]]:
    """Other assets sharing ``column``'s value with ``asset``, newest shots first."""
    if not asset.get(column):
        return []
    return catalog.assets_sharing(column, asset[column], besides=asset["sha256"], limit=limit)


def _same_virin(asset: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, list]:
    """The other assets under the asset's VIRIN, split as the whole-set rules split them:
    ``derivatives``, the same picture in another form or size (SET003), and ``same_virin``,
    different pictures (SET001). Without a hash on either side nothing is called a derivative."""
    picture = asset.get("perceptual_hash")
    split: dict[str, list] = {"derivatives": [], "same_virin": []}
    for other in others:
        derivative = same_picture(picture, other.get("perceptual_hash"))
        split["derivatives" if derivative else "same_virin"].append(other)
    return split


def _count(catalog: Catalog, column: str, asset: dict[str, Any]) -> int:
    return catalog.count_with(column, asset[column]) if asset.get(column) else 0
