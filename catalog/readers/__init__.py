"""Metadata readers: a file and what travels with it become one record with known provenance.

``read_asset`` is the one entry point, used by the importer and the linter alike. It reads, for one
image file:

* what the file embeds: EXIF (exifread), IPTC-IIM and XMP, located in the JPEG, TIFF or PNG
  structure without decoding pixels (``containers``, ``exif``, ``iptc``, ``xmp``);
* its sidecars: ``IMG.xmp`` / ``IMG.jpg.xmp`` and ``IMG.json`` (``sidecar``);
* its row of a CSV manifest, when the caller read one (``manifest.read_manifest``);
* the DoD article block with the same VIRIN, when the caller read articles
  (``article.read_article`` and ``article.index_by_virin``);

and merges them field by field with the precedence of ``catalog.core.merge`` (JSON sidecar,
manifest, XMP sidecar, EXIF, XMP, IPTC - IPTC ahead of XMP when the IPTC digest shows the IIM was
edited later - then article text). Every value is kept with its source; every disagreement is a
finding. Damage is reported as findings; only a file that cannot be opened raises ``ReadError``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO, TypeVar

from catalog.core.codes import CodeTables
from catalog.core.file_rules import (
    EXTENSION_MISMATCH,
    FILE_UNSUPPORTED,
    IMAGE_TOO_LARGE,
    MAX_IMAGE_PIXELS,
    METADATA_MALFORMED,
)
from catalog.core.findings import Finding
from catalog.core.merge import (
    SourcedValue,
    SourceValues,
    compare_filename_virin,
    merge,
    virin_key,
)
from catalog.core.record import AssetRecord
from catalog.core.virin import virin_in_filename
from catalog.files.untrusted import open_untrusted
from catalog.readers.article import ArticleRecord
from catalog.readers.containers import Carrier, identify, locate, sniff
from catalog.readers.exif import read_exif
from catalog.readers.fields import Collector
from catalog.readers.iptc import read_iptc
from catalog.readers.manifest import ManifestRow
from catalog.readers.sidecar import json_sidecar, read_json_sidecar, read_xmp_sidecar, xmp_sidecars
from catalog.readers.xmp import read_xmp
from catalog.schemas import default_tables

T = TypeVar("T")

__all__ = ["AssetMetadata", "ReadError", "SourcedValue", "read_asset"]

#: File name extensions expected for each format (lower case).
EXTENSIONS = {
    "JPEG": (".jpg", ".jpeg", ".jpe"),
    "TIFF": (".tif", ".tiff"),
    "PNG": (".png",),
}


class ReadError(OSError):
    """A file that cannot be opened or read at all. The message names the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path


@dataclass(frozen=True)
class AssetMetadata:
    """Everything read about one image file.

    ``record`` is the merged record; ``sources`` maps each record field it sets to the label of the
    source that won (``xmp``, ``iptc``, ``exif``, ``sidecar-json:IMG.json``,
    ``manifest:photos.csv#12``, ``article:seed.txt#1`` ...); ``values`` holds every value of every
    source, including rejected ones (with their ``error``); ``findings`` what the readers and the
    merge found. ``format`` (JPEG, TIFF, PNG, or None when unsupported), ``width`` and ``height``
    come from the file's content.
    """

    path: Path
    format: str | None
    width: int | None
    height: int | None
    record: AssetRecord
    sources: dict[str, str]
    values: tuple[SourcedValue, ...]
    findings: tuple[Finding, ...]


def read_asset(
    path: Path,
    *,
    data: bytes | BinaryIO | None = None,
    manifest_rows: Mapping[Path, ManifestRow] | None = None,
    article_records: Mapping[str, ArticleRecord] | None = None,
    tables: CodeTables | None = None,
) -> AssetMetadata:
    """Read and merge the metadata of the image at ``path``.

    ``manifest_rows`` are rows of manifests by resolved file path (``Manifest.rows``);
    ``article_records`` article records by VIRIN (``article.index_by_virin``). The VIRIN in the
    file name is compared with the merged VIRIN (a finding when they differ) and may select the
    article block, but never becomes the record's VIRIN. The file is only read, never written.
    ``data``, when given, is the file's content as bytes or an open file object, already opened by
    the caller (the importer hashes and thumbnails the same content): the file is not opened
    again. Without it the file is opened as every untrusted file is (``open_untrusted``: never
    through a link, never a FIFO). ``tables`` are the code tables in force (the IIM byte limits);
    the commands pass the ones they loaded. Left out, the shipped tables are used:
    ``read_asset(path)`` is the public API for reading one image, and this is its one default -
    nothing below it has any.
    """
    tables = default_tables() if tables is None else tables
    path = Path(path)
    findings: list[Finding] = []
    try:
        given = None if data is None else contextlib.nullcontext(as_file(data))
        with given or open_untrusted(path, None) as handle:
            carrier, sources = _embedded(path, handle, tables, findings)
    except OSError as error:
        raise ReadError(path, error.strerror or str(error)) from error
    sources.extend(_beside(path, manifest_rows, findings))
    name_virin = virin_in_filename(path.name)
    article = _article(sources, name_virin, article_records)
    if article is not None:
        sources.append(article.source)
    merged = merge(sources, iim_edited=_iim_edited(carrier, sources), tables=tables)
    differs = compare_filename_virin(merged.record.virin, name_virin)
    named = (SourcedValue("virin", "filename", name_virin),) if name_virin else ()
    return AssetMetadata(
        path=path,
        format=carrier.format if carrier else None,
        width=carrier.width if carrier else None,
        height=carrier.height if carrier else None,
        record=merged.record,
        sources=merged.sources,
        values=(*merged.values, *named),
        findings=(*findings, *merged.findings, *((differs,) if differs else ())),
    )


def as_file(data: bytes | BinaryIO) -> BinaryIO:
    """A file object reading ``data`` from its start (a file object is rewound, not copied)."""
    if isinstance(data, bytes):
        return io.BytesIO(data)
    data.seek(0)
    return data  # type: ignore[return-value]


def _embedded(
    path: Path, handle: BinaryIO, tables: CodeTables, findings: list[Finding]
) -> tuple[Carrier | None, list[SourceValues]]:
    """The carrier and the embedded sources (EXIF, IPTC, XMP) of an open file."""
    file_format = sniff(handle.read(16))
    if file_format is None:
        found = identify(handle)
        what = f"a {found} image" if found else "not an image the catalog can identify"
        findings.append(FILE_UNSUPPORTED.finding(f"{path.name} is {what}", field="*"))
        return None, []
    carrier = _guarded(lambda: locate(handle, file_format), "container", findings)
    carrier = carrier or Carrier(file_format)
    findings.extend(carrier.findings)
    if carrier.width and carrier.height and carrier.width * carrier.height > MAX_IMAGE_PIXELS:
        findings.append(
            IMAGE_TOO_LARGE.finding(
                f"{path.name} declares {carrier.width} x {carrier.height} pixels, more than the "
                f"{MAX_IMAGE_PIXELS:,} the catalog decodes: its pixels are not decoded",
                field="*",
                width=carrier.width,
                height=carrier.height,
            )
        )
    if path.suffix.lower() not in EXTENSIONS[file_format]:
        findings.append(
            EXTENSION_MISMATCH.finding(
                f"{path.name} holds {file_format} data", field="*", format=file_format
            )
        )
    readers: list[tuple[str, Callable[[], SourceValues]]] = []
    if carrier.exif is not None or carrier.exif_in_file:
        readers.append(("exif", lambda: read_exif(carrier.exif or handle)))
    if carrier.iptc:
        readers.append(("iptc", lambda: read_iptc(carrier.iptc, tables=tables)))
    if carrier.xmp is not None:
        readers.append(("xmp", lambda: read_xmp(carrier.xmp, extended=carrier.xmp_extended)))
    release = ("iptc", "xmp")  # EXIF says nothing about release
    sources = [
        _guarded(read, part, findings, lost=part if part in release else None)
        for part, read in readers
    ]
    return carrier, [source for source in sources if source is not None]


def _beside(
    path: Path, manifest_rows: Mapping[Path, ManifestRow] | None, findings: list[Finding]
) -> list[SourceValues]:
    """Sources that travel with the file: sidecars and its manifest row."""
    reads: list[tuple[str, Callable[[], SourceValues]]] = [
        (f"sidecar-xmp:{sidecar.name}", partial(read_xmp_sidecar, sidecar))
        for sidecar in xmp_sidecars(path)
    ]
    sidecar = json_sidecar(path)
    if sidecar is not None:
        reads.append((f"sidecar-json:{sidecar.name}", partial(read_json_sidecar, sidecar)))
    sources = [_guarded(read, "sidecar", findings, lost=label) for label, read in reads]
    if manifest_rows:
        row = manifest_rows.get(path.resolve())
        if row is not None:
            sources.append(row.source)
    return [source for source in sources if source is not None]


def _article(
    sources: list[SourceValues],
    name_virin: str | None,
    article_records: Mapping[str, ArticleRecord] | None,
) -> ArticleRecord | None:
    """The article block with the VIRIN a source gives or, failing that, the file name gives.

    The file name may *match* an article block (an image saved from a DoD page is named after its
    VIRIN); the VIRIN value itself then comes from the article, not from the name.
    """
    if not article_records:
        return None
    candidates = [s.values["virin"] for s in sources if s.values.get("virin")]
    for virin in [*candidates, *([name_virin] if name_virin else [])]:
        record = article_records.get(virin_key(virin))
        if record is not None:
            return record
    return None


def _iim_edited(carrier: Carrier | None, sources: list[SourceValues]) -> bool:
    """Whether the stored IPTC digest no longer matches the IIM (and there is XMP to demote)."""
    if carrier is None or carrier.iptc_digest is None or not carrier.iptc:
        return False
    if not any(source.kind == "xmp" for source in sources):
        return False
    # TIFF pads the IPTC tag to whole LONGs; writers digest the data with or without the padding
    block = carrier.iptc[0]
    digests = {hashlib.md5(block).digest(), hashlib.md5(block.rstrip(b"\x00")).digest()}
    return carrier.iptc_digest not in digests


def _guarded(
    read: Callable[[], T], part: str, findings: list[Finding], *, lost: str | None = None
) -> T | SourceValues | None:
    """Run one reader; an unexpected exception becomes a finding so the import goes on.

    The readers turn every damage they know into findings; this net catches what they do not
    know yet (the brief: a parser of untrusted input never raises). I/O errors still propagate,
    and so does running out of memory: the worker's limit, which the import records for the file.
    A source lost this way that could speak about release (``lost``: its label; IPTC, XMP and
    sidecars) is kept as a source that could not be used, so the release decision fails closed.
    """
    try:
        return read()
    except (OSError, MemoryError):
        raise
    except Exception as error:
        reason = f"{part} could not be read: {type(error).__name__}: {error}"
        findings.append(METADATA_MALFORMED.finding(reason, field="*", part=part))
        if lost is None:
            return None
        source = Collector(lost.partition(":")[0], lost)
        source.unusable(reason)
        return source.result()
