"""``PublicFile``: a new public catalog, its tables cut from the store's by an allow-list.

The public file has no schema of its own to drift from the store's: each public table is the
store's table (as the migrations leave it) with only the allowed columns, each declared as the
store declares it (type, NOT NULL, primary key, UNIQUE, the table it references), and it gets the
store's indexes that fall within those columns. ``catalog.publish.build`` decides what goes in;
this module only writes it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from catalog.store.schema import FTS_COLUMNS, MIGRATIONS


class PublicFile:
    """A public catalog being built at ``path`` (a new, empty file), in one transaction."""

    def __init__(self, path: Path, tables: Mapping[str, Sequence[str]]) -> None:
        self.tables = tables
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.db = Database(self.conn)
        self.conn.execute("PRAGMA secure_delete = ON")  # pages freed while building are zeroed
        self.conn.execute("PRAGMA journal_mode = DELETE")
        self._indexes: list[str] = []

    def create(self, extra_indexes: Mapping[str, Sequence[str]], marker: dict[str, dict]) -> None:
        """The allow-listed tables, their indexes (the store's within the allowed columns, and
        ``extra_indexes``: table -> columns indexed one by one) and the one-row ``marker`` table
        (name -> column types) that tells the file is a public catalog. The indexes are made
        by ``finish``, once the rows are in: one sort each instead of an update per row."""
        for statement in subset_schema(self.tables, extra_indexes):
            if statement.startswith("CREATE INDEX"):
                self._indexes.append(statement)
            else:
                self.conn.execute(statement)
        ((name, columns),) = marker.items()
        self.db[name].create(columns, not_null=set(columns))
        self.conn.execute("BEGIN")

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Write the allowed columns of ``rows`` (a missing one is an error, never a NULL), in
        one statement execution: the build's bulk path."""
        columns = self.tables[table]
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[row[c] for c in columns] for row in rows],
        )

    def finish(self, marker: str, row: dict[str, Any]) -> list[tuple]:
        """Write the ``marker`` row, make the indexes, commit, build the full-text index over
        what was written, and return what SQLite's integrity check says (``[("ok",)]`` when all
        is well)."""
        self.db[marker].insert(row)
        for statement in self._indexes:
            self.conn.execute(statement)
        self.conn.execute("COMMIT")
        self.db["assets"].enable_fts(list(FTS_COLUMNS), tokenize="porter")
        self.conn.execute("INSERT INTO assets_fts (assets_fts) VALUES ('optimize')")
        return self.conn.execute("PRAGMA integrity_check").fetchall()

    def close(self) -> None:
        self.conn.close()


def subset_schema(
    tables: Mapping[str, Sequence[str]], extra_indexes: Mapping[str, Sequence[str]]
) -> list[str]:
    """CREATE statements for ``tables`` (table -> columns kept, in order) as the store defines
    them, and for the store's indexes on kept columns and the ``extra_indexes``."""
    store = _store_schema()
    statements = []
    for table, kept in tables.items():
        columns, constraints, indexes = store[table]
        body = [columns[c] for c in kept]
        body += [c for names, c in constraints if set(names) <= set(kept)]
        statements.append(f"CREATE TABLE {table} (\n    " + ",\n    ".join(body) + "\n)")
        for name, indexed in indexes.items():
            if set(indexed) <= set(kept):
                statements.append(f"CREATE INDEX {name} ON {table}({', '.join(indexed)})")
        for column in extra_indexes.get(table, ()):
            statements.append(f"CREATE INDEX idx_{table}_{column} ON {table}({column})")
    return statements


@cache
def _store_schema() -> dict[str, tuple[dict[str, str], list[tuple[tuple[str, ...], str]], dict]]:
    """Each table of a new catalog (the migrations applied in memory): its column declarations
    by name, its table constraints (a composite primary key) with the columns they need, and its
    indexes (name -> columns)."""
    db = Database(memory=True)
    MIGRATIONS.apply(db)
    conn = db.conn
    schema = {}
    for table in db.table_names():
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        pks = [name for _, name, *_, pk in sorted(info, key=lambda r: r[5]) if pk]
        references = {
            row[3]: f" REFERENCES {row[2]}({row[4]})"
            for row in conn.execute(f"PRAGMA foreign_key_list({table})")
        }
        unique = set()
        indexes = {}
        for _, name, is_unique, origin, _ in conn.execute(f"PRAGMA index_list({table})"):
            indexed = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({name})"))
            if origin == "u" and is_unique and len(indexed) == 1:
                unique.add(indexed[0])
            elif origin == "c":
                indexes[name] = indexed
        columns = {}
        for _, name, kind, not_null, _, _ in info:
            declared = f"{name} {kind}"
            declared += " PRIMARY KEY" if pks == [name] else ""
            declared += " NOT NULL" if not_null else ""
            declared += " UNIQUE" if name in unique else ""
            columns[name] = declared + references.get(name, "")
        constraints = [(tuple(pks), f"PRIMARY KEY ({', '.join(pks)})")] if len(pks) > 1 else []
        schema[table] = (columns, constraints, indexes)
    return schema
