"""The shapes of what one file contributes to the catalog: plain rows, cheap to pickle.

Import workers build them (``catalog.importer.rows``) so that what crosses the process boundary is
small, and the single writer (``catalog.store.writer``) only executes SQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from catalog.store.encoding import os_path


@dataclass(frozen=True, slots=True)
class FileStat:
    """Where a file is and the stat values that tell whether it changed since it was read.

    ``sidecars`` are the (name, size, mtime_ns, inode) of the sidecars beside it; ``companions``
    a digest of those and of the run's manifests and articles: what travels with the file is part
    of what it says, so a changed sidecar makes the file changed too. ``path``, ``folder`` and
    ``name`` are the catalog's text (``encoding.path_text``); ``problem`` says why the walk
    found the entry unreadable (a link, a FIFO, a folder that cannot be listed ...), if it did.
    """

    path: str
    folder: str
    name: str
    size: int
    mtime_ns: int
    inode: int
    device: int
    sidecars: tuple[tuple[str, int, int, int], ...] = ()
    companions: str = ""
    problem: str | None = None

    @property
    def os_path(self) -> str:
        """The path to open (the exact bytes of a name that is not UTF-8)."""
        return os_path(self.path)

    @property
    def signature(self) -> tuple[int, int, int, str]:
        return (self.size, self.mtime_ns, self.inode, self.companions)


@dataclass(frozen=True)
class AssetRows:
    """The rows of one read file: its asset, keywords, findings, field values and thumbnail."""

    sha256: str
    asset: dict[str, Any]
    keywords: list[str]
    findings: list[dict[str, Any]]
    field_values: list[dict[str, Any]]
    thumbnail: dict[str, Any] | None
    severities: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class FileRows:
    """What the writer stores for one file: rows of a read file, or why it was skipped."""

    stat: FileStat
    rows: AssetRows | None = None
    skip_reason: str | None = None
