"""``catalog validate`` end to end: real JPEGs written by ExifTool, the installed command, its
exit status, configuration, per-path ignores, baselines and the whole-set rules."""

import json
import shutil
from pathlib import Path

import pytest
from catalogs import tree_state
from imagefiles import SIZE, exiftool_write
from lintfiles import VIRIN, catalog, good_args, good_image, located, reported, sidecar
from PIL import Image


def codes(result) -> list[str]:
    """The codes of a ``--format jsonl`` run."""
    return sorted(f["code"] for f in reported(result))


def validate(folder: Path, *args: str):
    return catalog("validate", *args, cwd=folder)


def test_a_good_folder_passes_with_exit_status_0(tmp_path):
    good_image(tmp_path / "photos")
    result = validate(tmp_path, "--profile", "dvids", "--fail-on", "info")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == (
        "1 file checked: 0 errors, 0 warnings, 0 info in 0 files; passed (fail-on info)."
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["-IPTC:ObjectName=220215-F-DU706-1242"], "SRC004"),  # file name vs embedded VIRIN
        (["-XMP-photoshop:Credit=U.S. Space Force"], "SRC001"),  # IPTC vs XMP copies
        (["-By-line=", "-By-line=Sgt. " + "Ž" * 14], "REC002"),  # 14 characters, 33 bytes
        (["-Caption-Abstract=Airmen load cargo, Feb. 14, 2022."], "CAP002"),
        (["-IPTC:DateCreated=2022:02:16"], "REC005"),
        (["-DateTimeOriginal=2022:02:17 10:00:00"], "REC006"),  # two days from the VIRIN date
        (["-GPSLatitude=38.2", "-GPSLatitudeRef=N"], "REL007"),
        (["-SpecialInstructions=Released for web"], "REL002"),
        (["-SupplementalCategories=FOUO"], "REL004"),
        ([f"-Keywords=k{i}" for i in range(5)], "REC003"),
        (["-Keywords=Karla Parra"], "REC004"),
        (["-IPTC:ObjectName=220215-F-ZZ999-1241", "-FileName=220215-F-ZZ999-1241.jpg"], "VIR006"),
    ],
)
def test_each_rule_is_found_in_a_real_file(tmp_path, args, code):
    good_image(tmp_path, None, *args)
    result = validate(tmp_path, "--format", "jsonl", "--fail-on", "never", ".")
    assert result.returncode == 0
    assert code in codes(result)


def test_exif_one_day_from_the_virin_date_is_tolerated(tmp_path):
    good_image(tmp_path, None, "-DateTimeOriginal=2022:02:14 23:30:00")
    assert codes(validate(tmp_path, "--format", "jsonl", "--fail-on", "never")) == []


def test_the_dvids_profile_requires_every_submission_field(tmp_path):
    good_image(tmp_path, None, "-Country-PrimaryLocationName=")
    assert codes(validate(tmp_path, "--format", "jsonl")) == []
    result = validate(tmp_path, "--format", "jsonl", "--profile", "dvids")
    assert codes(result) == ["REC001"] and result.returncode == 1


def test_exit_status_follows_fail_on(tmp_path):
    good_image(tmp_path, None, "-Keywords=Karla Parra")  # a warning only
    assert validate(tmp_path).returncode == 0
    assert validate(tmp_path, "--fail-on", "warning").returncode == 1
    (tmp_path / "catalog.toml").write_text('fail-on = "warning"\n')
    assert validate(tmp_path).returncode == 1
    assert validate(tmp_path, "--fail-on", "never").returncode == 0  # the command line wins


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (["--select", "VIX"], "", "--select: 'VIX' matches no rule code"),
        (["--profile", "dvid"], "", "unknown profile 'dvid'"),
        (["--format", "xml"], "", "Invalid value for '--format'"),
        (["missing-folder"], "", "does not exist"),
        ([], "selct = []\n", "catalog.toml: unknown key 'selct'"),
        ([], '[per-path-ignores]\n"a/" = ["VIX"]\n', "'per-path-ignores' 'a/': 'VIX'"),
        (["--baseline", "nope.json"], "", "nope.json: cannot be read"),
    ],
)
def test_usage_and_configuration_errors_exit_2_naming_the_problem(tmp_path, args, config, message):
    good_image(tmp_path, None, "-Caption-Abstract=")  # findings must not decide the status
    if config:
        (tmp_path / "catalog.toml").write_text(config)
    result = validate(tmp_path, *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_per_path_ignores_and_severity_overrides_from_pyproject(tmp_path):
    good_image(tmp_path / "legacy", None, "-Keywords=Karla Parra")
    good_image(tmp_path / "new", None, "-Keywords=Karla Parra", virin="220215-F-DU706-1250")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.catalog]\nfail-on = "warning"\n'
        '[tool.catalog.per-path-ignores]\n"legacy/" = ["REC004", "SET"]\n'
        '[tool.catalog.severity]\nREC004 = "error"\n'
    )
    result = validate(tmp_path, "--format", "jsonl", "new", "legacy")
    (finding,) = reported(result)
    assert finding["path"] == "new/220215-F-DU706-1250.jpg"
    assert finding["code"] == "REC004" and finding["severity"] == "error"
    assert result.returncode == 1
    assert "(1 ignored)" in result.stderr


def test_a_baseline_lets_an_archive_adopt_the_linter_and_fail_only_on_new_findings(tmp_path):
    legacy = good_image(tmp_path / "photos", None, "-Caption-Abstract=")  # CAP001, CAP003 ...
    good_image(tmp_path / "photos", "b.jpg", "-Credit=", virin="220215-F-DU706-1242")
    assert validate(tmp_path).returncode == 1
    written = validate(tmp_path, "--write-baseline", "baseline.json")
    assert written.returncode == 0 and "baseline entries" in written.stdout
    assert validate(tmp_path, "--baseline", "baseline.json").returncode == 0

    good_image(
        tmp_path / "photos", "c.jpg", "-SupplementalCategories=FOUO", virin="220215-F-DU706-1243"
    )
    result = validate(tmp_path, "--baseline", "baseline.json", "--format", "jsonl")
    assert result.returncode == 1
    assert {f["path"] for f in reported(result)} == {"photos/c.jpg"}

    shutil.copyfile(good_image(tmp_path / "fixed", None), legacy)  # the legacy finding fixed
    (tmp_path / "catalog.toml").write_text('baseline = "baseline.json"\n')
    result = validate(tmp_path, "--format", "json", "photos/b.jpg", str(legacy))
    stale = json.loads(result.stdout)["stale_baseline"]
    assert {entry["path"] for entry in stale} == {f"photos/{legacy.name}"}
    assert "match nothing any more" in result.stderr


def test_one_virin_on_two_different_images_is_an_error_on_both(tmp_path):
    good_image(tmp_path / "a")
    other = tmp_path / "b" / f"{VIRIN}.jpg"
    other.parent.mkdir()
    Image.effect_mandelbrot(SIZE, (-2.0, -1.2, 0.8, 1.2), 100).convert("RGB").save(other)
    exiftool_write(other, *good_args(VIRIN), "-Headline=another picture")
    result = validate(tmp_path, "--format", "jsonl")
    assert sorted((f["path"], f["code"]) for f in reported(result)) == [
        (f"a/{VIRIN}.jpg", "SET001"),
        (f"b/{VIRIN}.jpg", "SET001"),
    ]
    assert result.returncode == 1


def test_an_exact_copy_is_not_reported_but_the_same_file_under_another_virin_is(tmp_path):
    original = good_image(tmp_path / "a")
    shutil.copyfile(original, tmp_path / "copy.jpg")
    assert codes(validate(tmp_path, "--format", "jsonl")) == []
    renamed = tmp_path / "renamed.jpg"
    shutil.copyfile(original, renamed)
    sidecar(renamed, virin="220215-F-DU706-1299")
    result = validate(tmp_path, "--format", "jsonl", "--select", "SET")
    assert codes(result) == ["SET002"] * 3


def test_a_manifest_row_is_checked_with_its_image_and_a_bad_manifest_is_reported(tmp_path):
    image = good_image(tmp_path / "photos", "IMG_0001.jpg")
    (tmp_path / "photos" / "manifest.csv").write_text(
        'file,caption\nIMG_0001.jpg,"Airmen load cargo, Feb. 14, 2022."\n'
    )
    (tmp_path / "broken.csv").write_text("filename;caption\n")
    result = validate(tmp_path, "--format", "jsonl", "--fail-on", "never")
    findings = located(result)
    assert ("photos/IMG_0001.jpg", "CAP002") in findings  # the manifest's caption was used
    assert ("broken.csv", "FIL014") in findings
    only_manifest = validate(tmp_path, "--format", "jsonl", "photos/manifest.csv")
    assert "CAP002" in codes(only_manifest)  # naming the manifest checks its images
    assert image.exists()


def test_a_sidecar_named_on_the_command_line_checks_its_image(tmp_path):
    image = good_image(tmp_path)
    path = sidecar(image, caption="Airmen load cargo, Feb. 14, 2022.")
    (tmp_path / "package.json").write_text("{}")  # not a sidecar: passed over
    result = validate(tmp_path, "--format", "jsonl", str(path.name), "package.json")
    assert "CAP002" in codes(result)


def test_validation_never_modifies_a_file(tmp_path):
    image = good_image(tmp_path, None, "-Caption-Abstract=")
    sidecar(image, credit="U.S. Air Force")
    before = tree_state(tmp_path)
    validate(tmp_path, "--format", "sarif")
    assert tree_state(tmp_path) == before


def test_exclude_applies_to_folders_and_to_files_named_explicitly(tmp_path):
    good_image(tmp_path / "scratch", None, "-Caption-Abstract=")
    (tmp_path / "catalog.toml").write_text('exclude = ["scratch/"]\n')
    assert validate(tmp_path).stdout.startswith("0 files checked")
    named = validate(tmp_path, f"scratch/{VIRIN}.jpg")
    assert named.returncode == 0 and named.stdout.startswith("0 files checked")


def test_a_file_that_is_not_an_image_is_reported_not_skipped(tmp_path):
    (tmp_path / "notes.jpg").write_text("not an image")
    result = validate(tmp_path, "--format", "jsonl")
    assert codes(result) == ["FIL001"] and result.returncode == 1  # not also "no VIRIN" etc.


def test_a_crash_exits_2_not_1_so_ci_can_tell_a_broken_check_from_a_bad_photo(tmp_path):
    good_image(tmp_path)
    # a rank table entry whose title is a number loads, then breaks the credit parser
    (tmp_path / "catalog.toml").write_text("[tables.ranks.broken]\ntitle = 5\n")
    result = validate(tmp_path)
    assert result.returncode == 2
    assert "internal error: TypeError" in result.stderr


def test_a_file_that_cannot_be_read_is_a_finding_and_the_others_are_still_checked(tmp_path):
    good_image(tmp_path, None, "-Keywords=Karla Parra")
    (tmp_path / "broken.jpg").symlink_to(tmp_path / "gone.jpg")
    result = validate(tmp_path, "--format", "jsonl")
    assert located(result) == {("broken.jpg", "FIL018"), (f"{VIRIN}.jpg", "REC004")}
    assert result.returncode == 1


@pytest.mark.parametrize("code", ["SET001", "SET002", "FIL018"])
def test_catalog_rules_documents_the_linters_own_codes(tmp_path, code):
    result = catalog("rules", code, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(code) and "Fix:" in result.stdout
