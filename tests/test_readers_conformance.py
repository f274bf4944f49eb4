"""Conformance: every value our readers return equals what ExifTool reports for the same file.

Files are written by the real ExifTool (``exiftool``, Debian libimage-exiftool-perl), then read by
both ``read_asset`` and ``exiftool -j -G1 -a -n -struct``. For every (source, field) our reader
returns, the ExifTool tag that holds it (mapped explicitly in ``bench/conformance.py``, the harness
that runs the same comparison on real files: ``make conformance``) must give the same value, and
for every mapped tag ExifTool reports, our reader must return a value: nothing invented, nothing
missed. Where the catalog deliberately reads differently - it flags and recovers instead of
silently decoding - the case says so and asserts both readings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from imagefiles import (
    SIZE,
    image_with,
    jpeg_segments,
    patch,
    replace_app13,
    resource,
)
from PIL import Image, TiffImagePlugin, TiffTags

from bench.conformance import exiftool_by_source, exiftool_read, ours_by_source, same
from catalog.readers import read_asset
from catalog.readers.containers import PHOTOSHOP_HEADER

SIZE_TAGS = {"JPEG": "File:Image", "TIFF": "IFD0:Image", "PNG": "PNG:Image"}

CAPTION = (
    "Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III at Travis "
    "Air Force Base, Calif., Feb. 14, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)"
)
UTF8_IPTC = ["-charset", "iptc=UTF8", "-IPTC:CodedCharacterSet=UTF8"]
#: Every field in IPTC, XMP and EXIF, with the shapes real files have: non-ASCII text, repeated
#: By-lines and keywords (one keyword twice), a language alternative in three languages, bags and
#: sequences, an EXIF date with its UTC offset, GPS in the southern and western hemispheres and
#: below sea level.
FULL = [
    *UTF8_IPTC,
    "-IPTC:ObjectName=220215-F-DU706-1241",
    "-IPTC:Headline=Loading Cargo",
    f"-IPTC:Caption-Abstract={CAPTION} Núñez, café, 5 €.",
    "-IPTC:By-line=SrA Karla Parra",
    "-IPTC:By-line=SSgt José Núñez",
    "-IPTC:By-lineTitle=60th Air Mobility Wing",
    "-IPTC:Credit=U.S. Air Force",
    "-IPTC:Source=DVIDS",
    "-IPTC:DateCreated=2022:02:15",
    "-IPTC:Keywords=C-17",
    "-IPTC:Keywords=Ukraine",
    "-IPTC:Keywords=Travis AFB",
    "-IPTC:Keywords=C-17",
    "-IPTC:City=Fairfield",
    "-IPTC:Sub-location=Travis Air Force Base",
    "-IPTC:Province-State=California",
    "-IPTC:Country-PrimaryLocationCode=USA",
    "-IPTC:Country-PrimaryLocationName=United States",
    "-IPTC:SpecialInstructions=Released",
    "-IPTC:Category=F",
    "-IPTC:SupplementalCategories=Unclassified",
    "-IPTC:SupplementalCategories=Logistics",
    "-IPTC:Writer-Editor=SSgt Jane Doe",
    "-XMP-dc:Title=220215-F-DU706-1241",
    "-XMP-dc:Title-de=Frachtverladung",
    "-XMP-dc:Title-fr=Chargement de fret",
    f"-XMP-dc:Description={CAPTION} Núñez, café, 5 €.",
    "-XMP-dc:Description-de=Flieger laden Fracht für die Ukraine.",
    "-XMP-dc:Creator=SrA Karla Parra",
    "-XMP-dc:Creator=SSgt José Núñez",
    "-XMP-dc:Subject=C-17",
    "-XMP-dc:Subject=Ukraine",
    "-XMP-dc:Subject=Travis AFB",
    "-XMP-dc:Rights=Public Domain",
    "-XMP-photoshop:Headline=Loading Cargo",
    "-XMP-photoshop:Credit=U.S. Air Force",
    "-XMP-photoshop:Source=DVIDS",
    "-XMP-photoshop:DateCreated=2022:02:15",
    "-XMP-photoshop:City=Fairfield",
    "-XMP-photoshop:State=California",
    "-XMP-photoshop:Country=United States",
    "-XMP-photoshop:Instructions=Released",
    "-XMP-photoshop:AuthorsPosition=60th Air Mobility Wing",
    "-XMP-photoshop:CaptionWriter=SSgt Jane Doe",
    "-XMP-photoshop:Category=F",
    "-XMP-photoshop:SupplementalCategories=Unclassified",
    "-XMP-photoshop:SupplementalCategories=Logistics",
    "-XMP-iptcCore:Location=Travis Air Force Base",
    "-XMP-iptcCore:CountryCode=USA",
    "-XMP-exif:DateTimeOriginal=2022:02:14 16:20:05-08:00",
    "-XMP-tiff:Make=NIKON CORPORATION",
    "-XMP-tiff:Model=NIKON D5",
    "-XMP-exif:GPSLatitude=-38.2627",
    "-XMP-exif:GPSLongitude=-121.9272",
    "-XMP-exif:GPSAltitude=12.5",
    "-XMP-exif:GPSAltitudeRef#=1",
    "-EXIF:Make=NIKON CORPORATION",
    "-EXIF:Model=NIKON D5",
    "-EXIF:Artist=SrA Karla Parra",
    "-EXIF:Copyright=Public Domain",
    "-EXIF:DateTimeOriginal=2022:02:14 16:20:05",
    "-EXIF:OffsetTimeOriginal=-08:00",
    "-EXIF:GPSLatitude=38.2627",
    "-EXIF:GPSLatitudeRef=S",
    "-EXIF:GPSLongitude=121.9272",
    "-EXIF:GPSLongitudeRef=W",
    "-EXIF:GPSAltitude=12.5",
    "-EXIF:GPSAltitudeRef#=1",
]


def assert_same(ours: dict, theirs: dict) -> None:
    assert sorted(ours) == sorted(theirs), "sources/fields read differ from ExifTool's"
    for key, values in ours.items():
        assert same(values, theirs[key]), (key, values, theirs[key])


def codes(metadata) -> list[str]:
    return [finding.code for finding in metadata.findings]


@pytest.mark.parametrize("file_format", ["JPEG", "TIFF", "PNG"])
def test_every_field_in_every_carrier_reads_as_exiftool_reads_it(tmp_path, file_format):
    """IPTC, XMP and EXIF in JPEG (APP13/APP1), TIFF (tags 33723, 700, 34377 and the file's own
    IFDs) and PNG (raw profile text, iTXt, eXIf): same values as ExifTool, same pixel size."""
    path = image_with(tmp_path, "full", file_format, *FULL, "-Photoshop:IPTCDigest=new")
    tags = exiftool_read(path)
    metadata = read_asset(path)
    assert_same(ours_by_source(metadata), exiftool_by_source(tags))
    prefix = SIZE_TAGS[file_format]
    assert (metadata.format, metadata.width, metadata.height) == (
        file_format,
        tags[f"{prefix}Width"],
        tags[f"{prefix}Height"],
    )


def test_sources_that_agree_give_no_disagreement_and_record_precedence(tmp_path):
    metadata = read_asset(image_with(tmp_path, "full", "JPEG", *FULL))
    assert not [c for c in codes(metadata) if c.startswith("SRC")]
    assert metadata.sources["caption"] == "xmp"
    assert metadata.sources["camera_make"] == "exif"
    assert metadata.sources["artist"] == "exif"
    assert metadata.record.photographer == "SrA Karla Parra"  # first of the two By-lines
    assert metadata.record.keywords == ["C-17", "Ukraine", "Travis AFB"]  # XMP wins
    assert metadata.record.gps_latitude == pytest.approx(-38.2627)
    assert metadata.record.gps_altitude == pytest.approx(-12.5)  # below sea level
    assert metadata.record.date_time_original == dt.datetime(
        2022, 2, 14, 16, 20, 5, tzinfo=dt.timezone(dt.timedelta(hours=-8))
    )
    assert "FIL012" in codes(metadata)  # two By-lines for one photographer field


def test_latin1_iptc_without_marker_is_read_as_cp1252_like_exiftool(tmp_path):
    """ExifTool's default: no 1:90 marker, text written in Windows Latin-1. Same reading, plus a
    finding, because readers that assume UTF-8 will show mojibake."""
    args = ["-charset", "iptc=Latin", "-IPTC:By-line=SSgt José Núñez", "-IPTC:City=Café 5 €"]
    path = image_with(tmp_path, "latin1", "JPEG", *args)
    metadata = read_asset(path)
    assert_same(ours_by_source(metadata), exiftool_by_source(exiftool_read(path)))
    assert metadata.record.photographer == "SSgt José Núñez"
    assert codes(metadata).count("FIL006") == 2


def test_utf8_iptc_without_marker_is_read_as_utf8_where_exiftool_shows_mojibake(tmp_path):
    """Deliberate difference: UTF-8 bytes without the 1:90 marker. ExifTool assumes cp1252 and
    shows 'JosÃ©'; valid multi-byte UTF-8 is practically never Latin-1 text, so we read UTF-8
    and flag the missing marker."""
    path = image_with(tmp_path, "utf8", "JPEG", "-charset", "iptc=UTF8", "-IPTC:City=Núñez café")
    tags = exiftool_read(path)
    assert "IPTC:CodedCharacterSet" not in tags
    assert tags["IPTC:City"] == "Núñez café".encode().decode("cp1252")
    metadata = read_asset(path)
    assert metadata.record.city == "Núñez café"
    assert [f.values["charset"] for f in metadata.findings if f.code == "FIL006"] == ["UTF-8"]


def test_invalid_utf8_under_the_marker_is_flagged_and_recovered_where_exiftool_shows_question_marks(
    tmp_path,
):
    """Deliberate difference: a Latin-1 byte (E9, 'é') in IIM that declares UTF-8. ExifTool
    replaces it with '?'; we flag it and read the value as cp1252, which recovers the text."""
    path = image_with(tmp_path, "bad-utf8", "JPEG", *UTF8_IPTC, "-IPTC:City=CafX Town")
    patch(path, b"CafX Town", b"Caf\xe9 Town")
    assert exiftool_read(path)["IPTC:City"] == "Caf? Town"
    metadata = read_asset(path)
    assert metadata.record.city == "Café Town"
    finding = next(f for f in metadata.findings if f.code == "FIL007")
    assert (finding.field, finding.values["raw"]) == ("city", "43 61 66 e9 20 54 6f 77 6e")


def test_iptc_over_64_kb_spread_over_several_app13_segments(tmp_path):
    """IPTC larger than one JPEG segment: ExifTool splits it over consecutive APP13 segments (and
    a 40,000-byte caption needs an extended IIM dataset length). Both are joined back."""
    keywords = [f"-IPTC:Keywords=keyword {n:03d} {'x' * 50}" for n in range(600)]
    caption = "A long caption. " * 2500
    path = image_with(
        tmp_path, "big", "JPEG", *UTF8_IPTC, f"-IPTC:Caption-Abstract={caption}", *keywords
    )
    assert [marker for marker, _ in jpeg_segments(path)].count(0xED) >= 2
    metadata = read_asset(path)
    assert_same(ours_by_source(metadata), exiftool_by_source(exiftool_read(path)))
    assert len(metadata.record.keywords) == 600
    assert metadata.record.caption == caption


def test_two_iptc_resource_blocks_are_both_read(tmp_path):
    """An IPTC block appended after the first (a second 0x0404 resource): ExifTool shows it as
    IPTC2; Photoshop and Pillow read only one. We read both, in order, and say so."""
    first = image_with(
        tmp_path,
        "first",
        "JPEG",
        "-IPTC:ObjectName=220215-F-DU706-1241",
        "-IPTC:Keywords=C-17",
        "-IPTC:Keywords=Ukraine",
    )
    second = image_with(
        tmp_path, "second", "JPEG", "-IPTC:Keywords=Travis AFB", "-IPTC:City=Fairfield"
    )
    (payload,) = [p for m, p in jpeg_segments(first) if m == 0xED]
    (appended,) = [p for m, p in jpeg_segments(second) if m == 0xED]
    iim = appended[len(PHOTOSHOP_HEADER) + 12 :].rstrip(b"\x00")
    replace_app13(first, [payload + resource(0x0404, iim)])
    tags = exiftool_read(first)
    metadata = read_asset(first)
    assert metadata.record.keywords == tags["IPTC:Keywords"] + [tags["IPTC2:Keywords"]]
    assert metadata.record.city == tags["IPTC2:City"]
    assert metadata.record.virin == tags["IPTC:ObjectName"]
    assert "FIL010" in codes(metadata)


def test_iptc_split_inside_a_resource_over_two_app13_segments(tmp_path):
    """Splitting the Photoshop data in the middle of the IPTC resource, as large IRBs are split:
    the consecutive segments are one stream."""
    path = image_with(
        tmp_path,
        "split",
        "JPEG",
        "-IPTC:ObjectName=220215-F-DU706-1241",
        f"-IPTC:Caption-Abstract={CAPTION}",
    )
    (payload,) = [p for m, p in jpeg_segments(path) if m == 0xED]
    cut = len(payload) // 2
    replace_app13(path, [payload[:cut], PHOTOSHOP_HEADER + payload[cut:]])
    metadata = read_asset(path)
    assert_same(ours_by_source(metadata), exiftool_by_source(exiftool_read(path)))
    assert metadata.record.caption == CAPTION


def test_tiff_with_iptc_only_inside_its_photoshop_resources(tmp_path):
    """Photoshop TIFFs also keep the IPTC as resource 0x0404 of tag 34377; a file may have only
    that copy (the IIM here comes from ExifTool, the TIFF tag from Pillow). ExifTool calls that
    location non-standard for TIFF and reports it as IPTC2; being the only IPTC, it is ours."""
    source = image_with(tmp_path, "source", "JPEG", *UTF8_IPTC, "-IPTC:City=Núñez")
    (payload,) = [p for m, p in jpeg_segments(source) if m == 0xED]
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[34377] = payload[len(PHOTOSHOP_HEADER) :]
    info.tagtype[34377] = TiffTags.UNDEFINED
    path = tmp_path / "photoshop.tif"
    Image.new("RGB", SIZE).save(path, "TIFF", tiffinfo=info)
    metadata = read_asset(path)
    assert metadata.record.city == exiftool_read(path)["IPTC2:City"] == "Núñez"
    assert metadata.sources == {"city": "iptc"}


def test_by_line_cut_inside_a_character_at_the_iim_limit(tmp_path):
    """The DoD ingest cuts By-lines at 32 bytes, splitting 'é' (C3 A9) in half. The broken tail is
    dropped and flagged; the merge keeps the full XMP name and reports the cut IIM copy."""
    full = "Mass Communication Specialist Jé Núñez"
    path = image_with(
        tmp_path,
        "cut",
        "JPEG",
        *UTF8_IPTC,
        "-IPTC:By-line=Mass Communication Specialist JX",
        f"-XMP-dc:Creator={full}",
    )
    patch(path, b"Specialist JX\x1c", b"Specialist J\xc3\x1c")
    metadata = read_asset(path)
    iptc = [v.value for v in metadata.values if v.source == "iptc"]
    assert iptc == ["Mass Communication Specialist J"]
    assert exiftool_read(path)["IPTC:By-line"].startswith("Mass Communication Specialist J")
    assert metadata.record.photographer == full
    assert {"FIL008", "SRC002"} <= set(codes(metadata))


def test_extended_xmp_over_64_kb_is_joined(tmp_path):
    """XMP too large for one APP1 segment: ExifTool moves the big property to extended XMP
    chunks named by a GUID in xmpNote:HasExtendedXMP."""
    description = "wörd " * 14000  # 70,000 bytes of UTF-8, 70,000 characters
    path = image_with(
        tmp_path,
        "extended",
        "JPEG",
        "-XMP-dc:Title=220215-F-DU706-1241",
        f"-XMP-dc:Description={description}",
    )
    assert sum(p.startswith(b"http://ns.adobe.com/xmp/extension/") for _, p in jpeg_segments(path))
    metadata = read_asset(path)
    caption = [v for v in metadata.values if v.field == "caption"]
    assert [v.value for v in caption] == [description]
    assert caption[0].error is not None  # 70,000 characters exceed the record's text ceiling
    assert exiftool_read(path)["XMP-dc:Description"] == description


def test_exif_only_file_matches_exiftool(tmp_path: Path):
    args = [
        "-EXIF:Artist=Karla Parra",
        "-EXIF:DateTimeOriginal=2022:02:14 10:00:00",
        "-EXIF:GPSLatitude=38.5",
        "-EXIF:GPSLatitudeRef=N",
        "-EXIF:GPSLongitude=121.9",
        "-EXIF:GPSLongitudeRef=E",
    ]
    path = image_with(tmp_path, "exif", "JPEG", *args)
    metadata = read_asset(path)
    assert_same(ours_by_source(metadata), exiftool_by_source(exiftool_read(path)))
    assert metadata.record.date_time_original == dt.datetime(2022, 2, 14, 10, 0)  # no offset
