"""Opening a catalog: one SQLite file, in WAL mode, migrated to the current schema.

WAL with ``synchronous=NORMAL`` lets readers (``catalog search``, Datasette) read while an import
writes, and keeps every committed transaction across a killed process: only a power loss can cost
the last transactions, never consistency. Foreign keys are on so that removing an asset removes
its keywords, findings and thumbnail with it.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from catalog.store.schema import MIGRATIONS

#: How long a writer waits for another connection's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000


class CatalogMissing(FileNotFoundError):
    """There is no catalog file where one was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: no catalog here (create one with `catalog import`)")
        self.path = path


def open_catalog(path: Path | str, *, create: bool = True) -> Database:
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
    return db
