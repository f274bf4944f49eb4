"""Checking one file without hash, thumbnail or database: the per-file job of ``catalog validate``.

``check_metadata`` (``catalog.analysis.analyze``) reads the file's metadata, sidecars and manifest
row and applies every per-record rule, exactly as an import does; reading stops at the metadata,
no pixel is decoded, and the file is opened as every untrusted file is (``open_untrusted``: no
link followed, regular files only, at most ``MAX_FILE_BYTES``). A file that cannot be opened at
all is a finding too (``FIL018``), so one unreadable file never hides the report of the others;
so is a file refused for its size or whose analysis overran its worker's limits or crashed it
(``FIL019``, see ``check_files``) - the outcomes an import records as skipped.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO

from catalog.analysis.analyze import MAX_FILE_BYTES, AnalysisContext, check_metadata
from catalog.analysis.thumbnails import ThumbnailError, make_thumbnail
from catalog.core.file_rules import FILE_NOT_ANALYZED, FILE_UNREADABLE
from catalog.core.findings import Finding
from catalog.core.text import storable
from catalog.files.paths import path_text, storable_value
from catalog.files.untrusted import NotRegular, TooLarge, open_untrusted
from catalog.pool import Limits, OrderedPool, default_jobs
from catalog.readers.containers import sniff


@dataclass(frozen=True)
class FileCheck:
    """What one file's analysis found: its VIRIN, its size (None when unreadable), findings."""

    path: Path
    virin: str | None
    size: int | None
    findings: tuple[Finding, ...]


#: How a file is opened for reading, within a size limit: ``open_untrusted`` for a local file;
#: ``catalog.files.remote.Mirror.open`` reads an object behind its placeholder in ranged requests.
Opener = Callable[[Path, int], BinaryIO]


def check_files(
    paths: Iterable[Path],
    context: AnalysisContext,
    limits: Limits,
    jobs: int | None = None,
    open_file: Opener = open_untrusted,
) -> Iterator[FileCheck]:
    """``check_file`` of every path, in order, each in an isolated worker (``limits``)."""
    paths = list(paths)
    if not paths:
        return
    jobs = min(jobs or default_jobs(), len(paths))
    task = partial(check_file, context=context, open_file=open_file)
    with OrderedPool(task, not_analyzed, jobs=jobs, limits=limits) as pool:
        yield from pool.map(paths)


def check_file(
    path: Path, context: AnalysisContext, open_file: Opener = open_untrusted
) -> FileCheck:
    """Read ``path`` (opened by ``open_file``) with its sidecars and manifest row, and check the
    merged record. A file over ``MAX_FILE_BYTES`` is refused unread, as the import refuses it."""
    try:
        with open_file(path, MAX_FILE_BYTES) as handle:
            size = handle.seek(0, io.SEEK_END)
            metadata, _, findings = check_metadata(path, context, data=handle)
    except TooLarge as refusal:
        return not_analyzed(path, str(refusal))
    except NotRegular as refusal:
        return unreadable(path, str(refusal))
    except OSError as error:  # ReadError, or the file gone since it was found
        reason = str(error).removeprefix(f"{path}: ")
        return unreadable(path, f"cannot be read: {reason}")
    return FileCheck(path, metadata.record.virin, size, tuple(_storable(findings)))


def pictures(
    paths: list[Path], limits: Limits, jobs: int | None = None, open_file: Opener = open_untrusted
) -> dict[Path, str | None]:
    """The perceptual hash of each file's pixels (None when they cannot be decoded), each file
    decoded in an isolated worker as an import decodes it: the only pixels validate decodes."""
    if not paths:
        return {}
    jobs = min(jobs or default_jobs(), len(paths))
    task = partial(picture_of, open_file=open_file)
    with OrderedPool(task, lambda _path, _reason: None, jobs=jobs, limits=limits) as pool:
        return dict(zip(paths, pool.map(paths), strict=True))


def picture_of(path: Path, open_file: Opener = open_untrusted) -> str | None:
    """The perceptual hash of the pixels of the image at ``path``; None if it has none to give."""
    try:
        with open_file(path, MAX_FILE_BYTES) as handle:
            file_format = sniff(handle.read(16))
            if file_format is None:
                return None
            return make_thumbnail(handle, file_format).picture_hash
    except (OSError, ThumbnailError):
        return None


def unreadable(path: Path, reason: str) -> FileCheck:
    """The check of a file that could not be read, and why."""
    message = f"{path_text(path.name)} {reason}"
    return FileCheck(path, None, None, (FILE_UNREADABLE.finding(message, field="*"),))


def not_analyzed(path: Path, reason: str) -> FileCheck:
    """The check of a file refused for its size or whose worker was stopped or crashed, and why."""
    message = f"{path_text(path.name)} was not analysed: {reason}"
    return FileCheck(path, None, None, (FILE_NOT_ANALYZED.finding(message, field="*"),))


def _storable(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Findings whose text may be printed and serialized: a file name that is not UTF-8 or a
    lone surrogate from a sidecar must not crash a report."""
    for f in findings:
        yield replace(f, message=storable(f.message), values=storable_value(f.values))
