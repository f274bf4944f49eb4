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
  content, since a copy elsewhere can come with its own sidecar.

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

import datetime as dt
import io
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image
from sqlite_utils import Database

from catalog.analysis.thumbnails import JPEG_QUALITY, THUMBNAIL_SIZE
from catalog.core.codes import CodeTables
from catalog.core.release import decide_release
from catalog.store.schema import DERIVED_ASSET_COLUMNS, FTS_COLUMNS, RECORD_COLUMNS

#: Allow-list of the public catalog: table -> the columns copied, in order. Nothing else is.
PUBLIC_TABLES: dict[str, tuple[str, ...]] = {
    "assets": (
        "id",
        "sha256",
        "virin",
        "title",
        "caption",
        "photographer",
        "photographer_unit",
        "credit",
        "source",
        "date_created",
        "keywords",
        "city",
        "sublocation",
        "state",
        "country_code",
        "country",
        "service_shown",
        "camera_make",
        "camera_model",
        "shot_date",
        "virin_base",
        "virin_date",
        "virin_service",
        "virin_service_name",
        "virin_originator",
        "virin_originator_kind",
        "virin_sequence",
        "virin_variant",
        "virin_country",
        "credit_kind",
        "credit_organization",
        "credit_service",
        "credit_unit",
        "photographer_rank",
        "photographer_name",
        "release_status",
        "classification_marking",
        "format",
        "width",
        "height",
    ),
    "keywords": ("sha256", "position", "keyword"),
    "thumbnails": ("sha256", "width", "height", "jpeg"),
}

#: The one-row table that marks a file as a public catalog (the Datasette plugin looks for it).
PUBLICATION_TABLE = "catalog_publication"
PUBLIC_FORMAT = 1

_RELEASE_FIELDS = ("release_instructions", "classification")
_COLUMN_TYPES = {
    **RECORD_COLUMNS,
    **{name: kind for name, (kind, _) in DERIVED_ASSET_COLUMNS.items()},
    "sha256": "TEXT NOT NULL UNIQUE",
}
_SCHEMA = f"""
CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    {", ".join(f"{c} {_COLUMN_TYPES[c]}" for c in PUBLIC_TABLES["assets"][1:])}
);
CREATE TABLE keywords (
    sha256 TEXT NOT NULL REFERENCES assets(sha256),
    position INTEGER NOT NULL,
    keyword TEXT NOT NULL,
    PRIMARY KEY (sha256, position)
);
CREATE TABLE thumbnails (
    sha256 TEXT PRIMARY KEY REFERENCES assets(sha256),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    jpeg BLOB NOT NULL
);
CREATE TABLE {PUBLICATION_TABLE} (
    published_at TEXT NOT NULL,
    assets INTEGER NOT NULL,
    format INTEGER NOT NULL
);
CREATE INDEX idx_assets_virin_base ON assets(virin_base);
CREATE INDEX idx_assets_shot_date ON assets(shot_date);
CREATE INDEX idx_assets_photographer_name ON assets(photographer_name);
CREATE INDEX idx_assets_virin_originator ON assets(virin_originator);
CREATE INDEX idx_keywords_keyword ON keywords(keyword);
"""


class PublishError(Exception):
    """The public catalog could not be built; nothing was written to the destination."""


@dataclass
class PublishReport:
    """What ``publish`` did: how many assets went in, and which were held back and why."""

    output: Path
    published: int = 0
    not_released: int = 0
    held_back: dict[str, str] = field(default_factory=dict)  # sha256 -> why, for the operator
    thumbnails: int = 0


def publish(source: Path | str, output: Path | str, *, tables: CodeTables) -> PublishReport:
    """Build the public catalog ``output`` from the internal catalog ``source``.

    ``output`` is replaced atomically when the build succeeded and left untouched otherwise;
    ``source`` is only read, and can never be the destination. ``tables`` hold the release and
    classification terms the stored values are decided with again (the command loads them).
    """
    source, output = Path(source), Path(output)
    _check_paths(source, output)
    report = PublishReport(output=output)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    os.close(handle)
    try:
        with _read_only(source) as src:
            _build(src, Path(temporary), report, tables)
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


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """The source catalog opened read-only, in one read transaction (a consistent snapshot)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT 1 FROM assets, field_values, findings LIMIT 1").fetchall()
        except sqlite3.DatabaseError as error:
            raise PublishError(f"{path}: not a catalog ({error})") from None
        yield conn  # closing ends the read transaction


def _build(src: sqlite3.Connection, path: Path, report: PublishReport, tables: CodeTables) -> None:
    out = sqlite3.connect(path, isolation_level=None)
    try:
        out.execute("PRAGMA secure_delete = ON")  # pages freed while building are zeroed
        out.execute("PRAGMA journal_mode = DELETE")
        out.executescript(_SCHEMA)
        out.execute("BEGIN")
        for asset in admitted(src, report, tables):
            _copy_asset(src, out, asset, report)
        out.execute(
            f"INSERT INTO {PUBLICATION_TABLE} VALUES (?, ?, ?)",
            (_now(), report.published, PUBLIC_FORMAT),
        )
        out.execute("COMMIT")
        Database(out)["assets"].enable_fts(list(FTS_COLUMNS), tokenize="porter")
        out.execute("INSERT INTO assets_fts (assets_fts) VALUES ('optimize')")
        problems = out.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise PublishError(f"{path}: the new file failed its integrity check: {problems}")
    finally:
        out.close()


def admitted(
    src: sqlite3.Connection, report: PublishReport, tables: CodeTables
) -> Iterator[dict[str, Any]]:
    """The public columns of each asset that passes every release check, in a stable order.

    ``report`` counts the assets that the store already holds as not publishable and names those
    held back because a check disagrees with the store.
    """
    columns = ", ".join(c for c in PUBLIC_TABLES["assets"] if c != "id")
    number = 0
    for row in src.execute(
        f"SELECT {columns}, publishable FROM assets ORDER BY shot_date, virin, sha256"
    ):
        asset = dict(row)
        if not asset.pop("publishable"):
            report.not_released += 1
            continue
        why = _hold_back_reason(src, asset, tables)
        if why:
            report.held_back[asset["sha256"]] = why
            continue
        number += 1
        yield {"id": number, **asset}


def _hold_back_reason(
    src: sqlite3.Connection, asset: dict[str, Any], tables: CodeTables
) -> str | None:
    """Why an asset the store calls publishable must stay out anyway, or None."""
    marking = tables.classification_term(asset["classification_marking"])
    if asset["release_status"] != "Released" or marking is None or not marking.public:
        return (
            f"stored status {asset['release_status']!r} / {asset['classification_marking']!r} "
            "is not Released / unclassified"
        )
    values: dict[str, list[str | None]] = {name: [] for name in _RELEASE_FIELDS}
    for name, value, error in src.execute(
        "SELECT field, value, error FROM field_values WHERE sha256 = ? AND field IN (?, ?)",
        (asset["sha256"], *_RELEASE_FIELDS),
    ):
        if error:
            return f"a {name} value could not be read: {error}"
        values[name].append(value)
    decision = decide_release(
        values["release_instructions"], values["classification"], tables=tables
    )
    if not decision.publishable or decision.status != "Released":
        codes = ", ".join(sorted({f.code for f in decision.findings})) or "no release source"
        return f"the stored release sources do not make it publishable ({codes})"
    unreleased = src.execute(
        "SELECT count(*) FROM locations WHERE sha256 = ? AND publishable IS NOT 1",
        (asset["sha256"],),
    ).fetchone()[0]
    if unreleased:
        return f"{unreleased} of its locations did not decide it publishable"
    errors = src.execute(
        "SELECT group_concat(DISTINCT code) FROM findings "
        "WHERE sha256 = ? AND code LIKE 'REL%' AND severity = 'error'",
        (asset["sha256"],),
    ).fetchone()[0]
    if errors:
        return f"a release error at one of its locations ({errors})"
    return None


def _copy_asset(
    src: sqlite3.Connection, out: sqlite3.Connection, asset: dict[str, Any], report: PublishReport
) -> None:
    _insert(out, "assets", asset)
    sha = asset["sha256"]
    for row in src.execute(
        "SELECT sha256, position, keyword FROM keywords WHERE sha256 = ? ORDER BY position", (sha,)
    ):
        _insert(out, "keywords", dict(row))
    stored = src.execute("SELECT jpeg FROM thumbnails WHERE sha256 = ?", (sha,)).fetchone()
    thumbnail = reencode(stored[0]) if stored else None
    if thumbnail is not None:
        width, height, jpeg = thumbnail
        _insert(out, "thumbnails", {"sha256": sha, "width": width, "height": height, "jpeg": jpeg})
        report.thumbnails += 1
    report.published += 1


def _insert(out: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    columns = PUBLIC_TABLES[table]
    out.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [row[c] for c in columns],
    )


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
