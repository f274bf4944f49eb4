"""kill -9 during an import on a Dask cluster (``--cluster local:1``): a consistent catalog that
the next run completes.

Each test runs the real ``catalog import`` as a subprocess in a session of its own, over copies
of the sample photos, writing one file per transaction (``--batch-files 1``) so that a kill lands
between files being committed. It watches the catalog fill (a read-only connection, as any
reader would) and kills, with SIGKILL, the importer itself or the Dask worker process analysing
the files. What is left is then checked as a user would meet it: SQLite's integrity check, the
catalog opening, every asset stored whole with all its findings and locations; and a second
import must leave the same catalog as an import that was never interrupted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from test_object_storage import ASSETS, catalog_content

from catalog.cli import cli


@pytest.fixture
def photos(tmp_path) -> Path:
    """About forty files: the sample photos (twice) and mistakes."""
    source = tmp_path / "source"
    for name, folder in (
        ("photos", "photos"),
        ("photos-again", "photos"),
        ("mistakes", "mistakes"),
    ):
        shutil.copytree(ASSETS / folder, source / name)
    return source


@pytest.fixture
def reference(photos, tmp_path) -> dict[str, list]:
    """The catalog of an import that was never interrupted."""
    db = tmp_path / "reference.db"
    result = CliRunner().invoke(cli, ["import", str(photos), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return catalog_content(db, str(photos))


def start_import(photos: Path, db: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "catalog", "import", str(photos), "--db", str(db)]
    options = ["--cluster", "local:1", "--batch-files", "1", "--quiet"]
    return subprocess.Popen(
        [*command, *options],
        start_new_session=True,  # its own process group: the cluster it starts is ours to end
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_files(process: subprocess.Popen, db: Path, count: int) -> int:
    """Wait until ``count`` files are committed in ``db`` while ``process`` still runs."""
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        assert process.poll() is None, "the import ended before it could be interrupted"
        committed = _committed(db)
        if committed >= count:
            return committed
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} files committed in 45 s")


def _committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM locations").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or locked for a moment
        return 0


def end_session(process: subprocess.Popen) -> None:
    """Stop what is left of the import's process group (the cluster of a killed importer)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def dask_worker(process: subprocess.Popen) -> psutil.Process:
    """The Dask worker process of a ``local:1`` cluster: the importer's child that runs the
    isolated analysis subprocess."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for child in psutil.Process(process.pid).children():
            if child.children():
                return child
        time.sleep(0.02)
    raise AssertionError("no Dask worker analysing files")


def test_kill_9_of_the_importer_leaves_a_consistent_catalog_the_next_run_completes(
    photos, reference, tmp_path
):
    db = tmp_path / "catalog.db"
    importer = start_import(photos, db)
    try:
        committed = wait_for_files(importer, db, 8)
        importer.send_signal(signal.SIGKILL)
        assert importer.wait(10) == -signal.SIGKILL
    finally:
        end_session(importer)
    assert committed < len(reference["locations"])

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    opened = CliRunner().invoke(cli, ["stats", "--db", str(db)])
    assert opened.exit_code == 0, opened.output
    left = catalog_content(db, str(photos))
    assert 8 <= len(left["locations"]) < len(reference["locations"])
    kept = {row["sha256"] for row in left["assets"]}
    assert kept == {row["sha256"] for row in left["locations"] if row["sha256"]}
    for table in ("findings", "field_values", "keywords", "thumbnails"):  # each asset whole
        per_file = [row for row in reference[table] if row["sha256"] in kept]
        if table == "findings":  # the whole-set rules run once the walk is done
            per_file = [row for row in per_file if not row["code"].startswith("SET")]
            assert left[table] == [row for row in per_file if row["path"] in _paths(left)]
        else:
            assert left[table] == per_file, table

    resumed = start_import(photos, db)
    try:
        assert resumed.wait(60) == 0, resumed.stderr.read().decode()
    finally:
        end_session(resumed)
    assert catalog_content(db, str(photos)) == reference
    with sqlite3.connect(db) as conn:
        statuses = conn.execute("SELECT status FROM import_runs ORDER BY id").fetchall()
    assert statuses == [("interrupted",), ("completed",)]


def _paths(content: dict[str, list]) -> set[str]:
    return {row["path"] for row in content["locations"]}


def test_kill_9_of_a_dask_worker_mid_run_has_its_file_analysed_again(photos, reference, tmp_path):
    db = tmp_path / "catalog.db"
    importer = start_import(photos, db)
    try:
        wait_for_files(importer, db, 8)
        dask_worker(importer).kill()  # SIGKILL
        assert importer.wait(60) == 0, importer.stderr.read().decode()
    finally:
        end_session(importer)
    assert catalog_content(db, str(photos)) == reference
