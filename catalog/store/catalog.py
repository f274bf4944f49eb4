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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from catalog.core.text import dump_json, spreadsheet_safe, storable
from catalog.files.paths import path_text
from catalog.store import export
from catalog.store.queries import RANKED_MATCHES, RESULT_COLUMNS, SNIPPET_SQL, SORTS, Filters
from catalog.store.schema import MIGRATIONS
from catalog.store.writer import BATCH_FILES, CatalogWriter, collection_members

#: How long a writer waits for another connection's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000

#: Page cache of a read-only catalog (KiB): the catalog-wide reads (publish, validate --db) visit
#: an asset's rows across several indexes; a larger cache saves re-reading their pages. Bounded,
#: so memory stays flat.
READ_CACHE_KIB = 65_536

#: The lists the export writes after the asset's columns, kept in ``asset_lists`` (migration
#: 009) as JSON arrays and as the text CSV writes (``_list_sql``).
_LISTS = ("paths", "finding_codes")

_HEX = re.compile(r"^[0-9a-fA-F]{8,64}$")

#: A rule found in more than one asset in this many is common (``Catalog._common_rule``).
COMMON_RULE = 100

#: The assets' columns whose distinct values a summary facet counts (schema 008), by column.
_SUMMARY_COLUMNS = {
    "virin_service": "asset_service",
    "release_status": "asset_release",
    "photographer_name": "asset_photographer",
}


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


@contextmanager
def unusable_as(path: Path, error_type: Callable[[str], Exception]) -> Iterator[None]:
    """Raise what makes the catalog at ``path`` unusable as one ``error_type(message)``: a file
    that is no catalog (``CatalogError``) and damaged pages met at any read (``CatalogDamaged``,
    with the way to recover them). Other SQLite errors (a lock, a full disk) pass unchanged."""
    try:
        yield
    except CatalogError as error:
        raise error_type(str(error)) from None
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            raise error_type(str(CatalogDamaged(path, error))) from None
        raise


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
            conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
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
        where, params = replace(filters, text=None).where(
            rule_per_asset=bool(filters.rule) and self._common_rule(filters.rule)
        )
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

    def _common_rule(self, code: str) -> bool:
        """Whether the rule ``code`` found more than one asset in ``COMMON_RULE`` (by the
        summaries the writer keeps; a file without them is taken to be small): then a page in
        date order fills sooner by looking each asset up than by sorting the rule's list."""
        if not self.has_summaries:
            return False
        sql = (
            "SELECT coalesce(max(count), 0) FROM summary_counts "
            "WHERE facet = 'rule_assets' AND key = ?"
        )
        return self._one(sql, (code.upper(),)) * COMMON_RULE > self._summary_total("assets")

    def is_broad(self, text: str) -> bool:
        """Whether ``text`` matches more than ``RANKED_MATCHES`` assets (counted no further)."""
        sql = "SELECT count(*) FROM (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? LIMIT ?)"
        return self._one(sql, (text, RANKED_MATCHES + 1)) > RANKED_MATCHES

    def count(self, filters: Filters) -> int:
        where, params = filters.where()
        return self._one(f"SELECT count(*) FROM assets WHERE {where}", params)

    def export_rows(self, filters: Filters) -> Iterator[dict[str, Any]]:
        """Every matching asset with all its columns, its keywords, paths and finding codes."""
        names, rows = self._export(self._export_columns(), filters)
        for values in rows:
            yield _exported(names, values)

    def present_paths(self, filters: Filters) -> list[str]:
        """Where the matching assets are present, as stored: the files ``catalog fix --db``
        fixes."""
        where, params = filters.where()
        sql = f"""
            SELECT locations.path FROM locations JOIN assets ON assets.sha256 = locations.sha256
            WHERE locations.status = 'present' AND {where} ORDER BY locations.path
        """
        return self._column(sql, params)

    def export_table(self, filters: Filters) -> tuple[list[str], Iterator[tuple]]:
        """``export_rows`` as a table: the column names, and each asset's values as a tuple with
        its lists (keywords, paths, finding codes) joined by ``"; "`` - what CSV writes."""
        return self._export(self._export_columns(joined=True), filters)

    def export_csv_lines(
        self, filters: Filters, *, raw: bool
    ) -> tuple[list[str], Iterator[str | list]]:
        """``export_table`` as CSV lines made by SQLite (``store/export.py``): the fast path of
        ``export --format csv`` to a file. An asset whose line SQLite cannot write exactly as
        Python's ``csv`` module (and ``spreadsheet_safe`` unless ``raw``) would comes as its
        list of values instead, for the caller to write."""
        kinds = {"INTEGER": "integer", "REAL": "real", "keywords": "pylist"}
        types = self._export_types()
        values = [_list_sql(n, joined=True) if n in _LISTS else f"assets.{n}" for n, _ in types]
        columns = {
            value: kinds.get(name, kinds.get(kind, "text"))
            for value, (name, kind) in zip(values, types, strict=True)
        }
        record = export.csv_record(columns, raw=raw)
        fallback = self._export_columns(joined=True)

        def lines() -> Iterator[str | list]:
            for text, asset_id in self._export([record, "assets.id"], filters)[1]:
                fields = export.csv_fields(text, len(columns), raw=raw)
                if fields is None:
                    _, row = self._export_one(fallback, asset_id)
                    fields = list(row) if raw else [spreadsheet_safe(v) for v in row]
                yield fields

        return [name for name, _ in types], lines()

    def export_json_lines(self, filters: Filters) -> Iterator[str]:
        """``export_rows`` as JSON text, one object per asset (same keys, same values), made by
        SQLite's JSON functions: the fast path of ``export --format jsonl``. Reals are spelled as
        Python spells them; a row with one SQLite cannot spell so is written by Python."""
        types = self._export_types()
        columns = [name for name, _ in types if name not in _LISTS]
        reals = {name for name, kind in types if kind == "REAL"}
        pairs = ", ".join(
            f"'{c}', "
            + (
                "NULL"
                if c == "keywords"
                else export.json_real(f"assets.{c}")
                if c in reals
                else f"assets.{c}"
            )
            for c in columns
        )
        # The keywords and the two lists are spliced in as the JSON text they are kept as (the
        # writer's ``json.dumps``, SQLite's ``json_group_array``): ``json()`` in ``json_object``
        # would parse each one again, a fifth of the statement's time. The keywords take the
        # place of their ``null``: the first ``"keywords":null`` is the key's (in a string
        # value its quotes would be escaped).
        elsewhere = export.json_elsewhere([f"assets.{c}" for c in sorted(reals)])
        keywords = "coalesce(assets.keywords, '[]')"
        lists = [_list_sql(name, joined=False) for name in _LISTS]
        selected = [f"json_object({pairs})", keywords, *lists, elsewhere, "assets.id"]
        fallback = self._export_columns()
        for row, words, paths, codes, unspelled, asset_id in self._export(selected, filters)[1]:
            if unspelled:  # written as the json export writes it
                yield dump_json(_exported(*self._export_one(fallback, asset_id)))
            else:
                at = row.find('"keywords":null')
                head, tail = row[:at], row[at + len('"keywords":null') : -1]
                lists = f',"paths":{paths},"finding_codes":{codes}}}'
                yield "".join((head, '"keywords":', words, tail, lists))

    def _export_types(self) -> list[tuple[str, str]]:
        """The export's columns and their declared types (the lists' as text)."""
        declared = [(c.name, c.type) for c in self.db["assets"].columns if c.name != "id"]
        return declared + [(name, "TEXT") for name in _LISTS]

    def _export_columns(self, joined: bool = False) -> list[str]:
        """The export's columns as SQL: every asset column but ``id``, then the lists, as
        stored (JSON arrays) or ``joined`` by "; " (what CSV writes)."""
        keywords = "(SELECT group_concat(value, '; ') FROM json_each(assets.keywords))"
        return [
            f"{_list_sql(name, joined=joined)} AS {name}"
            if name in _LISTS
            else f"{keywords if joined else 'assets.keywords'} AS keywords"
            if name == "keywords"
            else f"assets.{name}"
            for name, _ in self._export_types()
        ]

    def _export(self, selected: list[str], filters: Filters) -> tuple[list[str], Iterator[tuple]]:
        """The export's one statement: the names and rows of ``selected`` of each matching asset
        and its lists (``asset_lists``, migration 009: kept by the writer, read by row number),
        in the public order, read from its index."""
        self._require("009_asset_lists")
        where, params = filters.where()
        cursor = self.conn.execute(_export_sql(selected, where), params)
        return [d[0] for d in cursor.description], cursor

    def _export_one(self, selected: list[str], asset_id: int) -> tuple[list[str], tuple]:
        """``_export`` of the one asset ``asset_id``: what an exported line SQLite could not
        write is made of."""
        cursor = self.conn.execute(_export_sql(selected, "assets.id = ?"), (asset_id,))
        return [d[0] for d in cursor.description], cursor.fetchone()

    def find_assets(self, key: str) -> list[str]:
        """The SHA-256 of the assets ``key`` names: a VIRIN, a SHA-256 (or its first 8+ digits),
        or the path of a file in the catalog (a name that is not UTF-8 as the OS spells it)."""
        text = storable(key.strip())
        found = self._column(
            # The VIRIN key index (006) finds the candidates, the NOCASE test keeps the match
            # exact: ``virin = :v COLLATE NOCASE`` alone reads every asset.
            "SELECT sha256 FROM assets WHERE (upper(trim(virin)) = upper(trim(:v)) "
            "AND virin = :v COLLATE NOCASE) OR virin_base = upper(:v) ORDER BY sha256",
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
                "assets s WHERE upper(trim(s.virin)) = +a.virin_key) AS images "
                f"FROM article_records a {where}",
                params,
            )
        )
        for row in rows:
            row["findings"] = json.loads(row.pop("findings_json"))
            row["images"] = json.loads(row["images"])
        return rows

    def finding_counts(self) -> dict[str, int]:
        """Findings by severity, most first, from the summary the writer keeps (schema 007): the
        import summary's "in the catalog" line and ``stats``."""
        return self._summary_pairs("severity")

    def stats(self) -> dict[str, Any]:
        """Counts for an overview of the catalog, read from the summary tables the writer keeps
        in its own transactions (schema 007): milliseconds, whatever the catalog's size."""

        pairs, total = self._summary_pairs, self._summary_total
        return {
            "assets": total("assets"),
            "publishable": total("publishable"),
            "with_errors": total("with_errors"),
            "thumbnails": total("thumbnails"),
            "locations": dict(sorted(pairs("location_status").items())),
            "findings": self.finding_counts(),
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

    def _summary_pairs(self, facet: str) -> dict[str, int]:
        """The non-zero counts of one summary facet by key, most first."""
        sql = (
            "SELECT key, count FROM summary_counts WHERE facet = ? AND count > 0 "
            "ORDER BY count DESC, key"
        )
        return dict(self.conn.execute(sql, (facet,)).fetchall())

    def _summary_total(self, facet: str) -> int:
        sql = "SELECT coalesce(sum(count), 0) FROM summary_counts WHERE facet = ?"
        return self._one(sql, (facet,))

    @cached_property
    def has_summaries(self) -> bool:
        """Whether the file keeps the summary tables (an internal catalog; the public file and
        a catalog not yet migrated do not): looked up once per ``Catalog``."""
        return "summary_counts" in self.db.table_names()

    def summary_facet(self, facet: str, *, by: str = "key", limit: int = -1) -> list[tuple]:
        """(value, count) of the assets of one desk summary facet (schema 008), most first, at
        most ``limit`` (-1: all); ``by`` is ``key`` or ``detail`` (which part is the value), and
        empty values (NULL in the column) are left out, as Datasette's facets leave NULL out."""
        value = {"key": "key", "detail": "detail"}[by]
        return self.conn.execute(
            f"SELECT {value}, sum(count) AS n FROM summary_counts WHERE facet = ? "
            f"AND {value} != '' GROUP BY {value} HAVING n > 0 ORDER BY n DESC, {value} LIMIT ?",
            (facet, limit),
        ).fetchall()

    def assets_outside(self, facet: str) -> int:
        """How many assets a desk summary facet does not count (those with NULL in its column:
        ``asset_release`` counts no asset without a release status): all assets less its counts."""
        return self._one(
            "SELECT (SELECT coalesce(sum(count), 0) FROM summary_counts WHERE facet = 'assets') - "
            "(SELECT coalesce(sum(count), 0) FROM summary_counts WHERE facet = ?)",
            (facet,),
        )

    def year_counts(self, limit: int) -> list[tuple[str, int]]:
        """(year, assets) of the shot dates that start with a year, newest first (schema 008's
        months): the assets table's year facet."""
        return self.conn.execute(
            "SELECT substr(key, 1, 4) AS year, sum(count) AS n FROM summary_counts "
            "WHERE facet = 'asset_month' AND key GLOB '[0-9][0-9][0-9][0-9]-*' "
            "GROUP BY year HAVING n > 0 ORDER BY year DESC LIMIT ?",
            (limit,),
        ).fetchall()

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

    @staticmethod
    def keyword_condition(parameter: str) -> str:
        """The assets table's condition "has the keyword ``:parameter``" (a table filter of the
        desk): one look-up in the keywords table's index, where a test of the ``keywords`` JSON
        (Datasette's ``__arraycontains``) reads every asset's array, seconds at a million.

        The keyword's assets are given by row number, so that a filter the page adds on an
        indexed column (a facet value clicked: a release status, a photographer) is checked by
        one look-up per asset in that column's index (its entries end with the row number;
        migration 010). Given by ``sha256``, SQLite preferred to read every asset of that
        value (900,000 for "Released" at a million) and test each against the keyword's list;
        it knows a keyword is rarer than a release status from the catalog's planner statistics
        (migration 011), without which it still did so once a year was added."""
        return (
            "id IN (SELECT tagged.id FROM keywords JOIN assets AS tagged "
            f"ON tagged.sha256 = keywords.sha256 WHERE keywords.keyword = :{parameter})"
        )

    #: The assets' columns ``asset_facets_sql`` counts as Datasette's column facet does.
    ASSET_FACET_COLUMNS = ("virin_service_name", "photographer_name", "release_status")
    #: ``asset_facets_sql``'s facets besides those columns: the years of ``shot_date``, the assets
    #: without a release status, and the keywords (each asset's JSON array).
    ASSET_YEARS, ASSETS_WITHOUT_STATUS, ASSET_KEYWORDS = "year", "no status", "keywords"

    @staticmethod
    def asset_facets_sql(rows_sql: str, limit: int) -> str:
        """One query counting every facet of the assets table over the rows ``rows_sql`` selects
        (a filtered table page's; its parameters are the page's): rows (facet, value, count), at
        most ``limit`` a facet. Datasette's facets each select the filter's rows again (about
        15 ms each for the 1,600 assets of a keyword at a million); here they are read once.

        The counts are Datasette's: a column's non-NULL values by count, then value; the years
        of the ISO dates, newest first; the keywords as its array facet counts them, each value
        once an asset (``json_each`` of the ``keywords`` array); and the assets whose release
        status is NULL."""
        by_count = f"ORDER BY count DESC, value LIMIT {int(limit)}"
        columns = [
            f"SELECT '{c}', {c} AS value, count(*) AS count FROM page WHERE {c} IS NOT NULL "
            f"GROUP BY value {by_count}"
            for c in Catalog.ASSET_FACET_COLUMNS
        ]
        others = [
            f"SELECT '{Catalog.ASSET_YEARS}', substr(shot_date, 1, 4) AS value, count(*) FROM page "
            "WHERE shot_date GLOB '[0-9][0-9][0-9][0-9]-*' "
            f"GROUP BY value ORDER BY value DESC LIMIT {int(limit)}",
            f"SELECT '{Catalog.ASSET_KEYWORDS}', value, count(*) AS count FROM "
            "(SELECT DISTINCT page.id, j.value FROM page, json_each(page.keywords) j) "
            f"GROUP BY value {by_count}",
            f"SELECT '{Catalog.ASSETS_WITHOUT_STATUS}', NULL, count(*) FROM page "
            "WHERE release_status IS NULL",
        ]
        read = ", ".join(("id", "shot_date", "keywords", *Catalog.ASSET_FACET_COLUMNS))
        return f"WITH page AS MATERIALIZED (SELECT {read} FROM ({rows_sql}))\n" + (
            "\nUNION ALL ".join(f"SELECT * FROM ({one})" for one in columns + others)
        )

    # --- the desk home page (catalog.web.desk) --------------------------------------------------

    def desk_counts(self, *, internal: bool) -> dict[str, int]:
        """The headline counts of the desk's health panel: the internal catalog's assets,
        publishable, with errors, thumbnails and locations by status; of a public file, its
        assets and thumbnails only (it holds nothing else)."""
        if internal and self.has_summaries:
            counts = {
                facet: self._summary_total(facet)
                for facet in ("assets", "thumbnails", "publishable", "with_errors")
            }
            for status, count in sorted(self._summary_pairs("location_status").items()):
                counts[f"{status}_files"] = count
            return counts
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
        most assets first (the summary the writer keeps, schema 008)."""
        return list(
            self.db.query(
                "SELECT s.key AS code, r.name, s.count AS assets FROM summary_counts s "
                "LEFT JOIN rules r ON r.code = s.key "
                "WHERE s.facet = 'rule_assets' AND s.detail = 'error' AND s.count > 0 "
                "ORDER BY assets DESC, code"
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
        first: the choices of a filter, at most ``limit`` of them (-1: all). Read from the
        summaries where the catalog keeps one for the column (schema 008)."""
        summary = _SUMMARY_COLUMNS.get(column)
        if summary and self.has_summaries:
            label = "nullif(max(detail), '')" if labelled_by else "key"
            return self.conn.execute(
                f"SELECT key, {label}, sum(count) AS n FROM summary_counts WHERE facet = ? "
                "AND key != '' GROUP BY key HAVING n > 0 ORDER BY n DESC, key LIMIT ?",
                (summary, limit),
            ).fetchall()
        label = labelled_by or column
        return self.conn.execute(
            f"SELECT {column}, max({label}), count(*) FROM assets "
            f"WHERE coalesce({column}, '') != '' GROUP BY {column} ORDER BY 3 DESC, 1 LIMIT ?",
            (limit,),
        ).fetchall()

    def finding_codes(self) -> list[tuple[str, str | None]]:
        """(code, rule name) of every rule with a finding in the catalog, by code."""
        return self.conn.execute(
            "SELECT f.code, r.name FROM (SELECT DISTINCT key AS code FROM summary_counts "
            "WHERE facet = 'rule' AND count > 0) f "
            "LEFT JOIN rules r ON r.code = f.code ORDER BY f.code"
        ).fetchall()

    # --- validate --db ------------------------------------------------------------------------

    def _require(self, migration: str) -> None:
        """Refuse a catalog not yet brought to ``migration``, which what a command reads needs: a
        read-only command may not apply it, so it asks for the command that does (one line)."""
        applied = "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? AND name = ?"
        if self.conn.execute(applied, (MIGRATIONS.name, migration)).fetchone() is None:
            raise CatalogError(
                f"{self.path}: made by an earlier release; open it once with "
                f"`catalog stats --db {self.path}` to upgrade it"
            )

    def reported_locations(self) -> Iterator[tuple]:
        """(path, sha256, status, skip_code, skip_reason) of every present or skipped location,
        by path (streamed): what ``validate --db`` reports on. A catalog made before
        skips had codes (schema 002) is a ``CatalogError`` asking for the upgrade that gives
        them."""
        self._require("003_skip_codes")
        return self.conn.execute(
            "SELECT path, sha256, status, skip_code, skip_reason FROM locations "
            "WHERE status IN ('present', 'skipped') ORDER BY path"
        )

    def findings_by_path(self) -> Iterator[tuple]:
        """(path, sha256, code, severity, message, field, part, values_json) of every stored
        finding, by path and then in the order they were found (streamed). Which of them are a
        present location's now (same path and content) the caller sees as it merges them with
        ``reported_locations``: a join with the locations here cost a look-up per finding."""
        return self.conn.execute(
            "SELECT path, sha256, code, severity, message, field, part, values_json "
            "FROM findings ORDER BY path, id"
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

    def collection_members(self) -> list[tuple[str, str, str, str | None]]:
        """(path, sha256, virin, perceptual_hash) of every present location whose VIRIN (as the
        collection rules compare them) another content carries too: the only files the whole-set
        rules can say anything about in a catalog, which keeps one record (one VIRIN) per
        content. The shared VIRINs come from ``virin_counts`` (schema 007), or SQL grouping in an
        older catalog; a handful of rows however large the catalog."""
        if "virin_counts" in self.db.table_names():
            sql = "SELECT virin FROM virin_counts WHERE assets > 1"
        else:
            sql = (
                "SELECT upper(trim(virin)) FROM assets WHERE virin IS NOT NULL"
                " GROUP BY 1 HAVING count(*) > 1"
            )
        return collection_members(self.conn, self._column(sql, ()), self._picture)

    # --- publish --------------------------------------------------------------------------------

    def assets_to_publish(
        self, columns: Sequence[str], release_fields: Sequence[str]
    ) -> Iterator[dict[str, Any]]:
        """Every asset in the public catalog's order with all that publishing decides it on and
        copies of it, in one statement read in index order (``idx_assets_public_order``, no
        sort), so that publish holds one asset at a time whatever the catalog's size.

        Each row: ``columns``, ``publishable``, ``primary_path``, ``error_codes`` (the distinct
        codes of its error findings, comma-separated), and for an asset the store holds
        publishable (NULL otherwise, as it stays out anyway): ``release_values`` (JSON ``[[field,
        value, error], ...]`` of every source's value of ``release_fields``),
        ``unpublishable_locations`` (locations that did not decide their file publishable),
        ``recheck`` (JSON ``[[path, size, mtime_ns, ctime_ns, inode, head_sha256], ...]`` of its
        present locations, what publish compares with the files), ``keyword_rows`` (JSON
        ``[[position, keyword], ...]``) and ``thumbnail`` (the stored JPEG). Every part is an
        indexed lookup of the asset's own rows, so the statement is linear in the catalog."""
        self._require("005_run_status")  # the files' change times publish re-checks
        marks = ", ".join("?" * len(release_fields))
        selected = ", ".join(f"a.{c}" for c in columns)
        sql = f"""
            SELECT {selected}, a.publishable, a.primary_path,
                (SELECT group_concat(code) FROM (SELECT DISTINCT f.code AS code FROM findings f
                    WHERE f.sha256 = a.sha256 AND +f.severity = 'error' ORDER BY 1)
                ) AS error_codes,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT json_group_array(json_array(v.field, v.value, v.error))
                    FROM field_values v WHERE v.sha256 = a.sha256 AND v.field IN ({marks})
                ) END AS release_values,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT count(*) FROM locations l
                    WHERE l.sha256 = a.sha256 AND l.publishable IS NOT 1
                ) END AS unpublishable_locations,
                CASE WHEN a.publishable = 1 THEN (
                    SELECT json_group_array(json_array(l.path, l.size, l.mtime_ns, l.ctime_ns,
                        l.inode, l.head_sha256))
                    FROM locations l WHERE l.sha256 = a.sha256 AND l.status = 'present'
                ) END AS recheck,
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


def _export_sql(selected: list[str], where: str) -> str:
    """The export's statement: ``selected`` of the assets for which ``where`` holds, with their
    lists (``lists``), in the public order."""
    return f"""
        SELECT {", ".join(selected)}
        FROM assets LEFT JOIN asset_lists lists ON lists.id = assets.id
        WHERE {where} ORDER BY shot_date, virin, sha256
    """


def _list_sql(name: str, *, joined: bool) -> str:
    """One of an asset's kept lists (``_LISTS``) as SQL: its JSON array (``[]`` for none), or
    its items ``joined`` by "; " as CSV writes them (NULL for none)."""
    return f"lists.{name}_text" if joined else f"coalesce(lists.{name}, '[]')"


def _exported(names: list[str], values: tuple) -> dict[str, Any]:
    """An exported asset as a dict (``Catalog.export_rows``), its JSON lists parsed."""
    row = dict(zip(names, values, strict=True))
    row["keywords"] = _keywords(row["keywords"])
    row["paths"] = json.loads(row["paths"])
    row["finding_codes"] = json.loads(row["finding_codes"])
    return row


def _keywords(stored: str | None) -> list[str]:
    return json.loads(stored) if stored else []
