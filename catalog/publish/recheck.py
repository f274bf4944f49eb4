"""Re-check before publishing: every file an admitted asset was read from is still what was read.

The public catalog is built from what the import stored, so a file edited in place after the
import - a caption rewritten to "Not Released", the pixels replaced - would be published from
stale data. Size and modification time are not enough: a tool can keep both (``touch -r``, a
same-size edit within the clock's resolution). So each present location of an asset about to be
published is compared with what the import recorded: size, mtime, ctime (which no ordinary tool
can set back), inode (a file replaced by another), and the SHA-256 of its first 64 KiB (where
the metadata blocks of a JPEG, TIFF or PNG are). Any difference, a file that cannot be opened
again, or a location imported before these were recorded holds the asset back: fails closed.

Files are opened only through ``open_untrusted`` (no link followed, no FIFO waited on), and only
their first block is read: the re-check costs one ``open`` and one small read per file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from catalog.analysis.digest import HEAD_BYTES, head_digest
from catalog.files.paths import os_path
from catalog.files.untrusted import open_untrusted


def changed_reason(locations: Iterable[Sequence[Any]]) -> str | None:
    """Why an asset must be held back because one of its files changed, or None when none did.

    ``locations`` are its present locations as the import stored them: (path, size, mtime_ns,
    ctime_ns, inode, head_sha256), as ``Catalog.assets_to_publish`` gives them.
    """
    for path, *recorded in locations:
        why = _change(path, *recorded)
        if why is not None:
            return f"{path} {why}; import it again"
    return None


def _change(
    path: str, size: int, mtime_ns: int, ctime_ns: int | None, inode: int, head: str | None
) -> str | None:
    """How the file at ``path`` differs from what the import read, or None when it does not."""
    if ctime_ns is None or head is None:
        return "was imported before publish could re-check files"
    try:
        with open_untrusted(os_path(path), None) as handle:
            now = os.fstat(handle.fileno())
            start = handle.read(HEAD_BYTES)
    except OSError as error:
        return f"cannot be read again ({error.strerror or error})"
    differs = [
        name
        for name, was, is_now in (
            ("size", size, now.st_size),
            ("mtime", mtime_ns, now.st_mtime_ns),
            ("ctime", ctime_ns, now.st_ctime_ns),
            ("inode", inode, now.st_ino),
        )
        if was != is_now
    ]
    if differs:
        return f"changed since the import ({', '.join(differs)})"
    if head_digest(start) != head:
        return "changed since the import (its first bytes differ)"
    return None
