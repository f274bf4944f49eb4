"""A catalog made by an earlier release opens, upgrades, takes an import and is served.

``tests/data/catalogs/schema-002.db`` was made by release 0.1.0 (migrations 001 and 002) from
``assets/`` with its manifest and article, in ``/tmp/rel``. Migrations, once released, never
change: a new catalog and an upgraded old one must end with the same schema, so that new columns
come only through migrations.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from catalogs import import_into, rows
from lintfiles import catalog as run_catalog
from lintfiles import located
from webtools import ASSETS, Client

from catalog.store.catalog import Catalog

RELEASE_0_1_0 = Path(__file__).parent / "data" / "catalogs" / "schema-002.db"
OLD_ROOT = "/tmp/rel/assets"


@pytest.fixture
def old_catalog(tmp_path) -> Path:
    """A copy of the release 0.1.0 catalog (the committed file is never opened for writing)."""
    copy = tmp_path / "catalog.db"
    shutil.copyfile(RELEASE_0_1_0, copy)
    return copy


def schema(path: Path) -> list[tuple]:
    """Every table, index, trigger and view as SQLite stores its definition."""
    return rows(path, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")


def test_a_new_catalog_has_exactly_the_schema_of_an_upgraded_old_one(old_catalog, tmp_path):
    Catalog.open(old_catalog).close()
    Catalog.open(tmp_path / "new.db").close()
    assert schema(tmp_path / "new.db") == schema(old_catalog)


def test_the_upgrade_gives_old_skips_their_rule_code(old_catalog):
    before = rows(old_catalog, "SELECT count(*) FROM assets, locations")
    Catalog.open(old_catalog).close()
    assert rows(old_catalog, "SELECT count(*) FROM assets, locations") == before
    assert rows(
        old_catalog, "SELECT name, status, skip_code FROM locations WHERE skip_code IS NOT NULL"
    ) == [("not-an-image.jpg", "skipped", "FIL001")]
    assert rows(old_catalog, "SELECT count(*) FROM locations WHERE status = 'present'") == [(33,)]


def test_an_old_catalog_takes_an_import_and_says_what_the_files_say(old_catalog, tmp_path):
    (assets_before,) = rows(old_catalog, "SELECT count(*) FROM assets")[0]
    summary = import_into(
        old_catalog,
        ASSETS,
        manifests=(ASSETS / "manifest.csv",),
        articles=(ASSETS / "article.txt",),
    )
    assert (summary.imported, summary.updated, len(summary.skipped)) == (33, 0, 1)
    # the same contents at new paths: the same assets, each found at both places - but for
    # mistakes/duplicate-virin-b.jpg, redrawn after 0.1.0 as another picture (SET001, not SET003)
    assert rows(old_catalog, "SELECT count(*) FROM assets") == [(assets_before + 1,)]
    assert rows(
        old_catalog,
        "SELECT substr(path, 1, length(?)) = ?, status, skip_code, count(*) FROM locations "
        "GROUP BY 1, 2, 3 ORDER BY 1, 2",
        OLD_ROOT,
        OLD_ROOT,
    ) == [
        (0, "present", None, 33),
        (0, "skipped", "FIL001", 1),
        (1, "present", None, 33),
        (1, "skipped", "FIL001", 1),
    ]

    validated = run_catalog("validate", "--format", "jsonl", "--db", str(old_catalog), cwd=tmp_path)
    skipped = {(path, code) for path, code in located(validated) if "not-an-image" in path}
    assert skipped == {
        (f"{OLD_ROOT}/mistakes/not-an-image.jpg", "FIL001"),
        (str(ASSETS / "mistakes" / "not-an-image.jpg"), "FIL001"),
    }


def test_an_upgraded_old_catalog_is_served_with_its_pages(old_catalog):
    Catalog.open(old_catalog).close()
    (sha, virin) = rows(
        old_catalog, "SELECT sha256, virin FROM assets WHERE virin = '220215-F-DU706-1241'"
    )[0]
    with Client.serving(old_catalog) as client:
        page = client.get(f"/catalog/-/asset/{sha}")
        table = client.get("/catalog/locations.json?_shape=array&status=skipped")
    assert page.status_code == 200 and virin in page.text
    assert [(r["name"], r["skip_code"]) for r in table.json()] == [("not-an-image.jpg", "FIL001")]


def test_validate_asks_for_the_upgrade_of_a_catalog_it_may_not_write(old_catalog, tmp_path):
    result = run_catalog("validate", "--db", str(old_catalog), cwd=tmp_path)
    assert result.returncode == 2
    assert f"{old_catalog}: made by an earlier release" in result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(old_catalog) as conn:  # read only: still schema 002
        assert "skip_code" not in {r[1] for r in conn.execute("PRAGMA table_info(locations)")}


def test_export_asks_for_the_upgrade_of_a_catalog_it_may_not_write(old_catalog, tmp_path):
    result = run_catalog("export", "--db", str(old_catalog), "--format", "csv", cwd=tmp_path)
    assert result.returncode == 2
    assert f"{old_catalog}: made by an earlier release" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    Catalog.open(old_catalog).close()  # the upgrade it names
    upgraded = run_catalog("export", "--db", str(old_catalog), "--format", "csv", cwd=tmp_path)
    assert upgraded.returncode == 0 and "220215-F-DU706-1241" in upgraded.stdout


def test_publish_asks_for_the_upgrade_of_a_catalog_it_may_not_write(old_catalog, tmp_path):
    result = run_catalog("publish", str(old_catalog), str(tmp_path / "public.db"), cwd=tmp_path)
    assert result.returncode != 0
    assert f"{old_catalog}: made by an earlier release" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "public.db").exists()
