"""XMP: an RDF/XML packet to record values, parsed only through defusedxml.

Which property holds which record field is declared on the record model (``field_locations()``,
written ``prefix:name``); the prefixes are resolved with the standard namespace URIs below, since a
file may bind any prefix to them. The RDF forms met in real files are all read:

* simple properties as attributes of ``rdf:Description`` or as elements with text;
* language alternatives (``rdf:Alt`` of ``rdf:li xml:lang=...``): the ``x-default`` item, or the
  first item when there is no ``x-default``; the other languages are kept as values of the source
  ``xmp[de]``, ``xmp[fr]`` ...;
* bags and sequences (``rdf:Bag``, ``rdf:Seq``): lists, in document order;
* ``rdf:resource`` references: the URI is the value;
* extended XMP (JPEG packets over 64 KB): properties of the packet whose GUID the main packet names
  in ``xmpNote:HasExtendedXMP``.

Dates follow XMP's ISO 8601 subset; GPS coordinates the XMP form ``DDD,MM.mmk`` or ``DDD,MM,SSk``;
GPS altitude a rational with ``exif:GPSAltitudeRef`` 1 meaning below sea level.

Fail closed for release: a packet refused (a DTD, XML that is not well-formed) or an extended
packet named but missing makes the source unusable for the release fields
(``Collector.unusable``), and a release property given twice is weighed in both copies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as DefusedET

from catalog.core.file_rules import METADATA_MALFORMED, XML_FORBIDDEN
from catalog.core.findings import Finding, shorten
from catalog.core.merge import SourcedValue, SourceValues
from catalog.core.release import RELEASE_FIELDS
from catalog.readers.fields import LOCATIONS, Collector, kind

NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "xmpNote": "http://ns.adobe.com/xmp/note/",
}
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONTAINERS = (f"{RDF}Alt", f"{RDF}Bag", f"{RDF}Seq")


def clark(name: str) -> str:
    """``dc:title`` -> ``{http://purl.org/dc/elements/1.1/}title``."""
    prefix, local = name.split(":", 1)
    return f"{{{NAMESPACES[prefix]}}}{local}"


#: Properties of interest: Clark name -> (prefixed name, record fields stored there).
_FIELDS_BY_PROPERTY: dict[str, tuple[str, list[str]]] = {}
for _name, _location in LOCATIONS.items():
    for _property in _location.xmp:
        _FIELDS_BY_PROPERTY.setdefault(clark(_property), (_property, []))[1].append(_name)
_ALTITUDE_REF = clark("exif:GPSAltitudeRef")
_EXTENDED = clark("xmpNote:HasExtendedXMP")
_WANTED = frozenset(_FIELDS_BY_PROPERTY) | {_ALTITUDE_REF, _EXTENDED}


@dataclass(frozen=True, slots=True)
class LangAlt:
    """A language alternative: (language, text) pairs in document order."""

    items: tuple[tuple[str, str], ...]

    def default(self) -> tuple[str, str]:
        return next((item for item in self.items if item[0] == "x-default"), self.items[0])


@dataclass(frozen=True, slots=True)
class Packet:
    """The wanted properties of an XMP packet (Clark name -> first value), the values of those
    given again (a second attribute or element, another ``rdf:Description``), and whether the
    packet could be parsed at all."""

    properties: dict[str, Any]
    repeated: tuple[tuple[str, Any], ...] = ()
    refused: str | None = None


def parse_packet(packet: bytes, findings: list[Finding], *, where: str) -> Packet:
    """The wanted properties of an XMP packet; damage becomes findings (and ``refused``)."""
    try:
        root = DefusedET.fromstring(_trim(packet), forbid_dtd=True)
    except defusedxml.DefusedXmlException as error:
        findings.append(
            XML_FORBIDDEN.finding(f"{where}: {error}; the XMP was ignored", field="*", part="xmp")
        )
        return Packet({}, refused=f"{where} refused: {error}")
    except (ParseError, ValueError) as error:
        findings.append(
            METADATA_MALFORMED.finding(
                f"{where} is not well-formed XML ({error}); it was ignored", field="*", part="xmp"
            )
        )
        return Packet({}, refused=f"{where} is not well-formed XML: {error}")
    properties: dict[str, Any] = {}
    repeated: list[tuple[str, Any]] = []
    rdf = root if root.tag == f"{RDF}RDF" else root.find(f"{RDF}RDF")
    for description in () if rdf is None else rdf.iter(f"{RDF}Description"):
        found = [(name, text) for name, text in description.attrib.items() if name in _WANTED]
        found += [(e.tag, _value(e)) for e in description if e.tag in _WANTED]
        for name, value in found:
            if name in properties:
                repeated.append((name, value))
            else:
                properties[name] = value
    return Packet(properties, tuple(repeated))


#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BYTE_ORDER_MARKS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
#: A packet without a mark starts with "<": its zero bytes tell the encoding (XML 1.0 appendix F).
_FIRST_CHARACTERS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def wide_encoding(packet: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding of a packet (the XMP specification allows both, with or
    without a byte-order mark), or None for UTF-8."""
    for start, encoding in (*_BYTE_ORDER_MARKS, *_FIRST_CHARACTERS):
        if packet.startswith(start):
            return encoding
    return None


def _trim(packet: bytes) -> bytes | str:
    """The packet without NUL padding or bytes after the closing processing instruction.

    A UTF-16 or UTF-32 packet is decoded to text first: cutting it byte-wise would split its
    characters (a UTF-16 "<" is 00 3C), and expat does not read UTF-32 at all. A packet that is
    not valid in its encoding raises ``UnicodeDecodeError``, a ``ValueError``.
    """
    encoding = wide_encoding(packet)
    if encoding is None:
        return _cut(packet, b"<?xpacket end", b"?>", b"\x00 \t\r\n")
    unit = 4 if encoding.startswith("utf-32") else 2
    text = packet[: len(packet) - len(packet) % unit].decode(encoding).removeprefix("\ufeff")
    return _cut(text, "<?xpacket end", "?>", "\x00 \t\r\n")


def _cut(packet, end_marker, close_marker, padding):
    """``packet`` (bytes or text) up to the close of its end marker, stripped of ``padding``."""
    end = packet.rfind(end_marker)
    if end >= 0:
        close = packet.find(close_marker, end)
        packet = packet[: close + len(close_marker)] if close >= 0 else packet
    return packet.strip(padding)


def _value(element: Element) -> Any:
    resource = element.get(f"{RDF}resource")
    if resource is not None:
        return resource
    container = next((child for child in element if child.tag in _CONTAINERS), None)
    if container is None:
        return None if len(element) else (element.text or "")
    items = [li for li in container if li.tag == f"{RDF}li"]
    if container.tag == f"{RDF}Alt":
        return LangAlt(tuple((li.get(XML_LANG, ""), li.text or "") for li in items))
    return [li.text or "" for li in items if not len(li)]


def read_xmp(
    packet: bytes,
    *,
    extended: Mapping[str, bytes] | None = None,
    source_kind: str = "xmp",
    label: str = "xmp",
) -> SourceValues:
    """Record values from an XMP packet (embedded, or a sidecar: ``source_kind='sidecar-xmp'``)."""
    collector = Collector(source_kind, label)
    main = parse_packet(packet, collector.findings, where=label)
    packets = [main]
    guid = main.properties.get(_EXTENDED)
    if isinstance(guid, str) and extended and guid in extended:
        packets.append(parse_packet(extended[guid], collector.findings, where=f"{label} extension"))
    elif isinstance(guid, str):
        collector.unusable(f"its extended XMP {shorten(guid)} is missing or incomplete")
    properties = {k: v for packet in reversed(packets) for k, v in packet.properties.items()}
    for packet in packets:
        if packet.refused:
            collector.unusable(packet.refused)
        _weigh_repeats(collector, packet.repeated)
    for property_, (prefixed, names) in _FIELDS_BY_PROPERTY.items():
        value = properties.get(property_)
        if not _given(value):
            continue
        for name in names:
            if name in collector.values:  # a later location of the same field: shown only
                collector.extra.append(SourcedValue(name, label, _plain(value)))
            else:
                _put(collector, name, prefixed, value, properties)
    return collector.result()


def _weigh_repeats(collector: Collector, repeated: tuple[tuple[str, Any], ...]) -> None:
    """A release property given twice in one packet is not "the first wins": the other copy is
    a value of its own, weighed by the release decision (a conflict when they differ)."""
    for property_, value in repeated:
        for name in _FIELDS_BY_PROPERTY.get(property_, ("", []))[1]:
            if name in RELEASE_FIELDS and _given(value):
                items = value if isinstance(value, list) else [_plain(value)]
                collector.extra.extend(SourcedValue(name, collector.label, v) for v in items)


def _given(value: Any) -> bool:
    """Whether a property value says anything (an empty language alternative does not)."""
    return value is not None and not (isinstance(value, LangAlt) and not value.items)


def _plain(value: Any) -> Any:
    return value.default()[1] if isinstance(value, LangAlt) else value


def _put(collector: Collector, name: str, where: str, value: Any, properties: dict) -> None:
    """Put one property's value (``where``: its prefixed name) as record field ``name``."""
    if isinstance(value, LangAlt):
        language, text = value.default()
        collector.extra.extend(
            SourcedValue(name, f"{collector.label}[{lang}]", other)
            for lang, other in value.items
            if (lang, other) != (language, text)
        )
        value = text
    field_kind = kind(name)
    if field_kind in ("text", "list"):
        collector.put_items(name, value if isinstance(value, list) else [value], where=where)
        return
    if isinstance(value, list):
        if not value:
            return
        value = value[0]
    try:
        converted = _CONVERTERS[field_kind](value, where, properties)
    except (ValueError, ZeroDivisionError) as error:
        collector.reject(name, value, str(error), where=where)
        return
    collector.put(name, converted, where=where)


def xmp_date(text: str, *_: Any) -> dt.date:
    """photoshop:DateCreated and friends: the date part of an XMP date (YYYY-MM-DD...)."""
    text = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
        raise ValueError("not a complete XMP date (YYYY-MM-DD)")
    return dt.date.fromisoformat(text[:10])


def xmp_datetime(text: str, *_: Any) -> dt.datetime:
    """exif:DateTimeOriginal: an XMP date with a time of day, with its offset when given."""
    text = text.strip()
    if "T" not in text:
        raise ValueError("an XMP date-time needs a time of day (YYYY-MM-DDThh:mm)")
    return dt.datetime.fromisoformat(text)


_COORDINATE = re.compile(r"(\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])")


def xmp_gps(text: str, prefixed: str, properties: dict) -> float:
    """exif:GPSLatitude / GPSLongitude (``DDD,MM.mmk``), or GPSAltitude (rational + ref)."""
    text = text.strip()
    if prefixed.endswith("GPSAltitude"):
        numerator, _, denominator = text.partition("/")
        value = float(numerator) / float(denominator or 1)
        return -value if str(properties.get(_ALTITUDE_REF, "0")).strip() == "1" else value
    match = _COORDINATE.fullmatch(text)
    if not match:
        raise ValueError("not an XMP GPS coordinate (DDD,MM.mmk or DDD,MM,SSk)")
    degrees, minutes, seconds, ref = match.groups()
    value = float(degrees) + float(minutes) / 60 + float(seconds or 0) / 3600
    return -value if ref in "SW" else value


_CONVERTERS = {"date": xmp_date, "datetime": xmp_datetime, "float": xmp_gps}
