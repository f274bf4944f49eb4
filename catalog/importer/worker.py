"""The per-file work of an import, as run in a worker process: read once, analyse, make rows.

A worker opens the file without following a link and without waiting on a FIFO, checks that it
is a regular file of a sane size (size and times taken from the open file), analyses what it
reads of it through one ``HashingReader`` (``analyze_file``) and returns the plain rows the writer
stores. Nothing here raises for a bad file: a file that cannot be read or is not an image comes
back as skipped, with the reason. Only ``MemoryError`` goes up, to the pool, which records the
file as out of memory and replaces the worker (``catalog.pool``).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from catalog.analysis.analyze import AnalysisContext, FileAnalysis, analyze_file
from catalog.analysis.digest import HashingReader
from catalog.core.file_rules import FILE_NOT_ANALYZED, FILE_UNREADABLE, FILE_UNSUPPORTED
from catalog.core.rules import Rule
from catalog.core.text import storable
from catalog.files.walk import FileStat, irregular
from catalog.importer.tabulate import asset_rows
from catalog.store.rows import FileRows, Skip

#: Files larger than this are skipped without being read (1 GiB).
MAX_FILE_BYTES = 1 << 30

#: How a file to analyse is opened: read only, never through a link, never blocking on a FIFO.
OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def process_file(stat: FileStat, context: AnalysisContext) -> FileRows:
    """Read, analyse and turn into rows the file the walk found at ``stat.path``."""
    if stat.problem is not None:
        return skipped(stat, stat.problem, FILE_UNREADABLE)
    try:
        fd = os.open(stat.os_path, OPEN_FLAGS)
    except OSError as error:
        return skipped(stat, f"cannot be read: {error.strerror or error}", FILE_UNREADABLE)
    try:
        with open(fd, "rb") as handle:
            now = os.fstat(handle.fileno())
            current = replace(
                stat,
                size=now.st_size,
                mtime_ns=now.st_mtime_ns,
                inode=now.st_ino,
                device=now.st_dev,
            )
            if (problem := irregular(now.st_mode)) is not None:
                return skipped(current, problem, FILE_UNREADABLE)
            if (problem := too_large(now.st_size)) is not None:
                return skipped(current, problem)
            content = HashingReader.of_file(handle.fileno(), now.st_size)
            analysis = analyze_file(Path(stat.os_path), content, context)
    except OSError as error:
        return skipped(stat, f"cannot be read: {error.strerror or error}", FILE_UNREADABLE)
    except MemoryError:
        raise
    except Exception as error:  # a bug must not stop the import: the file is reported instead
        return skipped(stat, f"internal error: {type(error).__name__}: {error}")
    if not analysis.supported:
        return skipped(current, _unsupported_reason(analysis), FILE_UNSUPPORTED)
    return FileRows(current, rows=asset_rows(analysis))


def skipped(stat: FileStat, reason: str, rule: Rule = FILE_NOT_ANALYZED) -> FileRows:
    """The result of a file that was not cataloged, and why (``reason`` made storable), reported
    by ``rule``: by default ``FIL019``, not analysed, as for a file the pool gives up on (its
    worker overran its limits or crashed)."""
    return FileRows(stat, skip=Skip(rule.code, storable(reason)))


def too_large(size: int) -> str | None:
    """Why a file of ``size`` bytes is refused unread, or None when it is not too large."""
    if size > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES >> 20} MiB ({size} bytes): not read"
    return None


def _unsupported_reason(analysis: FileAnalysis) -> str:
    messages = [f.message for f in analysis.findings if f.code == "FIL001"]
    return f"not a JPEG, TIFF or PNG image ({messages[0]})" if messages else "not an image"
