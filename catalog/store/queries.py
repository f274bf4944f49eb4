"""Reading the catalog: search, one asset in full, export and statistics.

These functions are the query API shared by ``catalog search|show|export|stats`` and, later, the
Datasette plugin and ``catalog publish``: each takes an open catalog and returns plain dicts.
Every filter maps to an indexed column (or the full-text index), so queries stay fast on a
catalog of millions of assets.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from catalog.core.text import storable
from catalog.files.paths import path_text

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

_HEX = re.compile(r"^[0-9a-fA-F]{8,64}$")


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

    def where(self) -> tuple[str, dict[str, Any]]:
        """The SQL condition on ``assets`` and its parameters."""
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
                "assets.sha256 IN (SELECT sha256 FROM findings WHERE code = :rule)",
                rule=self.rule.upper(),
            )
        if self.has_errors is not None:
            add("assets.error_count > 0" if self.has_errors else "assets.error_count = 0")
        if self.publishable is not None:
            add("assets.publishable = :publishable", publishable=int(self.publishable))
        return (" AND ".join(clauses) or "1"), params


def search(
    db: Database, filters: Filters, *, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Assets matching ``filters``, a page at a time.

    With text: best matches first (FTS5 bm25 rank) - or, when the text matches more than
    ``RANKED_MATCHES`` assets, the most recently cataloged first, so that a broad query on a
    catalog of millions stays as fast as a narrow one. Without text: the newest shots first.
    """
    where, params = replace(filters, text=None).where()
    columns = ", ".join(f"assets.{c}" for c in RESULT_COLUMNS)
    if filters.text:
        params["text"] = filters.text
        order = "assets_fts.rowid DESC" if is_broad(db, filters.text) else "assets_fts.rank"
        sql = (
            f"SELECT {columns} FROM assets_fts JOIN assets ON assets.id = assets_fts.rowid "
            f"WHERE assets_fts MATCH :text AND {where} ORDER BY {order}"
        )
    else:
        sql = f"SELECT {columns} FROM assets WHERE {where} ORDER BY shot_date DESC, id"
    sql += " LIMIT :limit OFFSET :offset"
    return list(db.query(sql, {**params, "limit": limit, "offset": offset}))


def is_broad(db: Database, text: str) -> bool:
    """Whether ``text`` matches more than ``RANKED_MATCHES`` assets (counted no further)."""
    sql = "SELECT count(*) FROM (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? LIMIT ?)"
    return db.execute(sql, (text, RANKED_MATCHES + 1)).fetchone()[0] > RANKED_MATCHES


def count(db: Database, filters: Filters) -> int:
    where, params = filters.where()
    return db.execute(f"SELECT count(*) FROM assets WHERE {where}", params).fetchone()[0]


def export_rows(db: Database, filters: Filters) -> Iterator[dict[str, Any]]:
    """Every matching asset with all its columns, its keywords, paths and finding codes."""
    where, params = filters.where()
    sql = f"""
        SELECT assets.*,
            (SELECT json_group_array(path) FROM locations l
                WHERE l.sha256 = assets.sha256 AND l.status = 'present') AS paths,
            (SELECT json_group_array(DISTINCT code) FROM findings f
                WHERE f.sha256 = assets.sha256) AS finding_codes
        FROM assets WHERE {where} ORDER BY shot_date, virin, sha256
    """
    for row in db.query(sql, params):
        row.pop("id")
        row["keywords"] = json.loads(row["keywords"]) if row["keywords"] else []
        row["paths"] = json.loads(row["paths"])
        row["finding_codes"] = sorted(json.loads(row["finding_codes"]))
        yield row


def find_assets(db: Database, key: str) -> list[str]:
    """The SHA-256 of the assets ``key`` names: a VIRIN, a SHA-256 (or its first 8+ digits), or
    the path of a file in the catalog (a name that is not UTF-8 as the OS spells it)."""
    text = storable(key.strip())
    found = [
        r[0]
        for r in db.execute(
            "SELECT sha256 FROM assets WHERE virin = :v COLLATE NOCASE "
            "OR virin_base = upper(:v) ORDER BY sha256",
            {"v": text},
        )
    ]
    if not found and _HEX.match(text):
        found = [
            r[0]
            for r in db.execute(
                "SELECT sha256 FROM assets WHERE sha256 >= :p AND sha256 < :p || 'g'",
                {"p": text.lower()},
            )
        ]
    if not found:
        path = path_text(os.path.abspath(key.strip()))
        found = [
            r[0]
            for r in db.execute(
                "SELECT sha256 FROM locations WHERE path = ? AND sha256 IS NOT NULL", (path,)
            )
        ]
    return found


def asset_detail(db: Database, sha256: str) -> dict[str, Any]:
    """Everything the catalog knows about one asset."""
    asset = next(db.query("SELECT * FROM assets WHERE sha256 = ?", (sha256,)))
    asset.pop("id")
    asset["keywords"] = json.loads(asset["keywords"]) if asset["keywords"] else []
    detail: dict[str, Any] = {"asset": asset}
    detail["locations"] = list(
        db.query(
            "SELECT path, status, size, mtime_ns, first_seen_run_id, read_run_id, "
            "missing_since_run_id FROM locations WHERE sha256 = ? ORDER BY path",
            (sha256,),
        )
    )
    detail["findings"] = [
        {**row, "values": json.loads(row.pop("values_json") or "{}")}
        for row in db.query(
            "SELECT f.path, f.code, r.name AS rule, f.severity, f.field, f.part, f.message, "
            "f.values_json FROM findings f LEFT JOIN rules r ON r.code = f.code "
            "WHERE f.sha256 = ? ORDER BY f.path, f.id",
            (sha256,),
        )
    ]
    detail["field_values"] = list(
        db.query(
            "SELECT field, source, value, chosen, error FROM field_values "
            "WHERE sha256 = ? ORDER BY id",
            (sha256,),
        )
    )
    thumb = db.execute(
        "SELECT width, height, length(jpeg) FROM thumbnails WHERE sha256 = ?", (sha256,)
    ).fetchone()
    detail["thumbnail"] = (
        {"width": thumb[0], "height": thumb[1], "bytes": thumb[2]} if thumb else None
    )
    return detail


def stats(db: Database) -> dict[str, Any]:
    """Counts for an overview of the catalog."""

    def pairs(sql: str) -> dict[str, int]:
        return {str(k): v for k, v in db.execute(sql).fetchall()}

    def one(sql: str) -> int:
        return db.execute(sql).fetchone()[0]

    return {
        "assets": one("SELECT count(*) FROM assets"),
        "publishable": one("SELECT count(*) FROM assets WHERE publishable = 1"),
        "with_errors": one("SELECT count(*) FROM assets WHERE error_count > 0"),
        "thumbnails": one("SELECT count(*) FROM thumbnails"),
        "locations": pairs("SELECT status, count(*) FROM locations GROUP BY status ORDER BY 1"),
        "findings": pairs(
            "SELECT severity, count(*) FROM findings GROUP BY severity ORDER BY 2 DESC"
        ),
        "rules": [
            dict(zip(("code", "name", "severity", "count"), row, strict=True))
            for row in db.execute(
                "SELECT f.code, r.name, f.severity, count(*) FROM findings f "
                "LEFT JOIN rules r ON r.code = f.code GROUP BY f.code, f.severity "
                "ORDER BY count(*) DESC, f.code"
            )
        ],
        "services": pairs(
            "SELECT coalesce(virin_service_name, virin_service, '(none)'), count(*) FROM assets "
            "GROUP BY 1 ORDER BY 2 DESC"
        ),
        "release_status": pairs(
            "SELECT coalesce(release_status, '(unknown)'), count(*) FROM assets "
            "GROUP BY 1 ORDER BY 2 DESC"
        ),
        "formats": pairs("SELECT format, count(*) FROM assets GROUP BY 1 ORDER BY 2 DESC"),
        "duplicate_virins": pairs(
            "SELECT upper(virin), count(*) FROM assets WHERE virin IS NOT NULL "
            "GROUP BY upper(virin) HAVING count(*) > 1 ORDER BY 2 DESC, 1"
        ),
        "last_run": next(db.query("SELECT * FROM import_runs ORDER BY id DESC LIMIT 1"), None),
    }


def present_paths(db: Database, filters: Filters) -> list[str]:
    """Where the matching assets are present, as stored: the files ``catalog fix --db`` fixes."""
    where, params = filters.where()
    sql = f"""
        SELECT locations.path FROM locations JOIN assets ON assets.sha256 = locations.sha256
        WHERE locations.status = 'present' AND {where} ORDER BY locations.path
    """
    return [row["path"] for row in db.query(sql, params)]
