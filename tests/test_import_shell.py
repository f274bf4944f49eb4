"""``catalog import`` as a person at a terminal meets it: the progress, Ctrl-C, and a closing
summary whose counts are the ones ``catalog stats`` shows."""

from __future__ import annotations

import io
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from catalog.importer.pipeline import ImportSummary
from catalog.importer.progress import LineProgress, skipped_lines

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CATALOG = str(Path(sys.executable).with_name("catalog"))


def catalog(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CATALOG, *args], capture_output=True, text=True, timeout=300)


def findings_in_stats(db: Path) -> dict[str, int]:
    return json.loads(catalog("stats", "--db", str(db), "--json").stdout)["findings"]


def severities(line: str) -> dict[str, int]:
    """``this run: 20 errors, 21 warnings, 0 info (...)`` -> ``{"error": 20, ...}``."""
    counts = line.split(": ", 1)[1].split(" (")[0]
    pairs = [part.split() for part in counts.split(", ")]
    return {name.removesuffix("s"): int(number) for number, name in pairs}


def test_the_summary_counts_agree_with_catalog_stats_on_the_first_run_and_a_rerun(tmp_path):
    source = shutil.copytree(ASSETS, tmp_path / "assets")
    db = tmp_path / "catalog.db"
    args = ("import", str(source), "--db", str(db), "--manifest", str(source / "manifest.csv"))
    first = catalog(*args).stdout.splitlines()
    stats = findings_in_stats(db)
    this_run, in_catalog = severities(first[-2]), severities(first[-1])
    assert first[-2].startswith("this run: ") and first[-1].startswith("in the catalog: ")
    # the whole-set findings (SET001 on the duplicate VIRIN) are counted with the rest
    assert any(line.startswith("  whole-set error SET001") for line in first)
    assert (
        this_run == in_catalog == {"error": stats["error"], "warning": stats["warning"], "info": 0}
    )

    again = catalog(*args).stdout.splitlines()
    assert " 0 imported, 0 updated, 34 unchanged" in again[0]
    assert severities(again[-1]) == in_catalog  # a re-run does not say the catalog is clean
    # this run: no file read, and no whole-set finding new (the whole-set rules re-check only
    # the VIRINs a run touched, and report what changed)
    assert severities(again[-2]) == {"error": 0, "warning": 0, "info": 0}
    assert not any(line.startswith("  whole-set ") for line in again)
    rerun = json.loads(catalog(*args, "--json").stdout)
    assert rerun["catalog_findings"] == stats


def test_skipped_files_are_grouped_by_reason_with_the_first_few_named():
    skipped = {f"/in/note{i}.jpg": f"not an image (note{i}.jpg is text)" for i in range(40)}
    skipped["/in/big.tif"] = "over the size limit"
    assert skipped_lines(skipped) == [
        "  skipped 40 files: not an image (the file is text): "
        "/in/note0.jpg, /in/note1.jpg, /in/note2.jpg and 37 more",
        "  skipped 1 file: over the size limit: /in/big.tif",
    ]
    assert ImportSummary(skipped=skipped).counts()["skipped"] == 41


def test_plain_progress_lines_say_how_many_how_fast_and_where():
    stream = io.StringIO()
    progress = LineProgress(120, stream, interval=0.0)
    progress.folder("/photos/2022/02")
    progress.advance(3)
    (line,) = stream.getvalue().splitlines()
    assert line.startswith("import: 3 of 120 files (")
    assert line.endswith(" files/s), in /photos/2022/02")


def test_ctrl_c_keeps_the_work_done_says_how_to_resume_and_exits_130(tmp_path):
    photo = next((ASSETS / "photos").glob("*.jpg"))
    folder = tmp_path / "card"
    folder.mkdir()
    for number in range(800):  # enough that the import is still running when Ctrl-C comes
        shutil.copyfile(photo, folder / f"copy-{number:04}.jpg")
    db = tmp_path / "catalog.db"
    command = [CATALOG, "import", str(folder), "--db", str(db), "--jobs", "1"]
    running = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not _files_cataloged(db) and time.monotonic() < deadline:
        time.sleep(0.2)
    running.send_signal(signal.SIGINT)  # what Ctrl-C sends
    _, stderr = running.communicate(timeout=120)

    assert running.returncode == 130, stderr
    assert "Aborted!" not in stderr and "Traceback" not in stderr
    assert f"{db} keeps every file committed before Ctrl-C" in stderr
    assert "To resume, run the same command again: catalog import " in stderr
    kept = json.loads(catalog("stats", "--db", str(db), "--json").stdout)
    assert 0 < kept["locations"]["present"] < 800
    assert kept["last_run"]["status"] == "interrupted"
    assert f"it now locates {kept['locations']['present']} present files" in stderr

    resumed = catalog("import", str(folder), "--db", str(db), "--jobs", "1", "--json")
    summary = json.loads(resumed.stdout)
    assert summary["unchanged"] == kept["locations"]["present"]
    assert summary["unchanged"] + summary["imported"] == 800


def _files_cataloged(db: Path) -> bool:
    """Whether the import has committed a file (read with the CLI, as a person would look)."""
    if not db.exists():
        return False
    done = catalog("stats", "--db", str(db), "--json")
    return done.returncode == 0 and json.loads(done.stdout)["locations"].get("present", 0) > 0
