"""The run's manifests and articles, each parsed in an isolated worker like the images.

A manifest or an article is as untrusted as an image: parsing it in a worker with the run's
limits means a crafted one costs a finding (``FIL019``, or ``FIL018`` when it cannot be read),
never the run. Both are opened as every untrusted file is (``catalog.files.untrusted``): a link, a
FIFO or an oversized file is refused with a finding, never followed, waited on or read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from catalog.core.file_rules import FILE_NOT_ANALYZED, FILE_UNREADABLE
from catalog.files.paths import path_text
from catalog.files.untrusted import NotReadable
from catalog.pool import Limits, OrderedPool
from catalog.readers.article import Article, read_article
from catalog.readers.manifest import Manifest, read_manifest


def read_manifests(paths: Sequence[Path], limits: Limits) -> list[Manifest]:
    """Every manifest of ``paths``, in order; one that could not be read has only findings."""
    return _isolated(paths, limits, _manifest, lambda p, r: Manifest(p, findings=(_lost(p, r),)))


def read_articles(paths: Sequence[Path], limits: Limits) -> list[Article]:
    """Every article of ``paths``, in order; one that could not be read has only findings."""
    return _isolated(paths, limits, _article, lambda p, r: Article((), (_lost(p, r),)))


def _isolated(paths, limits, task, failed) -> list:
    if not paths:
        return []
    with OrderedPool(task, failed, jobs=1, limits=limits) as pool:
        return list(pool.map([Path(p) for p in paths]))


def _manifest(path: Path) -> Manifest:
    try:
        return read_manifest(path)
    except OSError as error:
        return Manifest(path, findings=(_unreadable(path, error),))


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
