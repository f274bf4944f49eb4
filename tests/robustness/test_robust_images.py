"""Image decoding: only the three formats, never a bomb, never a silently truncated picture.

The pixels are decoded for one thing only, the thumbnail, and only with the Pillow plugin of the
format the file's first bytes announce. A header that declares more pixels than the catalog
decodes (Pillow's warning level, not only its error level) is refused before any decoding; a
truncated image is an error, not a grey-padded preview; the format recorded is the content's,
whatever the name says; a second page or frame is never decoded.
"""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from catalog.analysis.thumbnails import ThumbnailError, make_thumbnail
from tests.robustness import hostile
from tests.robustness.harness import Case

FIL = frozenset


def _truncated_jpeg(path: Path) -> None:
    hostile.truncated(hostile.noise_jpeg(path.with_suffix(".source"), 1), path)
    path.with_suffix(".source").unlink()


def _truncated_png(path: Path) -> None:
    noise = Image.effect_noise((64, 48), 50).convert("RGB")
    noise.save(path, "PNG")
    hostile.truncated(path, path, keep=0.5)


CASES = [
    Case("bomb-png", "bomb.png", hostile.png_bomb, codes=FIL({"FIL020"})),
    Case("bomb-jpeg", "bomb.jpg",
         lambda p: hostile.with_dimensions(hostile.jpeg(p, 1), 65000, 65000),
         codes=FIL({"FIL020"})),
    Case("bomb-at-warning-level", "warning.png",
         lambda p: hostile.png(p, 10_000, 10_000, rows=bytes(4)), codes=FIL({"FIL020"})),
    Case("truncated-jpeg", "truncated.jpg", _truncated_jpeg, codes=FIL({"FIL017"}),
         validated=FIL()),
    Case("truncated-png", "truncated.png", _truncated_png, codes=FIL({"FIL003", "FIL017"}),
         validated=FIL({"FIL003"})),
    Case("png-named-jpg", "png.jpg", lambda p: hostile.png(p, 16, 16), codes=FIL({"FIL002"})),
    Case("jpeg-named-png", "jpeg.png", lambda p: hostile.jpeg(p, 2), codes=FIL({"FIL002"})),
    Case("gif-named-jpg", "gif.jpg", hostile.gif, "skipped", "is a GIF image",
         validated=FIL({"FIL001"})),
    Case("postscript-named-jpg", "eps.jpg", hostile.postscript, "skipped",
         "is not an image the catalog can identify", validated=FIL({"FIL001"})),
    Case("multipage-tiff", "pages.tif", hostile.multipage_tiff),
    Case("animated-png", "frames.png", hostile.animated_png),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_image_has_its_documented_outcome(outcome, case):
    outcome.check(case)


def _asset(outcome, name: str) -> tuple:
    with closing(sqlite3.connect(outcome.db)) as conn:
        return conn.execute(
            "SELECT a.format, a.width, a.height, t.width, t.height, t.jpeg FROM locations l "
            "JOIN assets a ON a.sha256 = l.sha256 LEFT JOIN thumbnails t ON t.sha256 = a.sha256 "
            "WHERE l.path = ?",
            (str(outcome.tree / name),),
        ).fetchone()


@pytest.mark.parametrize("name", ["bomb.png", "bomb.jpg", "warning.png", "truncated.jpg"])
def test_no_thumbnail_is_made_of_a_bomb_or_a_truncated_image(outcome, name):
    assert _asset(outcome, name)[3:] == (None, None, None)


def test_bombs_are_refused_in_no_time(outcome):
    """Three headers declaring 100 megapixels to 40 gigapixels cost nothing: the whole run of
    eleven files stays far below the time any decoding of them would take."""
    assert outcome.imported.seconds < 20


@pytest.mark.parametrize(
    ("name", "real_format"), [("png.jpg", "PNG"), ("jpeg.png", "JPEG"), ("pages.tif", "TIFF")]
)
def test_the_format_recorded_is_the_contents(outcome, name, real_format):
    assert _asset(outcome, name)[0] == real_format


@pytest.mark.parametrize(
    ("name", "colour"), [("pages.tif", (10, 20, 30)), ("frames.png", (0, 90, 0))]
)
def test_only_the_first_page_or_frame_is_decoded(outcome, name, colour):
    """The second page is 400 x 300 and red: size and thumbnail come from the first."""
    _, width, height, *_, jpeg = _asset(outcome, name)
    assert (width, height) == (64, 48)
    pixel = Image.open(io.BytesIO(jpeg)).convert("RGB").getpixel((10, 10))
    assert all(abs(a - b) <= 8 for a, b in zip(pixel, colour, strict=True))


def test_the_thumbnailer_treats_the_bomb_warning_as_an_error(tmp_path):
    """100 megapixels is above Pillow's warning level and below its error level: Pillow alone
    would decode it; the thumbnailer refuses (the readers' FIL020 usually stops it earlier)."""
    data = hostile.png(tmp_path / "warning.png", 10_000, 10_000, rows=bytes(4)).read_bytes()
    with pytest.raises(ThumbnailError, match="DecompressionBomb"):
        make_thumbnail(data, "PNG")


def test_a_truncated_image_is_an_error_even_if_pillow_was_told_to_accept_them(
    monkeypatch, tmp_path
):
    """Pillow's global LOAD_TRUNCATED_IMAGES (which any library in the process may set) would pad
    the picture with grey; the thumbnailer turns it off for its own decoding."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    path = tmp_path / "truncated.jpg"
    _truncated_jpeg(path)
    with pytest.raises(ThumbnailError, match="truncated"):
        make_thumbnail(path.read_bytes(), "JPEG")


def test_pillow_opens_the_file_only_as_the_format_its_first_bytes_announce(tmp_path):
    """A PNG handed over as a JPEG is not decoded by whatever plugin would accept it."""
    data = hostile.png(tmp_path / "x.png", 16, 16).read_bytes()
    with pytest.raises(ThumbnailError, match="cannot identify"):
        make_thumbnail(data, "JPEG")
