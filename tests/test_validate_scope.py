"""What a bare ``catalog validate`` checks in a checkout, and ``--whole-set-from``: the whole-set
rules against files that are not being checked (the pre-commit hook's other images)."""

from __future__ import annotations

from pathlib import Path

from lintfiles import VIRIN, catalog, good_image, located, other_picture


def bad_image(folder: Path) -> Path:
    return good_image(folder, None, "-Caption-Abstract=Airmen load cargo, Feb. 14, 2022.")


def test_a_bare_validate_skips_test_artifacts_venvs_and_its_own_csv_export(tmp_path):
    good_image(tmp_path / "photos")
    for place in ("test-artifacts", ".venv-ds1/lib", "fuzz-out", "bench-out/large"):
        bad_image(tmp_path / place)
    (tmp_path / "catalog.csv").write_text("sha256,virin\nabc,220215-F-DU706-1241\n")
    result = catalog("validate", "--format", "jsonl", "--fail-on", "info", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 file checked" in result.stderr


def test_a_folder_named_on_the_command_line_is_checked_even_where_the_defaults_skip(tmp_path):
    bad = bad_image(tmp_path / "test-artifacts")
    result = catalog("validate", "--format", "jsonl", "test-artifacts", cwd=tmp_path)
    assert result.returncode == 1
    assert (f"test-artifacts/{bad.name}", "CAP002") in located(result)


def test_the_configuration_replaces_the_default_excludes(tmp_path):
    bad = bad_image(tmp_path / "test-artifacts")
    (tmp_path / "catalog.toml").write_text('default-exclude = ["fuzz-out/"]\n')
    result = catalog("validate", "--format", "jsonl", cwd=tmp_path)
    assert (f"test-artifacts/{bad.name}", "CAP002") in located(result)


def test_whole_set_from_finds_a_virin_reused_from_a_file_not_checked(tmp_path):
    good_image(tmp_path / "committed")
    new = other_picture(tmp_path / "staged" / f"{VIRIN}.jpg")
    alone = catalog("validate", "--format", "jsonl", "staged", cwd=tmp_path)
    assert alone.returncode == 0, alone.stdout

    result = catalog(
        "validate", "--format", "jsonl", "--whole-set-from", ".", "staged", cwd=tmp_path
    )
    assert result.returncode == 1
    # reported on the file checked only: the committed one was read for its VIRIN alone
    assert located(result) == {(f"staged/{new.name}", "SET001")}
    assert f"committed/{VIRIN}.jpg" in result.stdout


def test_whole_set_from_reports_nothing_about_the_other_files_themselves(tmp_path):
    bad_image(tmp_path / "committed")
    good_image(tmp_path / "staged", "220215-F-DU706-1299.jpg", virin="220215-F-DU706-1299")
    result = catalog(
        "validate", "--format", "jsonl", "--whole-set-from", ".", "staged", cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout
    assert located(result) == set()
