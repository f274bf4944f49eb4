"""An import killed at any moment (``kill -9``) leaves a consistent catalog, and the next run
completes it into exactly the catalog an uninterrupted run makes.

The import runs as a real subprocess with worker processes and small transactions, and is killed
with SIGKILL - no handler, no cleanup - after a number of committed files drawn from a seeded
random schedule, several times in a row, before a final run completes it.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from catalogs import content
from PIL import Image

FILES = 30
SEED = 20220215


def make_tree(root: Path) -> Path:
    """Distinct photo-sized JPEGs, some with metadata, one damaged, one not an image."""
    root.mkdir()
    rng = random.Random(SEED)
    for index in range(FILES):
        folder = root / f"day{index % 3}"
        folder.mkdir(exist_ok=True)
        noise = Image.effect_noise((400, 300), 40 + index).resize((1600, 1200))
        colour = Image.new("RGB", (1600, 1200), tuple(rng.randrange(256) for _ in range(3)))
        path = folder / f"220215-F-DU706-{1001 + index}.jpg"
        Image.blend(Image.merge("RGB", (noise, noise, noise)), colour, 0.3).save(path)
    (root / "day0" / "notes.jpg").write_text("not an image")
    data = (root / "day1" / "220215-F-DU706-1002.jpg").read_bytes()
    (root / "day1" / "damaged.jpg").write_bytes(data[: len(data) // 2])
    return root


def start_import(tree: Path, db: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "catalog",
        "import",
        str(tree),
        "--db",
        str(db),
        "--jobs",
        "2",
        "--batch-files",
        "3",
        "--quiet",
    ]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def committed_files(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT count(*) FROM locations").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or the schema is being made
        return 0


def kill_after(process: subprocess.Popen, db: Path, files: int) -> None:
    """SIGKILL the import (its whole process group) once ``files`` files are committed."""
    deadline = time.monotonic() + 60
    while process.poll() is None and committed_files(db) < files:
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def check_consistent(db: Path) -> None:
    """What any moment's catalog must satisfy: an intact file, an intact full-text index, and
    every written file complete (its location, asset, counts and thumbnail together)."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO assets_fts (assets_fts) VALUES ('integrity-check')")
        incomplete = conn.execute(
            "SELECT a.sha256 FROM assets a WHERE a.error_count != "
            "(SELECT count(*) FROM findings f WHERE f.sha256 = a.sha256 AND severity = 'error') "
            "OR NOT EXISTS (SELECT 1 FROM locations l WHERE l.sha256 = a.sha256)"
        ).fetchall()
        assert incomplete == []
        thumbless = conn.execute(
            "SELECT count(*) FROM assets WHERE format = 'JPEG' AND sha256 NOT IN "
            "(SELECT sha256 FROM thumbnails) AND sha256 NOT IN "
            "(SELECT sha256 FROM findings WHERE code = 'FIL017')"
        ).fetchone()
        assert thumbless == (0,)


def test_kill_9_then_resume_gives_the_uninterrupted_catalog(tmp_path):
    tree = make_tree(tmp_path / "photos")
    reference = tmp_path / "reference.db"
    assert start_import(tree, reference).wait() == 0
    crashed = tmp_path / "crashed.db"
    schedule = sorted(random.Random(SEED).sample(range(1, FILES), 3))
    for files in schedule:
        kill_after(start_import(tree, crashed), crashed, files)
        check_consistent(crashed)
    assert committed_files(crashed) < FILES + 2  # the kills did interrupt the work
    resume = start_import(tree, crashed)
    assert resume.wait() == 0, resume.stderr.read()
    check_consistent(crashed)
    assert content(crashed) == content(reference)
    statuses = sqlite3.connect(crashed).execute("SELECT status FROM import_runs").fetchall()
    assert [s for (s,) in statuses][-1] == "completed"
