"""What the catalog knows about one file, computed from its path and its bytes.

``analyze_file`` is the per-file work of an import; its ``check_metadata`` part (read, merge,
check) is also the per-file work of the linter, which needs no hash, thumbnail or database. It
opens nothing but the file's sidecars (the file is given, open), so one read of the file serves
the hash, the metadata and the thumbnail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from catalog.analysis.digest import HashingReader
from catalog.analysis.thumbnails import (
    THUMBNAIL_SIZE,
    Thumbnail,
    ThumbnailError,
    make_thumbnail,
)
from catalog.core.codes import CodeTables
from catalog.core.file_rules import IMAGE_TOO_LARGE, PIXELS_UNDECODABLE
from catalog.core.findings import Finding
from catalog.core.record_checks import RecordCheck, check_record
from catalog.core.release import Unusable
from catalog.readers import AssetMetadata, read_asset
from catalog.readers.article import ArticleRecord
from catalog.readers.manifest import ManifestRow

#: Files larger than this are refused unread (1 GiB), by the import and by validate alike: far
#: above any photo, and a sparse file of terabytes costs nothing.
MAX_FILE_BYTES = 1 << 30


@dataclass(frozen=True)
class AnalysisContext:
    """What every file of one run is checked with.

    ``tables`` and ``today`` are taken once by the command that starts the run (loaded, read from
    the clock) and handed down: nothing below guesses them. ``selected`` are the codes checked
    (``rules.default_selection()`` when the command selects nothing): a check none of whose rules
    is selected is not run, and findings of other rules are dropped. ``manifest_rows`` and
    ``article_records`` come from the manifests and articles given to the run (``Manifest.rows``,
    ``article.index_by_virin``); ``thumbnail_size`` None makes no thumbnails.
    """

    tables: CodeTables
    today: dt.date
    selected: frozenset[str]
    profile: str = "default"
    manifest_rows: Mapping[Path, ManifestRow] = field(default_factory=dict)
    article_records: Mapping[str, ArticleRecord] = field(default_factory=dict)
    thumbnail_size: int | None = THUMBNAIL_SIZE

    def kept(self, *findings: Finding) -> list[Finding]:
        """The ``findings`` of selected rules."""
        return [f for f in findings if f.code in self.selected]


@dataclass(frozen=True)
class FileAnalysis:
    """One file analysed: its content hash, metadata, rule check, thumbnail and all findings."""

    sha256: str
    size: int
    metadata: AssetMetadata
    check: RecordCheck | None  # None when the file is not an image the catalog reads
    thumbnail: Thumbnail | None
    findings: tuple[Finding, ...]

    @property
    def supported(self) -> bool:
        return self.metadata.format is not None


def analyze_file(path: Path, content: HashingReader, context: AnalysisContext) -> FileAnalysis:
    """Hash, read, check and thumbnail the file at ``path``, all read through ``content``: one
    read of the file serves the metadata, the thumbnail and the hash taken as they read it."""
    metadata, check, findings = check_metadata(path, context, data=content)
    thumbnail = None
    decodable = not any(f.code == IMAGE_TOO_LARGE.code for f in metadata.findings)
    if check is not None and context.thumbnail_size and decodable:
        try:
            thumbnail = make_thumbnail(content, metadata.format, context.thumbnail_size)
        except ThumbnailError as error:
            findings += context.kept(
                PIXELS_UNDECODABLE.finding(
                    f"{path.name}: the image data cannot be decoded ({error})",
                    field="*",
                    error=str(error),
                )
            )
    return FileAnalysis(
        sha256=content.hexdigest(),
        size=content.size,
        metadata=metadata,
        check=check,
        thumbnail=thumbnail,
        findings=tuple(findings),
    )


def check_metadata(
    path: Path, context: AnalysisContext, *, data: BinaryIO | None = None
) -> tuple[AssetMetadata, RecordCheck | None, list[Finding]]:
    """Read the metadata of ``path`` and apply every per-record rule.

    The part of the analysis ``catalog validate`` shares: it passes the plain open file as
    ``data``, so the readers read only the metadata blocks and nothing is hashed or decoded. The
    check is None for a file that is not an image the catalog reads; ``ReadError`` when it cannot
    be read.
    """
    metadata = read_asset(
        path,
        data=data,
        manifest_rows=context.manifest_rows,
        article_records=context.article_records,
        tables=context.tables,
    )
    findings = context.kept(*metadata.findings)
    check = None
    if metadata.format is not None:
        check = check_record(
            metadata.record,
            profile=context.profile,
            release_statuses=_all_values(metadata, "release_instructions"),
            classifications=_all_values(metadata, "classification"),
            texts=metadata.values,
            tables=context.tables,
            today=context.today,
            selected=context.selected,
            sources=metadata.sources,
        )
        findings.extend(check.findings)
    return metadata, check, findings


def _all_values(metadata: AssetMetadata, name: str) -> list[str | Unusable]:
    """Every value any source gave for ``name``: the release decision weighs them all, and a
    value that could not be used (a rejected value, a source refused) as ``Unusable``."""
    return [
        v.value if v.error is None else Unusable(v.source, v.error)
        for v in metadata.values
        if v.field == name and (v.error is not None or isinstance(v.value, str))
    ]
