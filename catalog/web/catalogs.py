"""Which of the databases a Datasette serves are catalogs, and of which kind.

The plugin changes nothing about other databases: it recognizes an internal catalog by the
``catalog`` migration set of the store and its tables, and a public catalog by the publication
table ``catalog publish`` writes. Recognition happens once, at Datasette's startup (it needs to
query), and is kept per Datasette instance for the synchronous hooks (metadata, cells).
"""

from __future__ import annotations

import sqlite3
import weakref
from pathlib import Path
from typing import Any

from catalog.store.catalog import catalog_identity
from catalog.store.public_schema import PUBLIC_TABLES, PUBLICATION_TABLE
from catalog.store.schema import COLUMN_DESCRIPTIONS, MIGRATIONS
from catalog.web.config import INTERNAL, PUBLIC

_INTERNAL_TABLES = frozenset(COLUMN_DESCRIPTIONS)
_PUBLIC_TABLES = frozenset({*PUBLIC_TABLES, PUBLICATION_TABLE})

#: Datasette instance -> {database name: kind}.
_KINDS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


async def recognize(datasette: Any) -> dict[str, str]:
    """Look at every database of ``datasette`` and remember which are catalogs."""
    kinds = {}
    for name, database in datasette.databases.items():
        kind = await _kind(database)
        if kind:
            kinds[name] = kind
    _KINDS[datasette] = kinds
    return kinds


def catalog_kinds(datasette: Any) -> dict[str, str]:
    """The catalogs ``recognize`` found (empty before Datasette's startup)."""
    return _KINDS.get(datasette, {})


def catalog_kind_of(datasette: Any, database: str | None) -> str | None:
    return catalog_kinds(datasette).get(database) if database else None


def kind_from(tables: set[str], migration_sets: set[str]) -> str | None:
    """The kind of catalog a database with these tables and migration sets is, or None.

    A file with the internal tables is internal even when it also has the publication table: the
    kind decides what is *offered*, and a file holding internal tables is never a public one.
    """
    if tables >= _INTERNAL_TABLES:
        return INTERNAL if MIGRATIONS.name in migration_sets else None
    if tables >= _PUBLIC_TABLES:
        return PUBLIC
    return None


async def _kind(database: Any) -> str | None:
    return kind_from(*await database.execute_fn(catalog_identity))


def kind_of_file(path: Path) -> str | None:
    """The kind of catalog the SQLite file at ``path`` is (read-only look), or None."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return kind_from(*catalog_identity(conn))
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
