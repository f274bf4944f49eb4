"""Hostile text in captions, credits, keywords and file names, through every output.

Files are attacker-controlled: a caption can carry an escape sequence that clears a terminal, a
bidirectional override that makes "gpj.exe" read "exe.jpg", a NUL that some tools cut text at,
HTML, or a spreadsheet formula. The payloads are planted in real files (written by ExifTool) and
sidecars, imported with the real ``catalog`` command, and every output is checked: the catalog
keeps each value exactly, terminal output shows the characters as escapes, JSON stays valid and
exact, CSV cannot run as a formula, and Datasette pages escape everything.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from catalogs import rows
from imagefiles import blank, exiftool_write
from webtools import Client

from catalog.core.text import printable

ESC = "\x1b[2J"  # clears a terminal
RLO = "\u202e"  # right-to-left override: "gpj.exe" is displayed "exe.jpg"
NUL = "\x00"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'
CMD = "+cmd|' /C calc'!A0"
SUM = "@SUM(1)"

VIRIN = "220215-F-DU706-1241"
CAPTION = (
    f"Airmen load cargo {ESC}{NUL}{RLO}gpj.exe {SCRIPT} at Travis Air Force Base, Calif., "
    "Feb. 15, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)"
)
EVIL_NAME = f"evil{ESC}{RLO}<b>x.jpg"  # no "/": a file name cannot hold one
NOT_AN_IMAGE = f"notes{ESC}{RLO}.jpg"
SIDECAR = {
    "virin": "220215-F-DU706-1242",
    "caption": f"Sidecar{NUL} caption {SCRIPT} Feb. 15, 2022.",
    "title": FORMULA,
    "photographer": "SrA Karla Parra",
    "keywords": [SUM, CMD, "\t=1+1"],
    "gps_latitude": 38.25,
    "gps_longitude": -121.9,
}
#: Characters that must never reach a terminal or a page raw.
RAW = ("\x1b", RLO, NUL)
CATALOG = [sys.executable, "-m", "catalog"]


def catalog(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*CATALOG, *args], capture_output=True, text=True, check=False)
    if check:
        assert result.returncode in (0, 1), result.stderr
    return result


def assert_shown_escaped(text: str) -> None:
    """No raw control or override character; the escapes are there for the reader to see."""
    assert not any(char in text for char in RAW), [c for c in RAW if c in text]
    assert "\\x1b[2J" in text and "\\u202e" in text


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """A folder of files carrying the payloads, imported into ``catalog.db`` beside it, and
    published into ``public.db`` (the embedded file is released, so it is public)."""
    root = tmp_path_factory.mktemp("hostile")
    photos = root / "photos"
    photos.mkdir()
    caption_file = root / "caption.txt"
    caption_file.write_text(CAPTION, encoding="utf-8")
    exiftool_write(
        blank(photos / EVIL_NAME),
        "-charset",
        "iptc=UTF8",
        "-IPTC:CodedCharacterSet=UTF8",
        f"-IPTC:ObjectName={VIRIN}",
        f"-IPTC:Caption-Abstract<={caption_file}",
        f"-IPTC:Headline={IMG}",
        f"-IPTC:Credit={FORMULA}",
        f"-IPTC:By-line={CMD}",
        f"-IPTC:Keywords={SUM}",
        "-IPTC:Keywords=-2+3",
        "-IPTC:SpecialInstructions=Released",
        "-IPTC:SupplementalCategories=Unclassified",
        "-IPTC:DateCreated=2022:02:15",
    )
    side = blank(photos / "side.jpg")
    side.with_suffix(".json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    (photos / NOT_AN_IMAGE).write_text("not an image")
    catalog("import", str(photos), "--db", str(root / "catalog.db"), "-q")
    # the payloads are quality errors (a formula for a credit ...): admitted, to reach the pages
    errors = rows(str(root / "catalog.db"), "SELECT code FROM findings WHERE severity = 'error'")
    allowed = ",".join(sorted({code for (code,) in errors if not code.startswith("REL")}))
    catalog("publish", str(root / "catalog.db"), str(root / "public.db"), "--allow-errors", allowed)
    return root


@pytest.fixture(scope="module")
def db(planted) -> str:
    return str(planted / "catalog.db")


# --- stored exactly ---------------------------------------------------------------------------


def test_the_catalog_keeps_every_value_exactly_nul_included(db):
    """The archive never alters a caption: SQLite stores text with its length, so a NUL and what
    follows it survive (SQL functions such as length() stop at the NUL; Python reads it all)."""
    stored = dict(rows(db, "SELECT virin, caption FROM assets"))
    assert stored[VIRIN] == CAPTION
    assert stored["220215-F-DU706-1242"] == SIDECAR["caption"]
    (title,) = rows(db, "SELECT title FROM assets WHERE virin = ?", "220215-F-DU706-1242")[0]
    assert title == FORMULA
    assert [k for (k,) in rows(db, "SELECT keyword FROM keywords ORDER BY keyword")] == sorted(
        [SUM, "-2+3", *SIDECAR["keywords"]]
    )


def test_control_characters_are_a_finding_naming_them(db):
    ((message, values),) = rows(
        db,
        "SELECT message, values_json FROM findings JOIN assets USING (sha256) "
        "WHERE code = 'REC007' AND field = 'caption' AND virin = ?",
        VIRIN,
    )
    values = json.loads(values)
    assert values["characters"] == ["U+001B", "U+0000", "U+202E"]  # in order of appearance
    assert "\\x1b" in message and "\\u202e" in message and "\x1b" not in message


def test_full_text_search_finds_words_after_a_nul(db):
    result = catalog("search", "--db", db, "caption", "--json")
    assert [a["virin"] for a in json.loads(result.stdout)] == ["220215-F-DU706-1242"]


# --- the terminal -------------------------------------------------------------------------------


def test_search_table_shows_control_characters_as_escapes(db):
    result = catalog("search", "--db", db, "cargo")
    assert "220215-F-DU706-1241" in result.stdout
    # the title column holds the headline: HTML is harmless on a terminal and shown as is
    assert IMG[:20] in result.stdout
    assert not any(char in result.stdout for char in RAW)


def test_search_json_is_valid_and_exact(db):
    found = json.loads(catalog("search", "--db", db, "--json").stdout)
    assert {a["virin"]: a["title"] for a in found}["220215-F-DU706-1242"] == FORMULA
    assert RLO not in catalog("search", "--db", db, "--json").stdout


def test_show_text_escapes_values_paths_and_messages(db):
    result = catalog("show", "--db", db, VIRIN)
    assert_shown_escaped(result.stdout)
    assert printable(CAPTION) in result.stdout
    assert printable(EVIL_NAME) in result.stdout  # the location, escaped too


def test_show_json_reads_back_exactly(db):
    result = catalog("show", "--db", db, VIRIN, "--json")
    assert not any(char in result.stdout for char in RAW)
    detail = json.loads(result.stdout)
    assert detail["asset"]["caption"] == CAPTION
    assert detail["locations"][0]["path"].endswith(EVIL_NAME)


def test_stats_escapes_values_used_as_keys(tmp_path):
    """A VIRIN on several assets is listed by its text: that text comes from the files."""
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("a", "b"):  # two contents (their headlines differ), one VIRIN
        exiftool_write(blank(photos / f"{name}.jpg"), f"-IPTC:Headline={name}")
        (photos / f"{name}.json").write_text(json.dumps({"virin": f"2202{ESC}"}))
    catalog("import", str(photos), "--db", str(tmp_path / "c.db"), "-q")
    text = catalog("stats", "--db", str(tmp_path / "c.db")).stdout
    assert "VIRINs on several assets: 2202\\x1b[2J 2" in text and "\x1b" not in text
    numbers = json.loads(catalog("stats", "--db", str(tmp_path / "c.db"), "--json").stdout)
    assert numbers["duplicate_virins"] == {f"2202{ESC}".upper(): 2}


def test_import_summary_escapes_skipped_file_names(tmp_path, planted):
    result = catalog("import", str(planted / "photos"), "--db", str(tmp_path / "c.db"), "-q")
    shown = printable(str(planted / "photos" / NOT_AN_IMAGE))
    assert [
        line
        for line in result.stdout.splitlines()
        if line.startswith("  skipped ") and line.endswith(f": {shown}")
    ]
    assert_shown_escaped(result.stdout)
    again = catalog("import", str(planted / "photos"), "--db", str(tmp_path / "j.db"), "--json")
    summary = json.loads(again.stdout)
    assert str(planted / "photos" / NOT_AN_IMAGE) in [f["path"] for f in summary["skipped_files"]]


def test_validate_text_and_github_escape_the_files_text(planted):
    for fmt in ("text", "github"):
        result = catalog("validate", "--format", fmt, str(planted / "photos"))
        assert result.returncode == 1
        assert not any(char in result.stdout for char in RAW), fmt
        assert "\\x1b[2J" in result.stdout, fmt


def test_virin_command_escapes_its_input():
    result = catalog("virin", f"{VIRIN}{ESC}{RLO}")
    assert result.returncode == 1
    assert_shown_escaped(result.stdout)
    (answer,) = json.loads(catalog("virin", "--json", f"{VIRIN}{RLO}").stdout)
    assert answer["input"] == f"{VIRIN}{RLO}"


# --- exports ------------------------------------------------------------------------------------


def export(db: str, *args: str) -> str:
    return catalog("export", "--db", db, *args).stdout


def by_virin(table: list[dict]) -> dict[str, dict]:
    return {row["virin"]: row for row in table}


def test_csv_export_neutralizes_formulas_and_keeps_numbers(db):
    exported = by_virin(list(csv.DictReader(io.StringIO(export(db, "--format", "csv")))))
    evil, side = exported[VIRIN], exported["220215-F-DU706-1242"]
    assert evil["credit"] == "'" + FORMULA
    assert evil["photographer"] == "'" + CMD
    assert evil["keywords"] == "'" + "; ".join([SUM, "-2+3"])
    assert side["title"] == "'" + FORMULA
    assert side["gps_longitude"] == "-121.9"  # a negative number is no formula
    assert evil["caption"] == CAPTION  # a file or a pipe gets the value itself


def test_csv_export_raw_keeps_every_value_as_stored(db):
    exported = by_virin(list(csv.DictReader(io.StringIO(export(db, "--raw")))))
    assert exported[VIRIN]["credit"] == FORMULA
    assert exported["220215-F-DU706-1242"]["title"] == FORMULA


def test_json_exports_are_valid_exact_and_terminal_safe(db):
    whole = export(db, "--format", "json")
    lines = export(db, "--format", "jsonl")
    for text in (whole, lines):
        assert not any(char in text for char in RAW)
    assert by_virin(json.loads(whole))[VIRIN]["caption"] == CAPTION
    assert by_virin(map(json.loads, lines.splitlines()))[VIRIN]["credit"] == FORMULA


# --- Datasette ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def internal(planted):
    client = Client.serving(planted / "catalog.db")
    yield client
    client.close()


@pytest.fixture(scope="module")
def public(planted):
    client = Client.serving(planted / "public.db", public=True)
    yield client
    client.close()


def sha_of(db: str, virin: str) -> str:
    return rows(db, "SELECT sha256 FROM assets WHERE virin = ?", virin)[0][0]


def assert_safe_html(html: str, page: str = "") -> None:
    assert "<script>alert(" not in html and "<img src=x" not in html and "<b>x" not in html, page
    assert not [html[html.index(c) - 80 : html.index(c) + 20] for c in RAW if c in html], page


def test_internal_pages_escape_markup_and_show_control_characters(internal, db):
    sha = sha_of(db, VIRIN)
    (asset_id,) = rows(db, "SELECT id FROM assets WHERE sha256 = ?", sha)[0]
    pages = {
        "asset": f"/catalog/-/asset/{sha}",
        "table": "/catalog/assets",
        "search": "/catalog/assets?_search=cargo",
        "row": f"/catalog/assets/{asset_id}",
        "values": "/catalog/field_values",
        "findings": "/catalog/findings",
        "query": "/catalog?sql=select+caption,+credit+from+assets",
        "desk": "/catalog/-/desk",
        "desk search": "/catalog/-/desk?q=cargo",
    }
    for name, url in pages.items():
        response = internal.get(url)
        assert response.status_code == 200, name
        assert_safe_html(response.text, name)
    asset = internal.get(pages["asset"]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in asset
    assert "\\x1b[2J\\x00\\u202egpj.exe" in asset  # visible, where the caption holds them
    assert "&#34;&gt;&lt;img src=x" in asset  # the headline
    assert printable(EVIL_NAME).replace("<", "&lt;").replace(">", "&gt;") in asset


def test_primary_key_links_are_datasettes_own_html_escaped_but_not_made_visible(internal):
    """A table's primary-key link (``locations`` is keyed by path) and a row page's heading are
    built by Datasette without the render_cell hook: the path is HTML-escaped, but a control
    character in a file name reaches the page as it is (docs/robustness.md, "Text"). The other
    columns of the same rows go through the plugin and show it escaped."""
    html = internal.get("/catalog/locations").text
    assert "<b>x" not in html and "&lt;b&gt;x.jpg" in html
    assert f"{printable(EVIL_NAME)}".replace("<", "&lt;").replace(">", "&gt;") in html  # name


def test_internal_json_reads_back_exactly(internal):
    found = internal.get("/catalog/assets.json?_shape=objects&_search=cargo").json()["rows"]
    assert [row["caption"] for row in found] == [CAPTION]


@pytest.mark.parametrize(
    "url",
    [
        "/catalog/assets.csv",
        "/catalog/assets.csv?_dl=1",
        "/catalog/assets.csv?_stream=1&_size=1",
        "/catalog.csv?sql=select+virin,+credit,+title,+caption,+gps_longitude+from+assets",
        "/catalog/keywords.csv",
    ],
)
def test_datasette_csv_of_a_catalog_is_safe_for_spreadsheets(internal, url):
    """Datasette writes CSV itself; the plugin neutralizes the cells of a catalog's CSV."""
    response = internal.get(url)
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
    assert [cell for cell in cells if _runs_as_formula(cell)] == []
    if "keywords" not in url:
        assert "'" + FORMULA in cells


def _runs_as_formula(cell: str) -> bool:
    return cell.lstrip(" \n").startswith(("=", "+", "-", "@", "\t", "\r")) and not _number(cell)


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_datasette_csv_keeps_negative_numbers_and_the_rest_exact(internal):
    sql = "select title, gps_longitude, caption from assets where gps_longitude is not null"
    response = internal.get(f"/catalog.csv?sql={sql.replace(' ', '+')}")
    (header, row) = list(csv.reader(io.StringIO(response.text)))
    assert dict(zip(header, row, strict=True)) == {
        "title": "'" + FORMULA,
        "gps_longitude": "-121.9",
        "caption": SIDECAR["caption"],
    }


def test_public_pages_and_csv_are_safe_too(public, planted):
    sha = sha_of(str(planted / "public.db"), VIRIN)
    for url in (f"/public/-/asset/{sha}", "/public/assets", "/public/assets?_search=cargo"):
        assert_safe_html(public.get(url).text)
    exported = list(csv.DictReader(io.StringIO(public.get("/public/assets.csv").text)))
    assert [row["credit"] for row in exported] == ["'" + FORMULA]


def test_a_lone_surrogate_in_a_sidecar_is_refused_and_the_import_goes_on(tmp_path):
    """JSON can spell a lone surrogate (``"\\udc80"``), which is no text: UTF-8 cannot encode it,
    so SQLite cannot store it. The value is refused with a finding and kept as its visible escape,
    and the import completes (it used to stop on a UnicodeEncodeError)."""
    photos = tmp_path / "photos"
    photos.mkdir()
    blank(photos / "a.jpg")
    (photos / "a.json").write_text('{"caption": "x\\udc80y", "\\ud800": 1, "title": "kept"}')
    db = str(tmp_path / "c.db")
    assert catalog("import", str(photos), "--db", db, "-q").returncode == 0
    assert rows(db, "SELECT title, caption FROM assets") == [("kept", None)]
    kept = rows(db, "SELECT field, value, error IS NOT NULL FROM field_values ORDER BY field")
    assert kept == [
        ("\\ud800", "1", 1),
        ("caption", "x\\udc80y", 1),
        ("classification", None, 1),  # a key that is no record field: release is unknown
        ("release_instructions", None, 1),
        ("title", "kept", 0),
    ]
    findings = rows(db, "SELECT code, field FROM findings WHERE code = 'FIL013' ORDER BY field")
    assert findings == [("FIL013", "\\ud800"), ("FIL013", "caption")]
    shown = json.loads(catalog("show", "--db", db, str(photos / "a.jpg"), "--json").stdout)
    assert "x\\udc80y" in [v["value"] for v in shown["field_values"]]
