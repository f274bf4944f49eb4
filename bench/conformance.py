"""Conformance: our readers against ExifTool, field by field and source by source, on real files.

``python -m bench.conformance [DIR ...] [--min-agreement 99]`` (``make conformance``; the default
folder is the development corpus, ``../shared/corpus/images``, read in place and never copied)
reads every file under each folder with ``read_asset`` and with ``exiftool -j -G1 -a -n -struct``,
and compares every (source, record field) either side reports: IPTC, XMP (each language of a
language alternative) and EXIF. IPTC is read by ExifTool twice, with its default charset (Windows
Latin-1 unless the 1:90 marker says UTF-8) and with ``-charset iptc=utf8``: the catalog reads IIM
without the marker as UTF-8 when it is valid UTF-8, so either reading may be the right one.

It prints the agreement and every disagreement, each marked with the codes of our findings that
explain it - a finding on that field (a value refused: a latitude of 4294967295) or on that
source as a whole (an XMP packet that is not XML) - or SILENT. A flagged disagreement is the
reader refusing to guess, and tells the user so; a silent one is a reading bug. It exits 1 when
agreement plus flagged disagreements fall below the threshold (99%), and prints plain agreement
beside it. An empty string from ExifTool is no value (ExifTool shows a blank EXIF tag as '').
The comparison itself - which ExifTool tag holds which field, how its values become the record's
types - is the one ``tests/test_readers_conformance.py`` asserts on files written by ExifTool.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from catalog.readers import read_asset
from catalog.readers.containers import sniff

_REPOSITORY = Path(__file__).resolve().parents[1]
#: The development corpus beside the main checkout (``../shared``), seen from it or a worktree.
DEFAULT_FOLDERS = (
    _REPOSITORY.parent / "shared" / "corpus" / "images",
    _REPOSITORY.parent.parent / "shared" / "corpus" / "images",
)
EXIFTOOL = ("exiftool", "-j", "-G1", "-a", "-n", "-struct")
UTF8_IPTC_READ = ("-charset", "iptc=utf8")

#: Where ExifTool reports each (source, record field). Two tags for one field are the field's
#: two IIM/XMP locations (service shown: Urgency in the 2011 guide, Category in older ones).
EXIFTOOL_TAGS: dict[str, dict[str, tuple[str, ...]]] = {
    "iptc": {
        "virin": ("IPTC:ObjectName",),
        "title": ("IPTC:Headline",),
        "caption": ("IPTC:Caption-Abstract",),
        "photographer": ("IPTC:By-line",),
        "photographer_unit": ("IPTC:By-lineTitle",),
        "credit": ("IPTC:Credit",),
        "source": ("IPTC:Source",),
        "date_created": ("IPTC:DateCreated",),
        "keywords": ("IPTC:Keywords",),
        "city": ("IPTC:City",),
        "sublocation": ("IPTC:Sub-location",),
        "state": ("IPTC:Province-State",),
        "country_code": ("IPTC:Country-PrimaryLocationCode",),
        "country": ("IPTC:Country-PrimaryLocationName",),
        "release_instructions": ("IPTC:SpecialInstructions",),
        "service_shown": ("IPTC:Urgency", "IPTC:Category"),
        "classification": ("IPTC:SupplementalCategories",),
        "caption_writer": ("IPTC:Writer-Editor",),
    },
    "xmp": {
        "virin": ("XMP-dc:Title",),
        "title": ("XMP-photoshop:Headline",),
        "caption": ("XMP-dc:Description",),
        "photographer": ("XMP-dc:Creator",),
        "photographer_unit": ("XMP-photoshop:AuthorsPosition",),
        "credit": ("XMP-photoshop:Credit",),
        "source": ("XMP-photoshop:Source",),
        "date_created": ("XMP-photoshop:DateCreated",),
        "keywords": ("XMP-dc:Subject",),
        "city": ("XMP-photoshop:City",),
        "sublocation": ("XMP-iptcCore:Location",),
        "state": ("XMP-photoshop:State",),
        "country_code": ("XMP-iptcCore:CountryCode",),
        "country": ("XMP-photoshop:Country",),
        "release_instructions": ("XMP-photoshop:Instructions",),
        "service_shown": ("XMP-photoshop:Urgency", "XMP-photoshop:Category"),
        "classification": ("XMP-photoshop:SupplementalCategories",),
        "caption_writer": ("XMP-photoshop:CaptionWriter",),
        "date_time_original": ("XMP-exif:DateTimeOriginal",),
        "camera_make": ("XMP-tiff:Make",),
        "camera_model": ("XMP-tiff:Model",),
        "copyright": ("XMP-dc:Rights",),
        "gps_latitude": ("XMP-exif:GPSLatitude",),
        "gps_longitude": ("XMP-exif:GPSLongitude",),
        "gps_altitude": ("XMP-exif:GPSAltitude",),
    },
    "exif": {
        "date_time_original": ("ExifIFD:DateTimeOriginal",),
        "camera_make": ("IFD0:Make",),
        "camera_model": ("IFD0:Model",),
        "artist": ("IFD0:Artist",),
        "copyright": ("IFD0:Copyright",),
        "gps_latitude": ("GPS:GPSLatitude",),
        "gps_longitude": ("GPS:GPSLongitude",),
        "gps_altitude": ("GPS:GPSAltitude",),
    },
}
SIZE_TAGS = {"JPEG": "File:Image", "TIFF": "IFD0:Image", "PNG": "PNG:Image"}


def ours_by_source(metadata) -> dict[tuple[str, str], list]:
    """Our usable values grouped by (source label, field), in the order the readers gave them; an
    empty list or text is no value (ExifTool's [''] for an empty bag item is none either)."""
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for value in metadata.values:
        if value.error is None and value.value not in ("", []):
            grouped[(value.source, value.field)].append(value.value)
    return dict(grouped)


def exiftool_by_source(tags: dict) -> dict[tuple[str, str], list]:
    """ExifTool's values, converted to the record's types and grouped like ours.

    ExifTool names IPTC outside the standard place IPTC2, IPTC3 (a second resource block, a TIFF's
    Photoshop resources, a FotoStation or AFCP trailer); the catalog reads every block in file
    order as one IPTC source, so those groups are taken in that order, keywords as one list.
    """
    grouped: dict[tuple[str, str], list] = {}
    for source, fields in EXIFTOOL_TAGS.items():
        for field, names in fields.items():
            names = tuple(n for name in names for n in _iptc_groups(name))
            values = [
                v for name in names if name in tags for v in _convert(field, name, tags) if v != ""
            ]
            if field == "keywords" and len(values) > 1:
                values = [[keyword for block in values for keyword in block]]
            if values:
                grouped[(source, field)] = values
            for language, text in _languages(names, tags):
                grouped.setdefault((f"{source}[{language}]", field), []).append(text)
    return grouped


def _iptc_groups(name: str) -> tuple[str, ...]:
    """``IPTC:City`` -> ``IPTC:City``, ``IPTC2:City``, ``IPTC3:City``; other names unchanged."""
    if not name.startswith("IPTC:"):
        return (name,)
    return (name, *(name.replace("IPTC:", f"IPTC{n}:") for n in (2, 3)))


def _languages(names: tuple[str, ...], tags: dict):
    for name in names:
        for key, value in tags.items():
            if key.startswith(f"{name}-"):
                yield key.removeprefix(f"{name}-"), value


def _convert(field: str, name: str, tags: dict) -> list:
    value = tags[name]
    if field == "keywords":  # -n shows a keyword "2006" as the number 2006
        items = [str(v) for v in _listed(value) if v != ""]
        return [items] if items else []
    if field in ("date_created",):
        return [dt.date(*map(int, str(value)[:10].split(":")))]
    if field == "date_time_original":
        return [_datetime(str(value), tags.get("ExifIFD:OffsetTimeOriginal"), name)]
    if field.startswith("gps_"):
        return [_signed(field, name, float(value), tags)]
    return [str(v) for v in _listed(value)]


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _datetime(text: str, offset: str | None, name: str) -> dt.datetime:
    stamp = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    zone = text[19:] if name.startswith("XMP") else offset
    return stamp.replace(tzinfo=dt.datetime.strptime(zone, "%z").tzinfo) if zone else stamp


def _signed(field: str, name: str, value: float, tags: dict) -> float:
    group = name.split(":")[0]
    if field == "gps_altitude":
        return -value if tags.get(f"{group}:GPSAltitudeRef") == 1 else value
    ref = tags.get(f"{group}:{name.split(':')[1]}Ref")
    return -value if ref in ("S", "W") else value


def same(ours: list | None, theirs: list | None) -> bool:
    """Whether two readings of one (source, field) agree, floats up to rounding."""
    if ours is None or theirs is None or len(ours) != len(theirs):
        return False
    if all(isinstance(v, float) for v in ours):
        return all(map(math.isclose, ours, theirs))
    return ours == theirs


def exiftool_read(path: Path, *options: str) -> dict:
    """What ExifTool reports for ``path`` (``exiftool -j -G1 -a -n -struct``, plus ``options``)."""
    return exiftool_read_all([path], *options)[path]


def exiftool_read_all(paths: list[Path], *options: str) -> dict[Path, dict]:
    """What ExifTool reports for each of ``paths``, read by one ExifTool process (one start-up
    for a whole folder, not one per file)."""
    if not paths:
        return {}
    command = [*EXIFTOOL, *options, *map(str, paths)]
    output = subprocess.run(command, capture_output=True).stdout  # exit 1: a file it cannot read
    reports = {Path(report["SourceFile"]): report for report in json.loads(output or b"[]")}
    return {path: reports.get(path, {}) for path in paths}


@dataclass(frozen=True)
class Comparison:
    """One (file, source, field): our values, ExifTool's (both IPTC readings), and the verdict."""

    path: Path
    source: str
    field: str
    ours: list | None
    theirs: list | None
    theirs_utf8: list | None
    flagged_by: tuple[str, ...] = ()  # codes of our findings about this field or this source

    @property
    def agrees(self) -> bool:
        return same(self.ours, self.theirs) or same(self.ours, self.theirs_utf8)

    @property
    def exiftool_has_value(self) -> bool:
        return self.theirs is not None or self.theirs_utf8 is not None

    def __str__(self) -> str:
        utf8 = "" if self.theirs_utf8 == self.theirs else f" (as UTF-8 {self.theirs_utf8!r})"
        flagged = f"flagged {', '.join(self.flagged_by)}" if self.flagged_by else "SILENT"
        return (
            f"{self.path.name}: {self.source} {self.field}: ours {self.ours!r} "
            f"exiftool {self.theirs!r}{utf8} [{flagged}]"
        )


def compare(paths: list[Path]) -> list[Comparison]:
    """Every (source, field) our reader or ExifTool reports for each of ``paths``, compared."""
    default, utf8 = exiftool_read_all(paths), exiftool_read_all(paths, *UTF8_IPTC_READ)
    return [c for path in paths for c in _compare(path, default[path], utf8[path])]


def _compare(path: Path, default: dict, utf8: dict) -> list[Comparison]:
    metadata = read_asset(path)
    ours = ours_by_source(metadata)
    theirs, theirs_utf8 = exiftool_by_source(default), exiftool_by_source(utf8)
    return [
        Comparison(
            path,
            source,
            field,
            ours.get((source, field)),
            theirs.get((source, field)),
            (theirs_utf8 if source.startswith("iptc") else theirs).get((source, field)),
            _flagged_by(metadata.findings, source.split("[")[0], field),
        )
        for source, field in sorted(set(ours) | set(theirs) | set(theirs_utf8))
    ]


def _flagged_by(findings, source: str, field: str) -> tuple[str, ...]:
    """The codes of the findings that tell the user why our reading may differ: one on the field
    itself (a value refused), or one on the whole source block (an XMP packet that is not XML)."""
    return tuple(
        sorted({f.code for f in findings if f.field == field or (f.field, f.part) == ("*", source)})
    )


def image_files(folders: list[Path]) -> tuple[list[Path], int]:
    """The JPEG, TIFF and PNG files under ``folders`` (by their first bytes, recursively, sorted),
    and how many other files were passed over: the catalog reports those as unsupported."""
    files = [p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]
    images = [p for p in files if _head(p) is not None]
    return images, len(files) - len(images)


def _head(path: Path) -> str | None:
    with path.open("rb") as handle:
        return sniff(handle.read(16))


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.conformance", description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, help="default: ../shared/corpus/images")
    parser.add_argument("--min-agreement", type=float, default=99.0, help="percent (default 99)")
    args = parser.parse_args(argv)
    folders = args.folders or [next((f for f in DEFAULT_FOLDERS if f.is_dir()), DEFAULT_FOLDERS[0])]
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        parser.error(f"no such folder: {', '.join(missing)}")
    files, others = image_files(folders)
    comparisons = compare(files)
    disagreements = [c for c in comparisons if not c.agrees]
    for comparison in disagreements:
        print(comparison)
    valued = [c for c in comparisons if c.exiftool_has_value]
    overall = percent(len(comparisons) - len(disagreements), len(comparisons))
    where_exiftool = percent(sum(c.agrees for c in valued), len(valued))
    silent = [c for c in disagreements if not c.flagged_by]
    explained = percent(len(comparisons) - len(silent), len(comparisons))
    by_source: dict[str, list[Comparison]] = defaultdict(list)
    for comparison in comparisons:
        by_source[comparison.source.split("[")[0]].append(comparison)
    for source, group in sorted(by_source.items()):
        agreed = sum(c.agrees for c in group)
        print(f"{source}: {agreed}/{len(group)} agree ({percent(agreed, len(group)):.1f}%)")
    print(
        f"{len(files)} images ({others} other files passed over), {len(comparisons)} "
        f"comparisons: {overall:.1f}% agree "
        f"({where_exiftool:.1f}% of the {len(valued)} where ExifTool reports a value), "
        f"{len(disagreements)} disagreements, {len(silent)} of them without a finding of ours "
        f"on the field or its source ({explained:.1f}% agree or are flagged)"
    )
    return 0 if explained >= args.min_agreement else 1


if __name__ == "__main__":
    sys.exit(main())
