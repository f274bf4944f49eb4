"""``catalog fix`` end to end: real JPEGs written by ExifTool, the installed command writing
corrected copies with the real ExifTool, each copy read back with ``catalog.readers`` and with
``exiftool -j``: the finding is gone, nothing else changed, the source is untouched."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from catalogs import tree_state
from lintfiles import VIRIN, catalog, good_image, reported, sidecar
from PIL import Image

from bench.conformance import exiftool_read
from catalog.readers import read_asset

#: Tags that differ between any two files (names, times) or that ExifTool maintains itself.
ALWAYS_DIFFERENT = {"SourceFile", "Photoshop:IPTCDigest"}
VOLATILE_GROUPS = ("System:", "ExifTool:", "File:")


def fix(folder: Path, *args: str):
    """Run ``catalog fix src --out out ARGS`` in ``folder``."""
    return catalog("fix", "src", "--out", "out", *args, cwd=folder)


def codes(folder: Path, path: str, *args: str) -> set[str]:
    """The rule codes ``catalog validate`` reports for ``path``."""
    result = catalog("validate", path, "--format", "jsonl", "--fail-on", "never", *args, cwd=folder)
    return {f["code"] for f in reported(result)}


def changed_tags(source: Path, copy: Path) -> set[str]:
    """ExifTool tags of the source whose value differs in the copy (file-level tags aside)."""
    before, after = exiftool_read(source), exiftool_read(copy)
    return {
        tag
        for tag in before
        if before.get(tag) != after.get(tag)
        and tag not in ALWAYS_DIFFERENT
        and not tag.startswith(VOLATILE_GROUPS)
    }


def changed_fields(source: Path, copy: Path) -> set[str]:
    """Record fields whose value ``catalog.readers.read_asset`` reads differently in the copy."""
    before, after = read_asset(source).record, read_asset(copy).record
    return {
        name for name in type(before).model_fields if getattr(before, name) != getattr(after, name)
    }


def scan_data(path: Path) -> bytes:
    """A JPEG's entropy-coded data: everything from the start-of-scan marker on."""
    data = path.read_bytes()
    pos = 2
    while data[pos + 1] != 0xDA:
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    return data[pos:]


def source_and_copy(tmp_path: Path, *exiftool_args: str) -> tuple[Path, Path]:
    source = good_image(tmp_path / "src", None, *exiftool_args)
    return source, tmp_path / "out" / "src" / source.name


def test_a_lower_case_virin_is_written_in_upper_case(tmp_path):
    source, copy = source_and_copy(tmp_path, f"-IPTC:ObjectName={VIRIN.lower()}")
    assert "VIR015" in codes(tmp_path, "src")

    result = fix(tmp_path)

    assert result.returncode == 0, result.stderr
    assert read_asset(copy).record.virin == VIRIN
    assert exiftool_read(copy)["IPTC:ObjectName"] == VIRIN
    assert exiftool_read(copy)["XMP-dc:Title"] == VIRIN  # the XMP copy, kept in sync
    assert changed_fields(source, copy) == {"virin"}
    assert changed_tags(source, copy) == {"IPTC:ObjectName"}
    assert "VIR015" not in codes(tmp_path, "out")


def test_a_virin_with_a_four_digit_year_gets_its_six_digit_date(tmp_path):
    source, copy = source_and_copy(tmp_path, f"-IPTC:ObjectName=20{VIRIN}")
    assert "VIR002" in codes(tmp_path, "src")

    assert fix(tmp_path).returncode == 0

    assert read_asset(copy).record.virin == VIRIN
    assert changed_fields(source, copy) == {"virin"}
    assert codes(tmp_path, "out") == set()


def test_a_virin_that_does_not_parse_unambiguously_is_left_to_a_person(tmp_path):
    good_image(tmp_path / "src", None, "-IPTC:ObjectName=220230-F-DU706-1241")  # no 30 February

    result = fix(tmp_path)

    assert result.returncode == 1
    assert not (tmp_path / "out").exists()


def test_a_missing_date_created_is_taken_from_the_virin(tmp_path):
    source, copy = source_and_copy(tmp_path, "-IPTC:DateCreated=")
    assert "REC001" in codes(tmp_path, "src", "--profile", "dvids")

    assert fix(tmp_path, "--profile", "dvids").returncode == 0

    assert str(read_asset(copy).record.date_created) == "2022-02-15"
    assert exiftool_read(copy)["IPTC:DateCreated"] == "2022:02:15"
    assert changed_fields(source, copy) == {"date_created"}
    assert codes(tmp_path, "out", "--profile", "dvids") == set()


def test_an_over_long_by_line_gets_the_official_rank_abbreviation(tmp_path):
    full = "Senior Airman Karla Parra-Montgomery"  # 36 bytes, the IIM By-line holds 32
    source, copy = source_and_copy(tmp_path, "-By-line=", f"-By-line={full}")
    assert "REC002" in codes(tmp_path, "src")

    assert fix(tmp_path).returncode == 0

    assert exiftool_read(copy)["IPTC:By-line"] == "SrA Karla Parra-Montgomery"
    assert read_asset(copy).record.photographer == "SrA Karla Parra-Montgomery"
    assert changed_fields(source, copy) == {"photographer"}
    assert changed_tags(source, copy) == {"IPTC:By-line"}
    assert codes(tmp_path, "out") == set()


def test_the_photographers_name_is_removed_from_the_keywords(tmp_path):
    source, copy = source_and_copy(tmp_path, "-Keywords+=Karla Parra")
    assert "REC004" in codes(tmp_path, "src")

    assert fix(tmp_path).returncode == 0

    assert read_asset(copy).record.keywords == ["C-17", "cargo"]
    assert exiftool_read(copy)["XMP-dc:Subject"] == ["C-17", "cargo"]
    assert changed_fields(source, copy) == {"keywords"}
    assert changed_tags(source, copy) == {"IPTC:Keywords"}
    assert codes(tmp_path, "out") == set()


def test_too_many_keywords_are_cut_only_as_an_unsafe_fix(tmp_path):
    extra = [f"-Keywords+=topic {n}" for n in range(6)]  # 8 keywords
    source, copy = source_and_copy(tmp_path, *extra)

    safe_only = fix(tmp_path)
    assert safe_only.returncode == 1
    assert not copy.exists()

    assert fix(tmp_path, "--unsafe-fixes").returncode == 0
    assert read_asset(copy).record.keywords == ["C-17", "cargo", *[f"topic {n}" for n in range(4)]]
    assert changed_fields(source, copy) == {"keywords"}
    assert "REC003" not in codes(tmp_path, "out")


def test_duplicate_keywords_are_dropped_as_a_safe_fix(tmp_path):
    extra = ["-Keywords+=Cargo", *[f"-Keywords+=topic {n}" for n in range(5)]]  # 8, one repeated
    _, copy = source_and_copy(tmp_path, *extra)

    assert fix(tmp_path).returncode == 1  # seven keywords are still one too many

    assert read_asset(copy).record.keywords == ["C-17", "cargo", *[f"topic {n}" for n in range(5)]]
    assert "REC003" in codes(tmp_path, "out")  # still 7: the cut is unsafe


def test_gps_is_removed_with_strip_gps_only(tmp_path):
    source, copy = source_and_copy(tmp_path, "-GPSLatitude=38.2", "-GPSLatitudeRef=N")
    assert "REL007" in codes(tmp_path, "src")

    assert fix(tmp_path).returncode == 1  # GPS is a person's call unless asked
    assert not copy.exists()
    assert fix(tmp_path, "--strip-gps").returncode == 0

    assert not any(tag.startswith("GPS:") for tag in exiftool_read(copy))
    assert read_asset(copy).record.has_gps is False
    assert changed_fields(source, copy) == {"gps_latitude"}
    assert codes(tmp_path, "out") == set()


def test_a_missing_credit_is_made_from_the_virin_service_and_the_by_line_as_unsafe(tmp_path):
    caption = "Airmen load cargo at Travis Air Force Base, Calif., Feb. 15, 2022."
    source, copy = source_and_copy(tmp_path, "-Credit=", f"-Caption-Abstract={caption}")
    assert "CRD001" in codes(tmp_path, "src")

    assert fix(tmp_path).returncode == 1
    assert fix(tmp_path, "--unsafe-fixes").returncode == 1  # CAP004: a person ends the caption

    assert read_asset(copy).record.credit == "U.S. Air Force photo by SrA Karla Parra"
    assert changed_fields(source, copy) == {"credit"}
    assert "CRD001" not in codes(tmp_path, "out")


def test_the_xmp_copy_is_written_from_iptc_where_it_is_missing(tmp_path):
    source, copy = source_and_copy(tmp_path, "-Keywords+=Karla Parra")
    assert "XMP-photoshop:City" not in exiftool_read(source)

    fix(tmp_path)

    assert exiftool_read(copy)["XMP-photoshop:City"] == "Travis Air Force Base"
    assert changed_fields(source, copy) == {"keywords"}  # the copy adds no value, only a place
    assert codes(tmp_path, "out") == set()


def test_the_source_is_never_written_and_the_pixels_are_identical(tmp_path):
    source, copy = source_and_copy(tmp_path, f"-IPTC:ObjectName={VIRIN.lower()}")
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    before = tree_state(tmp_path / "src")

    fix(tmp_path)

    assert tree_state(tmp_path / "src") == before
    assert scan_data(copy) == scan_data(source)
    with Image.open(source) as original, Image.open(copy) as fixed:
        assert fixed.tobytes() == original.tobytes()


def test_diff_shows_each_change_and_writes_nothing(tmp_path):
    good_image(tmp_path / "src", None, "-Keywords+=Karla Parra")

    result = catalog("fix", "src", "--diff", cwd=tmp_path)

    assert result.returncode == 0
    assert "REC004 safe   keywords: ['C-17', 'cargo', 'Karla Parra'] -> ['C-17', 'cargo']" in (
        result.stdout
    )
    assert "IPTC:Keywords, XMP-dc:subject" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_a_good_folder_has_nothing_to_fix(tmp_path):
    good_image(tmp_path / "src")
    assert catalog("fix", "src", "--diff", cwd=tmp_path).returncode == 0
    assert fix(tmp_path).returncode == 0
    assert not (tmp_path / "out").exists()


def test_all_copies_the_images_with_nothing_to_fix_too(tmp_path):
    source, copy = source_and_copy(tmp_path)
    assert fix(tmp_path, "--all").returncode == 0
    assert copy.read_bytes() == source.read_bytes()


def test_for_release_makes_no_copy_of_an_image_that_is_not_released(tmp_path):
    good_image(
        tmp_path / "src", None, "-SpecialInstructions=Not Released", "-Keywords+=Karla Parra"
    )

    result = fix(tmp_path, "--for-release")

    assert result.returncode == 1
    assert "not released: no copy is made for release" in result.stdout
    assert not (tmp_path / "out").exists()


def test_the_copies_may_not_go_into_a_source_folder(tmp_path):
    good_image(tmp_path / "src", None, "-Keywords+=Karla Parra")
    result = catalog("fix", "src", "--out", "src/fixed", cwd=tmp_path)
    assert result.returncode == 2
    assert "may not go into the source folder" in result.stderr


def test_without_exiftool_it_exits_2_saying_how_to_install_it(tmp_path):
    good_image(tmp_path / "src", None, "-Keywords+=Karla Parra")

    result = catalog("fix", "src", "--out", "out", cwd=tmp_path, env={"PATH": str(tmp_path)})

    assert result.returncode == 2
    assert "apt-get install libimage-exiftool-perl" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("code", "says"), [("REC004", "Fixable by catalog fix: safe"), ("CAP001", "no: a person")]
)
def test_rules_say_whether_a_rule_is_fixable(tmp_path, code, says):
    assert says in catalog("rules", code, cwd=tmp_path).stdout


def test_the_sidecars_travel_with_the_copy_so_its_record_reads_the_same(tmp_path):
    source, copy = source_and_copy(tmp_path, "-Keywords+=Karla Parra")
    sidecar(source, title="Loading cargo at Travis")

    assert fix(tmp_path).returncode == 0

    assert copy.with_suffix(".json").read_bytes() == source.with_suffix(".json").read_bytes()
    assert read_asset(copy).record.title == "Loading cargo at Travis"
    assert changed_fields(source, copy) == {"keywords"}


def test_from_a_catalog_the_located_files_matching_the_filters_are_fixed(tmp_path):
    good_image(tmp_path / "src", "a.jpg", "-Keywords+=Karla Parra")
    good_image(tmp_path / "src", "b.jpg", "-Keywords+=Karla Parra", "-GPSLatitude=38.2")
    imported = catalog("import", "src", "--db", "c.db", "--no-thumbnails", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    before = tree_state(tmp_path)

    result = catalog("fix", "--db", "c.db", "--out", "out", "--rule", "REL007", cwd=tmp_path)

    assert result.returncode == 1, result.stderr  # GPS stays without --strip-gps
    assert sorted(p.name for p in (tmp_path / "out" / "src").iterdir()) == ["b.jpg"]
    assert read_asset(tmp_path / "out" / "src" / "b.jpg").record.keywords == ["C-17", "cargo"]
    # The catalog and the sources are as they were (SQLite may add its -shm/-wal beside c.db).
    after = tree_state(tmp_path)
    assert {k: after[k] for k in before} == before


def test_a_copy_already_in_the_output_folder_is_neither_replaced_nor_deleted(tmp_path):
    _, copy = source_and_copy(tmp_path, "-Keywords+=Karla Parra")
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"an earlier copy")

    result = fix(tmp_path)

    assert result.returncode != 0
    assert copy.read_bytes() == b"an earlier copy"


def test_a_copy_that_fails_halfway_leaves_nothing_of_itself_behind(tmp_path):
    source, copy = source_and_copy(tmp_path, "-Keywords+=Karla Parra")
    source.with_suffix(".xmp").write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
    )
    sidecar(source, title="Loading cargo at Travis")
    copy.parent.mkdir(parents=True)
    copy.with_suffix(".json").write_text("an earlier sidecar")  # the JSON sidecar cannot be copied

    result = fix(tmp_path)

    assert result.returncode != 0
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.with_suffix(".json").name]
    assert copy.with_suffix(".json").read_text() == "an earlier sidecar"
