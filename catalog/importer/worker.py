"""The per-file work of an import, as run in a worker process: read once, analyse, make rows.

A worker reads the file's bytes once (size and times taken from the same open file), analyses them
(``analyze_file``) and returns the plain rows the writer stores. Nothing here raises for a bad
file: a file that cannot be read or is not an image comes back as skipped, with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

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
        current, data = read_file(stat)
    except OSError as error:
        return FileRows(stat, skip_reason=f"cannot be read: {error.strerror or error}")
    if data is None:
        return FileRows(current, skip_reason=f"larger than {MAX_FILE_BYTES >> 20} MiB")
    try:
        analysis = analyze_file(Path(current.path), data, context)
    except Exception as error:  # a bug must not stop the import: the file is reported instead
        return FileRows(current, skip_reason=f"internal error: {type(error).__name__}: {error}")
    if not analysis.supported:
        return FileRows(current, skip_reason=_unsupported_reason(analysis))
    return FileRows(current, rows=asset_rows(analysis))


def read_file(stat: FileStat) -> tuple[FileStat, bytes | None]:
    """The file's bytes (None when too large) and its stat as of this read."""
    with open(stat.path, "rb") as handle:
        now = os.fstat(handle.fileno())
        current = FileStat(
            stat.path, stat.folder, stat.name, now.st_size, now.st_mtime_ns, now.st_ino, now.st_dev
        )
        if now.st_size > MAX_FILE_BYTES:
            return current, None
        return current, handle.read()


def _unsupported_reason(analysis: FileAnalysis) -> str:
    messages = [f.message for f in analysis.findings if f.code == "FIL001"]
    return f"not a JPEG, TIFF or PNG image ({messages[0]})" if messages else "not an image"
