"""A damaged or foreign catalog file: every command says so in one line and exits 2.

A catalog is damaged in the test the way a disk or a bad copy damages one: bytes of some of its
pages are overwritten. Every command given it (import, search, show, export, stats, validate --db,
publish, serve) ends with exit status 2 and one line that names the file and suggests
``sqlite3 FILE .recover``; none prints a traceback. A SQLite file that is no catalog is refused
before anything is written to it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from catalogs import import_into
from imagefiles import blank, exiftool_write

CATALOG = [sys.executable, "-m", "catalog"]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CATALOG, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> tuple[Path, Path]:
    """A catalog of two images (and the folder they are in), in rollback-journal mode so that
    the whole catalog is in the one file the tests damage."""
    root = tmp_path_factory.mktemp("healthy")
    photos = root / "photos"
    photos.mkdir()
    for name in ("a", "b"):
        exiftool_write(
            blank(photos / f"{name}.jpg"),
            "-IPTC:ObjectName=220215-F-DU706-124" + ("1" if name == "a" else "2"),
            "-IPTC:SpecialInstructions=Released",
        )
    db = root / "catalog.db"
    import_into(db, photos)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    return db, photos


def damaged_copy(healthy: Path, folder: Path) -> Path:
    """A copy of the catalog with the root pages of its main tables overwritten by junk."""
    with sqlite3.connect(healthy) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            page
            for (page,) in conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE name IN "
                "('assets', 'locations', 'findings', 'field_values', 'import_runs')"
            )
        ]
    data = bytearray(healthy.read_bytes())
    for page in roots:
        start = (page - 1) * page_size
        data[start : start + page_size] = hashlib.sha256(b"junk").digest() * (page_size // 32)
    damaged = folder / "damaged.db"
    damaged.write_bytes(bytes(data))
    return damaged


COMMANDS = {
    "import": lambda db, photos: ["import", photos, "--db", db, "--jobs", "1", "--quiet"],
    "search": lambda db, photos: ["search", "cargo", "--db", db],
    "show": lambda db, photos: ["show", "220215-F-DU706-1241", "--db", db],
    "export": lambda db, photos: ["export", "--db", db],
    "stats": lambda db, photos: ["stats", "--db", db],
    "validate --db": lambda db, photos: ["validate", "--db", db],
    "publish": lambda db, photos: ["publish", db, db.parent / "public.db"],
    "serve": lambda db, photos: ["serve", db, "--port", "1"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_damaged_catalog_in_one_line(healthy, tmp_path, command):
    db, photos = healthy
    damaged = damaged_copy(db, tmp_path)
    before = damaged.read_bytes()
    result = run(*COMMANDS[command](damaged, photos), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(damaged) in lines[0]
    assert f"sqlite3 {damaged} .recover" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert damaged.read_bytes() == before  # nothing was written to it
    assert not (tmp_path / "public.db").exists()


def test_the_healthy_catalog_the_damage_is_made_from_works(healthy, tmp_path):
    db, _ = healthy
    result = run("stats", "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 assets")


def test_damage_met_deep_in_a_query_is_the_same_one_line(healthy, tmp_path):
    """Opening reads only the schema and the first rows of each table; damage further in is met
    when the command reads that page, and reported the same way."""
    db, _ = healthy
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'rules'").fetchone()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xff" * page_size
    damaged = tmp_path / "deep.db"
    damaged.write_bytes(bytes(data))
    result = run("stats", "--db", damaged, cwd=tmp_path)  # stats joins the rules table
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if ".recover" in line
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        lambda db, photos: ["import", photos, "--db", db, "--jobs", "1", "--quiet"],
        lambda db, photos: ["stats", "--db", db],
        lambda db, photos: ["publish", db, db.parent / "public.db"],
    ],
    ids=["import", "stats", "publish"],
)
def test_a_sqlite_file_that_is_no_catalog_is_refused_unchanged(healthy, tmp_path, command):
    _, photos = healthy
    foreign = tmp_path / "accounts.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE accounts (name TEXT, balance INTEGER)")
        conn.execute("INSERT INTO accounts VALUES ('ops', 100)")
    before = foreign.read_bytes()
    result = run(*command(foreign, photos), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "not a catalog" in result.stderr and str(foreign) in result.stderr
    assert "Traceback" not in result.stderr
    assert foreign.read_bytes() == before
    assert not Path(f"{foreign}-wal").exists()  # no switch to WAL either
    with sqlite3.connect(foreign) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"accounts"}  # no migrations table


def test_a_file_that_is_not_sqlite_at_all_is_refused_unchanged(healthy, tmp_path):
    _, photos = healthy
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list\n")
    result = run("import", photos, "--db", notes, "--jobs", "1", "--quiet", cwd=tmp_path)
    assert result.returncode == 2
    assert "not a SQLite database file" in result.stderr and "Traceback" not in result.stderr
    assert notes.read_text() == "shopping list\n"
