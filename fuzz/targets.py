"""One fuzz target per parser of untrusted text: bytes in, no exception out.

Each target turns libFuzzer's bytes into the input its parser takes (text decoded as UTF-8 with
replacement, as the readers decode files) and calls the parser; any exception is a crash that
atheris reports with the input that caused it. The file-based readers (sidecar, manifest) write
the input into one scratch folder, as they read files.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from catalog.core.caption import check_caption, closing_credit, find_caption_date
from catalog.core.credit import check_credit, parse_byline
from catalog.core.virin import parse_virin, virin_in_filename
from catalog.readers import read_asset
from catalog.readers.article import parse_article
from catalog.readers.iptc import read_iptc
from catalog.readers.manifest import read_manifest
from catalog.readers.sidecar import read_json_sidecar
from catalog.readers.xmp import read_xmp
from catalog.schemas import default_tables
from catalog.web.csv_safe import CsvRewriter

TABLES = default_tables()
#: The date the VIRIN rules check against; fixed, so a failure replays the same way.
TODAY = dt.date(2025, 6, 1)
SCRATCH = Path(tempfile.mkdtemp(prefix="catalog-fuzz-"))
(SCRATCH / "a.jpg").write_bytes(b"")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def virin(data: bytes) -> None:
    text = _text(data)
    parse_virin(text, tables=TABLES, today=TODAY)
    virin_in_filename(text)


def credit(data: bytes) -> None:
    text = _text(data)
    check_credit(text, virin_service="F", tables=TABLES)
    parse_byline(text, tables=TABLES)


def caption(data: bytes) -> None:
    text = _text(data)
    find_caption_date(text, tables=TABLES)
    closing_credit(text, tables=TABLES)
    check_caption(text, tables=TABLES)


def sidecar(data: bytes) -> None:
    path = SCRATCH / "a.json"
    path.write_bytes(data)
    read_json_sidecar(path)


def manifest(data: bytes) -> None:
    path = SCRATCH / "m.csv"
    path.write_bytes(b"file,virin,caption,keywords,date_created,gps_latitude\n" + data)
    read_manifest(path)


def article(data: bytes) -> None:
    parse_article(_text(data), name="page.txt")


def iptc(data: bytes) -> None:
    read_iptc([data], tables=TABLES)


def xmp(data: bytes) -> None:
    read_xmp(data)


def csv(data: bytes) -> None:
    rewriter = CsvRewriter()
    rewriter.feed(data[: len(data) // 2])
    rewriter.feed(data[len(data) // 2 :], final=True)


def image(data: bytes) -> None:
    """A whole image file (JPEG, TIFF, PNG structure, EXIF, IPTC, XMP): damage must become the
    readers' own findings, never the safety net's "could not be read"."""
    metadata = read_asset(SCRATCH / "image.jpg", data=data, tables=TABLES)
    netted = [f.message for f in metadata.findings if "could not be read" in f.message]
    if netted:
        raise AssertionError(netted)


TARGETS: dict[str, Callable[[bytes], None]] = {
    target.__name__: target
    for target in (virin, credit, caption, sidecar, manifest, article, iptc, xmp, csv, image)
}
#: Files of the sample collection (patterns under assets/) that start a target's corpus.
SEEDS: dict[str, tuple[str, ...]] = {
    "sidecar": ("**/*.json",),
    "manifest": ("manifest.csv",),
    "article": ("article.txt",),
    "xmp": ("**/*.xmp",),
    "csv": ("manifest.csv",),
    "image": ("photos/*.jpg", "photos/*.tif", "photos/*.png", "mistakes/*"),
}
