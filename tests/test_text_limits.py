"""The hard length cap of the record model, enforced for every source a value can come from.

``MAX_TEXT`` (65,536 characters) is no DoD rule - the IIM byte limits are findings of their own
(REC002, CAP005) - but a ceiling against absurd input: a value over it is refused with a finding
naming the source and the field, the record takes the field from another source (or leaves it
empty), the raw value is kept with its source as every rejected value is, and the import goes on.
Here each source delivers a caption one character over the cap.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from catalogs import rows
from imagefiles import blank, exiftool_write
from webtools import Client

from catalog.core.record import MAX_KEYWORDS, MAX_TEXT
from catalog.readers import read_asset
from catalog.readers.article import index_by_virin, read_article
from catalog.readers.manifest import read_manifest

VIRIN = "220215-F-DU706-1241"
LONG = "x" * (MAX_TEXT + 1)


def with_text_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "value.txt"
    path.write_text(text, encoding="utf-8")
    return path


def embedded(tmp_path: Path, file_format: str, tag: str) -> Path:
    """An image whose ``tag`` holds LONG, written by ExifTool (IPTC then needs its extended,
    4-byte dataset length)."""
    image = blank(tmp_path / f"a.{file_format.lower()}", file_format)
    return exiftool_write(image, "-m", f"-{tag}<={with_text_file(tmp_path, LONG)}")


def json_sidecar(tmp_path: Path) -> Path:
    image = blank(tmp_path / "a.jpg")
    (tmp_path / "a.json").write_text(json.dumps({"caption": LONG}))
    return image


def xmp_sidecar(tmp_path: Path) -> Path:
    image = blank(tmp_path / "a.jpg")
    (tmp_path / "a.xmp").write_text(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
        f"xmlns:dc='http://purl.org/dc/elements/1.1/' dc:description='{LONG}'/>"
        "</rdf:RDF></x:xmpmeta>"
    )
    return image


@pytest.mark.parametrize(
    ("make", "code", "source"),
    [
        (lambda tmp: embedded(tmp, "JPEG", "IPTC:Caption-Abstract"), "FIL011", "iptc"),
        (lambda tmp: embedded(tmp, "JPEG", "XMP-dc:Description"), "FIL011", "xmp"),
        (lambda tmp: embedded(tmp, "TIFF", "EXIF:Artist"), "FIL011", "exif"),
        (xmp_sidecar, "FIL011", "sidecar-xmp:a.xmp"),
        (json_sidecar, "FIL013", "sidecar-json:a.json"),
    ],
    ids=["iptc", "xmp", "exif-tiff", "xmp-sidecar", "json-sidecar"],
)
def test_an_over_long_value_from_a_file_or_sidecar_is_a_finding(tmp_path, make, code, source):
    metadata = read_asset(make(tmp_path))
    field = "artist" if source == "exif" else "caption"
    assert getattr(metadata.record, field) is None
    (finding,) = [f for f in metadata.findings if f.code == code]
    assert finding.field == field and finding.values["source"] == source
    assert f"at most {MAX_TEXT} characters" in finding.message
    assert len(finding.message) < 300  # the value is quoted shortened
    kept = [v for v in metadata.values if v.field == field and v.source == source]
    assert [(len(v.value), v.error is not None) for v in kept] == [(MAX_TEXT + 1, True)]


def test_an_over_long_manifest_cell_drops_that_value_only(tmp_path):
    blank(tmp_path / "a.jpg")
    (tmp_path / "m.csv").write_text(f"file,virin,caption\na.jpg,{VIRIN},{LONG}\n")
    row = read_manifest(tmp_path / "m.csv").row_for(tmp_path / "a.jpg")
    assert row.source.values == {"virin": VIRIN}
    assert [f.code for f in row.source.findings] == ["FIL015"]


def test_a_cell_beyond_the_csv_field_limit_makes_the_manifest_a_finding_not_a_crash(tmp_path):
    """Python's csv module refuses fields over 131,072 characters; the manifest is then unusable
    as a whole (FIL014), as for any CSV it cannot parse."""
    blank(tmp_path / "a.jpg")
    (tmp_path / "m.csv").write_text(f"file,caption\na.jpg,{'x' * 200_000}\n")
    manifest = read_manifest(tmp_path / "m.csv")
    assert manifest.rows == {}
    assert [f.code for f in manifest.findings] == ["FIL014"]
    assert "field larger than field limit" in manifest.findings[0].message


def test_an_over_long_article_caption_is_a_finding_and_the_block_still_counts(tmp_path):
    (tmp_path / "page.txt").write_text(
        f"Loading Cargo\n{LONG}\nCredit: Air Force Senior Airman Karla Parra\nVIRIN: {VIRIN}\n"
    )
    (record,) = read_article(tmp_path / "page.txt").records
    assert record.source.values == {
        "title": "Loading Cargo",
        "credit": "Air Force Senior Airman Karla Parra",
        "virin": VIRIN,
    }
    assert [(f.code, f.field) for f in record.source.findings] == [("FIL011", "caption")]
    metadata = read_asset(
        blank(tmp_path / f"{VIRIN}.jpg"), article_records=index_by_virin([record])
    )
    assert metadata.record.virin == VIRIN and metadata.record.caption is None


def test_more_keywords_than_the_cap_are_refused_as_a_list(tmp_path):
    image = blank(tmp_path / "a.jpg")
    (tmp_path / "a.json").write_text(json.dumps({"keywords": ["k"] * (MAX_KEYWORDS + 1)}))
    metadata = read_asset(image)
    assert metadata.record.keywords == []
    assert [f.code for f in metadata.findings] == ["FIL013"]


def test_an_import_of_over_long_values_completes_and_every_output_works(tmp_path):
    """The real command on a file whose IPTC and XMP captions are both over the cap: stored,
    shown, exported and served without error."""
    photos = tmp_path / "photos"
    photos.mkdir()
    long_file = with_text_file(tmp_path, LONG)
    exiftool_write(
        blank(photos / "a.jpg"),
        "-m",
        f"-IPTC:ObjectName={VIRIN}",
        f"-IPTC:Caption-Abstract<={long_file}",
        f"-XMP-dc:Description<={long_file}",
    )
    db = str(tmp_path / "catalog.db")
    catalog = [sys.executable, "-m", "catalog"]
    for args in (
        ["import", str(photos), "--db", db, "-q"],
        ["show", VIRIN, "--db", db],
        ["export", "--db", db],
        ["search", "--db", db, "--json"],
    ):
        result = subprocess.run([*catalog, *args], capture_output=True, text=True, check=False)
        assert result.returncode == 0, (args, result.stderr)
    assert rows(db, "SELECT caption FROM assets") == [(None,)]
    stored = rows(
        db,
        "SELECT source, length(value), error IS NOT NULL FROM field_values WHERE field = ?",
        "caption",
    )
    assert sorted(stored) == [("iptc", MAX_TEXT + 1, 1), ("xmp", MAX_TEXT + 1, 1)]
    client = Client.serving(Path(db))
    try:
        (sha,) = rows(db, "SELECT sha256 FROM assets")[0]
        assert client.get(f"/catalog/-/asset/{sha}").status_code == 200
        assert client.get("/catalog/field_values").status_code == 200
    finally:
        client.close()
