"""The catalog store: schema, migrations, connection settings, the full-text index."""

from __future__ import annotations

import sqlite3

from catalog.core.record import AssetRecord
from catalog.store.catalog import Catalog
from catalog.store.schema import COLUMN_DESCRIPTIONS, MIGRATIONS, TABLE_DESCRIPTIONS


def test_every_record_field_has_its_column_under_its_own_name(tmp_path):
    """Datasette and SQL users find a record field under the name the record model gives it; a
    new record field needs a migration that adds its column."""
    db = Catalog.open(tmp_path / "c.db").db
    assert set(AssetRecord.model_fields) <= set(db["assets"].columns_dict)


def test_every_table_and_column_is_described_once(tmp_path):
    db = Catalog.open(tmp_path / "c.db").db
    for table in TABLE_DESCRIPTIONS:
        columns = set(db[table].columns_dict)
        assert columns == set(COLUMN_DESCRIPTIONS[table]), table
        assert all(COLUMN_DESCRIPTIONS[table].values()), table


def test_opening_twice_migrates_once_and_sets_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "c.db"
    Catalog.open(path).close()
    db = Catalog.open(path).db
    assert [m.name for m in MIGRATIONS.applied(db)] == [
        "001_initial",
        "002_location_companions",
        "003_skip_codes",
        "004_perceptual_hash",
        "005_run_status",
        "006_article_records",
        "007_summaries",
        "008_desk_indexes",
        "009_asset_lists",
        "010_release_lookup",
        "011_planner_statistics",
    ]
    assert not MIGRATIONS.pending(db)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL


def test_the_full_text_index_follows_inserts_updates_and_deletes(tmp_path):
    path = tmp_path / "c.db"
    Catalog.open(path).close()
    conn = sqlite3.connect(path)

    def matches(query: str) -> list[str]:
        sql = (
            "SELECT a.sha256 FROM assets_fts JOIN assets a ON a.id = assets_fts.rowid "
            "WHERE assets_fts MATCH ?"
        )
        return [r[0] for r in conn.execute(sql, (query,))]

    conn.execute(
        "INSERT INTO assets (sha256, caption, keywords) VALUES ('a', 'Airmen load', "
        '\'["C-17", "cargo"]\')'
    )
    assert matches("cargo") == ["a"] and matches("loading") == ["a"]  # keywords; stemming
    conn.execute("UPDATE assets SET error_count = 3 WHERE sha256 = 'a'")
    conn.execute("UPDATE assets SET keywords = '[\"F-35\"]' WHERE sha256 = 'a'")
    assert matches("cargo") == [] and matches("F") == ["a"]
    conn.execute("DELETE FROM assets")
    assert matches("airmen") == []
    conn.execute("INSERT INTO assets_fts (assets_fts) VALUES ('integrity-check')")
