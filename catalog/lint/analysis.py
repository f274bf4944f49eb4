"""The per-file analysis of the linter: read a file's metadata once, apply every per-record rule.

This is the linter's side of the importer's per-file work (the same ``read_asset`` and
``check_record``, without hashing, thumbnails or a database): reading stops at the metadata, no
pixel is decoded, and the file is opened read-only. A file that cannot be opened at all is a
finding too (``FIL018``), so one unreadable file never hides the report of the others.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from catalog.core.codes import CodeTables
from catalog.core.findings import Finding, Severity
from catalog.core.record_checks import check_record
from catalog.core.rules import define
from catalog.readers import AssetMetadata, ReadError, read_asset
from catalog.readers.manifest import ManifestRow

FILE_UNREADABLE = define(
    "FIL018",
    "file-unreadable",
    Severity.ERROR,
    "The file cannot be opened or read.",
    explanation="""
The file exists in the folder checked but the operating system refuses to read it (permissions,
a broken symbolic link, an I/O error). Nothing in it could be checked.""",
    good="photos/220215-F-DU706-1241.jpg readable by the user running the check",
    bad="photos/220215-F-DU706-1241.jpg with mode 000, or a dangling symbolic link",
    fix="Fix the file's permissions or restore it from its source.",
)


@dataclass(frozen=True)
class FileCheck:
    """What one file's analysis found: its metadata (None when unreadable), size and findings."""

    path: Path
    metadata: AssetMetadata | None
    size: int | None
    findings: tuple[Finding, ...]

    @property
    def virin(self) -> str | None:
        return self.metadata.record.virin if self.metadata else None


def check_file(
    path: Path,
    *,
    manifest_rows: Mapping[Path, ManifestRow] | None = None,
    tables: CodeTables,
    profile: str = "default",
    today: dt.date | None = None,
) -> FileCheck:
    """Read ``path`` with its sidecars and manifest row, and check the merged record."""
    try:
        metadata = read_asset(path, manifest_rows=manifest_rows, tables=tables)
        size = os.stat(path).st_size
    except ReadError as error:
        reason = str(error).removeprefix(f"{path}: ")
        finding = FILE_UNREADABLE.finding(f"{path.name} cannot be read: {reason}", field="*")
        return FileCheck(path, None, None, (finding,))
    if metadata.format is None:  # not an image: FIL001 says so, the record rules would only echo it
        return FileCheck(path, metadata, size, metadata.findings)
    statuses = _values(metadata, "release_instructions")
    classifications = _values(metadata, "classification")
    check = check_record(
        metadata.record,
        profile=profile,
        release_statuses=statuses or None,
        classifications=classifications or None,
        tables=tables,
        today=today,
    )
    return FileCheck(path, metadata, size, (*metadata.findings, *check.findings))


def _values(metadata: AssetMetadata, field: str) -> list[str]:
    """Every usable value any source gave for ``field`` (the release decision weighs them all)."""
    return [v.value for v in metadata.values if v.field == field and v.error is None and v.value]
