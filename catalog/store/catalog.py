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
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from catalog.core.text import storable
from catalog.files.paths import path_text
from catalog.store.queries import RANKED_MATCHES, RESULT_COLUMNS, SNIPPET_SQL, SORTS, Filters
from catalog.store.schema import MIGRATIONS
from catalog.store.writer import BATCH_FILES, CatalogWriter

#: How long a writer waits for another connection's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000

_HEX = re.compile(r"^[0-9a-fA-F]{8,64}$")


class CatalogMissing(FileNotFoundError):
    """There is no catalog file where one was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: no catalog here (create one with `catalog import`)")
        self.path = path


class CatalogError(ValueError):
    """A file that cannot be read as a catalog; the message names it."""


class CatalogDamaged(CatalogError):
    """A catalog whose pages SQLite cannot read: one line naming the file and the way out."""

    def __init__(self, path: Path | str | None, error: sqlite3.Error | str) -> None:
        detail = str(error).splitlines()[0] if str(error) else "unreadable"
        super().__init__(
            f"{path}: the catalog is damaged ({detail}); recover what can be read with "
            f"`sqlite3 {path} .recover`"
        )


#: What SQLite calls a file it cannot read as a database (sqlite3 ``sqlite_errorname``).
_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: The tables an internal catalog has had since its first release.
CORE_TABLES = ("assets", "locations", "findings", "field_values", "import_runs")


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` is SQLite saying the file's pages cannot be read (corrupt, not a
    database), as opposed to a lock, a full disk or a bad statement."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return isinstance(error, sqlite3.DatabaseError) and name.startswith(_DAMAGE)


def check_catalog_file(path: Path, conn: sqlite3.Connection | None = None) -> None:
    """Refuse ``path`` unless it is an internal catalog whose schema and tables can be read.

    Cheap by design (a few pages, not ``PRAGMA quick_check``, which reads the whole file): the
    schema and the first rows of each core table. Damage deeper in the file is met when a page
    is read, and reported by the command with the same ``CatalogDamaged`` line. Nothing is written.
    """
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise CatalogError(
                f"{path}: not a catalog made by `catalog import` (not a SQLite database file); "
                "nothing was written to it"
            )
    own = conn is None
    conn = conn or sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        tables, sets = catalog_identity(conn)
        if MIGRATIONS.name not in sets or not tables.issuperset(CORE_TABLES):
            raise CatalogError(
                f"{path}: not a catalog made by `catalog import` (a SQLite file with other "
                "tables); nothing was written to it"
            )
        for table in CORE_TABLES:
            conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            raise CatalogDamaged(path, error) from None
        raise CatalogError(f"{path}: cannot be read as a catalog ({error})") from None
    finally:
        if own:
            conn.close()


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
        if path.exists() and path.stat().st_size > 0:  # refused before anything is written
            check_catalog_file(path)
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
            check_catalog_file(path, conn)
        except BaseException:
            conn.close()
            raise
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

    def search(
        self,
        filters: Filters,
        *,
        limit: int = 50,
        offset: int = 0,
        sort: str = "relevance",
        columns: Sequence[str] = RESULT_COLUMNS,
    ) -> list[dict[str, Any]]:
        """Assets matching ``filters``, a page at a time.

        With text, each result has a ``snippet``: its best-matching passage, the matched words
        between ``MARK_START`` and ``MARK_END``. Sorted by ``relevance`` (FTS5 ``rank``) - or,
        when the text matches more than ``RANKED_MATCHES`` assets, the most recently cataloged
        first, so that a broad query on a catalog of millions stays as fast as a narrow one - or
        by ``date``: the newest shots first (always so without text).
        """
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
        where, params = replace(filters, text=None).where()
        selected = ", ".join(f"assets.{c}" for c in columns)
        by_date = "assets.shot_date DESC, assets.id"
        if filters.text:
            params["text"] = filters.text
            order = by_date
            if sort == "relevance":
                broad = self.is_broad(filters.text)
                order = "assets_fts.rowid DESC" if broad else "assets_fts.rank"
            sql = (
                f"SELECT {selected}, {SNIPPET_SQL} AS snippet "
                "FROM assets_fts JOIN assets ON assets.id = assets_fts.rowid "
                f"WHERE assets_fts MATCH :text AND {where} ORDER BY {order}"
            )
        else:
            sql = f"SELECT {selected} FROM assets WHERE {where} ORDER BY {by_date}"
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
        where, params = filters.where()
        sql = f"""
            SELECT assets.*,
                (SELECT json_group_array(path) FROM locations l
                    WHERE l.sha256 = assets.sha256 AND l.status = 'present') AS paths,
                (SELECT json_group_array(DISTINCT code) FROM findings f
                    WHERE f.sha256 = assets.sha256) AS finding_codes
            FROM assets WHERE {where} ORDER BY shot_date, virin, sha256
        """
        for row in self.db.query(sql, params):
            row.pop("id")
            row["keywords"] = _keywords(row["keywords"])
            row["paths"] = json.loads(row["paths"])
            row["finding_codes"] = sorted(json.loads(row["finding_codes"]))
            yield row

    def present_paths(self, filters: Filters) -> list[str]:
        """Where the matching assets are present, as stored: the files ``catalog fix --db``
        fixes."""
        where, params = filters.where()
        sql = f"""
            SELECT locations.path FROM locations JOIN assets ON assets.sha256 = locations.sha256
            WHERE locations.status = 'present' AND {where} ORDER BY locations.path
        """
        return self._column(sql, params)

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

    # --- article records -------------------------------------------------------------------

    def article_records(self, key: str) -> list[dict[str, Any]]:
        """The photo blocks of imported pages that ``key`` names: a VIRIN (as compared: trimmed,
        upper-cased, without a file extension), each with ``images``: the assets carrying it."""
        wanted = re.sub(r"\.(?:jpe?g|tiff?|png)$", "", key.strip(), flags=re.IGNORECASE).upper()
        return self._article_rows("WHERE a.virin_key = ?", (storable(wanted),))

    def search_article_records(self, text: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Photo blocks whose title, caption, credit or VIRIN match ``text`` (FTS5 syntax), best
        first, with the images carrying each (none for a published record without an image)."""
        sql = (
            "JOIN article_records_fts ON article_records_fts.rowid = a.id "
            "WHERE article_records_fts MATCH ? ORDER BY article_records_fts.rank LIMIT ?"
        )
        return self._article_rows(sql, (text, limit))

    def _article_rows(self, where: str, params: Any) -> list[dict[str, Any]]:
        rows = list(
            self.db.query(
                "SELECT a.page, a.block, a.line, a.end_line, a.title, a.caption, a.credit, "
                "a.virin, a.complete, a.findings_json, (SELECT json_group_array(s.sha256) FROM "
                "assets s WHERE upper(trim(s.virin)) = a.virin_key) AS images "
                f"FROM article_records a {where}",
                params,
            )
        )
        for row in rows:
            row["findings"] = json.loads(row.pop("findings_json"))
            row["images"] = json.loads(row["images"])
        return rows

    def finding_counts(self) -> dict[str, int]:
        """Findings by severity, most first: the import summary's "in the catalog" line and
        ``stats``. One pass over the severity index, not the whole of ``stats``."""
        sql = "SELECT severity, count(*) FROM findings GROUP BY severity ORDER BY 2 DESC"
        return {str(k): v for k, v in self.conn.execute(sql).fetchall()}

    def stats(self) -> dict[str, Any]:
        """Counts for an overview of the catalog."""

        def pairs(sql: str) -> dict[str, int]:
            return {str(k): v for k, v in self.conn.execute(sql).fetchall()}

        return {
            "assets": self._one("SELECT count(*) FROM assets"),
            "publishable": self._one("SELECT count(*) FROM assets WHERE publishable = 1"),
            "with_errors": self._one("SELECT count(*) FROM assets WHERE error_count > 0"),
            "thumbnails": self._one("SELECT count(*) FROM thumbnails"),
            "locations": pairs("SELECT status, count(*) FROM locations GROUP BY status ORDER BY 1"),
            "findings": self.finding_counts(),
            "rules": [
                dict(zip(("code", "name", "severity", "count"), row, strict=True))
                for row in self.conn.execute(
                    "SELECT f.code, r.name, f.severity, count(*) FROM findings f "
                    "LEFT JOIN rules r ON r.code = f.code GROUP BY f.code, f.severity "
                    "ORDER BY count(*) DESC, f.code"
                )
            ],
            "services": pairs(
                "SELECT coalesce(virin_service_name, virin_service, '(none)'), count(*) "
                "FROM assets GROUP BY 1 ORDER BY 2 DESC"
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
        (``column`` is one of the catalog's, never user input), with their perceptual hash where
        the file keeps one (the internal catalog; the public file does not)."""
        sql = (
            "SELECT a.sha256, a.virin, a.shot_date, a.title, a.format, a.width, a.height, "
            f"{self._picture} AS perceptual_hash, t.sha256 IS NOT NULL AS has_thumbnail"
            " FROM assets a LEFT JOIN thumbnails t ON t.sha256 = a.sha256 "
            f"WHERE a.{column} = ? AND a.sha256 != ? ORDER BY a.shot_date DESC, a.virin"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return list(self.db.query(sql, (value, besides)))

    @cached_property
    def _picture(self) -> str:
        """The assets' perceptual hash column, or NULL in a file without one (the public file, a
        catalog not yet migrated): looked up once per ``Catalog``, not on every page query."""
        has_hash = "perceptual_hash" in self.db["assets"].columns_dict
        return "a.perceptual_hash" if has_hash else "NULL"

    def count_with(self, column: str, value: Any) -> int:
        """How many assets have ``value`` in ``column`` (one of the catalog's)."""
        return self._one(f"SELECT count(*) FROM assets WHERE {column} = ?", (value,))

    # --- the desk home page (catalog.web.desk) --------------------------------------------------

    def desk_counts(self, *, internal: bool) -> dict[str, int]:
        """The headline counts of the desk's health panel: the internal catalog's assets,
        publishable, with errors, thumbnails and locations by status; of a public file, its
        assets and thumbnails only (it holds nothing else)."""
        counts = {
            "assets": self._one("SELECT count(*) FROM assets"),
            "thumbnails": self._one("SELECT count(*) FROM thumbnails"),
        }
        if internal:
            counts["publishable"] = self._one("SELECT count(*) FROM assets WHERE publishable = 1")
            counts["with_errors"] = self._one("SELECT count(*) FROM assets WHERE error_count > 0")
            for status, count in self.conn.execute(
                "SELECT status, count(*) FROM locations GROUP BY status ORDER BY status"
            ):
                counts[f"{status}_files"] = count
        return counts

    def errors_by_rule(self) -> list[dict[str, Any]]:
        """Each rule that found an error: its code, name, and how many assets it found one in,
        most assets first."""
        return list(
            self.db.query(
                "SELECT f.code, r.name, count(DISTINCT f.sha256) AS assets FROM findings f "
                "LEFT JOIN rules r ON r.code = f.code WHERE f.severity = 'error' "
                "GROUP BY f.code ORDER BY assets DESC, f.code"
            )
        )

    def recent_runs(self, limit: int) -> list[dict[str, Any]]:
        """The last ``limit`` import runs, newest first, with their counts."""
        return list(
            self.db.query(
                "SELECT id, started_at, finished_at, status, files_seen, imported, updated, "
                "unchanged, missing, skipped, errors, warnings FROM import_runs "
                "ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        )

    def distinct_values(
        self, column: str, *, labelled_by: str | None = None, limit: int = -1
    ) -> list[tuple]:
        """The distinct non-empty values of the assets' ``column`` (one of the catalog's, never
        user input) with their label column where given and how many assets hold each, most
        first: the choices of a filter, at most ``limit`` of them (-1: all)."""
        label = labelled_by or column
        return self.conn.execute(
            f"SELECT {column}, max({label}), count(*) FROM assets "
            f"WHERE coalesce({column}, '') != '' GROUP BY {column} ORDER BY 3 DESC, 1 LIMIT ?",
            (limit,),
        ).fetchall()

    def finding_codes(self) -> list[tuple[str, str | None]]:
        """(code, rule name) of every rule with a finding in the catalog, by code."""
        return self.conn.execute(
            "SELECT f.code, r.name FROM (SELECT DISTINCT code FROM findings) f "
            "LEFT JOIN rules r ON r.code = f.code ORDER BY f.code"
        ).fetchall()

    # --- validate --db ------------------------------------------------------------------------

    def reported_locations(self) -> list[tuple]:
        """(path, sha256, status, skip_code, skip_reason, virin, perceptual_hash) of every present
        or skipped location, by path: what ``validate --db`` reports on. A catalog made before
        skips had codes (schema 002) is a ``CatalogError`` asking for the upgrade that gives
        them."""
        if "skip_code" not in self.db["locations"].columns_dict:
            raise CatalogError(
                f"{self.path}: made by an earlier release; open it once with "
                f"`catalog stats --db {self.path}` to upgrade it"
            )
        return self.conn.execute(
            "SELECT l.path, l.sha256, l.status, l.skip_code, l.skip_reason, a.virin, "
            f"{self._picture} "
            "FROM locations l LEFT JOIN assets a ON a.sha256 = l.sha256 "
            "WHERE l.status IN ('present', 'skipped') ORDER BY l.path"
        ).fetchall()

    def present_findings(self) -> list[tuple]:
        """(path, code, severity, message, field, part, values_json) of every stored finding
        at a present location, in the order they were found."""
        return self.conn.execute(
            "SELECT f.path, f.code, f.severity, f.message, f.field, f.part, f.values_json "
            "FROM findings f JOIN locations l ON l.path = f.path AND l.sha256 = f.sha256 "
            "WHERE l.status = 'present' ORDER BY f.path, f.id"
        ).fetchall()

    # --- publish --------------------------------------------------------------------------------

    def assets_to_publish(self, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
        """``columns``, ``publishable`` and ``primary_path`` of every asset, in the public
        catalog's order."""
        return self.db.query(
            f"SELECT {', '.join(columns)}, publishable, primary_path FROM assets "
            "ORDER BY shot_date, virin, sha256"
        )

    def error_codes(self, allowed: Sequence[str] = ()) -> dict[str, list[str]]:
        """The codes of error findings, other than ``allowed``, of every asset that has any, by
        SHA-256: publish's quality gate and the reasons it prints. One set-based statement that
        reads only the partial index of error findings (``idx_findings_errors``)."""
        found: dict[str, set[str]] = {}
        for sha, code in self.conn.execute(
            "SELECT sha256, code FROM findings INDEXED BY idx_findings_errors "
            "WHERE severity = 'error' AND code NOT IN (SELECT value FROM json_each(?))",
            (json.dumps(list(allowed)),),
        ):
            found.setdefault(sha, set()).add(code)
        return {sha: sorted(codes) for sha, codes in found.items()}

    def locations_to_recheck(self) -> Iterator[tuple]:
        """(sha256, path, size, mtime_ns, ctime_ns, inode, head_sha256) of every present
        location of every asset the store calls publishable: what publish compares with the
        files before it trusts the stored record. One statement, read as it streams."""
        return self.conn.execute(
            "SELECT l.sha256, l.path, l.size, l.mtime_ns, l.ctime_ns, l.inode, l.head_sha256 "
            "FROM assets a JOIN locations l ON l.sha256 = a.sha256 "
            "WHERE a.publishable = 1 AND l.status = 'present' ORDER BY l.path"
        )

    def source_values(self, sha256: str, fields: Sequence[str]) -> list[tuple]:
        """(field, value, error) of every source's value of ``fields`` for the asset."""
        marks = ", ".join("?" * len(fields))
        return self.conn.execute(
            f"SELECT field, value, error FROM field_values WHERE sha256 = ? AND field IN ({marks})",
            (sha256, *fields),
        ).fetchall()

    def unpublishable_location_counts(self) -> dict[str, int]:
        """How many locations did not decide the file publishable, by SHA-256, of every asset the
        store calls publishable that has any: one statement for the whole of publish."""
        return dict(
            self.conn.execute(
                "SELECT l.sha256, count(*) FROM assets a JOIN locations l ON l.sha256 = a.sha256 "
                "WHERE a.publishable = 1 AND l.publishable IS NOT 1 GROUP BY l.sha256"
            ).fetchall()
        )

    def keyword_rows(self, sha256: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT sha256, position, keyword FROM keywords WHERE sha256 = ? ORDER BY position",
                (sha256,),
            )
        )

    def thumbnail_jpeg(self, sha256: str) -> bytes | None:
        return self._one("SELECT jpeg FROM thumbnails WHERE sha256 = ?", (sha256,), default=None)

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
