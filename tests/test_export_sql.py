"""``catalog export`` at speed: the lines SQLite writes are the lines Python would write.

The CSV and JSON lines of an export are made inside SQLite (``catalog/store/export.py``), and each
asset's paths and finding codes are kept beside its row by triggers (``asset_lists``, migration
009). These tests hold both to what Python's own modules make of the stored rows: the ``csv``
module with ``spreadsheet_safe``, and ``json``, on a catalog of hostile values; and the kept lists
to the ``locations`` and ``findings`` they come from, through every way an import changes them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from catalogs import import_into
from hypothesis import given
from hypothesis import strategies as st
from imagefiles import exiftool_write, image_with
from test_importer import GOOD

from catalog.core.text import spreadsheet_safe
from catalog.store import export
from catalog.store.catalog import Catalog
from catalog.store.queries import Filters

#: Text a spreadsheet would run, CSV must quote, SQLite's CSV record uses as separators, or that
#: is simply unusual; each appears in every text column of some asset.
HOSTILE = [
    "plain text",
    "",
    '=HYPERLINK("http://x")',
    "+1",
    "-77.5",
    "-dash",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    " =spaced",
    "\n=newline",
    "a, b",
    'say "hi"',
    "line\nbreak",
    "cr\rinside",
    "\x1fseparator first",
    "sep\x1finside",
    "\x1dmark first",
    "mark\x1dinside",
    "\x1erecord first",
    "naïve café 📷",
    "'apostrophe",
    "20200101",
    None,
]
#: Reals as GPS columns hold them, and the ones whose spelling differs between SQLite and Python.
REALS = [None, 0.0, -0.0, 1.0, 100.0, 38.8977, -77.0365, 38.89772222222222, 1e-05, 0.0001]
REALS += [1e15, 1e16, 123456789012345.6, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, float("inf")]
KEYWORDS = [
    [],
    ["cargo"],
    ["C-17", "Ukraine"],
    ["-minus"],
    ['a "quoted" one'],
    ["x", "", "y"],
    ["\x1b[31mred", "é\\"],
]
PATHS = ["/photos/a.jpg", "/photos/with, comma.jpg", '/photos/q"uote.jpg', "/photos/naïve.jpg"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A catalog whose assets carry every hostile value in every text column, every real in
    every real column, keyword lists, and paths; written as rows, as the writer would."""
    path = tmp_path_factory.mktemp("hostile") / "catalog.db"
    catalog = Catalog.open(path)
    db = catalog.db
    db["rules"].insert({"code": "VIR001", "name": "x", "severity": "error"})
    columns = db["assets"].columns_dict
    texts = [c for c, kind in columns.items() if kind is str and c not in ("sha256", "keywords")]
    reals = [c for c, kind in columns.items() if kind is float]
    count = max(len(HOSTILE), len(REALS), len(KEYWORDS)) * 2
    with db.conn:
        for i in range(count):
            sha = f"{i:064x}"
            row = {c: HOSTILE[(i + n) % len(HOSTILE)] for n, c in enumerate(texts)}
            row |= {c: REALS[(i + n) % len(REALS)] for n, c in enumerate(reals)}
            row |= {"sha256": sha, "width": i, "error_count": i % 3, "publishable": i % 2}
            keywords = KEYWORDS[i % len(KEYWORDS)]
            row["keywords"] = json.dumps(keywords, ensure_ascii=False) if keywords else None
            db["assets"].insert(row)
            for n, where in enumerate(PATHS[: i % (len(PATHS) + 1)]):
                status = "missing" if n == 2 else "present"
                location = {"path": f"{where}.{i}", "folder": "/photos", "name": "a"}
                db["locations"].insert({**location, "sha256": sha, "status": status})
            for _ in range(i % 3):
                finding = {"path": "/p", "code": "VIR001", "severity": "error", "message": "m"}
                db["findings"].insert({**finding, "sha256": sha})
    catalog.close()
    return path


def lists_of(conn: sqlite3.Connection, sha: str) -> tuple[list[str], list[str]]:
    """An asset's present paths and distinct finding codes, sorted: read from their tables."""
    paths = "SELECT path FROM locations WHERE sha256 = ? AND status = 'present' ORDER BY path"
    codes = "SELECT DISTINCT code FROM findings WHERE sha256 = ? ORDER BY code"
    return tuple([r[0] for r in conn.execute(sql, (sha,))] for sql in (paths, codes))


def expected_csv(path: Path, *, raw: bool) -> str:
    """The CSV of every asset as the ``csv`` module writes the stored values (``spreadsheet_safe``
    unless ``raw``), lists joined by "; ", in the export's order: computed here, from the rows."""
    conn = sqlite3.connect(path)
    names = [r[1] for r in conn.execute("PRAGMA table_info(assets)") if r[1] != "id"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*names, "paths", "finding_codes"])
    for values in conn.execute(
        f"SELECT {', '.join(names)} FROM assets ORDER BY shot_date, virin, sha256"
    ):
        row = dict(zip(names, values, strict=True))
        paths, codes = lists_of(conn, row["sha256"])
        row["keywords"] = "; ".join(json.loads(row["keywords"])) if row["keywords"] else None
        cells = [*row.values(), "; ".join(paths) or None, "; ".join(codes) or None]
        writer.writerow(cells if raw else [spreadsheet_safe(v) for v in cells])
    conn.close()
    return out.getvalue()


def exported(path: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "catalog", "export", "--db", str(path), *args],
        capture_output=True, check=True,
    )  # fmt: skip
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize("raw", [False, True], ids=["neutralized", "raw"])
def test_the_csv_export_is_what_the_csv_module_writes_of_the_stored_values(hostile, raw):
    written = exported(hostile, "--format", "csv", *(["--raw"] if raw else []))
    assert written == expected_csv(hostile, raw=raw)


def csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(values)
    return out.getvalue()


def test_a_record_becomes_the_line_the_csv_module_writes_or_goes_back_to_python():
    """Quotes, commas and line ends are quoted in place; a value to neutralize hands the values
    to the ``csv`` module; only values SQLite cannot spell send the row back to the database."""
    quoted = 'say "hi"\x1fline\nend\x1fplain\x1f,\x1fcr\rhere'
    assert export.csv_fields(quoted, 5, raw=False) == csv_line(quoted.split("\x1f"))
    assert export.csv_fields("a\x1fb", 2, raw=False) == "a,b\r\n"
    marked = "a\x1fb, c\x1f\x1d=1+2\x1f-5"
    assert export.csv_fields(marked, 4, raw=False) == ["a", "b, c", "'=1+2", "-5"]
    assert export.csv_fields(marked, 4, raw=True) == csv_line(marked.split("\x1f"))
    assert export.csv_fields("a\x1fb\x1fc", 2, raw=False) is None  # a value held a separator
    assert export.csv_fields("a\x1f\x1e", 2, raw=False) is None


def test_json_lines_are_the_json_export_line_by_line(hostile):
    whole = json.loads(exported(hostile, "--format", "json"))
    lines = [json.loads(line) for line in exported(hostile, "--format", "jsonl").splitlines()]
    assert len(lines) == len(whole) > 0
    assert [list(line) for line in lines] == [list(row) for row in whole]  # same keys, in order
    assert lines == whole


def spelled(value: float) -> tuple[float, str]:
    """``value`` as a REAL column stores it, and its CSV cell as SQLite spells it."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x REAL)")
    conn.execute("INSERT INTO t VALUES (?)", (value,))
    return conn.execute(f"SELECT x, {export._real('x', False)} FROM t").fetchone()


@given(st.floats(allow_nan=False))
def test_a_real_is_spelled_as_python_spells_it_or_left_to_python(value):
    stored, cell = spelled(value)
    if cell == export.ELSEWHERE:  # only near or in the exponent notation, and the infinities
        assert abs(stored) >= 1e15 or 0 < abs(stored) < 1e-4
    else:
        assert cell == repr(stored)


@given(st.floats(min_value=-180, max_value=180) | st.floats(min_value=-500, max_value=9000))
def test_every_gps_value_takes_the_fast_path(value):
    stored, cell = spelled(value)
    assert cell == repr(stored) or 0 < abs(stored) < 1e-4


# --- the kept lists -----------------------------------------------------------------------------


def lists_disagree(db: Path) -> list[tuple]:
    """The assets whose kept lists differ from their locations and findings (none, if kept)."""
    conn = sqlite3.connect(db)
    kept = {r[0]: r[1:] for r in conn.execute(
        "SELECT a.sha256, l.paths, l.finding_codes FROM assets a "
        "LEFT JOIN asset_lists l ON l.id = a.id"
    )}  # fmt: skip
    wrong = []
    for sha, (paths, codes) in kept.items():
        present, found = lists_of(conn, sha)
        if (json.loads(paths or "null"), json.loads(codes or "null")) != (present, found):
            wrong.append((sha, paths, codes, present, found))
    orphans = conn.execute(
        "SELECT count(*) FROM asset_lists WHERE id NOT IN (SELECT id FROM assets)"
    )
    wrong += [("orphan lists", n) for (n,) in orphans if n]
    conn.close()
    return wrong


def test_each_assets_lists_follow_every_change_an_import_makes(tmp_path):
    photos = tmp_path / "photos"
    (photos / "copy").mkdir(parents=True)
    db = tmp_path / "catalog.db"
    first = image_with(photos, "first", "JPEG", *GOOD)
    second = image_with(photos, "second", "JPEG", *GOOD, "-IPTC:Headline=another shot")
    steps = {
        "a duplicate VIRIN": lambda: None,
        "a copy at a second path": lambda: shutil.copyfile(first, photos / "copy" / "a.jpg"),
        "a moved file": lambda: second.rename(photos / "copy" / "second.jpg"),
        "the VIRIN fixed": lambda: exiftool_write(
            photos / "copy" / "second.jpg", "-IPTC:ObjectName=220215-F-DU706-1242"
        ),
        "a deleted copy": lambda: (photos / "copy" / "a.jpg").unlink(),
        "a deleted file": lambda: first.unlink(),
    }
    for step, change in steps.items():
        change()
        import_into(db, photos)
        assert lists_disagree(db) == [], step
    conn = sqlite3.connect(db)  # the deleted file's asset stays, with no path
    assert ("[]",) in conn.execute("SELECT paths FROM asset_lists").fetchall()
    conn.close()


def test_the_upgrade_fills_the_lists_of_the_assets_already_there(hostile, tmp_path):
    older = tmp_path / "older.db"
    shutil.copyfile(hostile, older)
    conn = sqlite3.connect(older)
    with conn:
        triggers = "SELECT name FROM sqlite_master WHERE name LIKE 'asset_lists_%'"
        for (trigger,) in conn.execute(triggers).fetchall():
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE asset_lists")  # the catalog as 008 left it
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '009_asset_lists'")
    conn.close()
    Catalog.open(older, create=False).close()
    assert lists_disagree(older) == []
    assert exported(older, "--format", "csv") == exported(hostile, "--format", "csv")


def test_an_export_of_no_asset_writes_nothing(hostile):
    with Catalog.read_only(hostile) as catalog:
        columns, lines = catalog.export_csv_lines(Filters(rule="NOPE999"), raw=False)
        assert list(lines) == [] and columns[-2:] == ["paths", "finding_codes"]
    assert exported(hostile, "--rule", "NOPE999", "--format", "csv") == ""
