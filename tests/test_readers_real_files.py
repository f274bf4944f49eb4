"""What real files do that files written by one tool do not (issue 17), each built here in code.

Every case is checked against ExifTool where ExifTool reads it, through the comparison the
conformance harness (``make conformance``) runs on real files: the same value, no false finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from imagefiles import SIZE, blank, image_with, jpeg_segments, xmp_packet
from PIL import Image, TiffImagePlugin, TiffTags

from bench.conformance import exiftool_by_source, exiftool_read, ours_by_source
from catalog.readers import read_asset

CREDIT = "U.S. Air Force photo by Senior Airman José Núñez"
PACKET = xmp_packet(
    attributes=f"photoshop:Credit='{CREDIT}' photoshop:City='Fairfield'",
    body="<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>220215-F-DU706-1241</rdf:li>"
    "</rdf:Alt></dc:title>",
).decode()

#: The encodings the XMP specification allows, with and without a byte-order mark.
ENCODINGS = {
    "UTF-16 BE with mark": "\ufeff".encode("utf-16-be"),
    "UTF-16 LE with mark": "\ufeff".encode("utf-16-le"),
    "UTF-32 BE with mark": "\ufeff".encode("utf-32-be"),
    "UTF-32 LE with mark": "\ufeff".encode("utf-32-le"),
    "UTF-16 BE": b"",
    "UTF-16 LE": b"",
    "UTF-32 BE": b"",
    "UTF-32 LE": b"",
}


def encoded(name: str, text: str) -> bytes:
    """``text`` in the encoding ``name`` names, behind its byte-order mark if it has one."""
    codec = name.split(" with")[0].lower().replace(" ", "-")
    return ENCODINGS[name] + text.encode(codec)


def codes(metadata) -> list[str]:
    return [finding.code for finding in metadata.findings]


def tiff_with_xmp(path: Path, packet: bytes) -> Path:
    """A TIFF whose XMP tag (700) holds ``packet`` exactly as given."""
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[700] = packet
    info.tagtype[700] = TiffTags.BYTE
    Image.new("RGB", SIZE).save(path, "TIFF", tiffinfo=info)
    return path


@pytest.mark.parametrize("name", ENCODINGS)
def test_xmp_in_utf16_or_utf32_is_read_whole(tmp_path, name):
    """The packet used to be trimmed byte-wise (its NULs stripped), which broke its alignment: the
    whole XMP was lost behind a false "not well-formed" finding, then false "missing" errors."""
    path = tiff_with_xmp(tmp_path / "wide.tif", encoded(name, PACKET) + b"\x00" * 8)
    metadata = read_asset(path)
    assert metadata.record.credit == CREDIT
    assert metadata.record.virin == "220215-F-DU706-1241"
    assert not [c for c in codes(metadata) if c.startswith("FIL")]
    ours = {k: v for k, v in ours_by_source(metadata).items() if k[0] == "xmp"}
    assert ours == exiftool_by_source(exiftool_read(path))


@pytest.mark.parametrize("name", ["UTF-16 LE with mark", "UTF-32 BE"])
def test_a_utf16_or_utf32_sidecar_is_read_as_exiftool_reads_it(tmp_path, name):
    image = blank(tmp_path / "photo.jpg")
    sidecar = tmp_path / "photo.xmp"
    sidecar.write_bytes(encoded(name, PACKET))
    metadata = read_asset(image)
    assert metadata.record.credit == exiftool_read(sidecar)["XMP-photoshop:Credit"] == CREDIT
    assert not [c for c in codes(metadata) if c.startswith("FIL")]


def test_a_wide_packet_that_is_not_valid_in_its_encoding_is_reported_not_raised(tmp_path):
    """A UTF-16 packet with a lone surrogate: a malformed-metadata finding, the file still read."""
    packet = encoded("UTF-16 BE with mark", PACKET) + b"\xd8\x00\x00<"
    metadata = read_asset(tiff_with_xmp(tmp_path / "broken.tif", packet))
    assert metadata.record.credit is None
    assert "FIL004" in codes(metadata)


def test_two_standard_xmp_packets_the_last_is_read_and_reported(tmp_path):
    """A JPEG may hold one standard XMP packet; a file with two (Exiv2's bug 1229 has one) is read
    as ExifTool and Pillow read it, the last packet winning, with a finding naming the problem."""
    path = image_with(tmp_path, "two", "JPEG", "-XMP-photoshop:City=Fairfield")
    (first,) = [p for m, p in jpeg_segments(path) if m == 0xE1]
    second = first.replace(b"Fairfield", b"Vacaville")
    data = path.read_bytes()
    segment = b"\xff\xe1" + len(first + b"xx").to_bytes(2, "big") + first
    path.write_bytes(data.replace(segment, segment + segment.replace(first, second)))
    metadata = read_asset(path)
    assert metadata.record.city == exiftool_read(path)["XMP-photoshop:City"] == "Vacaville"
    assert "FIL004" in codes(metadata)


def test_exif_text_padded_with_spaces_is_read_without_them(tmp_path):
    """Cameras pad fixed-size ASCII tags with spaces (a Pentax Make is "PENTAX" and 13 spaces);
    ExifTool drops the padding, and so do we. A tag of spaces only is no value at all."""
    exif = Image.Exif()
    exif[0x010F] = "PENTAX             "  # Make
    exif[0x013B] = " " * 36  # Artist
    path = tmp_path / "padded.jpg"
    Image.new("RGB", SIZE).save(path, "JPEG", exif=exif)
    metadata = read_asset(path)
    assert metadata.record.camera_make == exiftool_read(path)["IFD0:Make"] == "PENTAX"
    assert metadata.record.artist is None
