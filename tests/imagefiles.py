"""Test images written from code: Pillow makes the pixels, the real ExifTool writes the metadata.

No binary fixture is committed: every test file is built here, so the bytes under test are the ones
a widely used writer produces, and the hard cases real files show (several APP13 segments, two
IPTC blocks, a UTF-8 character cut at the IIM limit) are made from ExifTool's own output.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

from PIL import Image

from catalog.readers.xmp import NAMESPACES

#: The pixel size of every test image: not square, so width and height cannot be swapped unseen.
SIZE = (64, 48)
SUFFIX = {"JPEG": ".jpg", "TIFF": ".tif", "PNG": ".png"}
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: Every namespace of the record's XMP properties, bound under its usual prefix.
XMP_BINDINGS = " ".join(f"xmlns:{prefix}='{uri}'" for prefix, uri in NAMESPACES.items())


def blank(path: Path, file_format: str = "JPEG") -> Path:
    """A small image without metadata (Pillow writes none unless asked)."""
    Image.new("RGB", SIZE, (90, 120, 150)).save(path, file_format)
    return path


def exiftool_write(path: Path, *args: str) -> Path:
    """Write metadata with ExifTool (``-m``: accept the non-standard, as real files do)."""
    command = ["exiftool", "-q", "-q", "-m", "-overwrite_original", *args, str(path)]
    subprocess.run(command, check=True, capture_output=True)
    return path


def image_with(tmp: Path, name: str, file_format: str, *args: str) -> Path:
    """A new image of ``file_format`` named ``name`` with the metadata ``args`` written."""
    return exiftool_write(blank(tmp / f"{name}{SUFFIX[file_format]}", file_format), *args)


def xmp_packet(body: str = "", attributes: str = "") -> bytes:
    """An XMP packet as writers wrap it: one ``rdf:Description`` with ``attributes`` (simple
    properties) and ``body`` (property elements), the usual prefixes bound."""
    return (
        f"<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='{RDF_NS}'>"
        f"<rdf:Description rdf:about='' {XMP_BINDINGS} {attributes}>{body}</rdf:Description>"
        f"</rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def patch(path: Path, old: bytes, new: bytes) -> Path:
    """Replace bytes in place (same length, exactly one occurrence): damage ExifTool won't write."""
    data = path.read_bytes()
    assert len(old) == len(new) and data.count(old) == 1, (old, new)
    path.write_bytes(data.replace(old, new))
    return path


def jpeg_segments(path: Path) -> list[tuple[int, bytes]]:
    """(marker, payload) of the segments of a JPEG up to its image data."""
    data = path.read_bytes()
    pos, segments = 2, []
    while data[pos + 1] != 0xDA:
        marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return segments


def replace_app13(path: Path, payloads: list[bytes]) -> Path:
    """Swap the file's APP13 segments for ``payloads`` (each one segment, in order)."""
    data = path.read_bytes()
    head, pos = [data[:2]], 2
    while data[pos + 1] != 0xDA:
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if data[pos + 1] != 0xED:
            head.append(data[pos : pos + 2 + length])
        pos += 2 + length
    segments = [b"\xff\xed" + struct.pack(">H", len(p) + 2) + p for p in payloads]
    path.write_bytes(b"".join(head[:1] + segments + head[1:]) + data[pos:])
    return path


def resource(resource_id: int, data: bytes) -> bytes:
    """One Photoshop image resource (8BIM, id, empty name, size, data padded to even)."""
    pad = b"\x00" if len(data) % 2 else b""
    return b"8BIM" + struct.pack(">HHI", resource_id, 0, len(data)) + data + pad
