"""Helpers for tests that import into a real SQLite catalog and compare catalogs."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from imagefiles import exiftool_write, image_with
from shipped import TABLES, TODAY

from catalog.importer.pipeline import ImportOptions, ImportSummary, run_import
from catalog.store.catalog import Catalog

#: Columns that differ between two runs that cataloged the same files: when, and by which run.
VOLATILE = (
    "id",
    "first_run_id",
    "updated_run_id",
    "first_seen_run_id",
    "read_run_id",
    "missing_since_run_id",
)


#: A well-described released image, for tests of what the catalog counts (one VIRIN).
VIRIN = "220215-F-DU706-1241"
GOOD = [
    f"-IPTC:ObjectName={VIRIN}",
    "-IPTC:Caption-Abstract=Airmen load cargo at Travis Air Force Base, Calif., Feb. 15, 2022. "
    "(U.S. Air Force photo by Senior Airman Karla Parra)",
    "-IPTC:By-line=SrA Karla Parra",
    "-IPTC:Credit=U.S. Air Force",
    "-IPTC:DateCreated=2022:02:15",
    "-IPTC:Keywords=cargo",
    "-IPTC:SpecialInstructions=Released",
    "-IPTC:SupplementalCategories=Unclassified",
]


def two_shots_one_virin(photos: Path) -> tuple[Path, Path]:
    """Two different images in ``photos`` (made here) that carry the same VIRIN."""
    photos.mkdir()
    return (
        image_with(photos, "first", "JPEG", *GOOD),
        image_with(photos, "second", "JPEG", *GOOD, "-IPTC:Headline=another shot"),
    )


def file_history(tmp_path: Path, *edit_second: str) -> Iterator[Path]:
    """The catalog ``tmp_path/catalog.db`` after each import of a folder whose files are new,
    then changed, copied and gone, then all gone: for tests that what the writer keeps equals the
    rows through every kind of change. First two images with one VIRIN and a TIFF not released;
    then the second edited with ``edit_second`` (new content), the first copied (a second
    location of known content) and the TIFF deleted (missing); then the folder removed."""
    photos, db = tmp_path / "photos", tmp_path / "catalog.db"
    first, second = two_shots_one_virin(photos)
    image_with(photos, "third", "TIFF", "-IPTC:SpecialInstructions=Not Released")
    import_into(db, photos)
    yield db
    exiftool_write(second, *edit_second)
    shutil.copyfile(first, photos / "copy.jpg")
    (photos / "third.tif").unlink()
    import_into(db, photos)
    yield db
    shutil.rmtree(photos)
    import_into(db, tmp_path)
    yield db


def import_into(db_path: Path, *roots: Path, jobs: int = 1, **options) -> ImportSummary:
    """Run an import in this process (``jobs=1``: no worker processes) and close the catalog."""
    with Catalog.open(db_path) as catalog:
        options = ImportOptions(roots=roots, tables=TABLES, today=TODAY, jobs=jobs, **options)
        return run_import(catalog, options)


def rows(db_path: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def content(db_path: Path) -> dict[str, list[tuple]]:
    """Every catalog table's rows without run ids and row numbers, sorted: what a catalog *says*.

    Two imports of the same files must give equal contents, whatever order, interruptions or
    resumes they went through. ``import_runs`` (the history of runs) is left out.
    """
    with sqlite3.connect(db_path) as conn:
        tables = (
            "assets",
            "locations",
            "keywords",
            "findings",
            "field_values",
            "thumbnails",
            "rules",
        )
        result = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            kept = [c for c in columns if c not in VOLATILE]
            result[table] = sorted(
                conn.execute(f"SELECT {', '.join(kept)} FROM {table}").fetchall(), key=repr
            )
        result["search cargo"] = sorted(
            conn.execute(
                "SELECT a.sha256 FROM assets_fts JOIN assets a ON a.id = assets_fts.rowid "
                "WHERE assets_fts MATCH 'cargo'"
            ).fetchall()
        )
        return result


def tree_state(root: Path) -> dict[str, tuple]:
    """Every file and folder under ``root`` with its content hash, size and times."""
    state = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        state[os.fspath(path)] = (digest, stat.st_size, stat.st_mtime_ns, stat.st_mode)
    return state
