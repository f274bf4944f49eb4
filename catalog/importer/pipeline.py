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
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
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
from catalog.core.codes import resolve_tables
from catalog.core.collection import Member, check_collection
from catalog.core.findings import Finding, Severity
from catalog.files.paths import path_text
from catalog.files.walk import Folder, walk
from catalog.importer.tabulate import finding_row
from catalog.importer.worker import process_file, skipped
from catalog.pool import Limits, OrderedPool, default_jobs
from catalog.readers.article import index_by_virin
from catalog.readers.manifest import ManifestRow
from catalog.store.catalog import Catalog
from catalog.store.rows import FileRows, Outcome
from catalog.store.writer import BATCH_FILES, CatalogWriter


class Progress(Protocol):
    def advance(self, count: int = 1) -> None: ...


class NoProgress:
    def advance(self, count: int = 1) -> None:
        pass


@dataclass(frozen=True)
class ImportOptions:
    """What ``catalog import`` was asked to do."""

    roots: Sequence[Path]
    manifests: Sequence[Path] = ()
    articles: Sequence[Path] = ()
    jobs: int | None = None  # None: all cores
    thumbnails: bool = True
    profile: str = "default"
    today: dt.date | None = None
    batch_files: int = BATCH_FILES  # files per transaction, at most
    limits: Limits = field(default_factory=Limits)  # of each file's analysis

    def arguments(self) -> dict[str, Any]:
        return {
            "manifests": [str(p) for p in self.manifests],
            "articles": [str(p) for p in self.articles],
            "jobs": self.jobs,
            "thumbnails": self.thumbnails,
            "profile": self.profile,
            "timeout": self.limits.seconds,
            "memory_limit": self.limits.memory_mb,
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
    collection_findings: dict[str, list[Finding]] = field(default_factory=dict)  # path -> new SET
    resolved_collection_findings: dict[str, list[Finding]] = field(default_factory=dict)

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
            "resolved_collection_findings": [
                {"path": path, **f.to_dict()}
                for path, findings in self.resolved_collection_findings.items()
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
    roots = [Path(os.path.abspath(root)) for root in options.roots]  # as the walk names them
    summary.run_id = writer.start_run([path_text(r) for r in roots], options.arguments())
    try:
        jobs = options.jobs or default_jobs()
        _import(writer, roots, jobs, options.limits, context, summary, progress)
        _check_collection(writer, summary)
    except BaseException:
        writer.abandon()  # whole files only: the batch being written is rolled back
        raise
    summary.seconds = time.perf_counter() - started
    writer.finish_run(summary.counts())
    return summary


def _import(
    writer: CatalogWriter,
    roots: list[Path],
    jobs: int,
    limits: Limits,
    context: AnalysisContext,
    summary: ImportSummary,
    progress: Progress,
) -> None:
    inputs = inputs_digest(context.manifest_rows, context.article_records)
    task = partial(process_file, context=context)
    with OrderedPool(task, skipped, jobs=jobs, limits=limits) as pool:
        for folder in walk(roots):
            known = writer.known_files(folder.path)
            for stat in folder.files:
                stat = replace(stat, companions=companions_digest(stat.sidecars, inputs))
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
    summary.missing += sum(writer.folders_gone(path_text(r)) for r in roots if r.is_dir())


def _check_collection(writer: CatalogWriter, summary: ImportSummary) -> None:
    """The collection rules (one VIRIN on different content) again for the VIRINs this run
    touched, stored in place of their previous findings; the summary gets the findings that are
    new in this run and those it resolved, not the catalog's others. After an interrupted run
    every shared VIRIN is checked again, since that run's were not."""
    if not writer.previous_run_completed():
        writer.recheck_whole_collection()
    located = writer.touched_collection()
    content = {path: sha for path, sha, _ in located}
    found = check_collection([Member(*row) for row in located])
    rows = [
        (path, f, {**finding_row(f), "sha256": content[path], "path": path})
        for path, findings in found.items()
        for f in findings
    ]
    new, resolved = writer.replace_collection_findings([row for _, _, row in rows])
    for path, finding, row in rows:
        if (path, row["code"], row["message"]) in new:
            summary.collection_findings.setdefault(path, []).append(finding)
    for row in resolved:
        summary.resolved_collection_findings.setdefault(row["path"], []).append(
            Finding(
                row["code"],
                Severity(row["severity"]),
                row["message"],
                row["field"],
                row["part"],
                json.loads(row["values_json"] or "{}"),
            )
        )


def _context(options: ImportOptions, summary: ImportSummary) -> AnalysisContext:
    """Read the manifests and articles once; their own findings go to the summary."""
    tables = resolve_tables(None)
    rows: dict[Path, ManifestRow] = {}
    for manifest in read_manifests(options.manifests, options.limits):
        rows.update(manifest.rows)
        summary.input_findings.extend(manifest.findings)
    records = []
    for article in read_articles(options.articles, options.limits):
        records.extend(article.records)
        summary.input_findings.extend(article.findings)
    return AnalysisContext(
        tables=tables,
        profile=options.profile,
        today=options.today or dt.date.today(),
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
