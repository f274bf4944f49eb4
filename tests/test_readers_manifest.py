"""CSV manifests: one row per file, values typed, paths kept inside the manifest's folder."""

from __future__ import annotations

import datetime as dt

from imagefiles import blank

from catalog.readers import read_asset
from catalog.readers.manifest import read_manifest


def write(path, text: str, *, bom: bool = False) -> None:
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))


def photos(tmp_path, *names: str) -> None:
    (tmp_path / "photos").mkdir(exist_ok=True)
    for name in names:
        blank(tmp_path / "photos" / name)


def test_rows_become_typed_sources_labelled_with_manifest_and_row(tmp_path):
    photos(tmp_path, "a.jpg", "b.jpg")
    write(
        tmp_path / "photos.csv",
        "File,VIRIN,caption,keywords,date_created,gps_latitude\r\n"
        'photos/a.jpg,220215-F-DU706-1241,"Line one\r\nline two",'
        "C-17; Ukraine ;,2022-02-15,38.5\r\n"
        "photos\\b.jpg,220224-F-FW957-2001Y,,,,\r\n",
        bom=True,
    )
    manifest = read_manifest(tmp_path / "photos.csv")
    assert manifest.findings == ()
    first = manifest.row_for(tmp_path / "photos" / "a.jpg")
    assert first.source.label == "manifest:photos.csv#2"
    assert first.source.values == {
        "virin": "220215-F-DU706-1241",
        "caption": "Line one\r\nline two",
        "keywords": ["C-17", "Ukraine"],
        "date_created": dt.date(2022, 2, 15),
        "gps_latitude": 38.5,
    }
    second = manifest.row_for(tmp_path / "photos" / "b.jpg")
    assert (second.row, second.source.values) == (3, {"virin": "220224-F-FW957-2001Y"})


def test_a_bad_value_drops_only_that_value_and_names_manifest_row_and_column(tmp_path):
    photos(tmp_path, "a.jpg")
    write(
        tmp_path / "m.csv",
        "file,credit,date_created,gps_latitude\nphotos/a.jpg,USAF,15/02/2022,nan\n",
    )
    row = read_manifest(tmp_path / "m.csv").row_for(tmp_path / "photos" / "a.jpg")
    assert row.source.values == {"credit": "USAF"}
    messages = [f.message for f in row.source.findings]
    assert [f.code for f in row.source.findings] == ["FIL015", "FIL015"]
    assert all("manifest:m.csv#2" in m for m in messages)
    assert "date_created" in messages[0] and "gps_latitude" in messages[1]


def test_paths_must_stay_inside_the_manifests_folder(tmp_path):
    (tmp_path / "inside").mkdir()
    blank(tmp_path / "outside.jpg")
    (tmp_path / "inside" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    write(
        tmp_path / "inside" / "m.csv",
        f"file,credit\n../outside.jpg,x\n{tmp_path / 'outside.jpg'},x\n"
        "link.jpg,x\nmissing.jpg,x\n,x\n",
    )
    manifest = read_manifest(tmp_path / "inside" / "m.csv")
    assert manifest.rows == {}
    assert [(f.code, f.values["row"]) for f in manifest.findings] == [
        ("FIL015", 2),
        ("FIL015", 3),
        ("FIL015", 4),
        ("FIL015", 5),
        ("FIL015", 6),
    ]
    assert "outside the manifest's folder" in manifest.findings[0].message
    assert "does not exist" in manifest.findings[3].message
    assert "names no file" in manifest.findings[4].message


def test_a_second_row_for_the_same_file_is_rejected(tmp_path):
    photos(tmp_path, "a.jpg")
    write(tmp_path / "m.csv", "file,credit\nphotos/a.jpg,first\n./photos/a.jpg,second\n")
    manifest = read_manifest(tmp_path / "m.csv")
    assert manifest.row_for(tmp_path / "photos" / "a.jpg").source.values == {"credit": "first"}
    (finding,) = manifest.findings
    assert "row 3" in finding.message and "same file as row 2" in finding.message


def test_a_row_with_too_many_cells_is_rejected(tmp_path):
    photos(tmp_path, "a.jpg")
    write(tmp_path / "m.csv", "file,credit\nphotos/a.jpg,x,extra\n")
    (finding,) = read_manifest(tmp_path / "m.csv").findings
    assert "3 cells for 2 columns" in finding.message


def test_a_header_with_unknown_or_repeated_columns_makes_the_manifest_unusable(tmp_path):
    photos(tmp_path, "a.jpg")
    write(tmp_path / "m.csv", "filename,captoin,credit,credit\nphotos/a.jpg,x,y,z\n")
    manifest = read_manifest(tmp_path / "m.csv")
    (finding,) = manifest.findings
    assert finding.code == "FIL014"
    assert "no 'file' column" in finding.message
    assert "filename, captoin" in finding.message and "repeats columns: credit" in finding.message
    assert manifest.rows == {}


def test_a_manifest_that_is_not_utf8_is_reported_not_guessed(tmp_path):
    (tmp_path / "m.csv").write_bytes("file,credit\na.jpg,Jos\xe9\n".encode("latin-1"))
    (finding,) = read_manifest(tmp_path / "m.csv").findings
    assert finding.code == "FIL014" and "not UTF-8" in finding.message


def test_an_empty_manifest_is_reported(tmp_path):
    write(tmp_path / "m.csv", "")
    assert [f.code for f in read_manifest(tmp_path / "m.csv").findings] == ["FIL014"]


def test_the_manifest_row_overrides_the_file_and_the_merge_says_so(tmp_path):
    photos(tmp_path, "a.jpg")
    (tmp_path / "photos" / "a.json").write_text('{"credit": "from the sidecar"}')
    write(tmp_path / "m.csv", "file,credit,city\nphotos/a.jpg,from the manifest,Fairfield\n")
    manifest = read_manifest(tmp_path / "m.csv")
    metadata = read_asset(tmp_path / "photos" / "a.jpg", manifest_rows=manifest.rows)
    assert metadata.record.credit == "from the sidecar"  # per-file sidecar beats the batch
    assert metadata.sources == {"credit": "sidecar-json:a.json", "city": "manifest:m.csv#2"}
    assert [f.code for f in metadata.findings] == ["SRC001"]


def test_a_row_naming_a_file_no_system_can_have_is_a_row_finding(tmp_path):
    """Found by fuzzing: a NUL in a row's file name made the reader raise ValueError, and a name
    too long for the file system OSError, losing the whole manifest; now only those rows go."""
    photos(tmp_path, "a.jpg")
    write(tmp_path / "m.csv", f"file\nphotos/a\x00.jpg\n{'x' * 5000}.jpg\nphotos/a.jpg\n")
    manifest = read_manifest(tmp_path / "m.csv")
    assert list(manifest.rows) == [(tmp_path / "photos" / "a.jpg").resolve()]
    assert [(f.code, f.values["row"]) for f in manifest.findings] == [("FIL015", 2), ("FIL015", 3)]
    assert "cannot be a file's name" in manifest.findings[0].message
