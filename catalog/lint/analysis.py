"""The per-file analysis of the linter: the importer's, without hash, thumbnail or database.

``check_metadata`` (``catalog.importer.analyze``) reads the file's metadata, sidecars and manifest
row and applies every per-record rule, exactly as an import does; reading stops at the metadata,
no pixel is decoded, and the file is opened read-only. A file that cannot be opened at all is a
finding too (``FIL018``), so one unreadable file never hides the report of the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from catalog.core.findings import Finding, Severity
from catalog.core.rules import define
from catalog.importer.analyze import AnalysisContext, check_metadata
from catalog.readers import AssetMetadata

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


def check_file(path: Path, context: AnalysisContext) -> FileCheck:
    """Read ``path`` with its sidecars and manifest row, and check the merged record."""
    try:
        metadata, _, findings = check_metadata(path, context)
        size = os.stat(path).st_size
    except OSError as error:  # ReadError, or the file gone since it was read
        reason = str(error).removeprefix(f"{path}: ")
        finding = FILE_UNREADABLE.finding(f"{path.name} cannot be read: {reason}", field="*")
        return FileCheck(path, None, None, (finding,))
    return FileCheck(path, metadata, size, tuple(findings))
