"""``Catalog``: the one object that reads and writes the catalog's tables.

As sqlite-utils has ``Database``, the catalog has ``Catalog``: every SQL statement against its
tables is a method here (or of the import's writer, ``Catalog.writer``), so that the commands,
the web pages, ``validate --db`` and ``publish`` stay thin and a schema change is made in one
package. It wraps a sqlite-utils ``Database`` and uses it where it does the job.

Opening: ``Catalog.open`` gives the file in WAL mode, migrated to the current schema. WAL with
``synchronous=NORMAL`` lets readers (``catalog search``, Datasette) read while an import writes,
and keeps every committed transaction across a killed process: only a power loss can cost the last
transactions, never consistency. Foreign keys are on so that removing an asset removes its
keywords, findings and thumbnail with it. ``Catalog.read_only`` opens a file for ``validate --db``
and ``publish``: never written, never migrated, read in one consistent snapshot.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from catalog.core.text import storable
from catalog.files.paths import path_text
from catalog.store.queries import RANKED_MATCHES, RESULT_COLUMNS, Filters
from catalog.store.schema import MIGRATIONS
from catalog.store.writer import BATCH_FILES, CatalogWriter, collection_members

#: How long a writer waits for another connection's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000

#: Page cache of a read-only catalog (KiB): the catalog-wide reads (publish, validate --db) visit
#: an asset's rows across several indexes; a larger cache saves re-reading their pages. Bounded,
#: so memory stays flat.
READ_CACHE_KIB = 65_536

_HEX = re.compile(r"^[0-9a-fA-F]{8,64}$")


class CatalogMissing(FileNotFoundError):
    """There is no catalog file where one was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: no catalog here (create one with `catalog import`)")
        self.path = path


class CatalogError(ValueError):
    """A file that cannot be read as a catalog; the message names it."""


class Catalog:
    """An open catalog: an internal one (``open``, ``read_only``), or any file with the same
    tables (the public catalog's asset pages read it through the same methods)."""

    def __init__(self, db: Database | sqlite3.Connection, path: Path | None = None) -> None:
        self.db = db if isinstance(db, Database) else Database(db)
        self.conn = self.db.conn
        self.path = path

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> Catalog:
        """The catalog at ``path``, migrated to the current schema (created when ``create``)."""
        path = Path(path)
        if not create and not path.exists():
            raise CatalogMissing(path)
        db = Database(path)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        if MIGRATIONS.pending(db):
            MIGRATIONS.apply(db)
        return cls(db, path)

    @classmethod
    def read_only(cls, path: Path | str) -> Catalog:
        """The catalog at ``path`` opened read-only, inside one read transaction (a consistent
        snapshot until ``close``); a file that is no catalog is a ``CatalogError``."""
        path = Path(path)
        if not path.is_file():
            raise CatalogError(f"{path}: no catalog here (create one with `catalog import`)")
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT 1 FROM assets, locations, findings, field_values LIMIT 0")
            conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
        except sqlite3.Error as error:
            conn.close()
            raise CatalogError(
                f"{path}: not a catalog made by `catalog import` ({error})"
            ) from None
        return cls(conn, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def writer(self, *, batch_files: int = BATCH_FILES) -> CatalogWriter:
        """The single writer of an import run (``catalog.store.writer``)."""
        return CatalogWriter(self.db, batch_files=batch_files)

    # --- search, show, export, stats --------------------------------------------------------

    def search(self, filters: Filters, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Assets matching ``filters``, a page at a time.

        With text: best matches first (FTS5 bm25 rank) - or, when the text matches more than
        ``RANKED_MATCHES`` assets, the most recently cataloged first, so that a broad query on a
        catalog of millions stays as fast as a narrow one. Without text: the newest shots first.
        """
        where, params = replace(filters, text=None).where()
        columns = ", ".join(f"assets.{c}" for c in RESULT_COLUMNS)
        if filters.text:
            params["text"] = filters.text
            order = "assets_fts.rowid DESC" if self.is_broad(filters.text) else "assets_fts.rank"
            sql = (
                f"SELECT {columns} FROM assets_fts JOIN assets ON assets.id = assets_fts.rowid "
                f"WHERE assets_fts MATCH :text AND {where} ORDER BY {order}"
            )
        else:
            sql = f"SELECT {columns} FROM assets WHERE {where} ORDER BY shot_date DESC, id"
        sql += " LIMIT :limit OFFSET :offset"
        return list(self.db.query(sql, {**params, "limit": limit, "offset": offset}))

    def is_broad(self, text: str) -> bool:
        """Whether ``text`` matches more than ``RANKED_MATCHES`` assets (counted no further)."""
        sql = "SELECT count(*) FROM (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? LIMIT ?)"
        return self._one(sql, (text, RANKED_MATCHES + 1)) > RANKED_MATCHES

    def count(self, filters: Filters) -> int:
        where, params = filters.where()
        return self._one(f"SELECT count(*) FROM assets WHERE {where}", params)

    def export_rows(self, filters: Filters) -> Iterator[dict[str, Any]]:
        """Every matching asset with all its columns, its keywords, paths and finding codes."""
        for row in self._export("json_group_array", filters):
            row.pop("id")
            row["keywords"] = _keywords(row["keywords"])
            row["paths"] = json.loads(row["paths"])
            row["finding_codes"] = json.loads(row["finding_codes"])
            yield row

    def export_table(self, filters: Filters) -> tuple[list[str], Iterator[tuple]]:
        """``export_rows`` as a table: the column names, and each asset's values as a tuple with
        its lists (keywords, paths, finding codes) joined by ``"; "`` - what CSV writes, made by
        SQLite so that Python only writes it."""
        rows = self._export("group_concat", filters, keywords="list", tuples=True)
        columns = [c for c in next(rows) if c != "id"]
        return columns, (row[1:] for row in rows)

    def export_json_lines(self, filters: Filters) -> Iterator[str]:
        """``export_rows`` as JSON text, one object per asset (same keys, same values), made by
        SQLite's JSON functions: the fast path of ``export --format jsonl``. Reals are written
        with 17 digits, so every one reads back as the same number."""
        columns = [c for c in self.db["assets"].columns_dict if c != "id"]
        reals = {c for c, kind in self.db["assets"].columns_dict.items() if kind is float}

        def value(column: str) -> str:
            if column == "keywords":
                return "json(coalesce(assets.keywords, '[]'))"
            if column in reals:
                return (
                    f"CASE WHEN assets.{column} IS NULL THEN NULL "
                    f"ELSE json(printf('%!.17g', assets.{column})) END"
                )
            return f"assets.{column}"

        pairs = ", ".join(f"'{c}', {value(c)}" for c in columns)
        where, params = filters.where()
        sql = f"""
            SELECT json_object({pairs},
                'paths', json((SELECT json_group_array(path) FROM locations l
                    WHERE l.sha256 = assets.sha256 AND l.status = 'present')),
                'finding_codes', json((SELECT json_group_array(code) FROM (
                    SELECT DISTINCT code FROM findings f WHERE f.sha256 = assets.sha256
                    ORDER BY code))))
            FROM assets WHERE {where} ORDER BY shot_date, virin, sha256
        """
        for (line,) in self.conn.execute(sql, params):
            yield line

    def _export(
        self, aggregate: str, filters: Filters, keywords: str = "json", tuples: bool = False
    ) -> Iterator[Any]:
        """The export's one statement: every column of each matching asset, in the public order,
        with its present paths and distinct finding codes aggregated by ``aggregate``
        (``json_group_array``, or ``group_concat`` with ``"; "``); ``keywords="list"`` joins
        the keywords the same way. Tuples (after a first tuple of the column names) or dicts."""
        separator = ", '; '" if aggregate == "group_concat" else ""
        joined = "(SELECT group_concat(value, '; ') FROM json_each(assets.keywords))"
        selected = ", ".join(
            (joined if keywords == "list" else "assets.keywords") + " AS keywords"
            if c == "keywords"
            else f"assets.{c}"
            for c in self.db["assets"].columns_dict
        )
        where, params = filters.where()
        sql = f"""
            SELECT {selected},
                (SELECT {aggregate}(path{separator}) FROM locations l
                    WHERE l.sha256 = assets.sha256 AND l.status = 'present') AS paths,
                (SELECT {aggregate}(code{separator}) FROM (SELECT DISTINCT code FROM findings f
                    WHERE f.sha256 = assets.sha256 ORDER BY code)) AS finding_codes
            FROM assets WHERE {where} ORDER BY shot_date, virin, sha256
        """
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        if tuples:
            yield tuple(names)
            yield from cursor
        else:
            for row in cursor:
                yield dict(zip(names, row, strict=True))

    def find_assets(self, key: str) -> list[str]:
        """The SHA-256 of the assets ``key`` names: a VIRIN, a SHA-256 (or its first 8+ digits),
        or the path of a file in the catalog (a name that is not UTF-8 as the OS spells it)."""
        text = storable(key.strip())
        found = self._column(
            "SELECT sha256 FROM assets WHERE virin = :v COLLATE NOCASE "
            "OR virin_base = upper(:v) ORDER BY sha256",
            {"v": text},
        )
        if not found and _HEX.match(text):
            found = self._column(
                "SELECT sha256 FROM assets WHERE sha256 >= :p AND sha256 < :p || 'g'",
                {"p": text.lower()},
            )
        if not found:
            path = path_text(os.path.abspath(key.strip()))
            found = self._column(
                "SELECT sha256 FROM locations WHERE path = ? AND sha256 IS NOT NULL", (path,)
            )
        return found

    def asset_detail(self, sha256: str) -> dict[str, Any]:
        """Everything the catalog knows about one asset."""
        detail: dict[str, Any] = {"asset": self.asset(sha256)}
        detail["locations"] = list(
            self.db.query(
                "SELECT path, status, size, mtime_ns, first_seen_run_id, read_run_id, "
                "missing_since_run_id FROM locations WHERE sha256 = ? ORDER BY path",
                (sha256,),
            )
        )
        detail["findings"] = [
            {**row, "values": json.loads(row.pop("values_json") or "{}")}
            for row in self.db.query(
                "SELECT f.path, f.code, r.name AS rule, f.severity, f.field, f.part, f.message, "
                "f.values_json FROM findings f LEFT JOIN rules r ON r.code = f.code "
                "WHERE f.sha256 = ? ORDER BY f.path, f.id",
                (sha256,),
            )
        ]
        detail["field_values"] = list(
            self.db.query(
                "SELECT field, source, value, chosen, error FROM field_values "
                "WHERE sha256 = ? ORDER BY id",
                (sha256,),
            )
        )
        detail["thumbnail"] = self.thumbnail_size(sha256)
        return detail

    def stats(self) -> dict[str, Any]:
        """Counts for an overview of the catalog, read from the summary tables the writer keeps
        in its own transactions (schema 007): milliseconds, whatever the catalog's size."""

        def pairs(facet: str) -> dict[str, int]:
            sql = (
                "SELECT key, count FROM summary_counts WHERE facet = ? AND count > 0 "
                "ORDER BY count DESC, key"
            )
            return dict(self.conn.execute(sql, (facet,)).fetchall())

        def total(facet: str) -> int:
            sql = "SELECT coalesce(sum(count), 0) FROM summary_counts WHERE facet = ?"
            return self._one(sql, (facet,))

        return {
            "assets": total("assets"),
            "publishable": total("publishable"),
            "with_errors": total("with_errors"),
            "thumbnails": total("thumbnails"),
            "locations": dict(sorted(pairs("location_status").items())),
            "findings": pairs("severity"),
            "rules": [
                dict(zip(("code", "name", "severity", "count"), row, strict=True))
                for row in self.conn.execute(
                    "SELECT s.key, r.name, s.detail, s.count FROM summary_counts s "
                    "LEFT JOIN rules r ON r.code = s.key WHERE s.facet = 'rule' AND s.count > 0 "
                    "ORDER BY s.count DESC, s.key"
                )
            ],
            "services": pairs("service"),
            "release_status": pairs("release_status"),
            "formats": pairs("format"),
            "duplicate_virins": dict(
                self.conn.execute(
                    "SELECT virin, assets FROM virin_counts WHERE assets > 1 ORDER BY 2 DESC, 1"
                ).fetchall()
            ),
            "last_run": next(
                self.db.query("SELECT * FROM import_runs ORDER BY id DESC LIMIT 1"), None
            ),
        }

    # --- one asset, as the asset pages show it (internal and public files) -----------------

    def asset_id(self, sha256: str) -> int | None:
        """The row number of the asset ``sha256`` (its page's id), None when there is none."""
        row = self.conn.execute("SELECT id FROM assets WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def asset(self, sha256: str) -> dict[str, Any]:
        """The asset row of ``sha256`` without its row number, keywords as a list."""
        asset = next(self.db.query("SELECT * FROM assets WHERE sha256 = ?", (sha256,)))
        asset.pop("id")
        asset["keywords"] = _keywords(asset["keywords"])
        return asset

    def thumbnail_size(self, sha256: str) -> dict[str, int] | None:
        """Width, height and bytes of the asset's thumbnail, None when it has none."""
        return next(
            self.db.query(
                "SELECT width, height, length(jpeg) AS bytes FROM thumbnails WHERE sha256 = ?",
                (sha256,),
            ),
            None,
        )

    def rules_of(self, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The rules table's rows of ``codes``, by code: what the pages explain findings with."""
        marks = ", ".join("?" * len(codes))
        sql = f"SELECT code, name, summary, explanation, fix FROM rules WHERE code IN ({marks})"
        return {row["code"]: row for row in self.db.query(sql, list(codes))}

    def assets_sharing(
        self, column: str, value: Any, *, besides: str, limit: int | None
    ) -> list[dict[str, Any]]:
        """Other assets than ``besides`` whose ``column`` holds ``value``, newest shots first
        (``column`` is one of the catalog's, never user input)."""
        sql = (
            "SELECT a.sha256, a.virin, a.shot_date, a.title, t.sha256 IS NOT NULL AS has_thumbnail"
            " FROM assets a LEFT JOIN thumbnails t ON t.sha256 = a.sha256 "
            f"WHERE a.{column} = ? AND a.sha256 != ? ORDER BY a.shot_date DESC, a.virin"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return list(self.db.query(sql, (value, besides)))

    def count_with(self, column: str, value: Any) -> int:
        """How many assets have ``value`` in ``column`` (one of the catalog's)."""
        return self._one(f"SELECT count(*) FROM assets WHERE {column} = ?", (value,))

    # --- validate --db ------------------------------------------------------------------------

    def reported_locations(self) -> Iterator[tuple[str, str | None, str, str | None, str | None]]:
        """(path, sha256, status, skip_code, skip_reason) of every present or skipped location,
        by path (the primary key's order: streamed, no sort): what ``validate --db`` reports on.
        A catalog made before skips had codes (schema 002) is a ``CatalogError`` asking for the
        upgrade that gives them."""
        if "skip_code" not in self.db["locations"].columns_dict:
            raise CatalogError(
                f"{self.path}: made by an earlier release; open it once with "
                f"`catalog stats --db {self.path}` to upgrade it"
            )
        return self.conn.execute(
            "SELECT path, sha256, status, skip_code, skip_reason FROM locations "
            "WHERE status IN ('present', 'skipped') ORDER BY path"
        )

    def present_findings(self) -> Iterator[tuple]:
        """(path, code, severity, message, field, part, values_json) of every stored finding
        at a present location, by path and then in the order they were found (streamed)."""
        return self.conn.execute(
            "SELECT f.path, f.code, f.severity, f.message, f.field, f.part, f.values_json "
            "FROM findings f JOIN locations l ON l.path = f.path AND l.sha256 = f.sha256 "
            "WHERE l.status = 'present' ORDER BY f.path, f.id"
        )

    def reported_count(self) -> int:
        """How many locations ``reported_locations`` gives (for progress): from the summary
        when the catalog has one (schema 007), counted otherwise."""
        if "summary_counts" in self.db.table_names():
            sql = (
                "SELECT coalesce(sum(count), 0) FROM summary_counts "
                "WHERE facet = 'location_status' AND key IN ('present', 'skipped')"
            )
        else:
            sql = "SELECT count(*) FROM locations WHERE status IN ('present', 'skipped')"
        return self._one(sql)

    def collection_members(self) -> list[tuple[str, str, str]]:
        """(path, sha256, virin) of every present location whose VIRIN (as the collection rules
        compare them) another content carries too: the only files the whole-set rules can say
        anything about in a catalog, which keeps one record (one VIRIN) per content. The shared
        VIRINs come from ``virin_counts`` (schema 007), or SQL grouping in an older catalog; a
        handful of rows however large the catalog."""
        if "virin_counts" in self.db.table_names():
            sql = "SELECT virin FROM virin_counts WHERE assets > 1"
        else:
            sql = (
                "SELECT upper(trim(virin)) FROM assets WHERE virin IS NOT NULL"
                " GROUP BY 1 HAVING count(*) > 1"
            )
        return collection_members(self.conn, self._column(sql, ()))

    # --- publish --------------------------------------------------------------------------------

    def assets_to_publish(
        self, columns: Sequence[str], release_fields: Sequence[str]
    ) -> Iterator[dict[str, Any]]:
        """Every asset in the public catalog's order with what publishing decides it on, in one
        statement read in index order (``idx_assets_public_order``, no sort).

        Each row: ``columns``, ``publishable``, and for an asset the store holds publishable
        (NULL otherwise, as it stays out anyway): ``release_values`` (JSON ``[[field, value,
        error], ...]`` of every source's value of ``release_fields``),
        ``unpublishable_locations`` (locations that did not decide their file publishable),
        ``release_errors`` (codes of release errors at any location, comma-separated), and what
        is copied of it: ``keyword_rows`` (JSON ``[[position, keyword], ...]``) and
        ``thumbnail`` (the stored JPEG). Every part is an indexed lookup of the asset's own rows,
        so the statement is linear in the catalog (``+f.severity`` keeps SQLite from choosing the
        severity index, which scanned every error finding for each asset: publish was
        quadratic)."""
        marks = ", ".join("?" * len(release_fields))
        selected = ", ".join(f"a.{c}" for c in columns)
        sql = f"""
            SELECT {selected}, a.publishable,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT json_group_array(json_array(v.field, v.value, v.error))
                    FROM field_values v WHERE v.sha256 = a.sha256 AND v.field IN ({marks})
                ) END AS release_values,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT count(*) FROM locations l
                    WHERE l.sha256 = a.sha256 AND l.publishable IS NOT 1
                ) END AS unpublishable_locations,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT group_concat(DISTINCT f.code) FROM findings f
                    WHERE f.sha256 = a.sha256 AND f.code GLOB 'REL*' AND +f.severity = 'error'
                ) END AS release_errors,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT json_group_array(json_array(k.position, k.keyword))
                    FROM (SELECT position, keyword FROM keywords
                          WHERE sha256 = a.sha256 ORDER BY position) k
                ) END AS keyword_rows,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT t.jpeg FROM thumbnails t WHERE t.sha256 = a.sha256
                ) END AS thumbnail
            FROM assets a ORDER BY a.shot_date, a.virin, a.sha256
        """
        cursor = self.conn.execute(sql, tuple(release_fields))
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def asset_count(self) -> int:
        """How many assets the catalog holds (for progress)."""
        return self._one("SELECT count(*) FROM assets")

    # --- helpers --------------------------------------------------------------------------------

    def _one(self, sql: str, params: Any = (), *, default: Any = None) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else default

    def _column(self, sql: str, params: Any) -> list[Any]:
        return [row[0] for row in self.conn.execute(sql, params)]


def catalog_identity(conn: sqlite3.Connection) -> tuple[set[str], set[str]]:
    """The table names of a SQLite file and its sqlite-utils migration sets: what tells an
    internal catalog, a public one and any other database apart (``catalog.web.catalogs``)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    sets = set()
    if "_sqlite_migrations" in tables:
        sets = {r[0] for r in conn.execute("SELECT DISTINCT migration_set FROM _sqlite_migrations")}
    return tables, sets


def _keywords(stored: str | None) -> list[str]:
    return json.loads(stored) if stored else []
