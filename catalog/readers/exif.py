"""EXIF through exifread (``details=False``: maker notes are never needed here).

exifread is given the TIFF-structured block the container walk already found (JPEG APP1, PNG
eXIf), or the open TIFF file itself, so no file is opened twice. (A TIFF's first directory is read
twice: by Pillow in ``containers`` for its IPTC, XMP and Photoshop tags, which exifread drops or
decodes as numbers, and by exifread for the EXIF.) Which tag holds which record field is declared
on the record model; each field kind has one conversion:

* text: the tag's string without trailing space padding (blank is absent); bytes that are not
  UTF-8 are read as cp1252 (as IPTC text is);
* date-time (DateTimeOriginal): ``YYYY:MM:DD HH:MM:SS`` with the UTC offset of its companion
  ``OffsetTime...`` tag (EXIF 2.31) when present; the all-zero "unset" value counts as absent;
* GPS coordinates: degree, minute, second rationals with their ``...Ref`` tag (N/S, E/W) to signed
  decimal degrees; altitude with ``GPSAltitudeRef`` 1 meaning below sea level.

A zero denominator, an unknown reference letter or an out-of-range coordinate is a
``value-invalid`` finding, never an exception. What exifread itself complains about (it logs: an
IFD loop, a string that is not UTF-8) is collected into ``metadata-malformed`` findings instead of
being printed, and so is what it passes over in silence: a tag whose count claims more data than
the block holds (``layout_problems``), which exifread simply reads short.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import io
import logging
import struct
from collections import defaultdict
from typing import Any, BinaryIO

import exifread

from catalog.core.file_rules import METADATA_MALFORMED
from catalog.core.merge import SourcedValue, SourceValues
from catalog.readers.fields import LOCATIONS, Collector, kind
from catalog.readers.iptc import cp1252

#: EXIF tags of interest (exifread names, "EXIF DateTimeOriginal") -> record fields.
_FIELDS_BY_TAG: dict[str, list[str]] = defaultdict(list)
for _name, _location in LOCATIONS.items():
    for _tag in _location.exif:
        _FIELDS_BY_TAG[_tag].append(_name)

_messages: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "exifread_messages", default=None
)


class _Collect(logging.Handler):
    """Routes exifread's warnings to the read in progress (and keeps them off stderr)."""

    def emit(self, record: logging.LogRecord) -> None:
        messages = _messages.get()
        if messages is not None:
            messages.append(record.getMessage())


logging.getLogger("exifread").addHandler(_Collect(logging.WARNING))


def read_exif(data: bytes | BinaryIO) -> SourceValues:
    """Record values from a TIFF-structured EXIF block (bytes) or an open TIFF file."""
    collector = Collector("exif", "exif")
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    messages: list[str] = []
    token = _messages.set(messages)
    try:
        tags = exifread.process_file(stream, details=False, extract_thumbnail=False)
    except MemoryError:
        raise
    except Exception as error:  # exifread raises assorted errors on corrupt data
        messages.append(f"{type(error).__name__}: {error}")
        tags = {}
    finally:
        _messages.reset(token)
    if isinstance(data, bytes):
        messages.extend(layout_problems(data))
    for message in dict.fromkeys(messages):
        collector.findings.append(
            METADATA_MALFORMED.finding(f"EXIF: {message}", field="*", part="exif")
        )
    for tag, names in _FIELDS_BY_TAG.items():
        if tag in tags:
            for name in names:
                _put(collector, name, tag, tags)
    return collector.result()


#: Bytes per value of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL ... IFD).
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
#: Tags whose value is the offset of a sub-IFD: EXIF, GPS, Interoperability.
_SUB_IFDS = frozenset({0x8769, 0x8825, 0xA005})
_MAX_PROBLEMS = 5


def layout_problems(block: bytes) -> list[str]:
    """What is wrong with the layout of a TIFF-structured EXIF block: directories or values that
    run past its end (a giant count). Every directory is visited once, so a loop ends here."""
    if len(block) < 8 or block[:2] not in (b"II", b"MM"):
        return []
    order = "<" if block[:2] == b"II" else ">"
    problems: list[str] = []
    seen: set[int] = set()
    pending = [struct.unpack(order + "I", block[4:8])[0]]
    while pending and len(problems) < _MAX_PROBLEMS:
        ifd = pending.pop()
        if ifd in seen or ifd == 0:
            continue
        seen.add(ifd)
        if ifd + 2 > len(block):
            problems.append(f"an IFD at offset {ifd} lies past the end of the block")
            continue
        (entries,) = struct.unpack(order + "H", block[ifd : ifd + 2])
        end = ifd + 2 + 12 * entries
        if end + 4 > len(block):
            problems.append(f"the IFD at offset {ifd} claims {entries} entries, past the end")
            continue
        for entry in range(ifd + 2, end, 12):
            tag, kind, count, value = struct.unpack(order + "HHII", block[entry : entry + 12])
            size = _TYPE_SIZES.get(kind, 0) * count
            if size > 4 and value + size > len(block):
                problems.append(
                    f"tag 0x{tag:04X} claims {count} values ({size} bytes) at offset {value}, "
                    f"past the end of the {len(block)}-byte block"
                )
            if tag in _SUB_IFDS:
                pending.append(value)
        pending.append(struct.unpack(order + "I", block[end : end + 4])[0])
    return problems


def _put(collector: Collector, name: str, tag: str, tags: dict[str, Any]) -> None:
    if name in collector.values:
        collector.extra.append(SourcedValue(name, collector.label, _text(tags[tag].values)))
        return
    where = f"tag {tag.split(' ', 1)[1]}"
    try:
        value = _CONVERTERS[kind(name)](tag, tags)
    except (ValueError, ZeroDivisionError, TypeError, IndexError) as error:
        collector.reject(name, tags[tag].printable, str(error) or type(error).__name__, where=where)
        return
    if value is not None:
        collector.put(name, value, where=where)


def _text(values: Any) -> str:
    if isinstance(values, bytes):
        return cp1252(values.rstrip(b"\x00"))
    if isinstance(values, str):
        return values
    return " ".join(str(v) for v in values)


def _as_text(tag: str, tags: dict[str, Any]) -> str | None:
    """An ASCII tag without the trailing spaces cameras pad fixed-size fields with ("PENTAX" in
    20 bytes), as ExifTool reads it; a tag of only spaces is no value."""
    return _text(tags[tag].values).rstrip(" ") or None


def _as_datetime(tag: str, tags: dict[str, Any]) -> dt.datetime | None:
    text = _text(tags[tag].values).strip()
    if not text.strip(" :0"):  # blank or all zeros: the camera's "not set"
        return None
    if len(text) < 19 or text[4] != ":" or text[7] != ":" or text[13] != ":":
        raise ValueError("not an EXIF date-time (YYYY:MM:DD HH:MM:SS)")
    fields = (text[0:4], text[5:7], text[8:10], text[11:13], text[14:16], text[17:19])
    value = dt.datetime(*(int(f) for f in fields))  # strptime is ten times slower
    offset = tags.get(tag.replace("DateTime", "OffsetTime"))
    if offset is not None:
        tz = _text(offset.values).strip()
        if tz:
            value = value.replace(tzinfo=dt.datetime.strptime(tz, "%z").tzinfo)
    return value


def _as_gps(tag: str, tags: dict[str, Any]) -> float:
    values = tags[tag].values
    ref_tag = tags.get(f"{tag}Ref")
    ref = ref_tag.values if ref_tag is not None else None
    if tag.endswith("Altitude"):
        value = float(values[0])
        below = ref is not None and list(ref)[:1] == [1]
        return -value if below else value
    degrees, minutes, seconds = (float(v) for v in [*values, 0, 0][:3])
    value = degrees + minutes / 60 + seconds / 3600
    letter = _text(ref).strip().upper() if ref is not None else ""
    if letter not in ("", "N", "S", "E", "W"):
        raise ValueError(f"unknown GPS reference {letter!r}")
    return -value if letter in ("S", "W") else value


_CONVERTERS = {"text": _as_text, "datetime": _as_datetime, "float": _as_gps}
