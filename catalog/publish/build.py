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
  that cannot be decoded ...) unless its code is among ``allow_errors``: the quality gate;
* every file it was read from is unchanged since the import (``catalog.publish.recheck``).

Every asset held back is reported with the reason (``PublishReport.held``), the assets the store
already decided not to publish included.

At a million assets the build streams: one statement (``Catalog.assets_to_publish``) reads every
asset with all the facts its decision needs and what is copied of it, in the public order, so
one asset is held at a time; admitted assets are written in bulk inserts, the indexes and the
full-text index are built once at the end.

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
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from catalog.analysis.thumbnails import JPEG_QUALITY, THUMBNAIL_SIZE
from catalog.core.codes import CodeTables
from catalog.core.release import ReleaseDecision, decide_release
from catalog.publish.recheck import changed_reason
from catalog.store.catalog import Catalog, unusable_as
from catalog.store.public import PublicFile
from catalog.store.public_schema import PUBLIC_TABLES, PUBLICATION_TABLE

#: The public file's marker row: when it was published, how many assets, which layout.
PUBLICATION_COLUMNS = {"published_at": str, "assets": int, "format": int}
PUBLIC_FORMAT = 1
#: Indexes only the public file has: the public asset page counts an originator's images.
PUBLIC_INDEXES = {"assets": ("virin_originator",)}

_RELEASE_FIELDS = ("release_instructions", "classification")
#: Admitted assets written per bulk insert.
COPY_BATCH = 2_000
#: Release decisions remembered by their source values, at most (then forgotten, and made again).
DECISION_CACHE = 10_000
#: How often ``progress`` hears of the assets decided.
PROGRESS_EVERY = 1_000


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


#: Assets held back that a ``PublishReport`` keeps (the rest are counted, and given to
#: ``on_held`` as they come): a catalog of a million held assets must not be held in memory.
HELD_KEPT = 1_000


@dataclass
class PublishReport:
    """What ``publish`` did: how many assets went in, and which were held back and why.

    ``held`` keeps the first ``HELD_KEPT`` assets held back, ``held_by_gate`` counts them all;
    ``on_held`` (when given) hears of every one as it is decided, to stream them to a file."""

    output: Path
    published: int = 0
    thumbnails: int = 0
    held: list[HeldBack] = field(default_factory=list)
    held_by_gate: Counter = field(default_factory=Counter)
    on_held: Callable[[HeldBack], None] | None = None

    def hold(self, held: HeldBack) -> None:
        self.held_by_gate[held.gate] += 1
        if len(self.held) < HELD_KEPT:
            self.held.append(held)
        if self.on_held is not None:
            self.on_held(held)

    @property
    def held_count(self) -> int:
        return sum(self.held_by_gate.values())

    @property
    def not_released(self) -> int:
        """How many assets the store itself holds as not publishable."""
        return self.held_by_gate["release"]

    @property
    def held_back(self) -> dict[str, str]:
        """Why each asset the store calls publishable was held back anyway, by SHA-256 (of the
        ``held`` kept)."""
        return {h.sha256: h.reason for h in self.held if h.gate != "release"}


def publish(
    source: Path | str,
    output: Path | str,
    *,
    tables: CodeTables,
    allow_errors: Sequence[str] = (),
    progress: Callable[[int], None] = lambda done: None,
    on_held: Callable[[HeldBack], None] | None = None,
) -> PublishReport:
    """Build the public catalog ``output`` from the internal catalog ``source``.

    ``output`` is replaced atomically when the build succeeded and left untouched otherwise;
    ``source`` is only read, and can never be the destination. ``allow_errors``: codes of error
    findings that do not hold an asset back; release codes (``REL``) cannot be among them.
    ``tables`` hold the release and classification terms the stored values are decided with
    again (the command loads them). ``progress`` hears how many more assets were decided,
    ``on_held`` of each asset held back.
    """
    if any(code.startswith("REL") for code in allow_errors):
        raise PublishError("release findings (REL...) cannot be allowed: they decide release")
    source, output = Path(source), Path(output)
    _check_paths(source, output)
    report = PublishReport(output=output, on_held=on_held)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    os.close(handle)
    try:
        # one read transaction: one snapshot
        with unusable_as(source, PublishError), Catalog.read_only(source) as catalog:
            _build(catalog, Path(temporary), report, tables, allow_errors, progress)
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
    progress: Callable[[int], None],
) -> None:
    out = PublicFile(path, PUBLIC_TABLES)
    try:
        out.create(PUBLIC_INDEXES, {PUBLICATION_TABLE: PUBLICATION_COLUMNS})
        batch: list[dict[str, Any]] = []
        for asset in admitted(source, report, tables, allow_errors, progress):
            batch.append(asset)
            if len(batch) >= COPY_BATCH:
                _copy_assets(out, batch, report)
                batch = []
        _copy_assets(out, batch, report)
        marker = {"published_at": _now(), "assets": report.published, "format": PUBLIC_FORMAT}
        problems = out.finish(PUBLICATION_TABLE, marker)
        if problems != [("ok",)]:
            raise PublishError(f"{path}: the new file failed its integrity check: {problems}")
    finally:
        out.close()


def admitted(
    source: Catalog,
    report: PublishReport,
    tables: CodeTables,
    allow_errors: Sequence[str] = (),
    progress: Callable[[int], None] = lambda done: None,
) -> Iterator[dict[str, Any]]:
    """The public columns of each asset that passes every check, in a stable order, with what is
    copied of it (``keyword_rows``, ``thumbnail``).

    ``report.hold`` gets every other asset with the gate that held it back and why. One
    statement reads every asset and the facts of its decision; ``progress`` hears every 1,000.
    """
    number = seen = 0
    columns = [c for c in PUBLIC_TABLES["assets"] if c != "id"]
    decisions: dict[str, ReleaseDecision] = {}  # by the sources' values: they repeat
    for asset in source.assets_to_publish(columns, _RELEASE_FIELDS):
        seen += 1
        if seen % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
        if len(decisions) > DECISION_CACHE:
            decisions.clear()  # memory stays flat whatever the variety of values
        path = asset.pop("primary_path")
        gate, why = _held_by(asset, tables, allow_errors, decisions)
        if why is not None:
            report.hold(HeldBack(asset["sha256"], asset["virin"], path, gate, why))
            continue
        number += 1
        yield {"id": number, **asset}
    progress(seen % PROGRESS_EVERY)


def _held_by(
    asset: dict[str, Any],
    tables: CodeTables,
    allow_errors: Sequence[str],
    decisions: dict[str, ReleaseDecision],
) -> tuple[str, str | None]:
    """The gate that holds ``asset`` (a row of ``Catalog.assets_to_publish``) back and why (the
    first that does), or ("", None). The facts are in the row: no query is made per asset. Its
    files are opened again (the ``changed`` gate) only when every other gate let it through."""
    codes = sorted(set((asset.pop("error_codes") or "").split(",")) - {""})
    release = [c for c in codes if c.startswith("REL")]
    if not asset.pop("publishable"):
        status, marking = asset["release_status"], asset["classification_marking"]
        named = ", ".join(release) or "no release error"
        return "release", f"not publishable ({named}): release {status!r}, marking {marking!r}"
    why = _hold_back_reason(asset, tables, release, decisions)
    if why is not None:
        return "check", why
    errors = [c for c in codes if c not in allow_errors]
    if errors:
        return "quality", f"error findings: {', '.join(errors)} (admit them with --allow-errors)"
    changed = changed_reason(json.loads(asset.pop("recheck") or "[]"))
    if changed is not None:
        return "changed", changed
    return "", None


def _hold_back_reason(
    asset: dict[str, Any],
    tables: CodeTables,
    release_errors: list[str],
    decisions: dict[str, ReleaseDecision],
) -> str | None:
    """Why an asset the store calls publishable must stay out anyway, or None. ``decisions``
    remembers the release decision of each set of source values already seen (the decision
    depends on nothing else)."""
    marking = tables.classification_term(asset["classification_marking"])
    if asset["release_status"] != "Released" or marking is None or not marking.public:
        return (
            f"stored status {asset['release_status']!r} / {asset['classification_marking']!r} "
            "is not Released / unclassified"
        )
    stored = asset.pop("release_values") or "[]"
    values: dict[str, list[str | None]] = {name: [] for name in _RELEASE_FIELDS}
    for name, value, error in json.loads(stored):
        if error:
            return f"a {name} value could not be read: {error}"
        values[name].append(value)
    decision = decisions.get(stored)
    if decision is None:
        decision = decide_release(
            values["release_instructions"], values["classification"], tables=tables
        )
        decisions[stored] = decision
    if not decision.publishable or decision.status != "Released":
        codes = ", ".join(sorted({f.code for f in decision.findings})) or "no release source"
        return f"the stored release sources do not make it publishable ({codes})"
    unreleased = asset.pop("unpublishable_locations")
    if unreleased:
        return f"{unreleased} of its locations did not decide it publishable"
    if release_errors:
        return f"a release error at one of its locations ({','.join(release_errors)})"
    return None


def _copy_assets(out: PublicFile, assets: list[dict[str, Any]], report: PublishReport) -> None:
    """Write a batch of admitted assets, their keywords and re-encoded thumbnails (bulk inserts
    in the build's one transaction)."""
    keywords, thumbnails = [], []
    for asset in assets:
        sha = asset["sha256"]
        keywords += [
            {"sha256": sha, "position": position, "keyword": keyword}
            for position, keyword in json.loads(asset.pop("keyword_rows") or "[]")
        ]
        stored = asset.pop("thumbnail")
        thumbnail = reencode(stored) if stored is not None else None
        if thumbnail is not None:
            width, height, jpeg = thumbnail
            thumbnails.append({"sha256": sha, "width": width, "height": height, "jpeg": jpeg})
    out.insert_many("assets", assets)
    out.insert_many("keywords", keywords)
    out.insert_many("thumbnails", thumbnails)
    report.thumbnails += len(thumbnails)
    report.published += len(assets)


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
