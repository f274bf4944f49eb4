"""``publish``: the public catalog, built as a new file from an allow-list. It fails closed.

The public file is *built*, never *trimmed*: a copy of the internal catalog with the unreleased rows
deleted would still hold them in free pages, in the full-text index's shadow tables and in the
journal. So a new SQLite file is created next to the destination, only allow-listed columns of
allow-listed tables of admitted assets are written into it, the full-text index is built over what
was written, and the finished file replaces the destination atomically. An excluded asset is never
written, so no trace of it can be anywhere in the file.

An asset is admitted only when all of these hold (anything missing or unclear keeps it out):

* the store's decision: ``publishable = 1``, ``release_status = 'Released'`` and a public
  ``classification_marking``;
* the same decision taken again from every stored release and classification value of every
  source (``field_values``) with ``catalog.core.release.decide_release``: each value must be a
  known term after the one documented normalization (``codes.normalize_term``: NFKC, surrounding
  white space and one trailing full stop removed, inner white space collapsed, case folded; the
  vocabulary is ``schemas/tables/release.toml``), they must agree, and no value may be unusable;
* no release error (unknown term, conflicting sources, restrictive marking) at any location of the
  content, since a copy elsewhere can come with its own sidecar;
* no error-level finding of any other kind (an invalid or placeholder VIRIN, no credit, pixels
  that cannot be decoded ...) unless its code is among ``allow_errors``: the quality gate, one
  set-based query (``Catalog.error_codes``);
* every file it was read from is unchanged since the import (``catalog.publish.recheck``).

Every asset held back is reported with the reason (``PublishReport.held``), the assets the store
already decided not to publish included.

What is written (``PUBLIC_TABLES``): the descriptive record (VIRIN, title, caption, credit,
photographer, keywords, place names, dates, camera), the VIRIN and credit parts, and the canonical
release status and marking. Never written: GPS, EXIF date-time (its time and UTC offset tell where
and when a unit was), EXIF artist and copyright and the caption writer (free text where contact
data lives), file paths and stat data, import runs, the source of each value (sidecar and
manifest names), findings and their counts (internal quality control, and messages quote values),
and the store's row ids (their gaps would count the excluded assets). Thumbnails are decoded and
encoded again from their pixels, so no byte of metadata can travel with them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from catalog.analysis.thumbnails import JPEG_QUALITY, THUMBNAIL_SIZE
from catalog.core.codes import CodeTables
from catalog.core.release import decide_release
from catalog.publish.recheck import changed_assets
from catalog.store.catalog import Catalog, CatalogDamaged, CatalogError, is_damage
from catalog.store.public import PublicFile
from catalog.store.public_schema import PUBLIC_TABLES, PUBLICATION_TABLE

#: The public file's marker row: when it was published, how many assets, which layout.
PUBLICATION_COLUMNS = {"published_at": str, "assets": int, "format": int}
PUBLIC_FORMAT = 1
#: Indexes only the public file has: the public asset page counts an originator's images.
PUBLIC_INDEXES = {"assets": ("virin_originator",)}

_RELEASE_FIELDS = ("release_instructions", "classification")


class PublishError(Exception):
    """The public catalog could not be built; nothing was written to the destination."""


@dataclass(frozen=True)
class HeldBack:
    """An asset kept out of the public catalog, and why (for the operator, never published).

    ``gate``: ``release`` (the store decided it is not publishable), ``check`` (the store says
    publishable, a release check disagrees), ``quality`` (error findings) or ``changed`` (a file
    changed since the import).
    """

    sha256: str
    virin: str | None
    path: str | None
    gate: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class PublishReport:
    """What ``publish`` did: how many assets went in, and which were held back and why."""

    output: Path
    published: int = 0
    thumbnails: int = 0
    held: list[HeldBack] = field(default_factory=list)

    @property
    def not_released(self) -> int:
        """How many assets the store itself holds as not publishable."""
        return sum(1 for h in self.held if h.gate == "release")

    @property
    def held_back(self) -> dict[str, str]:
        """Why each asset the store calls publishable was held back anyway, by SHA-256."""
        return {h.sha256: h.reason for h in self.held if h.gate != "release"}


def publish(
    source: Path | str,
    output: Path | str,
    *,
    tables: CodeTables,
    allow_errors: Sequence[str] = (),
) -> PublishReport:
    """Build the public catalog ``output`` from the internal catalog ``source``.

    ``output`` is replaced atomically when the build succeeded and left untouched otherwise;
    ``source`` is only read, and can never be the destination. ``allow_errors``: codes of error
    findings that do not hold an asset back; release codes (``REL``) cannot be among them.
    ``tables`` hold the release and classification terms the stored values are decided with
    again (the command loads them).
    """
    if any(code.startswith("REL") for code in allow_errors):
        raise PublishError("release findings (REL...) cannot be allowed: they decide release")
    source, output = Path(source), Path(output)
    _check_paths(source, output)
    report = PublishReport(output=output)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    os.close(handle)
    try:
        try:
            with Catalog.read_only(source) as catalog:  # one read transaction: one snapshot
                _build(catalog, Path(temporary), report, tables, allow_errors)
        except CatalogError as error:
            raise PublishError(str(error)) from None
        except sqlite3.DatabaseError as error:
            if is_damage(error):
                raise PublishError(str(CatalogDamaged(source, error))) from None
            raise
        os.chmod(temporary, 0o644)  # a public file (mkstemp makes it private to its owner)
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return report


def _check_paths(source: Path, output: Path) -> None:
    if not source.is_file():
        raise PublishError(f"{source}: no catalog here")
    if output.exists() and (output.is_dir() or output.samefile(source)):
        raise PublishError(f"{output}: refusing to overwrite the source catalog or a folder")
    if not output.parent.is_dir():
        raise PublishError(f"{output.parent}: no such folder")


def _build(
    source: Catalog,
    path: Path,
    report: PublishReport,
    tables: CodeTables,
    allow_errors: Sequence[str],
) -> None:
    out = PublicFile(path, PUBLIC_TABLES)
    try:
        out.create(PUBLIC_INDEXES, {PUBLICATION_TABLE: PUBLICATION_COLUMNS})
        for asset in admitted(source, report, tables, allow_errors):
            _copy_asset(source, out, asset, report)
        marker = {"published_at": _now(), "assets": report.published, "format": PUBLIC_FORMAT}
        problems = out.finish(PUBLICATION_TABLE, marker)
        if problems != [("ok",)]:
            raise PublishError(f"{path}: the new file failed its integrity check: {problems}")
    finally:
        out.close()


def admitted(
    source: Catalog, report: PublishReport, tables: CodeTables, allow_errors: Sequence[str] = ()
) -> Iterator[dict[str, Any]]:
    """The public columns of each asset that passes every check, in a stable order.

    ``report.held`` gets every other asset with the gate that held it back and why.
    """
    errors = source.error_codes(allow_errors)
    unreleased = source.unpublishable_location_counts()
    # An asset with error findings is held back before its files count: they are not opened.
    rechecked = (loc for loc in source.locations_to_recheck() if loc[0] not in errors)
    changed = changed_assets(rechecked)
    number = 0
    for asset in source.assets_to_publish([c for c in PUBLIC_TABLES["assets"] if c != "id"]):
        sha, path = asset["sha256"], asset.pop("primary_path")
        gate, why = _held_by(
            source, asset, tables, errors.get(sha), unreleased.get(sha), changed.get(sha)
        )
        if why is not None:
            report.held.append(HeldBack(sha, asset["virin"], path, gate, why))
            continue
        number += 1
        yield {"id": number, **asset}


def _held_by(
    source: Catalog,
    asset: dict[str, Any],
    tables: CodeTables,
    errors: list[str] | None,
    unreleased: int | None,
    changed: str | None,
) -> tuple[str, str | None]:
    """The gate that holds ``asset`` back and why (the first that does), or ("", None).

    ``errors``: its error codes (release codes among them: they cannot be allowed);
    ``unreleased``: how many of its locations did not decide it publishable."""
    release = [c for c in errors or () if c.startswith("REL")]
    if not asset.pop("publishable"):
        status, marking = asset["release_status"], asset["classification_marking"]
        codes = ", ".join(release) or "no release error"
        return "release", f"not publishable ({codes}): release {status!r}, marking {marking!r}"
    why = _hold_back_reason(source, asset, tables, unreleased, release)
    if why is not None:
        return "check", why
    if errors:
        return "quality", f"error findings: {', '.join(errors)} (admit them with --allow-errors)"
    if changed is not None:
        return "changed", changed
    return "", None


def _hold_back_reason(
    source: Catalog,
    asset: dict[str, Any],
    tables: CodeTables,
    unreleased: int | None,
    release_errors: list[str],
) -> str | None:
    """Why an asset the store calls publishable must stay out anyway, or None."""
    marking = tables.classification_term(asset["classification_marking"])
    if asset["release_status"] != "Released" or marking is None or not marking.public:
        return (
            f"stored status {asset['release_status']!r} / {asset['classification_marking']!r} "
            "is not Released / unclassified"
        )
    values: dict[str, list[str | None]] = {name: [] for name in _RELEASE_FIELDS}
    for name, value, error in source.source_values(asset["sha256"], _RELEASE_FIELDS):
        if error:
            return f"a {name} value could not be read: {error}"
        values[name].append(value)
    decision = decide_release(
        values["release_instructions"], values["classification"], tables=tables
    )
    if not decision.publishable or decision.status != "Released":
        codes = ", ".join(sorted({f.code for f in decision.findings})) or "no release source"
        return f"the stored release sources do not make it publishable ({codes})"
    if unreleased:
        return f"{unreleased} of its locations did not decide it publishable"
    if release_errors:
        return f"a release error at one of its locations ({','.join(release_errors)})"
    return None


def _copy_asset(
    source: Catalog, out: PublicFile, asset: dict[str, Any], report: PublishReport
) -> None:
    out.insert("assets", asset)
    sha = asset["sha256"]
    for row in source.keyword_rows(sha):
        out.insert("keywords", row)
    stored = source.thumbnail_jpeg(sha)
    thumbnail = reencode(stored) if stored is not None else None
    if thumbnail is not None:
        width, height, jpeg = thumbnail
        out.insert("thumbnails", {"sha256": sha, "width": width, "height": height, "jpeg": jpeg})
        report.thumbnails += 1
    report.published += 1


def reencode(jpeg: bytes) -> tuple[int, int, bytes] | None:
    """A thumbnail decoded and encoded again from its pixels alone (width, height, JPEG bytes).

    A new image is made from the decoded pixel values, so no metadata segment, comment or profile
    of the stored bytes can be copied along. None when the stored bytes are not a decodable image
    (the asset is then published without a preview).
    """
    try:
        with Image.open(io.BytesIO(jpeg)) as image:
            image.draft("RGB", (THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            pixels = image.convert("RGB")
    except Exception:  # any decoder failure means the same: no preview
        return None
    clean = Image.frombytes("RGB", pixels.size, pixels.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=JPEG_QUALITY)
    return clean.width, clean.height, out.getvalue()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
