"""The shapes of what one file contributes to the catalog: plain rows, cheap to pickle.

Import workers build them (``catalog.importer.tabulate``) so that what crosses the process
boundary is small, and the single writer (``catalog.store.writer``) only executes SQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from catalog.files.walk import FileStat


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
class Skip:
    """Why a file was not cataloged: the rule that reports it (``FIL001`` not an image, ``FIL018``
    cannot be read, ``FIL019`` not analysed) and the reason in words. The code is stored, so that
    ``validate --db`` reports the rule without reading the sentence."""

    code: str
    reason: str


@dataclass(frozen=True)
class FileRows:
    """What the writer stores for one file: rows of a read file, or why it was skipped."""

    stat: FileStat
    rows: AssetRows | None = None
    skip: Skip | None = None
    head_sha256: str | None = None  # of the first bytes read (``digest.HEAD_BYTES``)


class Outcome(Enum):
    """What writing one file did to the catalog (the counts of the closing summary)."""

    IMPORTED = "imported"  # a path the catalog did not know, read
    UPDATED = "updated"  # a known path, read again
    SKIPPED = "skipped"  # a path whose file could not be cataloged
