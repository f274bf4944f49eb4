"""``run_import``: walk, compare with the catalog, analyse what changed, write, summarise.

For each folder the catalog's knowledge of it is loaded in one query; a file whose size,
modification time and inode are unchanged is not opened at all. New and changed files go to the
worker processes; their results are written in walk order by the single writer. Files the catalog
knew that are no longer there are marked missing (never deleted), folder by folder, and at the
end for whole folders that disappeared.

An interrupted run leaves every file it wrote complete, and nothing else: the next run sees the
files it did not reach as new or changed and finishes the job.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from catalog.analysis.analyze import AnalysisContext
from catalog.analysis.companions import (
    companions_digest,
    inputs_digest,
    read_articles,
    read_manifests,
)
from catalog.analysis.thumbnails import THUMBNAIL_SIZE
from catalog.cluster import ClusterPool
from catalog.core.codes import CodeTables
from catalog.core.collection import Member, check_collection
from catalog.core.findings import Finding
from catalog.core.rules import default_selection
from catalog.files.paths import os_path, path_text
from catalog.files.remote import is_url, walk_url
from catalog.files.walk import Folder, walk
from catalog.importer.tabulate import finding_row
from catalog.importer.worker import process_entry, skipped
from catalog.pool import Limits, OrderedPool, default_jobs
from catalog.readers.article import index_by_virin
from catalog.readers.manifest import ManifestRow
from catalog.store.catalog import Catalog
from catalog.store.rows import FileRows, Outcome
from catalog.store.writer import BATCH_FILES, CatalogWriter


class Progress(Protocol):
    def folder(self, path: str) -> None: ...  # the folder whose files come next

    def advance(self, count: int = 1) -> None: ...


class NoProgress:
    def folder(self, path: str) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass(frozen=True)
class ImportOptions:
    """What ``catalog import`` was asked to do, with the code tables and the date it runs with
    (loaded and read from the clock by the command, once)."""

    roots: Sequence[Path | str]  # folders, files, or URLs (``catalog.files.remote``)
    tables: CodeTables
    today: dt.date
    manifests: Sequence[Path] = ()
    articles: Sequence[Path] = ()
    jobs: int | None = None  # None: all cores
    thumbnails: bool = True
    profile: str = "default"
    batch_files: int = BATCH_FILES  # files per transaction, at most
    limits: Limits = field(default_factory=Limits)  # of each file's analysis
    storage: Mapping[str, Any] = field(default_factory=dict)  # where URLs connect: endpoint_url
    cluster: str | None = None  # a Dask scheduler address or local:N (``catalog.cluster``)

    def arguments(self) -> dict[str, Any]:
        return {
            "manifests": [str(p) for p in self.manifests],
            "articles": [str(p) for p in self.articles],
            "jobs": self.jobs,
            "thumbnails": self.thumbnails,
            "profile": self.profile,
            "timeout": self.limits.seconds,
            "memory_limit": self.limits.memory_mb,
            **({"storage": dict(self.storage)} if self.storage else {}),
            **({"cluster": self.cluster} if self.cluster else {}),
        }


@dataclass
class ImportSummary:
    """The outcome of one run, as the closing summary and ``import_runs`` show it."""

    run_id: int = 0
    seconds: float = 0.0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # path -> reason
    findings: Counter = field(default_factory=Counter)  # severity -> count in the files read
    input_findings: list[Finding] = field(default_factory=list)  # about manifests and articles
    collection_findings: dict[str, list[Finding]] = field(default_factory=dict)  # path -> SET

    @property
    def files_seen(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.skipped)

    def counts(self) -> dict[str, int]:
        """The counts as ``import_runs`` columns."""
        return {
            "files_seen": self.files_seen,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "missing": self.missing,
            "skipped": len(self.skipped),
            "errors": self.findings["error"],
            "warnings": self.findings["warning"],
            "infos": self.findings["info"],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "seconds": round(self.seconds, 3),
            **self.counts(),
            "skipped_files": [{"path": p, "reason": r} for p, r in self.skipped.items()],
            "input_findings": [f.to_dict() for f in self.input_findings],
            "collection_findings": [
                {"path": path, **f.to_dict()}
                for path, findings in self.collection_findings.items()
                for f in findings
            ],
        }


def run_import(
    catalog: Catalog, options: ImportOptions, progress: Progress | None = None
) -> ImportSummary:
    """Import ``options.roots`` into the open ``catalog``."""
    progress = progress or NoProgress()
    started = time.perf_counter()
    summary = ImportSummary()
    context = _context(options, summary)
    writer = catalog.writer(batch_files=options.batch_files)
    roots = [_root(root) for root in options.roots]  # as the walk names them
    summary.run_id = writer.start_run(roots, options.arguments())
    try:
        _import(writer, roots, options, context, summary, progress)
        summary.collection_findings = _check_collection(writer)
    except BaseException:
        writer.abandon()  # whole files only: the batch being written is rolled back
        raise
    summary.seconds = time.perf_counter() - started
    writer.finish_run(summary.counts())
    return summary


def _import(
    writer: CatalogWriter,
    roots: list[str],
    options: ImportOptions,
    context: AnalysisContext,
    summary: ImportSummary,
    progress: Progress,
) -> None:
    inputs = inputs_digest(context.manifest_rows, context.article_records)
    task = partial(process_entry, context=context, storage=dict(options.storage))
    with _pool(task, options) as pool:
        for folder in _walk(roots, options.storage):
            progress.folder(folder.path)
            known = writer.known_files(folder.path)
            for stat in folder.files:
                stat = replace(
                    stat, companions=companions_digest(stat.sidecars, inputs, stat.version)
                )
                before = known.pop(stat.name, None)
                if before and before.status != "missing" and before.signature == stat.signature:
                    summary.unchanged += 1
                    progress.advance()
                    continue
                for result in pool.submit(stat):
                    _write(writer, result, summary, progress)
            gone = _gone(folder, known)
            summary.missing += writer.folder_scanned(folder.path, gone, listed=folder.listed)
        for result in pool.drain():
            _write(writer, result, summary, progress)
    listed = [r for r in roots if is_url(r) or os.path.isdir(os_path(r))]
    summary.missing += sum(writer.folders_gone(r) for r in listed)


def _root(root: Path | str) -> str:
    """A root as the catalog names it: a URL as given, a path absolute."""
    return str(root) if is_url(root) else path_text(os.path.abspath(root))


def _walk(roots: list[str], storage: Mapping[str, Any]) -> Iterator[Folder]:
    """The folders of each root in turn: listed by the local walker, or from object storage."""
    for root in roots:
        yield from walk_url(root, storage) if is_url(root) else walk([Path(os_path(root))])


def _pool(task: partial, options: ImportOptions) -> OrderedPool | ClusterPool:
    """The local worker processes, or the Dask cluster ``--cluster`` names."""
    if options.cluster:
        return ClusterPool(task, skipped, address=options.cluster, limits=options.limits)
    jobs = options.jobs or default_jobs()
    return OrderedPool(task, skipped, jobs=jobs, limits=options.limits)


def _check_collection(writer: CatalogWriter) -> dict[str, list[Finding]]:
    """The collection rules (one VIRIN on different content) over the whole catalog, stored in
    place of the previous run's: they change whenever any file of the catalog does."""
    located = writer.shared_virin_locations()
    content = {path: sha for path, sha, *_ in located}
    found = check_collection([Member(*row) for row in located])
    writer.replace_collection_findings(
        [
            {**finding_row(f), "sha256": content[path], "path": path}
            for path, findings in found.items()
            for f in findings
        ]
    )
    return found


def _context(options: ImportOptions, summary: ImportSummary) -> AnalysisContext:
    """Read the manifests and articles once; their own findings go to the summary. The import
    selects no rules: every rule that runs by default is checked."""
    rows: dict[Path, ManifestRow] = {}
    for manifest in read_manifests(options.manifests, options.limits):
        rows.update(manifest.rows)
        summary.input_findings.extend(manifest.findings)
    records = []
    for article in read_articles(options.articles, options.limits):
        records.extend(article.records)
        summary.input_findings.extend(article.findings)
    return AnalysisContext(
        tables=options.tables,
        today=options.today,
        selected=default_selection(),
        profile=options.profile,
        manifest_rows=rows,
        article_records=index_by_virin(records),
        thumbnail_size=THUMBNAIL_SIZE if options.thumbnails else None,
    )


def _gone(folder: Folder, known: dict) -> list[str]:
    """Paths the catalog knows in ``folder`` that the listing no longer has."""
    if not folder.complete:
        return []
    return [os.path.join(folder.path, name) for name, k in known.items() if k.status != "missing"]


def _write(
    writer: CatalogWriter, result: FileRows, summary: ImportSummary, progress: Progress
) -> None:
    outcome = writer.write(result)
    if outcome is Outcome.SKIPPED:
        summary.skipped[result.stat.path] = result.skip.reason
    elif outcome is Outcome.IMPORTED:
        summary.imported += 1
    else:
        summary.updated += 1
    if result.rows is not None:
        summary.findings.update(result.rows.severities)
    progress.advance()
