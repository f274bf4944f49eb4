"""The planner statistics a catalog carries (migration 011): fixed rows of ``sqlite_stat1`` that
describe a catalog's shape, so that SQLite plans a query the same way for ten assets or a million
(issue 20: a keyword page with a release status and a year read 900,000 index entries at a
million when SQLite guessed instead)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from catalogs import import_into, rows
from webtools import ASSETS

from catalog.store.catalog import Catalog


def statistics(db: Path) -> list[tuple]:
    return rows(db, "SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx")


def indexes_without_statistics(db: Path) -> list[str]:
    """The catalog's indexes that ``sqlite_stat1`` says nothing of. SQLite names the primary key
    of a WITHOUT ROWID table by the table's name there; the full-text index's own tables and
    sqlite-utils' migration table are SQLite's and sqlite-utils' business, not the catalog's."""
    conn = sqlite3.connect(db)
    try:
        described = {(tbl, idx) for tbl, idx in conn.execute("SELECT tbl, idx FROM sqlite_stat1")}
        missing = []
        for table, without_rowid in conn.execute(
            "SELECT name, wr FROM pragma_table_list WHERE type = 'table' AND schema = 'main' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' "
            "AND name != '_sqlite_migrations'"
        ):
            for _, index, _, origin, _ in conn.execute(f"PRAGMA index_list('{table}')"):
                named = table if without_rowid and origin == "pk" else index
                if (table, named) not in described:
                    missing.append(f"{table}.{index}")
        return missing
    finally:
        conn.close()


def test_a_new_catalog_describes_every_index_to_the_planner(tmp_path):
    """Every index has its row: an index a later migration adds without one would be planned
    from SQLite's guess again (that migration adds its row)."""
    Catalog.open(tmp_path / "catalog.db").close()
    assert statistics(tmp_path / "catalog.db")
    assert indexes_without_statistics(tmp_path / "catalog.db") == []


def test_the_statistics_describe_the_shape_not_the_rows_and_an_import_keeps_them(tmp_path):
    """An empty catalog and one holding the sample collection carry the same rows, written by
    the migration and left alone by the import (nothing re-analyses the file)."""
    Catalog.open(tmp_path / "empty.db").close()
    import_into(tmp_path / "catalog.db", ASSETS)
    assert rows(tmp_path / "catalog.db", "SELECT count(*) FROM assets")[0][0] > 10
    assert statistics(tmp_path / "catalog.db") == statistics(tmp_path / "empty.db")
    assets = dict(
        rows(tmp_path / "catalog.db", "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'assets'")
    )
    assert assets["sqlite_autoindex_assets_1"] == "1000000 1"  # a SHA-256 names one asset
    assert assets["idx_assets_release_status"] == "1000000 250000"  # a handful of statuses


def test_an_upgrade_replaces_statistics_analysed_from_the_rows(tmp_path):
    """A catalog someone analysed (``ANALYZE``: the counts of that day) gets the shape's rows."""
    Catalog.open(tmp_path / "new.db").close()
    import_into(tmp_path / "old.db", ASSETS)
    with closing(sqlite3.connect(tmp_path / "old.db")) as old, old:  # back to 010, analysed
        old.execute("DELETE FROM _sqlite_migrations WHERE name = '011_planner_statistics'")
        old.execute("ANALYZE")
    assert statistics(tmp_path / "old.db") != statistics(tmp_path / "new.db")
    Catalog.open(tmp_path / "old.db").close()
    assert statistics(tmp_path / "old.db") == statistics(tmp_path / "new.db")


def keyword_page_plan(catalog: Catalog, filters: str) -> list[str]:
    """SQLite's plan of a keyword page's rows with ``filters`` added, as Datasette asks for
    them (the assets table's order: newest shot first)."""
    sql = (
        f"SELECT * FROM assets WHERE {filters} AND {Catalog.keyword_condition('word')} "
        "ORDER BY shot_date DESC, id LIMIT 101"
    )
    params = {"word": "cargo", "status": "Released", "year": "2019%"}
    return [row[3] for row in catalog.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def test_a_keyword_page_with_a_facet_value_looks_up_the_keywords_assets_whatever_the_data(
    sample, tmp_path
):
    """On the sample collection (every asset "Released" or nearly) as on an empty catalog, the
    page finds the keyword's assets in the keywords index and checks each by its row number:
    SQLite's guess without statistics (ten assets a status) read the release index instead."""
    copy = tmp_path / "sample.db"
    shutil.copyfile(sample, copy)
    for db in (copy, tmp_path / "empty.db"):
        with Catalog.open(db) as catalog:
            for filters in (
                "release_status = :status",
                "release_status = :status AND shot_date LIKE :year",
            ):
                plan = keyword_page_plan(catalog, filters)
                assert plan[0] == "SEARCH assets USING INTEGER PRIMARY KEY (rowid=?)", plan
                assert any("idx_keywords_keyword (keyword=?)" in step for step in plan), plan
