"""Thumbnails: small JPEG previews re-encoded from the pixels.

A thumbnail is decoded from the image's pixels and encoded anew, so nothing of the original file
travels with it: no EXIF (GPS), no IPTC, no XMP, no comment, no ICC profile. JPEGs are decoded in
Pillow's draft mode, which lets the JPEG decoder scale by 1/2, 1/4 or 1/8 while decoding - most of
the speed of the whole import. The EXIF orientation is applied, so the preview stands upright.

The pixels are attacker-controlled, so decoding is fenced in:

* Pillow opens the file only with the plugin of the format the readers identified from its first
  bytes (``formats=``): no other plugin - and never Ghostscript, behind EPS - sees the file because
  of what its content claims to be;
* an image of more than ``MAX_IMAGE_PIXELS`` is refused: Pillow's decompression-bomb *warning* is
  an error here, not only its error at twice the limit (the readers report it as ``FIL020``);
* a truncated image is an error (Pillow's ``LOAD_TRUNCATED_IMAGES`` stays off), never a preview
  padded with grey;
* only the first frame of a multi-page TIFF or an animated PNG is decoded;
* a PNG's compressed text and ICC profile chunks may decompress to ``MAX_TEXT_CHUNK`` (64 MB, what
  the readers accept) rather than Pillow's default 1 MB, which refused real files with a large
  ICC profile or text as if their pixels were undecodable; the bound stays, against zlib bombs.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageFile, ImageOps, PngImagePlugin

from catalog.core.file_rules import MAX_IMAGE_PIXELS
from catalog.readers import as_file
from catalog.readers.containers import MAX_TEXT_CHUNK

#: Longest side of a thumbnail, in pixels.
THUMBNAIL_SIZE = 256
JPEG_QUALITY = 80


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """The JPEG preview, and the perceptual hash of the same pixels (``picture_hash``)."""

    width: int
    height: int
    jpeg: bytes
    picture_hash: str


def picture_hash(image: Image.Image) -> str:
    """The 64-bit difference hash (``imagehash.dhash``, 16 hex digits) of an image: a few bits
    apart for one picture saved as JPEG, TIFF or PNG or at another size, far apart for two pictures
    (``catalog.core.collection.same_picture`` decides). Of imagehash's hashes it kept derivatives
    closest and different photos furthest on the development corpus (see ``SAME_PICTURE_BITS``).
    Taken from the thumbnail's pixels, already decoded and small: about a millisecond."""
    import imagehash  # numpy: loaded by the workers that decode, not by every command

    return str(imagehash.dhash(image))


class ThumbnailError(ValueError):
    """The pixels could not be decoded into a thumbnail; the message says why."""


def make_thumbnail(
    data: bytes | BinaryIO, file_format: str, size: int = THUMBNAIL_SIZE
) -> Thumbnail:
    """A JPEG thumbnail of the ``file_format`` (JPEG, PNG or TIFF) image in ``data`` (its bytes,
    or a file object to read them from), at most ``size`` pixels on its long side."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    PngImagePlugin.MAX_TEXT_CHUNK = MAX_TEXT_CHUNK
    PngImagePlugin.MAX_TEXT_MEMORY = 4 * MAX_TEXT_CHUNK  # all text chunks of one file together
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # metadata damage: the readers report it
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(as_file(data), formats=(file_format,)) as image:
                if image.format == "JPEG":
                    image.draft("RGB", (size, size))
                    image.thumbnail((size, size), reducing_gap=None)
                else:
                    image.thumbnail((size, size), reducing_gap=2.0)
                small = ImageOps.exif_transpose(image)
    except MemoryError:
        raise  # the worker's memory limit: the pool records it
    except Exception as error:  # any decoder failure means the same thing: no pixels
        raise ThumbnailError(f"{type(error).__name__}: {error}") from error
    if small.mode not in ("RGB", "L"):
        small = small.convert("RGB")
    small.info = {}  # nothing of the original's metadata may be written back
    out = io.BytesIO()
    small.save(out, "JPEG", quality=JPEG_QUALITY)
    return Thumbnail(small.width, small.height, out.getvalue(), picture_hash(small))
