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
import os
import socket
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
#: A run still 'running' whose last commit is older than this is taken as dead even when a
#: process with its id exists (the id may have been reused, or the run was on another machine).
STALE_AFTER = dt.timedelta(hours=1)
SEVERITIES = ("error", "warning", "info")
_INSERT_FINDING = (
    "INSERT INTO findings (sha256, path, code, severity, field, part, message, values_json)"
    " VALUES (:sha256, :path, :code, :severity, :field, :part, :message, :values_json)"
)


#: What the writer's connection notes of this run for the collection rules, in temporary tables
#: kept by temporary triggers (so every way a row changes is seen, and no other connection's):
#: the VIRIN keys (``upper(trim(virin))``) of assets and locations written, re-read, changed or
#: gone, and the collection findings deleted along the way (to tell new from resolved).
_RUN_TRACKING = """
CREATE TEMP TABLE IF NOT EXISTS touched_virins (virin TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS removed_collection_findings (
    sha256 TEXT, path TEXT, code TEXT, severity TEXT, field TEXT, part TEXT, message TEXT,
    values_json TEXT
);
CREATE TEMP TRIGGER IF NOT EXISTS touched_asset_ai AFTER INSERT ON main.assets BEGIN
    INSERT INTO touched_virins SELECT upper(trim(new.virin))
        WHERE new.virin IS NOT NULL
        ON CONFLICT DO NOTHING;
END;
CREATE TEMP TRIGGER IF NOT EXISTS touched_asset_ad AFTER DELETE ON main.assets BEGIN
    INSERT INTO touched_virins SELECT upper(trim(old.virin))
        WHERE old.virin IS NOT NULL
        ON CONFLICT DO NOTHING;
END;
CREATE TEMP TRIGGER IF NOT EXISTS touched_asset_au AFTER UPDATE OF virin ON main.assets BEGIN
    INSERT INTO touched_virins SELECT upper(trim(old.virin))
        WHERE old.virin IS NOT NULL
        ON CONFLICT DO NOTHING;
    INSERT INTO touched_virins SELECT upper(trim(new.virin))
        WHERE new.virin IS NOT NULL
        ON CONFLICT DO NOTHING;
END;
CREATE TEMP TRIGGER IF NOT EXISTS touched_location_ai AFTER INSERT ON main.locations BEGIN
    INSERT INTO touched_virins SELECT upper(trim(virin)) FROM main.assets
        WHERE sha256 = new.sha256 AND virin IS NOT NULL
        ON CONFLICT DO NOTHING;
END;
CREATE TEMP TRIGGER IF NOT EXISTS touched_location_au AFTER UPDATE OF status, sha256
    ON main.locations BEGIN
    INSERT INTO touched_virins SELECT upper(trim(virin)) FROM main.assets
        WHERE sha256 IN (old.sha256, new.sha256) AND virin IS NOT NULL
        ON CONFLICT DO NOTHING;
END;
CREATE TEMP TRIGGER IF NOT EXISTS removed_collection_finding AFTER DELETE ON main.findings
    WHEN old.code GLOB 'SET*' BEGIN
    INSERT INTO removed_collection_findings VALUES (old.sha256, old.path, old.code,
        old.severity, old.field, old.part, old.message, old.values_json);
END;
"""


@dataclass(frozen=True, slots=True)
class Known:
    """What the catalog remembers of a path: the stat signature it was read with, and its state."""

    signature: tuple[int, int, int | None, int, str]
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
        self.conn.executescript(_RUN_TRACKING)

    # --- the run --------------------------------------------------------------------------

    def start_run(self, roots: Iterable[str], arguments: dict[str, Any]) -> int:
        """Record the start of a run, refresh the rules table, and return the run id.

        Under the same write lock, runs left 'running' by an import that is gone (killed with
        ``kill -9``, a power loss) are marked interrupted with the counts of what they committed:
        a run is gone when its process no longer exists on this machine, or when it has not
        committed for ``STALE_AFTER``; a run from before pids were recorded is gone too.
        """
        with self.db.atomic():
            self._sync_rules()  # the first write: the lock is held from here
            for run_id, pid, host, heartbeat in self.conn.execute(
                "SELECT id, pid, host, heartbeat_at FROM import_runs WHERE status = 'running'"
            ).fetchall():
                if not _still_running(pid, host, heartbeat):
                    self._mark_interrupted(run_id)
            started = now()
            cursor = self.conn.execute(
                "INSERT INTO import_runs (started_at, status, arguments, roots, pid, host, "
                "heartbeat_at) VALUES (?, 'running', ?, ?, ?, ?, ?)",
                (
                    started,
                    json.dumps(arguments),
                    json.dumps(list(roots)),
                    os.getpid(),
                    socket.gethostname(),
                    started,
                ),
            )
        self.run_id = cursor.lastrowid
        return self.run_id

    def store_run_findings(self, rows: list[dict[str, Any]]) -> None:
        """Store what the run found about its manifests and articles (finding rows with the
        ``path`` of the file concerned): kept with the run, not only printed."""
        with self.db.atomic():
            self.conn.executemany(
                "INSERT INTO run_findings (run_id, path, code, severity, field, part, message, "
                "values_json) VALUES (:run_id, :path, :code, :severity, :field, :part, :message, "
                ":values_json)",
                [{**row, "run_id": self.run_id} for row in rows],
            )

    def _mark_interrupted(self, run_id: int | None) -> None:
        """Mark the run interrupted, with the counts of the files it did commit."""
        self.conn.execute(
            """
UPDATE import_runs SET status = 'interrupted',
    imported = (SELECT count(*) FROM locations WHERE first_seen_run_id = :run
        AND read_run_id = :run AND status = 'present'),
    updated = (SELECT count(*) FROM locations WHERE read_run_id = :run
        AND first_seen_run_id != :run AND status = 'present'),
    skipped = (SELECT count(*) FROM locations WHERE read_run_id = :run AND status = 'skipped'),
    missing = (SELECT count(*) FROM locations WHERE missing_since_run_id = :run)
WHERE id = :run""",
            {"run": run_id},
        )

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
                self._mark_interrupted(self.run_id)

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

    # --- article records and remembered companions -----------------------------------------

    def replace_article_records(self, page: str, rows: list[dict[str, Any]]) -> None:
        """The photo blocks of ``page`` as this run read them, in place of earlier ones."""
        self.commit()
        with self.db.atomic():
            self.conn.execute("DELETE FROM article_records WHERE page = ?", (page,))
            self.conn.executemany(
                "INSERT INTO article_records (page, block, line, end_line, title, caption, credit,"
                " virin, virin_key, complete, findings_json, read_run_id) VALUES (:page, :block,"
                " :line, :end_line, :title, :caption, :credit, :virin, :virin_key, :complete,"
                " :findings_json, :run)",
                [{**row, "page": page, "run": self.run_id} for row in rows],
            )

    def remembered_companions(self, roots: Iterable[str]) -> list[tuple[str, str]]:
        """(kind, path) of the manifests and articles remembered for ``roots``, in the order
        they were first given, each once."""
        roots = list(roots)
        marks = ", ".join("?" * len(roots))
        rows = self.conn.execute(
            f"SELECT kind, path FROM companions WHERE root IN ({marks}) GROUP BY kind, path "
            "ORDER BY min(rowid)",
            roots,
        )
        return [(kind, path) for kind, path in rows]

    def remember_companions(self, roots: Iterable[str], given: Iterable[tuple[str, str]]) -> None:
        """Remember the (kind, path) companions ``given`` for each of ``roots``."""
        rows = [(root, kind, path, self.run_id) for root in roots for kind, path in given]
        self.commit()
        with self.db.atomic():
            self.conn.executemany(
                "INSERT INTO companions (root, kind, path, given_run_id) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (root, path) DO UPDATE SET given_run_id = excluded.given_run_id",
                rows,
            )

    def forget_companions(self, paths: Iterable[str]) -> int:
        """Forget the manifests and articles at ``paths`` for every root; how many were known.
        The records an article gave stay until it is given again."""
        paths = list(paths)
        self.commit()
        with self.db.atomic():
            return sum(
                self.conn.execute("DELETE FROM companions WHERE path = ?", (path,)).rowcount
                for path in paths
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
        """Commit the batch, with the run's heartbeat (it is alive: ``start_run``)."""
        if self.conn.in_transaction:
            self.conn.execute(
                "UPDATE import_runs SET heartbeat_at = ? WHERE id = ?", (now(), self.run_id)
            )
            self.conn.execute("COMMIT")
        self._pending = 0

    # --- what the catalog knows -----------------------------------------------------------

    def known_files(self, folder: str) -> dict[str, Known]:
        """The files of ``folder`` the catalog knows, by name: one indexed query per folder."""
        rows = self.conn.execute(
            "SELECT name, size, mtime_ns, ctime_ns, inode, companions, status FROM locations "
            "WHERE folder = ?",
            (folder,),
        )
        return {
            name: Known((size, mtime, ctime, inode, companions or ""), status)
            for name, size, mtime, ctime, inode, companions, status in rows
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
            self._put_asset(stat, result.rows, result.head_sha256)
        if previous and previous[0] and (result.rows is None or previous[0] != result.rows.sha256):
            self._forget_content(previous[0], stat.path)
        self._file_done()
        if result.rows is None:
            return Outcome.SKIPPED
        return Outcome.UPDATED if previous else Outcome.IMPORTED

    def _put_asset(self, stat: FileStat, rows: AssetRows, head: str | None) -> None:
        sha = rows.sha256
        first = self.conn.execute(
            "SELECT min(path) FROM locations WHERE sha256 = ? AND status = 'present' AND path != ?",
            (sha, stat.path),
        ).fetchone()[0]
        if first is None or stat.path < first:
            self._put_record(rows, stat.path)
        publishable = rows.asset["publishable"]
        self._put_location(stat, sha, "present", None, publishable=publishable, head=head)
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
        head: str | None = None,
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
                "ctime_ns": stat.ctime_ns,
                "head_sha256": head,
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

    def touched_collection(self) -> list[tuple[str, str, str, str | None]]:
        """(path, sha256, virin, perceptual_hash) of every present location whose VIRIN this run
        touched (a file written, re-read, moved, changed or gone with that VIRIN, before or after)
        and another content carries too: what the collection rules must check again after this
        run. The rest of the catalog cannot have changed its collection findings. Through the
        indexes (``virin_counts``, the VIRIN key): no read of the whole catalog."""
        shared = self.conn.execute(
            "SELECT t.virin FROM temp.touched_virins t"
            " JOIN virin_counts c ON c.virin = t.virin AND c.assets > 1"
        )
        return collection_members(self.conn, [key for (key,) in shared])

    def recheck_whole_collection(self) -> None:
        """Have ``touched_collection`` cover every VIRIN that is shared or has collection
        findings: after an interrupted run, whose touched VIRINs were never checked again."""
        self.conn.execute(
            "INSERT OR IGNORE INTO temp.touched_virins SELECT virin FROM virin_counts"
            " WHERE assets > 1 UNION SELECT upper(trim(a.virin)) FROM findings f"
            " JOIN assets a ON a.sha256 = f.sha256 WHERE f.code GLOB 'SET*' AND a.virin IS NOT NULL"
        )

    def previous_run_completed(self) -> bool:
        """Whether the run before this one (if any) completed, reconciling what it touched."""
        row = self.conn.execute(
            "SELECT status FROM import_runs WHERE id < ? ORDER BY id DESC LIMIT 1", (self.run_id,)
        ).fetchone()
        return row is None or row[0] == "completed"

    def replace_collection_findings(
        self, rows: list[dict[str, Any]]
    ) -> tuple[set[tuple[str, str, str]], list[dict[str, Any]]]:
        """Replace the collection findings (codes starting with ``SET``) of the VIRINs this run
        touched with ``rows`` (finding rows with ``sha256`` and ``path``), recount the assets
        concerned, and say what changed: the (path, code, message) of the rows that are new,
        and the rows that are gone (resolved). Findings of VIRINs the run did not touch stay as
        they are; those of the files this run re-read are compared with what they were before
        the run deleted them, so a finding that stays is neither new nor resolved."""
        self._begin()
        current = [
            row
            for (key,) in self.conn.execute("SELECT virin FROM temp.touched_virins").fetchall()
            for row in self.conn.execute(
                "SELECT f.id, f.sha256, f.path, f.code, f.severity, f.field, f.part, f.message,"
                " f.values_json FROM assets a JOIN findings f ON f.sha256 = a.sha256"
                " WHERE upper(trim(a.virin)) = ? AND f.code GLOB 'SET*'",
                (key,),
            )
        ]
        before = {
            (path, code, message): {
                "sha256": sha,
                "path": path,
                "code": code,
                "severity": severity,
                "field": field,
                "part": part,
                "message": message,
                "values_json": values,
            }
            for _, sha, path, code, severity, field, part, message, values in [
                *current,
                *(
                    (None, *row)
                    for row in self.conn.execute(
                        "SELECT sha256, path, code, severity, field, part, message, values_json"
                        " FROM temp.removed_collection_findings"
                    )
                ),
            ]
        }
        after = {(row["path"], row["code"], row["message"]) for row in rows}
        self.conn.executemany("DELETE FROM findings WHERE id = ?", [(r[0],) for r in current])
        self.conn.executemany(_INSERT_FINDING, rows)
        for sha in {r[1] for r in current} | {row["sha256"] for row in rows}:
            self._count_findings(sha)
        self.conn.execute("DELETE FROM temp.touched_virins")
        self.conn.execute("DELETE FROM temp.removed_collection_findings")
        self.commit()
        resolved = [row for key, row in before.items() if key not in after]
        return after - set(before), resolved

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


def _still_running(pid: int | None, host: str | None, heartbeat: str | None) -> bool:
    """Whether the import that recorded ``pid``, ``host`` and its last ``heartbeat`` may still
    be running (when in doubt, yes, until the heartbeat is ``STALE_AFTER`` old)."""
    if pid is None or heartbeat is None:
        return False  # recorded before runs had a pid: nothing can show it is alive
    if dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(heartbeat) > STALE_AFTER:
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user has that id
    return True


def collection_members(
    conn: sqlite3.Connection, keys: list[str], picture: str = "a.perceptual_hash"
) -> list[tuple[str, str, str, str | None]]:
    """(path, sha256, virin, perceptual_hash) of the present locations of the assets whose VIRIN
    key (``upper(trim(virin))``) is one of ``keys``, by path; ``picture`` is the SQL of the hash
    (``NULL`` in a catalog not yet migrated). One indexed query per key: SQLite uses the
    expression index for a key it is given, never for a join with a list of them (it then reads
    every location: 13 s at a million assets)."""
    members = [
        row
        for key in keys
        for row in conn.execute(
            f"SELECT l.path, a.sha256, a.virin, {picture} FROM assets a"
            " JOIN locations l ON l.sha256 = a.sha256 AND l.status = 'present'"
            " WHERE upper(trim(a.virin)) = ?",
            (key,),
        )
    ]
    return sorted(members)
