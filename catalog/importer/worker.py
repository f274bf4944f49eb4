"""The per-file work of an import, as run in a worker process: read once, analyse, make rows.

The analysis is the shared one (``catalog.analysis``); what is the importer's own is the
``FileStat`` the walk found going in and the rows the writer stores coming out. A worker opens
the file as every untrusted file is opened (``open_untrusted``: no link followed, no wait on a
FIFO, regular files of at most ``MAX_FILE_BYTES`` only; size and times taken from the open file),
analyses what it reads of it through one ``HashingReader`` (``analyze_file``) and returns the
plain rows. Nothing here raises for a bad file: a file that cannot be read or is not an image
comes back as skipped, with the reason. Only ``MemoryError`` goes up, to the pool, which records
the file as out of memory and replaces the worker (``catalog.pool``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from catalog.analysis.analyze import MAX_FILE_BYTES, AnalysisContext, FileAnalysis, analyze_file
from catalog.analysis.digest import HashingReader
from catalog.core.file_rules import FILE_NOT_ANALYZED, FILE_UNREADABLE, FILE_UNSUPPORTED
from catalog.core.rules import Rule
from catalog.core.text import storable
from catalog.files.remote import RemoteError, fetched, is_url
from catalog.files.untrusted import NotReadable, NotRegular, open_untrusted
from catalog.files.walk import FileStat
from catalog.importer.tabulate import asset_rows
from catalog.store.rows import FileRows, Skip


def process_file(stat: FileStat, context: AnalysisContext) -> FileRows:
    """Read, analyse and turn into rows the file the walk found at ``stat.path``."""
    if stat.problem is not None:
        return skipped(stat, stat.problem, FILE_UNREADABLE)
    try:
        with open_untrusted(stat.os_path, MAX_FILE_BYTES) as handle:
            current = _restat(stat, os.fstat(handle.fileno()))
            content = HashingReader.of_file(handle.fileno(), current.size)
            analysis = analyze_file(Path(stat.os_path), content, context)
            head = content.head_hexdigest()
    except NotRegular as refusal:
        return skipped(_restat(stat, refusal.status), str(refusal), FILE_UNREADABLE)
    except NotReadable as refusal:  # too large: refused unread, as a file the pool gives up on
        return skipped(_restat(stat, refusal.status), str(refusal))
    except OSError as error:
        return skipped(stat, f"cannot be read: {error.strerror or error}", FILE_UNREADABLE)
    except MemoryError:
        raise
    except Exception as error:  # a bug must not stop the import: the file is reported instead
        return skipped(stat, f"internal error: {type(error).__name__}: {error}")
    if not analysis.supported:
        return skipped(current, _unsupported_reason(analysis), FILE_UNSUPPORTED)
    return FileRows(current, rows=asset_rows(analysis), head_sha256=head)


def process_entry(
    stat: FileStat, context: AnalysisContext, storage: Mapping[str, Any] | None = None
) -> FileRows:
    """``process_file`` of a local file, or of the local copy of an object (a URL: see
    ``catalog.files.remote.fetched``; ``storage`` says where to connect), with the object's own
    stat kept: its URL is the location, its size and ETag what the next run compares."""
    if not is_url(stat.path) or stat.problem is not None:
        return process_file(stat, context)
    try:
        with fetched(stat, MAX_FILE_BYTES, storage) as copy:
            result = process_file(copy, context)
    except (NotReadable, RemoteError) as refusal:
        return skipped(stat, str(refusal), FILE_UNREADABLE)
    except OSError as error:  # the local copy cannot be written (a full temporary folder)
        return skipped(stat, f"cannot be copied: {error.strerror or error}", FILE_UNREADABLE)
    return replace(result, stat=stat)


def skipped(stat: FileStat, reason: str, rule: Rule = FILE_NOT_ANALYZED) -> FileRows:
    """The result of a file that was not cataloged, and why (``reason`` made storable), reported
    by ``rule``: by default ``FIL019``, not analysed, as for a file the pool gives up on (its
    worker overran its limits or crashed)."""
    return FileRows(stat, skip=Skip(rule.code, storable(reason)))


def _restat(stat: FileStat, now: os.stat_result | None) -> FileStat:
    """``stat`` with the size, times and inode of the open file ``now`` (when it was opened)."""
    if now is None:
        return stat
    return replace(
        stat,
        size=now.st_size,
        mtime_ns=now.st_mtime_ns,
        ctime_ns=now.st_ctime_ns,
        inode=now.st_ino,
        device=now.st_dev,
    )


def _unsupported_reason(analysis: FileAnalysis) -> str:
    messages = [f.message for f in analysis.findings if f.code == "FIL001"]
    return f"not a JPEG, TIFF or PNG image ({messages[0]})" if messages else "not an image"
