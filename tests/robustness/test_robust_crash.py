"""Crash safety and concurrency: killed, starved of disk or read while it writes, the catalog holds.

* ``kill -9`` of the whole import, eight times in a row at moments drawn from a seeded random
  schedule (start-up, between files, inside a batch), then one run to completion: the catalog
  equals the one an uninterrupted run makes, and after every kill it is intact with no
  half-written asset.
* ``kill -9`` of the importer alone: its workers die with it (none is left running).
* a reader polling the catalog in another process during an import never sees a half-written asset
  (``invariants.INVARIANTS`` defines what that means).
* a full disk stops the run with exit status 2 and a message naming the catalog; the transaction
  in progress is rolled back, every earlier commit kept, and a run with room completes the catalog.

Every run also leaves the source tree as it found it.
"""

from __future__ import annotations

import gc
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.catalogs import content
from tests.robustness import hostile
from tests.robustness.harness import BOUND, catalog, check_catalog, query, snapshot
from tests.robustness.invariants import violations

SEED = 20220215
FILES = 120
KILLS = 8
OPTIONS = ("--jobs", "2", "--batch-files", "2", "-q")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(workspace) -> tuple[Path, Path, dict]:
    """A hundred and twenty photos in three folders, and the catalog an uninterrupted import
    makes of them."""
    tree = workspace / "photos"
    for index in range(FILES):
        folder = tree / f"day{index % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        hostile.photo(folder / f"220215-F-DU706-{1001 + index}.jpg", index)
    reference = workspace / "reference.db"
    assert catalog("import", str(tree), "--db", str(reference), *OPTIONS).returncode == 0
    return tree, reference, snapshot(tree)


def start(tree: Path, db: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "catalog", "import", str(tree), "--db", str(db), *OPTIONS]
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def check_whole(db: Path) -> None:
    """An intact file, and no asset half-written."""
    if db.exists():
        check_catalog(db)
        with closing(sqlite3.connect(db)) as conn:
            assert violations(conn) == []


def committed(db: Path) -> int:
    """How many files the catalog holds so far (0 before it exists)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)) as conn:
            return conn.execute("SELECT count(*) FROM locations").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def kill_after(process: subprocess.Popen, db: Path, files: int, delay: float) -> int:
    """SIGKILL the import's process group ``delay`` seconds after ``files`` more files are
    committed (at once when 0: during start-up); returns the exit status."""
    target = committed(db) + files
    deadline = time.monotonic() + BOUND
    while files and committed(db) < target and process.poll() is None:
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.002)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


def test_killed_eight_times_then_resumed_it_is_the_uninterrupted_catalog(corpus, workspace):
    """Each kill lands a seeded random number of commits (0 to 11) plus a random delay (up to
    50 ms) into a run: in start-up, between files or inside a batch."""
    tree, reference, before = corpus
    db = workspace / "killed.db"
    rng = random.Random(SEED)
    for _ in range(KILLS):
        status = kill_after(start(tree, db), db, rng.randrange(12), rng.uniform(0, 0.05))
        assert status == -signal.SIGKILL  # killed mid-run, not finished
        check_whole(db)
    assert committed(db) < FILES
    resume = start(tree, db)
    assert resume.wait(BOUND) == 0, resume.stderr.read()
    check_whole(db)
    assert content(db) == content(reference)
    statuses = [status for (status,) in query(db, "SELECT status FROM import_runs")]
    assert statuses[-1] == "completed"
    assert snapshot(tree) == before


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_workers_die_with_a_killed_importer(corpus, workspace):
    """Only the importer is killed, not its process group: its workers must not live on."""
    tree, *_ = corpus
    process = start(tree, workspace / "orphans.db")
    deadline = time.monotonic() + 30
    while len(workers := _children(process.pid)) < 2:
        assert time.monotonic() < deadline and process.poll() is None, "no workers started"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not [pid for pid in workers if _running(pid)]


def test_a_reader_during_the_import_never_sees_a_half_written_asset(corpus, workspace):
    tree, reference, before = corpus
    db, stop = workspace / "read.db", workspace / "stop-reading"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.robustness.invariants", str(db), str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert catalog("import", str(tree), "--db", str(db), *OPTIONS).returncode == 0
    finally:
        stop.touch()
    output, _ = reader.communicate(timeout=BOUND)
    result = json.loads(output)
    assert result["violations"] == []
    assert result["polls"] >= 10  # it did read while the import wrote
    assert content(db) == content(reference)
    assert snapshot(tree) == before


class SmallDisk:
    """A file system with little room for the catalog: a 16 MB tmpfs filled but for 1 MB, when
    this process may mount one (root); else SQLite's own page limit (``PRAGMA max_page_count``,
    set by a test-only hook before the import opens the catalog), which fails a write with the
    same ``SQLITE_FULL``, and a run without the hook is the run with room."""

    SIZE = "16m"
    ROOM = 1 << 20  # bytes left for the catalog: a third of what the corpus needs
    PAGE_LIMIT_HOOK = (
        "from catalog.store.catalog import Catalog\n"
        "_open = Catalog.open.__func__\n"
        "def _small(cls, path, **options):\n"
        "    catalog = _open(cls, path, **options)\n"
        "    catalog.conn.execute('PRAGMA max_page_count = 200')\n"
        "    return catalog\n"
        "Catalog.open = classmethod(_small)\n"
    )

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        mount = ["mount", "-t", "tmpfs", "-o", f"size={self.SIZE}", "tmpfs", str(folder)]
        self.mounted = subprocess.run(mount, capture_output=True).returncode == 0
        self.filler = folder / "filler"
        if self.mounted:
            free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
            self.filler.write_bytes(bytes(max(0, free - self.ROOM)))

    @property
    def prelude(self) -> str:
        return "" if self.mounted else self.PAGE_LIMIT_HOOK

    def make_room(self) -> None:
        self.filler.unlink(missing_ok=True)

    def remove(self) -> None:
        if self.mounted:
            gc.collect()  # connections left open by helpers that forget to close them
            subprocess.run(["umount", str(self.folder)], check=True)


@pytest.fixture
def small_disk(workspace):
    disk = SmallDisk(workspace / "disk")
    yield disk
    disk.remove()


def test_a_full_disk_stops_the_run_cleanly_and_a_run_with_room_completes_it(corpus, small_disk):
    tree, reference, before = corpus
    db = small_disk.folder / "catalog.db"
    full = catalog("import", str(tree), "--db", str(db), *OPTIONS, prelude=small_disk.prelude)
    assert full.returncode == 2
    assert f"{db}: the import stopped: database or disk is full" in full.stderr
    assert "Traceback" not in full.stderr
    check_whole(db)  # the transaction in progress rolled back, no half-written asset
    kept = committed(db)
    assert 0 < kept < FILES  # earlier commits stayed
    small_disk.make_room()
    assert catalog("import", str(tree), "--db", str(db), *OPTIONS).returncode == 0
    check_whole(db)
    assert content(db) == content(reference)
    assert snapshot(tree) == before
