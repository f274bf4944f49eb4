"""``catalog validate --db``: a catalog built by ``catalog import`` is validated from its stored
findings, with today's selection, severities, per-path ignores and baseline - and says the same as
validating the files themselves."""

import hashlib
from pathlib import Path

import pytest
from lintfiles import catalog, good_image, located, reported


@pytest.fixture
def imported(tmp_path) -> Path:
    """A folder of photos, one good, one with a wrong caption date, one not an image, imported."""
    photos = tmp_path / "photos"
    good_image(photos)
    good_image(
        photos,
        "220215-F-DU706-1242.jpg",
        "-Caption-Abstract=Airmen load cargo, Feb. 14, 2022.",
        "-Keywords=Karla Parra",
        virin="220215-F-DU706-1242",
    )
    (photos / "notes.jpg").write_text("not an image")
    result = catalog(
        "import", "-q", "--no-thumbnails", "--db", "catalog.db", "photos", cwd=tmp_path
    )
    assert result.returncode in (0, 1), result.stderr
    return tmp_path


def test_the_catalog_says_what_the_files_say(imported):
    from_files = catalog("validate", "--format", "jsonl", "photos", cwd=imported)
    from_db = catalog("validate", "--format", "jsonl", "--db", "catalog.db", cwd=imported)
    assert located(from_db) == located(from_files)
    assert ("photos/220215-F-DU706-1242.jpg", "CAP002") in located(from_db)
    assert ("photos/notes.jpg", "FIL001") in located(from_db)
    assert from_db.returncode == from_files.returncode == 1


def test_policy_applies_to_the_stored_findings(imported):
    (imported / "catalog.toml").write_text(
        'ignore = ["FIL", "CRD", "CAP004"]\n'
        '[severity]\nCAP002 = "warning"\n'
        '[per-path-ignores]\n"*-1242.jpg" = ["REC004"]\n'
    )
    result = catalog("validate", "--format", "jsonl", "--db", "catalog.db", cwd=imported)
    assert [(f["code"], f["severity"]) for f in reported(result)] == [("CAP002", "warning")]
    assert result.returncode == 0


def test_a_baseline_written_from_the_catalog_hides_its_findings(imported):
    written = catalog("validate", "--db", "catalog.db", "--write-baseline", "b.json", cwd=imported)
    assert written.returncode == 0
    result = catalog("validate", "--db", "catalog.db", "--baseline", "b.json", cwd=imported)
    assert result.returncode == 0 and "baselined" in result.stdout
    from_files = catalog("validate", "--baseline", "b.json", "photos", cwd=imported)
    assert from_files.returncode == 0  # the same fingerprints: one baseline serves both


def test_only_the_findings_of_a_files_content_now_are_reported(imported):
    """A file edited since the first import: the catalog still holds the findings of its first
    content, but the file now is the second."""
    photos = imported / "photos"
    fixed = good_image(imported / "fixed", "220215-F-DU706-1242.jpg", virin="220215-F-DU706-1242")
    (photos / fixed.name).write_bytes(fixed.read_bytes())
    again = catalog("import", "-q", "--no-thumbnails", "--db", "catalog.db", "photos", cwd=imported)
    assert again.returncode in (0, 1), again.stderr
    result = catalog("validate", "--format", "jsonl", "--db", "catalog.db", cwd=imported)
    assert ("photos/220215-F-DU706-1242.jpg", "CAP002") not in located(result)
    assert ("photos/notes.jpg", "FIL001") in located(result)


def test_paths_narrow_the_catalog_and_the_catalog_file_is_not_modified(imported):
    before = hashlib.sha256((imported / "catalog.db").read_bytes()).hexdigest()
    (imported / "photos" / "sub").mkdir()
    result = catalog(
        "validate", "--format", "jsonl", "--db", "catalog.db", "photos/sub", cwd=imported
    )
    assert result.returncode == 0 and result.stdout == ""
    assert hashlib.sha256((imported / "catalog.db").read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "nowhere.db"], "nowhere.db: no catalog here"),
        (["--db", "photos/notes.jpg"], "not a catalog made by `catalog import`"),
        (["--db", "catalog.db", "--profile", "dvids"], "profile of its import"),
    ],
)
def test_a_missing_or_foreign_catalog_is_a_usage_error(imported, args, message):
    result = catalog("validate", *args, cwd=imported)
    assert result.returncode == 2 and message in result.stderr
