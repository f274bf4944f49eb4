"""The per-file work of an import, as run in a worker process: read once, analyse, make rows.

A worker maps the file's bytes once (size and times taken from the same open file), analyses them
(``analyze_file``) and returns the plain rows the writer stores. Nothing here raises for a bad
file: a file that cannot be read or is not an image comes back as skipped, with the reason.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from catalog.importer.analyze import AnalysisContext, FileAnalysis, analyze_file
from catalog.importer.rows import asset_rows
from catalog.store.rows import FileRows, FileStat

#: Files larger than this are skipped rather than read into memory (1 GiB).
MAX_FILE_BYTES = 1 << 30

_context: AnalysisContext | None = None


def init_worker(context: AnalysisContext) -> None:
    """Process-pool initializer: every file of the run is checked with ``context``."""
    global _context
    _context = context


def process(stat: FileStat) -> FileRows:
    """Read, analyse and turn into rows the file the walk found at ``stat.path``."""
    assert _context is not None, "init_worker() was not called"
    return process_file(stat, _context)


def process_file(stat: FileStat, context: AnalysisContext) -> FileRows:
    try:
        with open(stat.path, "rb") as handle:
            now = os.fstat(handle.fileno())
            current = replace(
                stat,
                size=now.st_size,
                mtime_ns=now.st_mtime_ns,
                inode=now.st_ino,
                device=now.st_dev,
            )
            if now.st_size > MAX_FILE_BYTES:
                return FileRows(current, skip_reason=f"larger than {MAX_FILE_BYTES >> 20} MiB")
            with _mapped(handle, now.st_size) as data:
                analysis = analyze_file(Path(current.path), data, context)
    except OSError as error:
        return FileRows(stat, skip_reason=f"cannot be read: {error.strerror or error}")
    except Exception as error:  # a bug must not stop the import: the file is reported instead
        return FileRows(stat, skip_reason=f"internal error: {type(error).__name__}: {error}")
    if not analysis.supported:
        return FileRows(current, skip_reason=_unsupported_reason(analysis))
    return FileRows(current, rows=asset_rows(analysis))


@contextmanager
def _mapped(handle: BinaryIO, size: int) -> Iterator[bytes | mmap.mmap]:
    """The file's content, memory-mapped: hashing, metadata and pixels read the page cache
    directly instead of a copy. (An empty file cannot be mapped: its content is ``b""``.)"""
    if size == 0:
        yield b""
        return
    mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        yield mapped
    finally:
        mapped.close()


def _unsupported_reason(analysis: FileAnalysis) -> str:
    messages = [f.message for f in analysis.findings if f.code == "FIL001"]
    return f"not a JPEG, TIFF or PNG image ({messages[0]})" if messages else "not an image"
