"""Isolation: a file that hangs, crashes or exhausts its parser costs one skip, never the run.

Every file is analysed in a worker process with a wall-clock limit (``--timeout``) and a memory
limit (``--memory-limit``, ``RLIMIT_AS``). Here one file makes the EXIF parser loop forever and one
makes it crash in native code (the test-only hooks of ``harness``: no file can do either on demand),
one PNG needs 300 MB of pixels and one PNG carries 60 MB of XMP, both against a 150 MB limit, and a
manifest makes its parser loop. Each becomes a skip - or, in the linter, an ``FIL019`` finding -
with the reason; the good files around them are cataloged as usual, and the run ends in seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness import hostile
from tests.robustness.harness import (
    CRASH_MARKER,
    LOOP_MARKER,
    Case,
    catalog,
    check_catalog,
    query,
    run_cases,
)

FIL = frozenset
TIMEOUT = 5  # seconds: room for the memory cases to hit their limit first on a busy machine
LIMITS = ("--timeout", str(TIMEOUT), "--memory-limit", "150", "--jobs", "2")


def _marked_exif(marker: bytes):
    def build(path: Path) -> None:
        block = hostile.exif_block([(hostile.ARTIST, hostile.ASCII, len(marker), marker)])
        hostile.exif_jpeg(path, block, len(path.name))

    return build


CASES = [
    Case("parser-endless-loop", "loop.jpg", _marked_exif(LOOP_MARKER), "skipped",
         f"worker killed: exceeded the time limit of {TIMEOUT} s", validated=FIL({"FIL019"})),
    Case("parser-native-crash", "crash.jpg", _marked_exif(CRASH_MARKER), "skipped",
         "worker crashed (signal 11: SIGSEGV)", validated=FIL({"FIL019"})),
    Case("pixels-over-memory-limit", "big.png", lambda p: hostile.png(p, 9000, 9000), "skipped",
         "worker ran out of memory: exceeded the limit of 150 MB", validated=FIL()),
    Case("xmp-over-memory-limit", "xmp.png",
         lambda p: hostile.xmp_png(p, hostile.huge_xmp(2_500_000)), "skipped",
         "worker ran out of memory", validated=FIL({"FIL019"})),
    *(Case(f"good-{i}", f"good-{i}.jpg", lambda p, i=i: hostile.jpeg(p, i)) for i in range(6)),
]  # fmt: skip


@pytest.fixture(scope="module")
def outcome(workspace):
    return run_cases(workspace / "tree", workspace / "catalog.db", CASES, *LIMITS, hooked=True)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_file_has_its_documented_outcome(outcome, case):
    outcome.check(case)


def test_the_run_goes_on_and_ends_in_bounded_time(outcome):
    """Ten files, two of them stuck for the whole time limit on two workers: a few seconds."""
    summary = outcome.imported.json()
    assert (summary["imported"], summary["skipped"]) == (6, 4)
    assert outcome.imported.seconds < 4 * TIMEOUT + 10
    thumbnails = query(outcome.db, "SELECT count(*) FROM thumbnails")
    assert thumbnails == [(6,)]


def test_a_manifest_whose_parser_loops_is_reported_and_the_import_goes_on(workspace):
    tree = workspace / "manifest-tree"
    tree.mkdir()
    hostile.jpeg(tree / "a.jpg", 1)
    manifest = workspace / "loop.csv"
    manifest.write_bytes(b"file,caption\na.jpg," + LOOP_MARKER + b"\n")
    db = workspace / "manifest.db"
    run = catalog("import", str(tree), "--db", str(db), "--json", "-q", "--manifest",
                  str(manifest), *LIMITS, hooked=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    summary = run.json()
    (finding,) = summary["input_findings"]
    assert finding["code"] == "FIL019" and "exceeded the time limit" in finding["message"]
    assert summary["imported"] == 1
    check_catalog(db)
