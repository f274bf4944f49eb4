"""Locate the metadata blocks of a JPEG, TIFF or PNG file without decoding a pixel.

The result is a ``Carrier``: the file's real format (from its first bytes, not its name), its
pixel size, and the raw EXIF, Photoshop image resources, IPTC-IIM and XMP blocks found in it. The
blocks are decoded by ``exif``, ``iptc`` and ``xmp``.

* JPEG: the marker segments before the image data are walked here. Pillow's JPEG parser would do
  it too, but it is about 7x slower per file, refuses a file cut inside its header (losing every
  block before the cut), keeps only the last IPTC resource, and does not join extended XMP.
  Consecutive APP13 "Photoshop 3.0" segments are joined before their resources are parsed
  (IPTC over 64 KB is split that way); APP1 extended XMP chunks are joined by GUID. IPTC that
  FotoStation or an AFCP writer appended after the end of the image is found from the file's end
  (``_trailer_iptc``), read, and reported (FIL021): most tools never see it there.
* PNG: chunks are walked to IEND, seeking over image data, because XMP and text may follow IDAT
  and Pillow only reads those after decoding the pixels. XMP is the iTXt "XML:com.adobe.xmp",
  EXIF the eXIf chunk, IPTC the "Raw profile type iptc" text that ExifTool and ImageMagick write.
* TIFF: Pillow's own IFD reader (``ImageFileDirectory_v2``) reads the first directory, which
  holds IPTC (tag 33723), XMP (700) and Photoshop resources (34377); the file itself is the EXIF
  structure. Opening the IFD directly skips Pillow's decoder setup and pixel-count checks, which
  have nothing to do with metadata.
"""

from __future__ import annotations

import struct
import warnings
import zlib
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from catalog.core.file_rules import CONTAINER_MALFORMED, IPTC_IN_TRAILER, METADATA_MALFORMED
from catalog.core.findings import Finding

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BIGTIFF_MAGICS = (b"II+\x00", b"MM\x00+")
TIFF_MAGICS = (b"II*\x00", b"MM\x00*", *BIGTIFF_MAGICS)

EXIF_HEADER = b"Exif\x00\x00"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXTENSION_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"
PHOTOSHOP_HEADER = b"Photoshop 3.0\x00"

#: Photoshop image resource ids the catalog reads.
IPTC_RESOURCE = 0x0404
IPTC_DIGEST_RESOURCE = 0x0425
#: Resource signatures accepted besides 8BIM (as ExifTool does).
RESOURCE_SIGNATURES = (b"8BIM", b"PHUT", b"AgHg", b"DCSR", b"MeSa")

#: The largest PNG text chunk (compressed or not) that is read; larger ones are reported.
MAX_TEXT_CHUNK = 64 * 1024 * 1024

#: SOFn markers (start of frame) carry the image size; C4, C8 and CC are not frames.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


@dataclass
class Carrier:
    """What a file carries: format, size and raw metadata blocks, plus findings about damage.

    ``exif`` is a TIFF-structured EXIF block (JPEG APP1, PNG eXIf); for a TIFF file it stays None
    and ``exif_in_file`` is set, because the file itself is the EXIF structure. ``iptc`` lists the
    IPTC-IIM streams in file order (several when a file holds several IPTC resources);
    ``iptc_digest`` is the stored MD5 of the first one (Photoshop resource 0x0425).
    """

    format: str
    width: int | None = None
    height: int | None = None
    exif: bytes | None = None
    exif_in_file: bool = False
    iptc: list[bytes] = field(default_factory=list)
    iptc_digest: bytes | None = None
    xmp: bytes | None = None
    xmp_extended: dict[str, bytes] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add_resources(self, data: bytes, where: str) -> None:
        """Take IPTC and the IPTC digest from a block of Photoshop image resources."""
        for resource_id, payload in image_resources(data, where, self.findings):
            if resource_id == IPTC_RESOURCE:
                self.add_iptc(payload)
            elif resource_id == IPTC_DIGEST_RESOURCE and self.iptc_digest is None:
                self.iptc_digest = payload

    def add_iptc(self, stream: bytes) -> None:
        """Add an IIM stream unless the same bytes were already found (TIFF stores them twice)."""
        if stream and stream not in self.iptc:
            self.iptc.append(stream)


def sniff(head: bytes) -> str | None:
    """The format the first bytes of a file announce: JPEG, TIFF, PNG or None."""
    if head.startswith(JPEG_MAGIC):
        return "JPEG"
    if head.startswith(PNG_MAGIC):
        return "PNG"
    if head[:4] in TIFF_MAGICS:
        return "TIFF"
    return None


#: Formats ``identify`` may name. Only these Pillow plugins, which read a header on opening, see a
#: file the catalog does not read: never one picked by the file's content alone (EPS would bring
#: Ghostscript, others parse whole structures on opening).
NAMED_FORMATS = ("GIF", "WEBP", "BMP", "JPEG2000")


def identify(fh: BinaryIO) -> str | None:
    """Best-effort name of a format the catalog does not read (GIF, WEBP ...), for messages."""
    from PIL import Image  # only for files the catalog rejects: keep Pillow out of start-up

    fh.seek(0)
    try:
        with Image.open(fh, formats=NAMED_FORMATS) as image:
            return image.format
    except MemoryError:
        raise
    except Exception:  # any failure just means "unknown"; the caller reports the file anyway
        return None


def locate(fh: BinaryIO, file_format: str) -> Carrier:
    """Walk a JPEG, PNG or TIFF file (``file_format`` from ``sniff``) and collect its blocks."""
    fh.seek(0)
    return {"JPEG": _jpeg, "PNG": _png, "TIFF": _tiff}[file_format](fh)


def _malformed(carrier: Carrier, message: str, part: str) -> None:
    carrier.findings.append(CONTAINER_MALFORMED.finding(message, field="*", part=part))


# --- JPEG ------------------------------------------------------------------------------------


def _jpeg(fh: BinaryIO) -> Carrier:
    carrier = Carrier("JPEG")
    extended: dict[str, _ExtendedXmp] = {}
    photoshop: list[bytes] = []  # the run of consecutive APP13 Photoshop segments
    read = fh.read
    read(2)  # SOI
    for marker, payload in _segments(read, carrier):
        if marker != 0xED and photoshop:
            carrier.add_resources(b"".join(photoshop), "APP13")
            photoshop = []
        if marker in _SOF_MARKERS and len(payload) >= 5:
            carrier.height, carrier.width = struct.unpack(">HH", payload[1:5])
        elif marker == 0xE1:
            _app1(carrier, payload, extended)
        elif marker == 0xED and payload.startswith(PHOTOSHOP_HEADER):
            photoshop.append(payload[len(PHOTOSHOP_HEADER) :])
    if photoshop:
        carrier.add_resources(b"".join(photoshop), "APP13")
    for kind, stream in _trailer_iptc(fh):
        carrier.findings.append(
            IPTC_IN_TRAILER.finding(
                f"IPTC is stored in a {kind} trailer after the end of the image; it was read, "
                f"but most readers and the DoD ingest do not see it there",
                field="*",
                part="iptc",
                trailer=kind,
            )
        )
        carrier.add_iptc(stream)
    for guid, parts in extended.items():
        data = parts.assemble()
        if data is None:
            carrier.findings.append(
                METADATA_MALFORMED.finding(
                    f"extended XMP {guid} is incomplete; it was ignored", field="*", part="xmp"
                )
            )
        else:
            carrier.xmp_extended[guid] = data
    return carrier


def _segments(read, carrier: Carrier):
    """Yield (marker, payload) of each segment up to the start of the image data."""
    while True:
        prefix = read(1)
        if prefix != b"\xff":
            what = "ends" if not prefix else "has stray bytes"
            _malformed(carrier, f"the JPEG {what} before its image data", "jpeg")
            return
        marker = read(1)
        while marker == b"\xff":  # fill bytes
            marker = read(1)
        if not marker:
            _malformed(carrier, "the JPEG ends inside a marker", "jpeg")
            return
        code = marker[0]
        if code in (0xDA, 0xD9):  # start of scan or end of image: no metadata after this
            return
        if 0xD0 <= code <= 0xD7 or code == 0x01:  # markers without a length
            continue
        size = read(2)
        length = struct.unpack(">H", size)[0] if len(size) == 2 else 0
        payload = read(length - 2) if length >= 2 else b""
        if length < 2 or len(payload) < length - 2:
            _malformed(carrier, f"the JPEG is cut inside segment 0x{code:02X}", "jpeg")
            return
        yield code, payload


def _app1(carrier: Carrier, payload: bytes, extended: dict[str, _ExtendedXmp]) -> None:
    if payload.startswith(EXIF_HEADER):
        if carrier.exif is None:
            carrier.exif = payload[len(EXIF_HEADER) :]
    elif payload.startswith(XMP_HEADER):
        if carrier.xmp is not None:
            carrier.findings.append(
                METADATA_MALFORMED.finding(
                    "the JPEG holds more than one standard XMP packet; the last is read, as "
                    "ExifTool and Pillow read it",
                    field="*",
                    part="xmp",
                )
            )
        carrier.xmp = payload[len(XMP_HEADER) :]
    elif payload.startswith(XMP_EXTENSION_HEADER):
        body = payload[len(XMP_EXTENSION_HEADER) :]
        if len(body) < 40:
            return
        guid = body[:32].decode("ascii", "replace")
        total, offset = struct.unpack(">II", body[32:40])
        extended.setdefault(guid, _ExtendedXmp(total)).chunks[offset] = body[40:]


#: FotoStation trailer records end with (type, size including this footer, signature).
_FOTOSTATION_FOOTER = struct.Struct(">HII")
_FOTOSTATION_SIGNATURE = 0xA1B2C3D4
_FOTOSTATION_IPTC = 1
#: An AFCP trailer starts and ends with "AXS!" (big-endian) or "AXS*" (little-endian) records.
_AFCP_MARKS = {b"AXS!": ">", b"AXS*": "<"}
#: Trailer records followed from the end of a file, at most (a hostile file may chain many).
_MAX_TRAILER_RECORDS = 64


def _trailer_iptc(fh: BinaryIO) -> list[tuple[str, bytes]]:
    """IPTC streams that FotoStation or AFCP writers appended after the JPEG's end of image.

    Both trailers are found from the end of the file backwards, as ExifTool finds them: a
    FotoStation record ends with a 10-byte footer (record type, record size, A1B2C3D4); an AFCP
    trailer ends with a 12-byte record pointing back at its header, whose directory lists its
    entries (tag, size, file offset). Anything else at the end of the file ends the search.
    """
    found: list[tuple[str, bytes]] = []
    end = fh.seek(0, 2)
    for _ in range(_MAX_TRAILER_RECORDS):
        tail = _read_at(fh, max(end - 12, 0), min(end, 12))
        if len(tail) >= 10:
            kind, size, signature = _FOTOSTATION_FOOTER.unpack(tail[-10:])
            if signature == _FOTOSTATION_SIGNATURE and 10 <= size <= end:
                if kind == _FOTOSTATION_IPTC:
                    found.append(("FotoStation", _read_at(fh, end - size, size - 10)))
                end -= size
                continue
        order = _AFCP_MARKS.get(tail[:4]) if len(tail) == 12 else None
        if order is None:
            break
        (start,) = struct.unpack(order + "I", tail[4:8])
        if start >= end - 12:
            break
        found.extend(("AFCP", data) for data in _afcp_iptc(fh, start, end, tail[:4], order))
        end = start
    return found


def _afcp_iptc(fh: BinaryIO, start: int, end: int, mark: bytes, order: str) -> list[bytes]:
    """The IPTC entries of the AFCP trailer whose header is at ``start`` (none if it is not)."""
    header = _read_at(fh, start, 12)
    if header[:4] != mark:
        return []
    (count,) = struct.unpack(order + "H", header[6:8])
    directory = _read_at(fh, start + 12, 12 * count)
    entries = [
        struct.unpack(order + "4sII", directory[i : i + 12])
        for i in range(0, len(directory) - 11, 12)
    ]
    return [
        _read_at(fh, offset, size)
        for tag, size, offset in entries
        if tag == b"IPTC" and offset + size <= end
    ]


def _read_at(fh: BinaryIO, offset: int, count: int) -> bytes:
    fh.seek(offset)
    return fh.read(count)


@dataclass
class _ExtendedXmp:
    """The chunks of one extended XMP packet, keyed by their offset in the full packet."""

    total: int
    chunks: dict[int, bytes] = field(default_factory=dict)

    def assemble(self) -> bytes | None:
        data = bytearray()
        for offset in sorted(self.chunks):
            if offset != len(data):
                return None
            data += self.chunks[offset]
        return bytes(data) if len(data) == self.total else None


def image_resources(data: bytes, where: str, findings: list[Finding]):
    """Yield (resource id, payload) of a Photoshop image resource block.

    Layout: signature (8BIM), 2-byte id, Pascal-string name padded to an even size, 4-byte size,
    payload padded to an even size.
    """
    pos, end = 0, len(data)
    while pos + 12 <= end:
        if data[pos : pos + 4] not in RESOURCE_SIGNATURES:
            if data[pos:].strip(b"\x00"):
                findings.append(_resource_damage(f"unknown resource signature in {where}"))
            return
        resource_id = struct.unpack(">H", data[pos + 4 : pos + 6])[0]
        name_length = data[pos + 6]
        pos += 6 + ((name_length + 2) & ~1)
        if pos + 4 > end:
            break
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        pos += 4
        if pos + size > end:
            findings.append(_resource_damage(f"resource 0x{resource_id:04X} in {where} is cut"))
            yield resource_id, data[pos:end]
            return
        yield resource_id, data[pos : pos + size]
        pos += size + (size & 1)
    if data[pos:].strip(b"\x00"):
        findings.append(_resource_damage(f"the Photoshop resources in {where} end abruptly"))


def _resource_damage(message: str) -> Finding:
    return METADATA_MALFORMED.finding(message, field="*", part="photoshop")


# --- PNG -------------------------------------------------------------------------------------


def _png(fh: BinaryIO) -> Carrier:
    carrier = Carrier("PNG")
    fh.read(len(PNG_MAGIC))
    while True:
        head = fh.read(8)
        if len(head) < 8:
            _malformed(carrier, "the PNG ends before its IEND chunk", "png")
            return carrier
        length, kind = struct.unpack(">I4s", head)
        if kind == b"IEND":
            return carrier
        if kind not in _PNG_HANDLERS:
            _skip(fh, length + 4)  # data and CRC
            continue
        if length > MAX_TEXT_CHUNK:
            _malformed(carrier, f"PNG {kind.decode()} chunk of {length} bytes skipped", "png")
            _skip(fh, length + 4)
            continue
        data = fh.read(length)
        if len(data) < length:
            _malformed(carrier, f"the PNG is cut inside its {kind.decode()} chunk", "png")
            return carrier
        _skip(fh, 4)
        _PNG_HANDLERS[kind](carrier, data)


def _skip(fh: BinaryIO, count: int) -> None:
    """Move ``count`` bytes on; past the end means at the end. (A file seeks past its end, a memory
    map refuses: the import reads a map, the linter a file, and both must see the same damage.)"""
    try:
        fh.seek(count, 1)
    except ValueError:
        fh.seek(0, 2)


def _png_header(carrier: Carrier, data: bytes) -> None:
    if len(data) >= 8:
        carrier.width, carrier.height = struct.unpack(">II", data[:8])


def _png_exif(carrier: Carrier, data: bytes) -> None:
    if carrier.exif is None:
        carrier.exif = data.removeprefix(EXIF_HEADER)


def _png_text(carrier: Carrier, data: bytes, kind: bytes) -> None:
    """tEXt, zTXt and iTXt: keep the chunks that carry XMP, EXIF or IPTC."""
    keyword, _, rest = data.partition(b"\x00")
    if keyword not in _PNG_TEXT_KEYWORDS:
        return
    try:
        text = _png_text_value(kind, rest)
    except (ValueError, IndexError, zlib.error) as error:
        carrier.findings.append(
            METADATA_MALFORMED.finding(
                f"PNG text chunk {keyword.decode('latin-1')!r}: {error}", field="*", part="png"
            )
        )
        return
    _PNG_TEXT_KEYWORDS[keyword](carrier, text)


def _png_text_value(kind: bytes, rest: bytes) -> bytes:
    """The text of a tEXt, zTXt or iTXt chunk after its keyword, decompressed."""
    if kind == b"zTXt":
        return _inflate(rest[1:])
    if kind == b"iTXt":
        compressed = rest[0] == 1
        _, _, rest = rest[2:].partition(b"\x00")  # language tag
        _, _, rest = rest.partition(b"\x00")  # translated keyword
        return _inflate(rest) if compressed else rest
    return rest


def _inflate(data: bytes) -> bytes:
    """Decompress a zlib stream, refusing to grow past MAX_TEXT_CHUNK (decompression bombs)."""
    inflater = zlib.decompressobj()
    text = inflater.decompress(data, MAX_TEXT_CHUNK)
    if inflater.unconsumed_tail:
        raise ValueError(f"decompresses to more than {MAX_TEXT_CHUNK} bytes")
    return text


def _raw_profile(text: bytes) -> bytes:
    """Decode ImageMagick's "Raw profile type" text: a name line, a length line, then hex."""
    lines = text.strip(b"\n").split(b"\n", 2)
    if len(lines) < 3:
        raise ValueError("raw profile without length and data")
    size = int(lines[1])
    data = bytes.fromhex(lines[2].replace(b"\n", b"").decode("ascii"))
    if len(data) != size:
        raise ValueError(f"raw profile says {size} bytes but holds {len(data)}")
    return data


def _profile_handler(apply):
    def handle(carrier: Carrier, text: bytes) -> None:
        try:
            data = _raw_profile(text)
        except (ValueError, UnicodeDecodeError) as error:
            carrier.findings.append(
                METADATA_MALFORMED.finding(f"PNG raw profile: {error}", field="*", part="png")
            )
            return
        apply(carrier, data)

    return handle


def _set_xmp(carrier: Carrier, data: bytes) -> None:
    if carrier.xmp is None:
        carrier.xmp = data


def _add_iptc_profile(carrier: Carrier, data: bytes) -> None:
    if data[:4] in RESOURCE_SIGNATURES:
        carrier.add_resources(data, "PNG")
    else:
        carrier.add_iptc(data)


_PNG_TEXT_KEYWORDS = {
    b"XML:com.adobe.xmp": _set_xmp,
    b"Raw profile type xmp": _profile_handler(_set_xmp),
    b"Raw profile type exif": _profile_handler(_png_exif),
    b"Raw profile type APP1": _profile_handler(_png_exif),
    b"Raw profile type iptc": _profile_handler(_add_iptc_profile),
    b"Raw profile type 8bim": _profile_handler(lambda c, d: c.add_resources(d, "PNG")),
}


_PNG_HANDLERS = {
    b"IHDR": _png_header,
    b"eXIf": _png_exif,
    b"tEXt": partial(_png_text, kind=b"tEXt"),
    b"zTXt": partial(_png_text, kind=b"zTXt"),
    b"iTXt": partial(_png_text, kind=b"iTXt"),
}


# --- TIFF ------------------------------------------------------------------------------------

_TIFF_IPTC, _TIFF_XMP, _TIFF_PHOTOSHOP = 33723, 700, 34377
_TIFF_WIDTH, _TIFF_HEIGHT = 256, 257


def _tiff(fh: BinaryIO) -> Carrier:
    from PIL import TiffImagePlugin  # imported on first TIFF: JPEG-only imports start faster

    carrier = Carrier("TIFF", exif_in_file=True)
    header = fh.read(16)
    if header[:4] not in BIGTIFF_MAGICS:
        header = header[:8]  # Pillow wants exactly the 8-byte classic header (16 for BigTIFF)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            directory = TiffImagePlugin.ImageFileDirectory_v2(header)
            fh.seek(directory.next)
            directory.load(fh)
        except (SyntaxError, ValueError, OSError, struct.error) as error:
            _malformed(carrier, f"the TIFF directory cannot be read: {error}", "tiff")
            return carrier
    for warning in caught:
        _malformed(carrier, f"TIFF directory: {warning.message}", "tiff")
    carrier.width = _first(directory.get(_TIFF_WIDTH))
    carrier.height = _first(directory.get(_TIFF_HEIGHT))
    carrier.add_iptc(_tag_bytes(directory, _TIFF_IPTC))
    photoshop = _tag_bytes(directory, _TIFF_PHOTOSHOP)
    if photoshop:
        carrier.add_resources(photoshop, "TIFF")
    carrier.xmp = _tag_bytes(directory, _TIFF_XMP) or None
    return carrier


def _first(value) -> int | None:
    if isinstance(value, tuple):
        value = value[0] if value else None
    return value if isinstance(value, int) else None


def _tag_bytes(directory, tag: int) -> bytes:
    """A tag's data exactly as stored in the file, whatever type the writer declared.

    Photoshop declares the IPTC tag as LONG and Pillow's typed access would return integers (or,
    for a count it does not expect, only the first one), so the raw bytes are taken from the
    directory before decoding - as Pillow's own ``IptcImagePlugin.getiptcinfo`` does.
    """
    return directory._tagdata.get(tag, b"")
