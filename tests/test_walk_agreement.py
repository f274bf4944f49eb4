"""``catalog import`` and ``catalog validate`` walk a folder with one walker, so they see the same
files: the same hidden folders passed over, the same links and FIFOs refused, the same odd names
kept.

The tree below has everything on which two walkers used to disagree; both real commands run on it,
and every file the import records (present or skipped) is a file validate reports, and back.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from imagefiles import blank
from lintfiles import catalog

from catalog.files.paths import path_text
from catalog.files.walk import count_images, walk

#: Files the walk finds in the tree (relative paths, as the catalog writes them).
EXPECTED = {
    "photos/.dotfile.jpg",  # a hidden *file* is a file like any other
    "photos/UPPER.JPG",
    "photos/caf\\xe9.jpg",  # a Latin-1 byte, written \xNN (catalog.files.paths)
    "photos/folder-link.jpg",  # a link to a folder, named like an image: refused
    "photos/link.jpg",  # a link to a file: refused
    "photos/pipe.jpg",  # a FIFO: refused, never waited on
    "photos/plain.jpg",
    "photos/sub folder/with space.png",
    "photos/sub folder/deeper/TIFF.TIF",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A project folder (``catalog.toml`` makes it validate's root) holding ``photos/``."""
    (tmp_path / "catalog.toml").write_text("")
    photos = tmp_path / "photos"
    (photos / "sub folder" / "deeper").mkdir(parents=True)
    blank(photos / "plain.jpg")
    blank(photos / "UPPER.JPG")
    blank(photos / ".dotfile.jpg")
    blank(photos / "sub folder" / "with space.png", "PNG")
    blank(photos / "sub folder" / "deeper" / "TIFF.TIF", "TIFF")
    blank(Path(os.fsdecode(os.fsencode(photos) + b"/caf\xe9.jpg")))
    for hidden in (".git/objects", ".cache"):  # tools' copies: never part of a collection
        (photos / hidden).mkdir(parents=True)
        blank(photos / hidden / "copy.jpg")
    (photos / "link.jpg").symlink_to(photos / "plain.jpg")
    (photos / "folder-link.jpg").symlink_to(photos / "sub folder")
    (photos / "linked folder").symlink_to(photos / "sub folder")  # not entered: no duplicates
    os.mkfifo(photos / "pipe.jpg")
    (photos / "notes.txt").write_text("not an image: neither command looks at it")
    return tmp_path


def imported(tree: Path) -> dict[str, str]:
    """Each path ``catalog import`` recorded, relative to ``tree``, with its status."""
    result = catalog("import", "photos", "--db", "catalog.db", "--json", "--jobs", "2", cwd=tree)
    assert result.returncode == 0, result.stderr
    prefix = path_text(tree) + "/"
    with sqlite3.connect(tree / "catalog.db") as conn:
        rows = conn.execute("SELECT path, status FROM locations").fetchall()
    return {path.removeprefix(prefix): status for path, status in rows}


def validated(tree: Path) -> dict[str, list[str]]:
    """Each path ``catalog validate --format json`` reported, with its finding codes."""
    result = catalog(
        "validate", "photos", "--format", "json", "--fail-on", "never", "--jobs", "2", cwd=tree
    )
    assert result.returncode == 0, result.stderr
    return {
        file["path"]: [f["code"] for f in file["findings"]]
        for file in json.loads(result.stdout)["files"]
    }


def test_import_and_validate_list_the_same_files(tree):
    by_import = imported(tree)
    by_validate = validated(tree)
    assert set(by_import) == set(by_validate) == EXPECTED


def test_what_the_import_skips_unread_validate_reports_unreadable(tree):
    by_import = imported(tree)
    by_validate = validated(tree)
    refused = {"photos/link.jpg", "photos/folder-link.jpg", "photos/pipe.jpg"}
    assert {path for path, status in by_import.items() if status == "skipped"} == refused
    assert {path for path, codes in by_validate.items() if "FIL018" in codes} == refused


def test_the_progress_total_counts_what_the_walk_finds(tree):
    found = [stat.path for folder in walk([tree / "photos"]) for stat in folder.files]
    assert count_images([tree / "photos"]) == len(found) == len(EXPECTED)
