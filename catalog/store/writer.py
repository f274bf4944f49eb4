"""The one writer of an import: stores each file's rows atomically, in batched transactions.

Every file's rows - its location, asset, keywords, findings, field values and thumbnail - are
written inside one transaction, and a transaction holds whole files only, so a catalog is never
left with half a file, whenever the process dies. Transactions are committed every
``BATCH_FILES`` files or ``BATCH_SECONDS`` seconds: one commit per file would make the commit
(a WAL append and its bookkeeping) the bottleneck on small files.

The asset row holds the record read from its *primary* location: the first of its present paths in
sort order. A file found at a new path with known content adds a location; its record replaces the
asset's only when that path sorts first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from catalog.core.rules import all_rules
from catalog.files.walk import FileStat
from catalog.store.rows import AssetRows, FileRows, Outcome, Skip

BATCH_FILES = 500
BATCH_SECONDS = 1.0
SEVERITIES = ("error", "warning", "info")
_INSERT_FINDING = (
    "INSERT INTO findings (sha256, path, code, severity, field, part, message, values_json)"
    " VALUES (:sha256, :path, :code, :severity, :field, :part, :message, :values_json)"
)


@dataclass(frozen=True, slots=True)
class Known:
    """What the catalog remembers of a path: the stat signature it was read with, and its state."""

    signature: tuple[int, int, int, str]
    status: str


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class CatalogWriter:
    """Writes one import run into an open catalog (``Catalog.writer``)."""

    def __init__(self, db: Database, *, batch_files: int = BATCH_FILES) -> None:
        self.db = db
        self.batch_files = batch_files
        self.conn = db.conn
        self.run_id: int | None = None
        self._pending = 0
        self._since = time.monotonic()
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS scanned_folders "
            "(folder TEXT PRIMARY KEY, listed INTEGER NOT NULL)"
        )

    # --- the run --------------------------------------------------------------------------

    def start_run(self, roots: Iterable[str], arguments: dict[str, Any]) -> int:
        """Record the start of a run, refresh the rules table, and return the run id."""
        with self.db.atomic():
            self._sync_rules()
            cursor = self.conn.execute(
                "INSERT INTO import_runs (started_at, status, arguments, roots) "
                "VALUES (?, 'running', ?, ?)",
                (now(), json.dumps(arguments), json.dumps(list(roots))),
            )
        self.run_id = cursor.lastrowid
        return self.run_id

    def finish_run(self, counts: dict[str, int]) -> None:
        """Commit what is pending and record the run's counts."""
        self.commit()
        columns = ", ".join(f"{name} = :{name}" for name in counts)
        with self.db.atomic():
            self.conn.execute(
                f"UPDATE import_runs SET finished_at = :finished, status = 'completed', {columns} "
                "WHERE id = :run",
                {**counts, "finished": now(), "run": self.run_id},
            )

    def abandon(self) -> None:
        """Roll back the batch in progress (it may hold half a file) and mark the run
        interrupted; the files of earlier batches stay, and the next run completes the rest.

        Best effort: after a full disk or an I/O error even the mark may not be writable, and
        the error that stopped the run is the one to report, so a failure here is swallowed.
        """
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            with self.db.atomic():
                self.conn.execute(
                    "UPDATE import_runs SET status = 'interrupted' WHERE id = ?", (self.run_id,)
                )

    def _sync_rules(self) -> None:
        self.conn.executemany(
            "INSERT INTO rules (code, name, severity, summary, explanation, good, bad, fix) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
            " severity = excluded.severity, summary = excluded.summary,"
            " explanation = excluded.explanation, good = excluded.good, bad = excluded.bad,"
            " fix = excluded.fix",
            [
                (r.code, r.name, r.severity.value, r.summary, r.explanation, r.good, r.bad, r.fix)
                for r in all_rules()
            ],
        )

    # --- transactions ---------------------------------------------------------------------

    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            self._since = time.monotonic()

    def _file_done(self) -> None:
        self._pending += 1
        if self._pending >= self.batch_files or time.monotonic() - self._since >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self._pending = 0

    # --- what the catalog knows -----------------------------------------------------------

    def known_files(self, folder: str) -> dict[str, Known]:
        """The files of ``folder`` the catalog knows, by name: one indexed query per folder."""
        rows = self.conn.execute(
            "SELECT name, size, mtime_ns, inode, companions, status FROM locations "
            "WHERE folder = ?",
            (folder,),
        )
        return {
            name: Known((size, mtime, inode, companions or ""), status)
            for name, size, mtime, inode, companions, status in rows
        }

    # --- writing files --------------------------------------------------------------------

    def write(self, result: FileRows) -> Outcome:
        """Store one file's result: ``SKIPPED``, or ``IMPORTED`` (a new path) or ``UPDATED``."""
        self._begin()
        stat = result.stat
        previous = self.conn.execute(
            "SELECT sha256 FROM locations WHERE path = ?", (stat.path,)
        ).fetchone()
        if result.rows is None:
            self._put_location(stat, None, "skipped", result.skip, publishable=None)
        else:
            self._put_asset(stat, result.rows)
        if previous and previous[0] and (result.rows is None or previous[0] != result.rows.sha256):
            self._forget_content(previous[0], stat.path)
        self._file_done()
        if result.rows is None:
            return Outcome.SKIPPED
        return Outcome.UPDATED if previous else Outcome.IMPORTED

    def _put_asset(self, stat: FileStat, rows: AssetRows) -> None:
        sha = rows.sha256
        first = self.conn.execute(
            "SELECT min(path) FROM locations WHERE sha256 = ? AND status = 'present' AND path != ?",
            (sha, stat.path),
        ).fetchone()[0]
        if first is None or stat.path < first:
            self._put_record(rows, stat.path)
        self._put_location(stat, sha, "present", None, publishable=rows.asset["publishable"])
        self.conn.execute("DELETE FROM findings WHERE sha256 = ? AND path = ?", (sha, stat.path))
        self.conn.executemany(
            _INSERT_FINDING,
            [{**f, "sha256": sha, "path": stat.path} for f in rows.findings],
        )
        self._count_findings(sha)

    def _put_record(self, rows: AssetRows, path: str) -> None:
        """Insert or update the asset row with the record read at ``path``, and its details."""
        sha = rows.sha256
        values = {
            **rows.asset,
            "primary_path": path,
            "first_run_id": self.run_id,
            "updated_run_id": self.run_id,
        }
        self._upsert("assets", values, key="sha256", keep=("first_run_id",))
        self.conn.execute("DELETE FROM keywords WHERE sha256 = ?", (sha,))
        self.conn.executemany(
            "INSERT INTO keywords (sha256, position, keyword) VALUES (?, ?, ?)",
            [(sha, i, keyword) for i, keyword in enumerate(rows.keywords)],
        )
        self.conn.execute("DELETE FROM field_values WHERE sha256 = ?", (sha,))
        self.conn.executemany(
            "INSERT INTO field_values (sha256, field, source, value, chosen, error) "
            "VALUES (:sha256, :field, :source, :value, :chosen, :error)",
            [{**v, "sha256": sha} for v in rows.field_values],
        )
        if rows.thumbnail is not None:
            self.conn.execute(
                "INSERT INTO thumbnails (sha256, width, height, jpeg) "
                "VALUES (:sha256, :width, :height, :jpeg) ON CONFLICT (sha256) DO UPDATE SET "
                "width = excluded.width, height = excluded.height, jpeg = excluded.jpeg",
                {**rows.thumbnail, "sha256": sha},
            )

    def _put_location(
        self,
        stat: FileStat,
        sha: str | None,
        status: str,
        skip: Skip | None,
        *,
        publishable: int | None,
    ) -> None:
        self._upsert(
            "locations",
            {
                "path": stat.path,
                "folder": stat.folder,
                "name": stat.name,
                "sha256": sha,
                "status": status,
                "skip_reason": skip and skip.reason,
                "skip_code": skip and skip.code,
                "size": stat.size,
                "mtime_ns": stat.mtime_ns,
                "inode": stat.inode,
                "device": stat.device,
                "companions": stat.companions,
                "first_seen_run_id": self.run_id,
                "read_run_id": self.run_id,
                "missing_since_run_id": None,
                "publishable": publishable,
            },
            key="path",
            keep=("first_seen_run_id",),
        )

    def _upsert(self, table: str, values: dict[str, Any], key: str, keep: tuple[str, ...]) -> None:
        """Insert a row, or update every column of the existing one but ``key`` and ``keep``."""
        columns = list(values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key and c not in keep)
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}",
            values,
        )

    def _forget_content(self, sha: str, path: str) -> None:
        """The file at ``path`` no longer holds ``sha``: drop its findings there, and the asset
        itself when no location (present or missing) holds that content any more."""
        self.conn.execute("DELETE FROM findings WHERE sha256 = ? AND path = ?", (sha, path))
        self.conn.execute(
            "DELETE FROM assets WHERE sha256 = ? "
            "AND NOT EXISTS (SELECT 1 FROM locations WHERE sha256 = ?)",
            (sha, sha),
        )
        self._count_findings(sha)

    def _count_findings(self, sha: str) -> None:
        counts = dict(
            self.conn.execute(
                "SELECT severity, count(*) FROM findings WHERE sha256 = ? GROUP BY severity", (sha,)
            ).fetchall()
        )
        self.conn.execute(
            "UPDATE assets SET error_count = ?, warning_count = ?, info_count = ? WHERE sha256 = ?",
            (*(counts.get(s, 0) for s in SEVERITIES), sha),
        )

    # --- the collection -------------------------------------------------------------------

    def shared_virin_locations(self) -> list[tuple[str, str, str]]:
        """(path, sha256, virin) of every present location whose VIRIN another content carries
        too: the only files the collection rules can say anything about in a catalog, which
        keeps one record (one VIRIN) per content."""
        return self.conn.execute(
            "SELECT l.path, a.sha256, a.virin FROM assets a JOIN locations l ON l.sha256 = a.sha256"
            " WHERE l.status = 'present' AND upper(trim(a.virin)) IN ("
            "  SELECT upper(trim(virin)) FROM assets WHERE virin IS NOT NULL"
            "  GROUP BY upper(trim(virin)) HAVING count(*) > 1)"
        ).fetchall()

    def replace_collection_findings(self, rows: list[dict[str, Any]]) -> None:
        """Replace every collection finding (codes starting with ``SET``) with ``rows``
        (finding rows with ``sha256`` and ``path``), and recount the assets concerned. Collection
        findings depend on other files, so they are recomputed as a whole at the end of a run."""
        self._begin()
        touched = {
            sha
            for (sha,) in self.conn.execute(
                "SELECT DISTINCT sha256 FROM findings WHERE code LIKE 'SET%'"
            )
        }
        self.conn.execute("DELETE FROM findings WHERE code LIKE 'SET%'")
        self.conn.executemany(
            _INSERT_FINDING,
            rows,
        )
        for sha in touched | {row["sha256"] for row in rows}:
            self._count_findings(sha)
        self.commit()

    # --- files gone -----------------------------------------------------------------------

    def folder_scanned(self, folder: str, gone: Iterable[str], *, listed: bool = True) -> int:
        """Note that ``folder`` was scanned, and mark its files ``gone`` (paths) missing.

        ``listed`` False: the folder could not be listed, so nothing below it is missing either.
        """
        self._begin()
        self.conn.execute(
            "INSERT OR IGNORE INTO temp.scanned_folders VALUES (?, ?)", (folder, int(listed))
        )
        return self._mark_missing(
            "path IN (SELECT value FROM json_each(?))", json.dumps(list(gone))
        )

    def folders_gone(self, root: str) -> int:
        """Mark missing every file under the folder ``root`` whose folder was not scanned, except
        below a folder that could not be listed."""
        self._begin()
        prefix = root.rstrip("/") + "/"
        return self._mark_missing(
            "path > ? AND path < ? AND folder NOT IN (SELECT folder FROM temp.scanned_folders)"
            " AND NOT EXISTS (SELECT 1 FROM temp.scanned_folders u WHERE NOT u.listed"
            "  AND path > u.folder || '/' AND path < u.folder || '0')",
            prefix,
            prefix[:-1] + "0",  # "0" sorts right after "/": the end of the prefix range
        )

    def _mark_missing(self, where: str, *params: Any) -> int:
        cursor = self.conn.execute(
            f"UPDATE locations SET status = 'missing', missing_since_run_id = ? "
            f"WHERE status != 'missing' AND {where}",
            (self.run_id, *params),
        )
        self._file_done()
        return cursor.rowcount
