"""Articles end to end: `catalog validate PAGE`, `catalog import --article PAGE` without images,
`show` and `search` of records without an image, the canned queries, remembered companions."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from shipped import TABLES, TODAY
from test_readers_article import seed

from catalog.cli import cli
from catalog.core.record import AssetRecord
from catalog.core.record_checks import check_record
from catalog.web.config import INTERNAL, configuration

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def test_validate_the_seed_alone_reports_only_the_first_blocks_date_mismatch():
    code, output = invoke("validate", "--format", "json", str(seed()))
    report = json.loads(output)
    errors = [f for r in report["files"] for f in r["findings"] if f["severity"] == "error"]
    assert code == 1
    assert [(f["code"], f["values"]["line"]) for f in errors] == [("CAP002", 28)]


def test_validate_points_at_the_block_line_in_github_sarif_and_junit(tmp_path):
    page = tmp_path / "draft.txt"
    shutil.copy(seed(), page)
    _, github = invoke("validate", "--format", "github", str(page))
    assert "::error file=" in github and ",line=28,title=CAP002" in github
    _, sarif = invoke("validate", "--format", "sarif", str(page))
    regions = [
        r["locations"][0]["physicalLocation"]["region"]
        for r in json.loads(sarif)["runs"][0]["results"]
    ]
    assert {"startLine": 28} in regions and {"startLine": 40} in regions
    _, junit = invoke("validate", "--format", "junit", str(page))
    assert "draft.txt:28" in junit


def test_an_article_and_its_images_are_checked_together():
    """The seed's blocks carried by assets/article/ images are checked in the images' records,
    not a second time on the page."""
    code, together = invoke(
        "validate",
        "--format",
        "json",
        "--fail-on",
        "never",
        str(ASSETS / "article"),
        str(ASSETS / "article.txt"),
    )
    assert code == 0
    findings = [f for r in json.loads(together)["files"] for f in r["findings"]]
    on_page = [f for f in findings if f["path"].endswith("article.txt")]
    on_images = [f for f in findings if f["path"].endswith(".jpg")]
    assert on_page == []
    assert "CAP002" in {f["code"] for f in on_images}


def test_import_an_article_without_images_gives_records_show_and_search_find(tmp_path):
    db = tmp_path / "c.db"
    code, output = invoke("import", "--article", str(seed()), "--db", str(db))
    assert code == 0 and "2 article records" in output
    code, shown = invoke("show", "220215-F-DU706-1241", "--db", str(db))
    assert code == 0
    assert "Loading Cargo" in shown and "images: none in the catalog" in shown
    assert "CAP002" in shown
    code, shown = invoke("show", "220224-f-fw957-2001y.JPG", "--db", str(db))
    assert code == 0 and "Lightning Pair" in shown
    code, found = invoke("search", "cargo", "--db", str(db))
    assert "published records without an image" in found and "220215-F-DU706-1241" in found
    code, found = invoke("search", "--articles", "lightning", "--db", str(db), "--json")
    assert [r["virin"] for r in json.loads(found)] == ["220224-F-FW957-2001Y"]


def test_canned_queries_list_records_without_an_image_and_images_on_no_page(tmp_path):
    images = tmp_path / "photos"
    shutil.copytree(ASSETS / "article", images)
    (images / "220224-F-FW957-2001Y.jpg").unlink()
    shutil.copy(ASSETS / "photos" / "220215-F-DU706-1251.jpg", images)
    db = tmp_path / "c.db"
    assert invoke("import", str(images), "--article", str(seed()), "--db", str(db))[0] == 0
    queries = configuration(INTERNAL, "c")["databases"]["c"]["queries"]
    conn = sqlite3.connect(db)
    alone = conn.execute(queries["records_without_image"]["sql"]).fetchall()
    no_page = conn.execute(queries["images_on_no_page"]["sql"]).fetchall()
    assert [row[0] for row in alone] == ["220224-F-FW957-2001Y"]
    assert [row[1] for row in no_page] == ["220215-F-DU706-1251"]


def test_companions_are_remembered_reused_and_forgotten(tmp_path):
    source = tmp_path / "assets"
    shutil.copytree(ASSETS, source)
    db = str(tmp_path / "c.db")
    manifest, article = str(source / "manifest.csv"), str(source / "article.txt")
    first = invoke(
        "import", str(source), "--db", db, "--manifest", manifest, "--article", article, "--json"
    )[1]
    assert json.loads(first)["imported"] > 0
    code, again = invoke("import", str(source), "--db", db, "--json")
    summary = json.loads(again)
    assert code == 0
    assert summary["imported"] == summary["updated"] == 0
    assert summary["companions_reused"] == [manifest, article]
    assert invoke("show", "220215-F-DU706-1241", "--db", db)[1].count("Loading Cargo") >= 1
    (source / "article.txt").write_text(
        (source / "article.txt").read_text().replace("Loading Cargo", "Cargo Loading")
    )
    changed = json.loads(invoke("import", str(source), "--db", db, "--json")[1])
    assert changed["updated"] > 0  # read again: the article they travel with changed
    assert "Cargo Loading" in invoke("show", "220215-F-DU706-1241", "--db", db)[1]
    forgot = json.loads(invoke("import", str(source), "--db", db, "--forget", article, "--json")[1])
    assert forgot["companions_forgotten"] == 1 and forgot["companions_reused"] == [manifest]


def test_iim_byte_limits_apply_to_iim_values_not_to_a_web_credit_line():
    record = AssetRecord(
        virin="220215-F-DU706-1241", credit="Air Force Senior Airman Karla Parra, 60th AMW"
    )
    from_page = check_record(
        record, sources={"credit": "article:page.txt#1"}, tables=TABLES, today=TODAY
    )
    from_iim = check_record(record, sources={"credit": "iptc"}, tables=TABLES, today=TODAY)
    assert "REC002" not in {f.code for f in from_page.findings}
    assert "REC002" in {f.code for f in from_iim.findings}
