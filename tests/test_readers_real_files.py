"""What real files do that files written by one tool do not (issue 17), each built here in code.

Every case is checked against ExifTool where ExifTool reads it, through the comparison the
conformance harness (``make conformance``) runs on real files: the same value, no false finding.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from imagefiles import (
    SIZE,
    blank,
    exiftool_write,
    image_with,
    jpeg_segments,
    replace_app13,
    xmp_packet,
)
from lintfiles import VIRIN, catalog, good_args, located
from PIL import Image, PngImagePlugin, TiffImagePlugin, TiffTags
from shipped import TABLES, TODAY

from bench.conformance import exiftool_by_source, exiftool_read, ours_by_source
from catalog.analysis.analyze import AnalysisContext, analyze_file
from catalog.analysis.digest import HashingReader
from catalog.analysis.thumbnails import make_thumbnail
from catalog.core.collection import same_picture
from catalog.core.rules import default_selection
from catalog.readers import read_asset
from catalog.readers.containers import PHOTOSHOP_HEADER

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


def iim_and_bare_jpeg(tmp_path: Path) -> tuple[bytes, Path]:
    """An IIM stream written by ExifTool, and a JPEG without any APP13 to append it to."""
    path = image_with(
        tmp_path,
        "trailer",
        "JPEG",
        "-IPTC:ObjectName=220215-F-DU706-1241",
        f"-IPTC:Credit={CREDIT[:32]}",
        "-IPTC:Keywords=C-17",
    )
    (payload,) = [p for m, p in jpeg_segments(path) if m == 0xED]
    iim = payload[len(PHOTOSHOP_HEADER) + 12 :].rstrip(b"\x00")
    return iim, replace_app13(path, [])


def fotostation_record(kind: int, data: bytes) -> bytes:
    """One FotoStation trailer record: the data, then type, size with footer, signature."""
    return data + struct.pack(">HII", kind, len(data) + 10, 0xA1B2C3D4)


def afcp_trailer(start: int, entries: dict[bytes, bytes]) -> bytes:
    """An AFCP trailer (big-endian, "AXS!") beginning at file offset ``start``."""
    directory, values = b"", b""
    offset = start + 12 + 12 * len(entries)
    for tag, data in entries.items():
        directory += tag + struct.pack(">II", len(data), offset + len(values))
        values += data
    header = b"AXS!" + struct.pack(">HHI", 1, len(entries), 0)
    return header + directory + values + b"AXS!" + struct.pack(">II", start, 0)


def test_iptc_in_a_fotostation_trailer_is_read_and_reported(tmp_path):
    """FotoStation keeps IPTC after the end-of-image marker, with a thumbnail record before it.
    Read as ExifTool reads it (as IPTC2: not the standard place); a warning says most tools (and
    the DoD ingest) will not see it."""
    iim, path = iim_and_bare_jpeg(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data + fotostation_record(3, b"\xff\xd8thumb") + fotostation_record(1, iim))
    metadata = read_asset(path)
    tags = exiftool_read(path)
    assert metadata.record.virin == tags["IPTC2:ObjectName"] == "220215-F-DU706-1241"
    assert metadata.record.keywords == [tags["IPTC2:Keywords"]]
    ours = {k: v for k, v in ours_by_source(metadata).items() if k[0] == "iptc"}
    assert ours == exiftool_by_source(tags)
    (finding,) = [f for f in metadata.findings if f.code == "FIL021"]
    assert (finding.severity.value, finding.values["trailer"]) == ("warning", "FotoStation")


def test_iptc_in_an_afcp_trailer_is_read_and_reported(tmp_path):
    iim, path = iim_and_bare_jpeg(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data + afcp_trailer(len(data), {b"Nail": b"\xff\xd8x", b"IPTC": iim}))
    metadata = read_asset(path)
    tags = exiftool_read(path)
    assert metadata.record.credit == tags["IPTC2:Credit"] == CREDIT[:32]
    assert [f.values["trailer"] for f in metadata.findings if f.code == "FIL021"] == ["AFCP"]


@pytest.mark.parametrize(
    "tail",
    [
        struct.pack(">HII", 1, 4_000_000, 0xA1B2C3D4),  # a record larger than the file
        b"AXS!" + struct.pack(">II", 4_000_000, 0),  # an AFCP header past the end
        b"AXS!" + struct.pack(">II", 0, 0),  # pointing at the start of the file: not AFCP
        fotostation_record(7, b"") * 500,  # a long chain of empty records
    ],
)
def test_damaged_trailers_give_no_crash_and_no_iptc(tmp_path, tail):
    path = blank(tmp_path / "tail.jpg")
    path.write_bytes(path.read_bytes() + tail)
    metadata = read_asset(path)
    assert metadata.record.virin is None
    assert "FIL021" not in codes(metadata)


def test_a_jpeg_without_a_trailer_has_no_trailer_finding(tmp_path):
    metadata = read_asset(image_with(tmp_path, "plain", "JPEG", "-IPTC:City=Fairfield"))
    assert metadata.record.city == "Fairfield"
    assert "FIL021" not in codes(metadata)


@pytest.mark.parametrize(
    "extra",
    [
        {"icc_profile": b"\x00" * 3_000_000},  # over Pillow's default limit, ImageFile.SAFEBLOCK
        {"pnginfo": "text"},  # 3 MB of compressed text
    ],
)
def test_a_png_with_a_large_icc_profile_or_text_chunk_is_decoded(tmp_path, extra):
    """Pillow refuses, by default, a compressed PNG chunk that inflates past 1 MB: the pixels were
    reported undecodable (FIL017, an error) although they are fine. A larger bound decodes them."""
    if extra.get("pnginfo") == "text":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "a long comment " * 200_000, zip=True)
        extra = {"pnginfo": info}
    path = tmp_path / "large-chunk.png"
    Image.new("RGB", SIZE, (90, 120, 150)).save(path, "PNG", **extra)
    analysis = analyze(path)
    assert analysis.thumbnail is not None
    assert (analysis.thumbnail.width, analysis.thumbnail.height) == SIZE
    assert "FIL017" not in [f.code for f in analysis.findings]


def test_a_png_text_chunk_past_the_larger_bound_is_still_refused(tmp_path):
    """The bound stays: 100 MB of text in a 100 KB chunk (a zlib bomb) is not inflated."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "x" * 100_000_000, zip=True)
    path = tmp_path / "bomb.png"
    Image.new("RGB", SIZE).save(path, "PNG", pnginfo=info)
    assert path.stat().st_size < 1_000_000
    assert "FIL017" in [f.code for f in analyze(path).findings]


def analyze(path: Path):
    """The import's analysis of one file, read through the reader that hashes it."""
    with path.open("rb") as handle:
        reader = HashingReader.of_file(handle.fileno(), path.stat().st_size)
        context = AnalysisContext(tables=TABLES, today=TODAY, selected=default_selection())
        return analyze_file(path, reader, context)


def scene(extent: tuple[float, float, float, float]) -> Image.Image:
    """A detailed 640 x 480 picture (a view of the Mandelbrot set), in colour."""
    gray = Image.effect_mandelbrot((640, 480), extent, 200)
    return Image.merge(
        "RGB", (gray, gray.rotate(180), Image.linear_gradient("L").resize(gray.size))
    )


def hash_of(image: Image.Image, file_format: str, tmp_path: Path, scale: float = 1.0) -> str:
    """The picture hash the import computes for ``image`` saved as ``file_format``."""
    size = (round(image.width * scale), round(image.height * scale))
    path = tmp_path / f"{file_format}-{scale}.{file_format.lower()}"
    image.resize(size).save(path, file_format, **({"quality": 70} if file_format == "JPEG" else {}))
    return make_thumbnail(path.read_bytes(), file_format).picture_hash


def test_one_picture_as_jpeg_tiff_png_and_at_half_size_hashes_as_one_picture(tmp_path):
    picture = scene((-2.0, -1.2, 0.8, 1.2))
    original = hash_of(picture, "TIFF", tmp_path)
    forms = [
        hash_of(picture, "JPEG", tmp_path),
        hash_of(picture, "PNG", tmp_path),
        hash_of(picture, "JPEG", tmp_path, scale=0.5),
    ]
    assert all(same_picture(original, form) for form in forms), (original, forms)
    other = hash_of(scene((-0.75, 0.05, -0.70, 0.09)), "JPEG", tmp_path)
    assert not same_picture(original, other), (original, other)


def same_virin_files(folder: Path, *pictures: tuple[str, Image.Image, str]) -> None:
    """Files in ``folder`` with one good record and VIRIN, each (name, pixels, format)."""
    folder.mkdir()
    for name, pixels, file_format in pictures:
        path = folder / name
        pixels.save(path, file_format)
        exiftool_write(path, *good_args(VIRIN))


def test_validate_tells_a_derivative_from_a_conflict_by_decoding_only_those_files(tmp_path):
    """validate decodes no pixel to check a file; where one VIRIN is on different content, it
    decodes those files: the same photo as JPEG and half-size PNG is SET003 (info), a different
    photo SET001 (an error)."""
    photo, other = scene((-2.0, -1.2, 0.8, 1.2)), scene((-0.75, 0.05, -0.70, 0.09))
    small = photo.resize((320, 240))
    same_virin_files(tmp_path / "one", ("a.jpg", photo, "JPEG"), ("a.png", small, "PNG"))
    same_virin_files(tmp_path / "two", ("a.jpg", photo, "JPEG"), ("b.jpg", other, "JPEG"))
    one = located(catalog("validate", "--format", "jsonl", "--select", "SET", cwd=tmp_path / "one"))
    two = located(catalog("validate", "--format", "jsonl", "--select", "SET", cwd=tmp_path / "two"))
    assert one == {("a.jpg", "SET003"), ("a.png", "SET003")}
    assert two == {("a.jpg", "SET001"), ("b.jpg", "SET001")}
