"""Reading real files: never writing them, and turning every kind of damage into findings."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imagefiles import blank, image_with, patch, xmp_packet
from PIL import Image

from bench.conformance import exiftool_read
from catalog.readers import ReadError, read_asset
from catalog.readers import containers as containers_module

VIRIN = "220215-F-DU706-1241"
BASIC = [
    "-IPTC:ObjectName=" + VIRIN,
    "-IPTC:Caption-Abstract=Airmen load cargo.",
    "-XMP-dc:Title=" + VIRIN,
    "-EXIF:Artist=SrA Karla Parra",
    "-EXIF:GPSLatitude=38.5",
    "-EXIF:GPSLatitudeRef=N",
]


def codes(metadata) -> list[str]:
    return [finding.code for finding in metadata.findings]


@pytest.mark.parametrize("file_format", ["JPEG", "TIFF", "PNG"])
def test_reading_never_modifies_the_file_or_its_sidecars(tmp_path, file_format):
    image = image_with(tmp_path, "IMG", file_format, *BASIC)
    sidecar = tmp_path / "IMG.json"
    sidecar.write_text('{"credit": "U.S. Air Force"}')
    os.utime(image, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in (image, sidecar)]
    metadata = read_asset(image)
    assert metadata.record.virin == VIRIN and metadata.record.credit == "U.S. Air Force"
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in (image, sidecar)] == before


@pytest.mark.parametrize("name", ["missing.jpg", "."])
def test_a_file_that_cannot_be_opened_raises_read_error_naming_it(tmp_path, name):
    with pytest.raises(ReadError) as caught:
        read_asset(tmp_path / name)
    assert str(tmp_path / name) in str(caught.value)
    assert caught.value.path == tmp_path / name


def test_a_file_that_is_not_an_image_is_a_finding(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("not an image")
    metadata = read_asset(path)
    assert (metadata.format, codes(metadata)) == (None, ["FIL001"])
    assert metadata.record.virin is None


def test_an_image_format_the_catalog_does_not_read_is_named(tmp_path):
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (8, 8)).save(path, "GIF")
    (finding,) = read_asset(path).findings
    assert finding.code == "FIL001" and "GIF" in finding.message


def test_the_content_decides_the_format_and_a_wrong_extension_is_reported(tmp_path):
    path = image_with(tmp_path, "photo", "PNG", *BASIC).rename(tmp_path / "photo.jpg")
    metadata = read_asset(path)
    assert metadata.format == "PNG" and metadata.record.virin == VIRIN
    assert codes(metadata) == ["FIL002"]


def test_a_jpeg_cut_inside_its_metadata_keeps_what_came_before(tmp_path):
    """ExifTool writes EXIF (APP1), then IPTC (APP13), then XMP (APP1): cut inside the XMP."""
    path = image_with(tmp_path, "cut", "JPEG", *BASIC)
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"http://ns.adobe.com/xap/1.0/") + 200])
    metadata = read_asset(path)
    assert metadata.record.artist == "SrA Karla Parra"  # EXIF, before the cut
    assert metadata.sources["virin"] == "iptc"  # IPTC, before the cut
    assert not [v for v in metadata.values if v.source == "xmp"]
    assert codes(metadata) == ["FIL003"]


def test_a_damaged_iptc_block_keeps_the_datasets_before_the_damage(tmp_path):
    path = image_with(
        tmp_path, "damaged", "JPEG", "-IPTC:ObjectName=" + VIRIN, "-IPTC:City=Fairfield"
    )
    patch(path, b"\x1c\x02\x5a\x00\x09Fairfield", b"\x1c\x02\x5a\x7f\xffFairfield")
    metadata = read_asset(path)
    assert metadata.record.virin == VIRIN and metadata.record.city is None
    assert "FIL004" in codes(metadata)


def test_xmp_with_entities_is_refused_as_hostile(tmp_path):
    image = blank(tmp_path / "IMG.jpg")
    (tmp_path / "IMG.xmp").write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>&b;</x:xmpmeta>"
    )
    (finding,) = read_asset(image).findings
    assert finding.code == "FIL005" and "IMG.xmp" in finding.message


def test_malformed_xmp_is_a_finding(tmp_path):
    image = blank(tmp_path / "IMG.jpg")
    (tmp_path / "IMG.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF>")
    assert codes(read_asset(image)) == ["FIL004"]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _with_trailing_chunk(path: Path, chunk: bytes) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[:-12] + chunk + data[-12:])  # before IEND, after IDAT
    return path


def test_png_xmp_after_the_image_data_is_read_without_decoding_pixels(tmp_path):
    """Text chunks may follow IDAT; Pillow reads them only after decoding the image."""
    packet = xmp_packet(
        f"<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>{VIRIN}</rdf:li></rdf:Alt></dc:title>"
    )
    path = _with_trailing_chunk(
        blank(tmp_path / "late.png", "PNG"),
        _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet),
    )
    assert exiftool_read(path)["XMP-dc:Title"] == VIRIN
    metadata = read_asset(path)
    assert metadata.record.virin == VIRIN and metadata.findings == ()


def test_a_png_text_chunk_that_inflates_too_far_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(containers_module, "MAX_TEXT_CHUNK", 1024)
    bomb = zlib.compress(b"0" * 100_000)
    path = _with_trailing_chunk(
        blank(tmp_path / "bomb.png", "PNG"),
        _chunk(b"zTXt", b"Raw profile type iptc\x00\x00" + bomb),
    )
    (finding,) = read_asset(path).findings
    assert finding.code == "FIL004" and "more than 1024 bytes" in finding.message


def test_a_stale_iptc_digest_puts_the_iim_ahead_of_the_xmp(tmp_path):
    """MWG: a digest that no longer matches means an IIM-only tool edited the file last."""
    path = image_with(
        tmp_path,
        "stale",
        "JPEG",
        "-IPTC:Credit=U.S. Army",
        "-XMP-photoshop:Credit=U.S. Air Force",
        "-Photoshop:IPTCDigest=0123456789abcdef0123456789abcdef",
    )
    metadata = read_asset(path)
    assert metadata.record.credit == "U.S. Army"
    assert metadata.sources["credit"] == "iptc"
    assert codes(metadata) == ["SRC003", "SRC001"]


def test_a_current_iptc_digest_keeps_the_xmp_first(tmp_path):
    path = image_with(
        tmp_path,
        "synced",
        "JPEG",
        "-IPTC:Credit=U.S. Army",
        "-XMP-photoshop:Credit=U.S. Air Force",
        "-Photoshop:IPTCDigest=new",
    )
    metadata = read_asset(path)
    assert metadata.record.credit == "U.S. Air Force"
    assert codes(metadata) == ["SRC001"]


def test_impossible_values_are_kept_raw_with_a_finding_and_left_out_of_the_record(tmp_path):
    path = image_with(
        tmp_path,
        "bad",
        "JPEG",
        "-IPTC:DateCreated=2022:02:30",
        "-EXIF:GPSLatitude=77",
        "-EXIF:GPSLatitudeRef=N",
        "-EXIF:GPSLongitude=100",
        "-EXIF:GPSLongitudeRef=E",
    )
    patch(path, b"\x00\x00\x00\x4d\x00\x00\x00\x01", b"\x00\x00\x00\x4d\x00\x00\x00\x00")
    metadata = read_asset(path)
    assert metadata.record.date_created is None and metadata.record.gps_latitude is None
    assert metadata.record.gps_longitude == pytest.approx(100)
    rejected = {v.field: v.value for v in metadata.values if v.error}
    assert rejected["date_created"] == "20220230"
    assert "gps_latitude" in rejected
    assert codes(metadata).count("FIL011") == 2


def test_an_out_of_range_coordinate_is_rejected_not_stored(tmp_path):
    image = blank(tmp_path / "IMG.jpg")
    (tmp_path / "IMG.xmp").write_bytes(xmp_packet(attributes="exif:GPSLatitude='123,0.0N'"))
    metadata = read_asset(image)
    assert metadata.record.gps_latitude is None
    (finding,) = metadata.findings
    assert finding.code == "FIL011" and "less than or equal to 90" in finding.message


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("originals")
    args = [*BASIC, "-IPTC:Keywords=C-17", "-XMP-dc:Subject=C-17", "-Photoshop:IPTCDigest=new"]
    return {f: image_with(folder, "o", f, *args).read_bytes() for f in ("JPEG", "TIFF", "PNG")}


@pytest.mark.fuzz
@settings(
    max_examples=max(150, settings.default.max_examples),  # more under make fuzz
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    file_format=st.sampled_from(["JPEG", "TIFF", "PNG"]),
    edits=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=8)), max_size=6),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_damaged_files_never_raise_and_never_reach_the_safety_net(
    originals, tmp_path, file_format, edits, cut
):
    """Random byte damage and truncation: the readers must report it as findings they know, not
    as exceptions (the safety net in read_asset would say "could not be read")."""
    data = bytearray(originals[file_format])
    for where, replacement in edits:
        at = int(where * (len(data) - 1))
        data[at : at + len(replacement)] = replacement
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = tmp_path / f"fuzz{file_format}.bin"
    path.write_bytes(bytes(data))
    metadata = read_asset(path)
    assert not [f.message for f in metadata.findings if "could not be read" in f.message]


def test_the_program_refuses_to_start_without_defusedxml():
    """Without defusedxml Pillow silently returns no XMP; the catalog must not run at all."""
    blocker = "import sys; sys.modules['defusedxml'] = None; "
    for code in ("import catalog", "from catalog.cli import cli; cli()"):
        result = subprocess.run(
            [sys.executable, "-c", blocker + code], capture_output=True, text=True, check=False
        )
        assert result.returncode != 0
        assert "refuses to start" in result.stderr and "defusedxml" in result.stderr


def test_a_file_name_virin_that_differs_from_the_metadata_is_reported_never_taken(tmp_path):
    path = image_with(tmp_path, "220215-F-DU706-1242", "JPEG", "-IPTC:ObjectName=" + VIRIN)
    metadata = read_asset(path)
    assert metadata.record.virin == VIRIN and metadata.sources["virin"] == "iptc"
    (finding,) = metadata.findings
    assert finding.code == "SRC004"
    assert finding.values == {"filename": "220215-F-DU706-1242", "metadata": VIRIN}
    assert ("filename", "220215-F-DU706-1242") in [(v.source, v.value) for v in metadata.values]


def test_a_file_name_virin_is_compared_after_normalization(tmp_path):
    path = image_with(tmp_path, VIRIN.lower(), "JPEG", "-IPTC:ObjectName=" + VIRIN)
    assert read_asset(path).findings == ()


def test_a_file_name_virin_alone_does_not_become_the_record_virin(tmp_path):
    metadata = read_asset(blank(tmp_path / f"{VIRIN}.JPG"))
    assert metadata.record.virin is None and metadata.findings == ()
    assert [(v.source, v.value) for v in metadata.values] == [("filename", VIRIN)]


def test_empty_xmp_containers_and_structures_give_no_value(tmp_path):
    """An empty rdf:Seq for the photographer, an empty rdf:Alt for the title and a structure
    where text is expected are read as "nothing", not as errors."""
    image = blank(tmp_path / "IMG.jpg")
    (tmp_path / "IMG.xmp").write_bytes(
        xmp_packet(
            "<dc:creator><rdf:Seq/></dc:creator><dc:title><rdf:Alt/></dc:title>"
            "<photoshop:Credit rdf:parseType='Resource'><photoshop:x>y</photoshop:x>"
            "</photoshop:Credit><dc:subject><rdf:Bag><rdf:li>C-17</rdf:li></rdf:Bag></dc:subject>"
        )
    )
    metadata = read_asset(image)
    assert metadata.findings == ()
    assert metadata.record.keywords == ["C-17"]
    assert metadata.sources == {"keywords": "sidecar-xmp:IMG.xmp"}
