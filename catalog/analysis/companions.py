"""The run's manifests and articles, each parsed in an isolated worker like the images, and the
digest of what travels with a file.

A manifest or an article is as untrusted as an image: parsing it in a worker with the run's
limits means a crafted one costs a finding (``FIL019``, or ``FIL018`` when it cannot be read),
never the run. Both are opened as every untrusted file is (``catalog.files.untrusted``): a link, a
FIFO or an oversized file is refused with a finding, never followed, waited on or read.

A file is read again when its sidecars or its manifest row or article block may have changed:
``companions_digest`` (stored per location) digests them from canonical JSON (sorted keys, no
spaces, UTF-8), which depends on the values only - never on ``repr``, which changes with a class's
field order or a Python version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from catalog.analysis.analyze import AnalysisContext
from catalog.core.file_rules import FILE_NOT_ANALYZED, FILE_UNREADABLE
from catalog.core.findings import Finding
from catalog.core.merge import merge
from catalog.core.record_checks import check_record
from catalog.files.paths import path_text
from catalog.files.untrusted import NotReadable
from catalog.pool import Limits, OrderedPool
from catalog.readers.article import Article, ArticleRecord, read_article
from catalog.readers.manifest import Manifest, ManifestRow, read_manifest


def read_manifests(paths: Sequence[Path], limits: Limits) -> list[Manifest]:
    """Every manifest of ``paths``, in order; one that could not be read has only findings."""
    return _isolated(paths, limits, _manifest, _lost_manifest)


def read_articles(paths: Sequence[Path], limits: Limits) -> list[Article]:
    """Every article of ``paths``, in order; one that could not be read has only findings."""
    return _isolated(paths, limits, _article, lambda p, r: Article((), (_lost(p, r),)))


def check_article_record(record: ArticleRecord, context: AnalysisContext) -> tuple[Finding, ...]:
    """The per-record rules on an article block that no image of the run carries: the same
    rules an image's record gets (VIRIN, credit, caption date against the VIRIN ...), each finding
    with the block's first ``line``. Release is not decided: the page is already published, and
    an article record is never published by the catalog (only images are)."""
    merged = merge([record.source], tables=context.tables)
    check = check_record(
        merged.record,
        profile=context.profile,
        texts=merged.values,
        tables=context.tables,
        today=context.today,
        selected=context.selected,
        sources=merged.sources,
    )
    released = {f.code for f in check.release.findings}
    return tuple(
        dataclasses.replace(f, values={**f.values, "line": record.line})
        for f in (*merged.findings, *check.findings)
        if f.code not in released
    )


def _isolated(paths, limits, task, failed) -> list:
    if not paths:
        return []
    with OrderedPool(task, failed, jobs=1, limits=limits) as pool:
        return list(pool.map([Path(p) for p in paths]))


def _manifest(path: Path) -> Manifest:
    try:
        return read_manifest(path)
    except OSError as error:
        finding = _unreadable(path, error)
        return Manifest(path, findings=(finding,), untied=f"cannot be read ({error})")


def _lost_manifest(path: Path, reason: str) -> Manifest:
    """A manifest whose worker gave up: what it said is unknown (``Manifest.untied``)."""
    return Manifest(path, findings=(_lost(path, reason),), untied=f"was not analysed: {reason}")


def _article(path: Path) -> Article:
    try:
        return read_article(path)
    except OSError as error:
        return Article((), (_unreadable(path, error),))


def _unreadable(path: Path, error: OSError):
    cause = error.strerror or error
    reason = error if isinstance(error, NotReadable) else f"cannot be read: {cause}"
    message = f"{path_text(path.name)} {reason}"
    return FILE_UNREADABLE.finding(message, field="*", file=path_text(path))


def _lost(path: Path, reason: str):
    message = f"{path_text(path.name)} was not analysed: {reason}"
    return FILE_NOT_ANALYZED.finding(message, field="*", file=path_text(path))


def inputs_digest(
    manifest_rows: Mapping[Path, ManifestRow], article_records: Mapping[str, ArticleRecord]
) -> bytes:
    """What the run's manifests and articles say, as a digest: a file whose manifest row or
    article block may have changed must be read again. Digested once per run: every file's
    ``companions_digest`` hashes it again, and the manifests of a large shoot run to megabytes."""
    inputs = {"manifests": manifest_rows, "articles": article_records}
    return hashlib.blake2b(canonical_json(inputs), digest_size=16).digest()


@functools.lru_cache(maxsize=4096)
def companions_digest(
    sidecars: Sequence[tuple[str, int, int, int]], inputs: bytes, version: str = ""
) -> str:
    """The digest of what travels with a file: its sidecars' (name, size, mtime_ns, inode), the
    run's ``inputs_digest``, and an object's ETag or version id (``version``; nothing for a local
    file, whose digest stays as it was). Cached: most files of a run have no sidecar and share
    one digest (a re-import of 100,000 unchanged files computed it 100,000 times)."""
    travels = canonical_json(sidecars) + inputs + version.encode()
    return hashlib.blake2b(travels, digest_size=8).hexdigest()


def canonical_json(value: Any) -> bytes:
    """``value`` as canonical JSON bytes: keys sorted, no white space, text as UTF-8 (a file
    name's undecodable bytes, kept as surrogates, pass through as they are)."""
    text = json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")


def _plain(value: Any) -> Any:
    """``value`` as JSON's types: dataclasses and mappings as objects (keys as text), sequences
    as arrays, dates in ISO form, enums by value, paths as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        return items if isinstance(value, list | tuple) else sorted(items, key=repr)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, Path):
        return str(value)
    return value
