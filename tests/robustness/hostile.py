"""Hostile inputs, built in code: every byte of every broken or malicious file is written here.

No binary fixture is committed. Each builder writes one input whose damage is stated in its
docstring, from parts small enough to read: a JPEG from Pillow, then an EXIF block, an IPTC
stream, an XMP packet or PNG chunks assembled with ``struct`` and ``zlib``, the way a crafted file
is assembled. ``tests/robustness/test_robust_*.py`` run the real importer and linter over them.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import zlib
from pathlib import Path

from PIL import Image

from tests.imagefiles import replace_app13, resource

# --- plain images -------------------------------------------------------------------------------


def jpeg(path: Path, shade: int = 0, size: tuple[int, int] = (64, 48)) -> Path:
    """A small valid JPEG without metadata; ``shade`` makes its content (and hash) distinct."""
    colour = ((40 + shade * 37) % 256, (80 + shade * 91) % 256, (120 + shade * 53) % 256)
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


def noise_jpeg(path: Path, seed: int, size: tuple[int, int] = (800, 600)) -> Path:
    """A photo-like JPEG (noise compresses badly), so cutting it short cuts its image data."""
    noise = Image.effect_noise((size[0] // 4, size[1] // 4), 30 + seed).resize(size)
    Image.merge("RGB", (noise, noise.rotate(90 + seed), noise)).save(path, "JPEG", quality=90)
    return path


def truncated(source: Path, path: Path, keep: float = 0.6) -> Path:
    """``source`` cut after ``keep`` of its bytes: a download or copy that stopped."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


# --- JPEG segments ------------------------------------------------------------------------------


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def with_app1(path: Path, payload: bytes) -> Path:
    """Insert an APP1 segment (EXIF or XMP) right after the SOI marker of the JPEG at ``path``."""
    data = path.read_bytes()
    path.write_bytes(data[:2] + _segment(0xE1, payload) + data[2:])
    return path


def with_dimensions(path: Path, width: int, height: int) -> Path:
    """Rewrite the frame header (SOF0) of the JPEG at ``path`` to declare another pixel size."""
    data = bytearray(path.read_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    path.write_bytes(bytes(data))
    return path


# --- EXIF (a TIFF structure) -------------------------------------------------------------------

ASCII, SHORT, LONG, RATIONAL = 2, 3, 4, 5
_SIZES = {ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8}
ARTIST, GPS_IFD = 0x013B, 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE = 1, 2


def exif_block(
    ifd0: list[tuple[int, int, int, bytes]],
    gps: list[tuple[int, int, int, bytes]] | None = None,
    *,
    next_ifd: int = 0,
) -> bytes:
    """A little-endian EXIF block: IFD0, an optional GPS IFD, then the values too long to inline.

    Entries are (tag, type, count, value bytes); the count is written as given, so it may lie.
    ``next_ifd`` is IFD0's link to the next IFD (0: none) - an offset into the block.
    """
    ifd0 = list(ifd0)
    gps_offset = 8 + 2 + 12 * (len(ifd0) + (gps is not None)) + 4
    if gps is not None:
        ifd0.append((GPS_IFD, LONG, 1, struct.pack("<I", gps_offset)))
    data_offset = gps_offset + (2 + 12 * len(gps) + 4 if gps is not None else 0)
    area = bytearray()

    def directory(entries, link: int) -> bytes:
        out = bytearray(struct.pack("<H", len(entries)))
        for tag, kind, count, value in sorted(entries):
            if len(value) <= 4:
                field = value.ljust(4, b"\x00")
            else:
                field = struct.pack("<I", data_offset + len(area))
                area.extend(value)
            out += struct.pack("<HHI", tag, kind, count) + field
        return bytes(out + struct.pack("<I", link))

    head = b"II*\x00" + struct.pack("<I", 8)
    body = directory(ifd0, next_ifd)
    if gps is not None:
        body += directory(gps, 0)
    return head + body + bytes(area)


def rational(*pairs: tuple[int, int]) -> bytes:
    return b"".join(struct.pack("<II", n, d) for n, d in pairs)


def exif_jpeg(path: Path, block: bytes, shade: int = 0) -> Path:
    """A JPEG carrying ``block`` as its EXIF (APP1 ``Exif\\0\\0``)."""
    return with_app1(jpeg(path, shade), b"Exif\x00\x00" + block)


def gps_latitude(degrees: tuple[int, int], minutes: tuple[int, int] = (0, 1)) -> bytes:
    """An EXIF block whose GPS latitude is ``degrees`` (numerator, denominator) north."""
    gps = [
        (GPS_LATITUDE_REF, ASCII, 2, b"N\x00"),
        (GPS_LATITUDE, RATIONAL, 3, rational(degrees, minutes, (0, 1))),
    ]
    return exif_block([(ARTIST, ASCII, 6, b"Parra\x00")], gps)


def ifd_loop() -> bytes:
    """IFD0 links to an IFD1 that links back to IFD0: a walker that trusts links never ends."""
    ifd0 = [(ARTIST, ASCII, 6, b"Parra\x00")]
    ifd1_offset = 8 + 2 + 12 * len(ifd0) + 4 + 6  # after IFD0 and its one out-of-line value
    block = bytearray(exif_block(ifd0, next_ifd=ifd1_offset))
    block += struct.pack("<H", 1) + struct.pack("<HHI", ARTIST, ASCII, 4) + b"Doe\x00"
    block += struct.pack("<I", 8)  # back to IFD0
    return bytes(block)


def giant_count() -> bytes:
    """An ASCII tag whose count claims 2 GiB of text, pointing past the end of the block."""
    return exif_block([(ARTIST, ASCII, 0x7FFFFFFF, struct.pack("<I", 0x7FFFFF00))])


def undecodable_artist() -> bytes:
    """An EXIF Artist in bytes that are not UTF-8 (EXIF ASCII is 7-bit; cameras write Latin-1)."""
    value = b"Sgt. Jos\xe9 N\xfa\xf1ez \xff\xfe\x00"
    return exif_block([(ARTIST, ASCII, len(value), value)])


# --- IPTC-IIM ----------------------------------------------------------------------------------


def iim(*datasets: tuple[int, int, bytes]) -> bytes:
    """An IIM stream of (record, dataset, value) with plain 2-byte lengths."""
    return b"".join(
        b"\x1c" + bytes([record, number]) + struct.pack(">H", len(value)) + value
        for record, number, value in datasets
    )


def iptc_jpeg(path: Path, stream: bytes, shade: int = 0) -> Path:
    """A JPEG carrying the IIM ``stream`` in a Photoshop APP13 resource 0x0404."""
    return replace_app13(jpeg(path, shade), [b"Photoshop 3.0\x00" + resource(0x0404, stream)])


UTF8_MARKER = (1, 90, b"\x1b%G")


def huge_dataset_length() -> bytes:
    """A caption dataset whose extended length claims 4 GiB in a block of a few bytes."""
    return iim((2, 5, b"220215-F-DU706-1241")) + b"\x1c\x02\x78\x80\x04\xff\xff\xff\xff" + b"x"


# --- XMP ---------------------------------------------------------------------------------------


def xmp_text(properties: dict[str, str]) -> str:
    """An XMP packet whose one ``rdf:Description`` has ``properties`` (``photoshop:City`` ...) as
    attributes, written as given (so an entity reference stays a reference)."""
    attributes = " ".join(f"{name}='{value}'" for name, value in properties.items())
    return (
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
        "xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
        f"xmlns:dc='http://purl.org/dc/elements/1.1/' {attributes}/></rdf:RDF></x:xmpmeta>"
    )


def billion_laughs() -> bytes:
    """XMP with nested entities: ten levels of ten make 10^10 "lol"s from a few hundred bytes."""
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    packet = xmp_text({"photoshop:City": "&l9;"})
    return f"<?xml version='1.0'?><!DOCTYPE x [{entities}]>{packet}".encode()


def external_entity(target: Path) -> bytes:
    """XMP whose City is an external entity: a parser that resolves it reads ``target``."""
    dtd = f'<!DOCTYPE x [<!ENTITY secret SYSTEM "file://{target}">]>'
    return f"<?xml version='1.0'?>{dtd}{xmp_text({'photoshop:City': '&secret;'})}".encode()


def xmp_jpeg(path: Path, packet: bytes, shade: int = 0) -> Path:
    """A JPEG carrying ``packet`` as its XMP (APP1 with the Adobe XMP namespace header)."""
    return with_app1(jpeg(path, shade), b"http://ns.adobe.com/xap/1.0/\x00" + packet)


# --- PNG ---------------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(
    path: Path, width: int, height: int, *, rows: bytes | None = None, chunks: list[bytes] = ()
) -> Path:
    """An 8-bit RGB PNG of the declared size. ``rows`` is the raw scanline data (filter byte
    first); None writes an all-black image, streamed through zlib so its size costs no memory."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if rows is None:
        compressor, parts = zlib.compressobj(9), []
        line = bytes(1 + 3 * width)
        parts += [compressor.compress(line) for _ in range(height)]
        rows = b"".join(parts) + compressor.flush()
    else:
        rows = zlib.compress(rows)
    body = header + b"".join(chunks) + png_chunk(b"IDAT", rows) + png_chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def png_bomb(path: Path, width: int = 200_000, height: int = 200_000) -> Path:
    """A PNG of a few hundred bytes declaring ``width`` x ``height`` pixels (40 gigapixels):
    one empty scanline of image data, so it costs nothing to build and a fortune to decode."""
    return png(path, width, height, rows=bytes(1 + 3 * 1))


def xmp_png(path: Path, packet: bytes) -> Path:
    """A small PNG whose XMP (zTXt ``XML:com.adobe.xmp``, compressed) is ``packet``."""
    chunk = png_chunk(b"zTXt", b"XML:com.adobe.xmp\x00\x00" + zlib.compress(packet, 9))
    return png(path, 16, 16, chunks=[chunk])


def huge_xmp(elements: int) -> bytes:
    """A well-formed XMP packet of ``elements`` keywords: megabytes that compress to kilobytes."""
    items = "<rdf:li>keyword</rdf:li>" * elements
    return (
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
        "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:subject><rdf:Bag>"
        f"{items}</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


# --- other formats named like images ------------------------------------------------------------


def gif(path: Path) -> Path:
    """A real GIF, named like a JPEG."""
    Image.new("P", (8, 8)).save(path, "GIF")
    return path


def postscript(path: Path) -> Path:
    """Encapsulated PostScript named like a JPEG: Pillow's EPS plugin would hand it to
    Ghostscript, an interpreter of a full programming language, if it ever saw the file."""
    path.write_text(
        "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 8 8\n"
        "newpath 0 0 moveto 8 8 lineto stroke showpage\n%%EOF\n"
    )
    return path


def multipage_tiff(path: Path) -> Path:
    """A TIFF of two pages: 64 x 48, then 400 x 300 in red. Only the first is the image."""
    first = Image.new("RGB", (64, 48), (10, 20, 30))
    second = Image.new("RGB", (400, 300), (200, 0, 0))
    first.save(path, "TIFF", save_all=True, append_images=[second])
    return path


def animated_png(path: Path) -> Path:
    """An APNG of two frames of 64 x 48: only the first is decoded."""
    frames = [Image.new("RGB", (64, 48), colour) for colour in ((0, 90, 0), (200, 0, 0))]
    frames[0].save(path, "PNG", save_all=True, append_images=frames[1:])
    return path


# --- sidecars and manifests ----------------------------------------------------------------------


def json_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def deep_json(levels: int = 100_000) -> str:
    """An object nested ``levels`` deep: a recursive parser runs out of stack."""
    return '{"caption": ' + "[" * levels + "]" * levels + "}"


def large_json(megabytes: int = 2) -> str:
    """A valid sidecar larger than the limit: one enormous caption."""
    return json.dumps({"caption": "x" * (megabytes << 20)})


# --- file system oddities ------------------------------------------------------------------------


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> Path:
    """A listening-socket file (the socket itself is closed; the file stays)."""
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(os.fspath(path))
    return path


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that uses no disk (a hole), starting with a JPEG marker."""
    with path.open("wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(size)
    return path


# --- a corpus to interrupt -----------------------------------------------------------------------


def photo(path: Path, index: int, size: tuple[int, int] = (1200, 900)) -> Path:
    """A photo-sized JPEG with an IPTC record (VIRIN, caption, keywords - ``cargo`` on every
    third - and a release status): enough work per file for an import to be caught mid-flight."""
    noise_jpeg(path, index, size)
    keywords = [b"C-17", b"cargo"] if index % 3 == 0 else [b"training"]
    stream = iim(
        UTF8_MARKER,
        (2, 5, f"220215-F-DU706-{1001 + index}".encode()),
        *((2, 25, keyword) for keyword in keywords),
        (2, 40, b"Released" if index % 2 else b"Not Released"),
        (2, 120, f"Airmen load cargo, photo {index}, Feb. 15, 2022.".encode()),
    )
    return replace_app13(path, [b"Photoshop 3.0\x00" + resource(0x0404, stream)])
