"""A manifest decides release the same way whatever reads it: ``catalog validate`` and
``catalog fix`` combine the manifests they find as ``catalog import`` does.

A file that two manifests describe weighs both rows' release values (two rows that disagree are
a release conflict, never "the first row wins"), and a manifest that cannot be tied to its files
fails the release of its folder tree closed. Both skip the images a manifest lists in a folder
the walk skips (``test-artifacts/``, ``exclude``).
"""

from __future__ import annotations

from pathlib import Path

from lintfiles import VIRIN, catalog, good_image, located


def disagreeing_manifests(folder: Path) -> Path:
    """A released image that a.csv calls Released and b.csv Not Released."""
    image = good_image(folder, "twice.jpg")
    (folder / "a.csv").write_text("file,release_instructions\ntwice.jpg,Released\n")
    (folder / "b.csv").write_text("file,release_instructions\ntwice.jpg,Not Released\n")
    return image


def validated(folder: Path, path: str) -> set[tuple[str, str]]:
    result = catalog("validate", path, "--format", "jsonl", "--fail-on", "never", cwd=folder)
    assert result.returncode == 0, result.stderr
    return located(result)


def test_validate_weighs_both_rows_of_a_file_two_manifests_describe(tmp_path):
    disagreeing_manifests(tmp_path / "src")

    found = validated(tmp_path, "src")

    assert ("src/twice.jpg", "REL003") in found  # the sources disagree
    assert ("src/b.csv", "FIL015") in found  # the second row is named, not dropped silently


def test_validate_fails_release_closed_below_a_manifest_it_cannot_tie_to_files(tmp_path):
    good_image(tmp_path / "src" / "shoot", "untied.jpg")
    good_image(tmp_path / "src" / "other", "outside.jpg")
    (tmp_path / "src" / "shoot" / "manifest.csv").write_text("name,title\nuntied.jpg,A title\n")

    found = validated(tmp_path, "src")

    assert ("src/shoot/untied.jpg", "REL008") in found
    assert ("src/other/outside.jpg", "REL008") not in found


def test_fix_for_release_makes_no_copy_when_two_manifests_disagree(tmp_path):
    disagreeing_manifests(tmp_path / "src")

    result = catalog("fix", "src", "--out", "out", "--for-release", cwd=tmp_path)

    assert result.returncode == 1, result.stderr
    assert "not released: no copy is made for release" in result.stdout
    assert not (tmp_path / "out").exists()


def test_an_image_a_manifest_lists_in_a_skipped_folder_is_skipped_by_validate_and_fix(tmp_path):
    lower = f"-IPTC:ObjectName={VIRIN.lower()}"  # a safe fix: VIR015
    good_image(tmp_path / "src", "kept.jpg", lower)
    good_image(tmp_path / "src" / "test-artifacts", "shot.jpg", lower)
    (tmp_path / "src" / "manifest.csv").write_text("file,title\ntest-artifacts/shot.jpg,A title\n")

    result = catalog("fix", "src", "--out", "out", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "src" / "kept.jpg").is_file()
    assert not (tmp_path / "out" / "src" / "test-artifacts").exists()
    assert ("src/test-artifacts/shot.jpg", "VIR015") not in validated(tmp_path, "src")
