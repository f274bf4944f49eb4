"""Publishing is safe beyond release: quality gates, files re-checked, nothing dropped silently.

Built in code and run through the real ``catalog import`` and ``catalog publish``:

* an asset with error findings is held back unless ``--allow-errors`` names their codes, and every
  asset held back is printed with its reason and written to ``--report``;
* a file edited in place after the import, even keeping its size and mtime, is not published from
  the stale record;
* manifest and article problems are stored as findings of the run; a manifest that cannot be tied
  to its files holds back its folder tree; two manifests naming one file are a conflict;
* an import killed with ``kill -9`` is recorded as interrupted, with the files it committed;
* ``--manifest`` and ``--article`` refuse a FIFO at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from catalogs import rows
from test_import_crash import FILES, kill_after, make_tree, start_import
from test_release_fail_closed import marker, released_image

from bench.catalogs import full_catalog

CATALOG = [sys.executable, "-m", "catalog"]


def catalog(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CATALOG, *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


def imported(tmp_path: Path, *options: str | Path) -> Path:
    db = tmp_path / "catalog.db"
    run = catalog("import", tmp_path / "photos", "--db", db, "--jobs", "1", "--quiet", *options)
    assert run.returncode == 0, run.stderr
    return db


def published(db: Path, tmp_path: Path, *options: str | Path) -> tuple[str, bytes]:
    public = tmp_path / "public.db"
    run = catalog("publish", db, public, *options)
    assert run.returncode == 0, run.stderr
    return run.stdout, public.read_bytes()


@pytest.fixture
def clean_and_uncredited(tmp_path) -> Path:
    """A clean Released image, and one Released but without a credit line (CRD001)."""
    photos = tmp_path / "photos"
    released_image(photos / "clean", "clean", virin="220215-F-DU706-1001")
    uncredited = released_image(photos / "nocredit", "nocredit", virin="220215-F-DU706-1002")
    subprocess.run(
        ["exiftool", "-q", "-overwrite_original", "-IPTC:Caption-Abstract=Airmen load cargo "
         f"{marker('nocredit')} at Travis Air Force Base, Calif., Feb. 15, 2022.", uncredited],
        check=True,
    )  # fmt: skip
    return photos


def test_an_asset_with_error_findings_is_held_back_printed_and_reported(
    clean_and_uncredited, tmp_path
):
    db = imported(tmp_path)
    report = tmp_path / "held.json"
    stdout, public = published(db, tmp_path, "--report", report)
    assert marker("clean").encode() in public
    assert marker("nocredit").encode() not in public
    (line,) = [line for line in stdout.splitlines() if "220215-F-DU706-1002" in line]
    assert "quality: error findings: CRD001" in line
    (held,) = json.loads(report.read_text())["held_back"]
    assert held["virin"] == "220215-F-DU706-1002" and held["gate"] == "quality"
    assert "CRD001" in held["reason"] and held["path"].endswith("nocredit.jpg")


def test_allow_errors_admits_the_named_codes_only(clean_and_uncredited, tmp_path):
    db = imported(tmp_path)
    _, public = published(db, tmp_path, "--allow-errors", "crd001")
    assert marker("nocredit").encode() in public
    run = catalog("publish", db, tmp_path / "other.db", "--allow-errors", "NOPE01")
    assert run.returncode == 2 and "unknown rule codes: NOPE01" in run.stderr
    run = catalog("publish", db, tmp_path / "other.db", "--allow-errors", "REL003")
    assert run.returncode == 2 and "cannot be allowed" in run.stderr


def test_a_file_edited_in_place_keeping_size_and_mtime_is_not_published(tmp_path):
    image = released_image(tmp_path / "photos", "edited", virin="220215-F-DU706-1003")
    db = imported(tmp_path)
    times = os.stat(image)
    data = image.read_bytes()
    edited = data.replace(marker("edited").encode(), marker("edited").encode().upper())
    assert len(edited) == len(data) and edited != data
    image.write_bytes(edited)
    os.utime(image, ns=(times.st_atime_ns, times.st_mtime_ns))  # size and mtime as imported
    stdout, public = published(db, tmp_path)
    assert marker("edited").encode() not in public
    assert marker("edited").upper().encode() not in public
    assert "changed: " in stdout and "changed since the import (ctime)" in stdout
    imported(tmp_path)  # read again: the new record is published
    _, public = published(db, tmp_path)
    assert marker("edited").upper().encode() in public


def test_a_file_whose_first_bytes_differ_from_the_import_is_held_back(tmp_path):
    """Stat values can all agree with a changed file (a clock set back, a restored snapshot):
    the hash of the first block is compared too. Simulated by a catalog that recorded other
    bytes."""
    released_image(tmp_path / "photos", "start", virin="220215-F-DU706-1004")
    db = imported(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE locations SET head_sha256 = ?", ("0" * 64,))
    stdout, public = published(db, tmp_path)
    assert marker("start").encode() not in public
    assert "its first bytes differ" in stdout


def test_manifest_and_article_problems_are_findings_of_the_run(tmp_path):
    released_image(tmp_path / "photos", "run", virin="220215-F-DU706-1005")
    manifest = tmp_path / "photos" / "manifest.csv"
    manifest.write_text("file,title\nrun.jpg,A title\nmissing.jpg,Other\n")
    article = tmp_path / "article.txt"
    article.write_text("Credit: U.S. Air Force photo\n")
    db = imported(tmp_path, "--manifest", manifest, "--article", article)
    stored = rows(db, "SELECT run_id, path, code FROM run_findings ORDER BY code")
    assert stored == [(1, str(manifest), "FIL015"), (1, str(article), "FIL016")]


@pytest.mark.parametrize(
    "content",
    [
        b"name,title\nrun.jpg,Not Released\n",  # no file column
        "file,release_instructions\nuntied.jpg,Released\n".encode("utf-16"),  # not UTF-8
        b'file,title\n"untied.jpg,Released\nother.jpg,x\n',  # broken quoting partway
    ],
    ids=["no-file-column", "utf-16", "broken-csv"],
)
def test_a_manifest_that_cannot_be_tied_to_files_holds_back_its_folder_tree(tmp_path, content):
    released_image(tmp_path / "photos" / "shoot" / "day1", "untied", virin="220215-F-DU706-1006")
    released_image(tmp_path / "photos" / "other", "outside", virin="220215-F-DU706-1007")
    manifest = tmp_path / "photos" / "shoot" / "manifest.csv"
    manifest.write_bytes(content)
    db = imported(tmp_path, "--manifest", manifest)
    stdout, public = published(db, tmp_path)
    assert marker("untied").encode() not in public
    assert marker("outside").encode() in public  # outside the manifest's folder tree
    assert "not publishable (REL008)" in stdout
    reasons = [why for (why,) in rows(db, "SELECT message FROM findings WHERE code = 'REL008'")]
    assert reasons and all("manifest manifest.csv" in why for why in reasons)
    assert all("which files it describes is unknown" in why for why in reasons)
    assert rows(db, "SELECT code FROM run_findings") == [("FIL014",)]


def test_two_manifests_naming_one_file_are_a_conflict(tmp_path):
    released_image(tmp_path / "photos", "twice", virin="220215-F-DU706-1008")
    first, second = tmp_path / "photos" / "a.csv", tmp_path / "photos" / "b.csv"
    first.write_text("file,release_instructions\ntwice.jpg,Released\n")
    second.write_text("file,release_instructions\ntwice.jpg,Not Released\n")
    db = imported(tmp_path, "--manifest", first, "--manifest", second)
    assert rows(db, "SELECT publishable FROM assets") == [(0,)]
    codes = {code for (code,) in rows(db, "SELECT code FROM findings")}
    assert "REL003" in codes  # sources disagree: not "the second wins"
    (message,) = rows(db, "SELECT message FROM run_findings WHERE code = 'FIL015'")
    assert "manifest:a.csv#2 describes too" in message[0]
    _, public = published(db, tmp_path)
    assert marker("twice").encode() not in public


def test_a_fifo_as_manifest_or_article_is_refused_at_once(tmp_path):
    released_image(tmp_path / "photos", "fifo", virin="220215-F-DU706-1009")
    fifo = tmp_path / "photos" / "manifest.csv"
    os.mkfifo(fifo)
    db = tmp_path / "catalog.db"
    run = catalog(
        "import", tmp_path / "photos", "--db", db, "--jobs", "1", "--quiet",
        "--manifest", fifo, "--article", fifo, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    stored = rows(db, "SELECT code, message FROM run_findings ORDER BY code")
    assert [code for code, _ in stored] == ["FIL014", "FIL018"]
    assert all("not a regular file (FIFO)" in message for _, message in stored)
    assert rows(db, "SELECT publishable FROM assets") == [(0,)]  # its folder is held back


def test_an_import_killed_with_kill_9_is_recorded_as_interrupted(tmp_path):
    tree = make_tree(tmp_path / "tree")
    db = tmp_path / "crashed.db"
    kill_after(start_import(tree, db), db, 5)
    assert rows(db, "SELECT status FROM import_runs") == [("running",)]
    committed = rows(db, "SELECT count(*) FROM locations WHERE read_run_id = 1")[0][0]
    run = catalog("import", tree, "--db", db, "--jobs", "1", "--quiet")
    assert run.returncode == 0, run.stderr
    (first, second) = rows(
        db, "SELECT status, finished_at, imported + skipped FROM import_runs ORDER BY id"
    )
    assert first == ("interrupted", None, committed) and 5 <= committed < FILES + 2
    assert second[0] == "completed"


def test_a_run_whose_process_is_alive_is_not_marked_interrupted(tmp_path):
    """Two imports at once are allowed: the one still running keeps its status."""
    released_image(tmp_path / "photos", "alive", virin="220215-F-DU706-1010")
    db = imported(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE import_runs SET status = 'running', pid = ?, heartbeat_at = started_at",
            (os.getpid(),),
        )
        conn.execute("UPDATE import_runs SET heartbeat_at = strftime('%Y-%m-%dT%H:%M:%S+00:00')")
    imported(tmp_path)
    assert rows(db, "SELECT status FROM import_runs ORDER BY id") == [
        ("running",),
        ("completed",),
    ]


def test_a_long_hold_back_list_is_named_in_part_and_reported_in_full(tmp_path):
    """At a million assets the held-back list cannot be printed nor kept in memory: the command
    names the first 20, counts the rest by gate, and ``--report`` streams every one."""
    db = full_catalog(tmp_path, 60)  # synthetic: its files do not exist, so none is admitted
    report_file = tmp_path / "held.json"

    run = catalog("publish", db, tmp_path / "public.db", "--report", report_file)

    assert run.returncode == 0, run.stderr
    named = [line for line in run.stdout.splitlines() if line.startswith("  ")]
    assert len(named) == 21  # 20 assets, then the count of the others
    assert "60 held back" in run.stdout
    held = json.loads(report_file.read_text())["held_back"]
    assert len(held) == 60 and len({h["sha256"] for h in held}) == 60
    gates = {gate: sum(h["gate"] == gate for h in held) for gate in {h["gate"] for h in held}}
    counted = ", ".join(f"{n} {gate}" for gate, n in sorted(gates.items(), key=lambda g: -g[1]))
    assert named[-1].startswith("  ... and 40 more (") and set(counted.split(", ")) == set(
        named[-1].split("(")[1].split(")")[0].split(", ")
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".held")] == []


def test_a_failed_publish_leaves_an_earlier_report_as_it_was(tmp_path):
    report_file = tmp_path / "held.json"
    report_file.write_text("an earlier report")

    run = catalog(
        "publish", tmp_path / "missing.db", tmp_path / "public.db", "--report", report_file
    )

    assert run.returncode == 2
    assert report_file.read_text() == "an earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["held.json"]
