"""``catalog import|search|show|export|stats`` on the sample collection, as ``make run`` and the
README use them."""

from __future__ import annotations

import csv
import io
import json
import shlex
import shutil
from pathlib import Path

import pytest
from catalogs import rows
from click.testing import CliRunner

from catalog.cli import cli

ASSETS = Path(__file__).resolve().parent.parent / "assets"

#: Each file of assets/mistakes/ and the rule that must flag it (the README lists them).
MISTAKES = {
    "wrong-virin-8-digit-date.jpg": "VIR002",
    "wrong-virin-placeholder.jpg": "VIR006",
    "wrong-virin-no-such-date.jpg": "VIR003",
    "date-created-differs.jpg": "REC005",
    "caption-date-differs.jpg": "CAP002",
    "missing-credit.jpg": "CRD001",
    "gps-on-released.jpg": "REL007",
    "released-but-fouo.jpg": "REL004",
    "no-release-status.jpg": "REL001",
    "iptc-xmp-disagree.jpg": "SRC001",
    "too-many-keywords.jpg": "REC003",
    "photographer-in-keywords.jpg": "REC004",
    "byline-too-long.jpg": "REC002",
    "filename-differs-220215-F-DU706-1399.jpg": "SRC004",
    "no-metadata.png": "VIR001",
    "truncated.jpg": "FIL017",
    "manifest-says-not-released.jpg": "REL003",
    "duplicate-virin-a.jpg": "SET001",
    "duplicate-virin-b.jpg": "SET001",
}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def import_assets(source: Path, db: Path, *extra: str) -> str:
    return run(
        "import",
        str(source),
        "--db",
        str(db),
        "--manifest",
        str(source / "manifest.csv"),
        "--article",
        str(source / "article.txt"),
        "--jobs",
        "2",
        *extra,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, Path]:
    """The committed sample collection (copied: paths in the catalog are absolute) imported."""
    folder = tmp_path_factory.mktemp("sample")
    source = shutil.copytree(ASSETS, folder / "assets")
    db = folder / "catalog.db"
    import_assets(source, db)
    return source, db


def test_the_import_summary_counts_and_names_what_was_skipped(tmp_path):
    source = shutil.copytree(ASSETS, tmp_path / "assets")
    db = tmp_path / "catalog.db"
    first = import_assets(source, db).splitlines()
    assert first[0].startswith(f"{db}: 33 imported, 0 updated, 0 unchanged, 0 missing, 1 skipped")
    assert any("skipped 1 file: " in line and "not-an-image.jpg" in line for line in first)
    assert any("FIL015" in line and "does-not-exist.jpg" for line in first)  # the manifest row
    assert first[-2].startswith("this run: ")
    assert first[-1].startswith("in the catalog: ")
    second = json.loads(import_assets(source, db, "--json"))
    assert {k: second[k] for k in ("imported", "updated", "unchanged", "missing")} == {
        "imported": 0,
        "updated": 0,
        "unchanged": 34,
        "missing": 0,
    }


def test_every_documented_mistake_is_flagged_by_its_rule(sample):
    source, db = sample
    for name, code in MISTAKES.items():
        found = rows(
            db, "SELECT code FROM findings WHERE path = ?", str(source / "mistakes" / name)
        )
        assert code in {c for (c,) in found}, name


def test_the_good_photos_have_no_errors(sample):
    source, db = sample
    errors = rows(
        db,
        "SELECT path, code FROM findings WHERE severity = 'error' AND path LIKE ?",
        f"{source}/photos/%",
    )
    assert errors == []


def test_the_seed_articles_images_get_their_records_from_the_article(sample):
    _, db = sample
    out = run("show", "220215-F-DU706-1241", "--db", str(db), "--json")
    detail = json.loads(out)
    assert detail["asset"]["title"] == "Loading Cargo"
    assert detail["asset"]["photographer_name"] == "Karla Parra"
    chosen = {v["field"]: v["source"] for v in detail["field_values"] if v["chosen"]}
    assert chosen["caption"] == "article:article.txt#1"
    # the seed's real inconsistency: caption Feb. 14, VIRIN 220215
    assert "CAP002" in {f["code"] for f in detail["findings"]}


def test_search_finds_by_text_and_filters(sample):
    _, db = sample
    out = json.loads(run("search", "lightning", "--db", str(db), "--json"))
    assert {r["virin"] for r in out} == {"220224-F-FW957-2001", "220224-F-FW957-2001Y"}
    army = json.loads(run("search", "--service", "A", "--db", str(db), "--json"))
    assert [r["virin"] for r in army] == ["230612-A-AB123-1001"]
    feb = json.loads(
        run("search", "--from", "2022-02-24", "--to", "2022-02-28", "--db", str(db), "--json")
    )
    assert {r["shot_date"] for r in feb} == {"2022-02-24"}
    placeholder = json.loads(run("search", "--rule", "vir006", "--db", str(db), "--json"))
    assert [r["virin"] for r in placeholder] == ["220215-M-ZZ999-1302"]
    clean = json.loads(
        run(
            "search",
            "cargo",
            "--no-errors",
            "--publishable",
            "--db",
            str(db),
            "--json",
            "--limit",
            "100",
        )
    )
    assert clean and all(r["error_count"] == 0 and r["publishable"] == 1 for r in clean)
    by_name = json.loads(run("search", "--photographer", "STEWART", "--db", str(db), "--json"))
    assert {r["photographer_name"] for r in by_name} == {"Ali Stewart"}
    table = run("search", "cargo", "--release", "released", "--db", str(db))
    assert table.splitlines()[0].split()[:3] == ["sha256", "VIRIN", "shot"]


def test_a_bad_search_text_is_a_usage_error_not_a_traceback(sample):
    _, db = sample
    result = CliRunner().invoke(cli, ["search", '"unbalanced', "--fts", "--db", str(db)])
    assert result.exit_code == 2 and "bad search text" in result.output


def test_show_by_path_and_by_hash_prefix_and_a_miss(sample):
    source, db = sample
    path = source / "mistakes" / "copy-of-1251.jpg"
    by_path = json.loads(run("show", str(path), "--db", str(db), "--json"))
    assert sorted(loc["path"] for loc in by_path["locations"]) == [
        str(path),
        str(source / "photos" / "220215-F-DU706-1251.jpg"),
    ]
    prefix = by_path["asset"]["sha256"][:10]
    assert json.loads(run("show", prefix, "--db", str(db), "--json")) == by_path
    text = run("show", prefix, "--db", str(db))
    assert "virin: 220215-F-DU706-1251  [xmp]" in text
    missing = CliRunner().invoke(cli, ["show", "999999-F-XX999-9999", "--db", str(db)])
    assert missing.exit_code == 1


def test_export_formats_agree(sample):
    _, db = sample
    as_json = json.loads(run("export", "--format", "json", "--db", str(db)))
    as_lines = [
        json.loads(line)
        for line in run("export", "--format", "jsonl", "--db", str(db)).splitlines()
    ]
    as_csv = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", "--db", str(db)))))
    assert as_json == as_lines and len(as_csv) == len(as_json) == 32
    assert [r["sha256"] for r in as_csv] == [r["sha256"] for r in as_json]
    fouo = json.loads(run("export", "--rule", "REL004", "--format", "json", "--db", str(db)))
    assert [r["classification"] for r in fouo] == ["FOUO"]


def test_stats_show_duplicates_and_rules(sample):
    _, db = sample
    numbers = json.loads(run("stats", "--db", str(db), "--json"))
    assert numbers["assets"] == 32 and numbers["locations"] == {"present": 33, "skipped": 1}
    assert numbers["duplicate_virins"] == {"220215-F-DU706-1308": 2}
    assert numbers["formats"] == {"JPEG": 29, "PNG": 2, "TIFF": 1}
    assert "assets" in run("stats", "--db", str(db))


def _help_examples(command: str) -> list[list[str]]:
    text = CliRunner().invoke(cli, [command, "--help"]).output
    lines = [line.strip() for line in text.splitlines()]
    return [shlex.split(line)[2:] for line in lines if line.startswith(f"catalog {command} ")]


@pytest.mark.parametrize(
    ("command", "args"),
    [
        (command, args)
        for command in ("search", "show", "export")
        for args in _help_examples(command)
    ],
)
def test_help_examples_work_when_pasted_beside_the_sample(sample, monkeypatch, command, args):
    """Each example of the reading commands' help runs on the sample catalog, from the folder
    that holds ``assets/`` (``run`` asserts exit status 0: for ``show``, an asset was found)."""
    source, db = sample
    monkeypatch.chdir(source.parent)
    run(command, *args, "--db", str(db))


def test_reading_commands_refuse_a_missing_catalog(tmp_path):
    result = CliRunner().invoke(cli, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_catalog_that_cannot_be_created_is_an_error_naming_it(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    target = tmp_path / "no-such-folder" / "catalog.db"
    result = CliRunner().invoke(cli, ["import", str(photos), "--db", str(target)])
    assert result.exit_code == 2 and str(target) in result.output
