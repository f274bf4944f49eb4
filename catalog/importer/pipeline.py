"""``run_import``: walk, compare with the catalog, analyse what changed, write, summarise.

For each folder the catalog's knowledge of it is loaded in one query; a file whose size,
modification time and inode are unchanged is not opened at all. New and changed files go to the
worker processes; their results are written in walk order by the single writer. Files the catalog
knew that are no longer there are marked missing (never deleted), folder by folder, and at the
end for whole folders that disappeared.

The manifests and articles given with ``--manifest`` and ``--article`` are remembered for the
run's roots (``companions``): a later run of the same root without them re-uses them, re-read as
every run reads them (so a changed one is read again), and says so; ``--forget FILE`` drops one.
Every photo block of the articles is stored as an article record, matched to assets by VIRIN, so
a block whose image is not in the catalog is still a record.

An interrupted run leaves every file it wrote complete, and nothing else: the next run sees the
files it did not reach as new or changed and finishes the job.
"""

from __future__ import annotations

import datetime as dt
import json
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
    check_article_record,
    companions_digest,
    inputs_digest,
    read_articles,
    read_manifests,
)
from catalog.analysis.thumbnails import THUMBNAIL_SIZE
from catalog.cluster import ClusterPool
from catalog.core.codes import CodeTables
from catalog.core.collection import Member, check_collection
from catalog.core.findings import Finding, Severity
from catalog.core.merge import virin_key
from catalog.core.rules import default_selection
from catalog.files.paths import os_path, path_text
from catalog.files.remote import is_url, walk_url
from catalog.files.walk import Folder, walk
from catalog.importer.tabulate import finding_row
from catalog.importer.worker import process_entry, skipped
from catalog.pool import Limits, OrderedPool, default_jobs
from catalog.readers.article import Article, index_by_virin
from catalog.readers.manifest import combine
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
    forget: Sequence[Path] = ()  # remembered manifests and articles to drop
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
            "forget": [str(p) for p in self.forget],
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
    companions_reused: list[str] = field(default_factory=list)  # remembered, not given
    companions_forgotten: int = 0
    article_records: int = 0  # photo blocks stored
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
            "companions_reused": self.companions_reused,
            "companions_forgotten": self.companions_forgotten,
            "article_records": self.article_records,
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
    writer = catalog.writer(batch_files=options.batch_files)
    roots = [_root(root) for root in options.roots]  # as the walk names them
    given = _companions(options.manifests, options.articles)
    options = _with_remembered(writer, options, roots, given, summary)
    context, articles = _context(options, summary)
    summary.run_id = writer.start_run(roots, options.arguments())
    writer.store_run_findings([_input_finding_row(f) for f in summary.input_findings])
    try:
        writer.remember_companions(roots, given)
        summary.article_records = _store_articles(writer, articles, context)
        _import(writer, roots, options, context, summary, progress)
        _check_collection(writer, summary)
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


def _check_collection(writer: CatalogWriter, summary: ImportSummary) -> None:
    """The collection rules (one VIRIN on different content) again for the VIRINs this run
    touched, stored in place of their previous findings; the summary gets the findings that are
    new in this run and those it resolved, not the catalog's others. After an interrupted run
    every shared VIRIN is checked again, since that run's were not."""
    if not writer.previous_run_completed():
        writer.recheck_whole_collection()
    located = writer.touched_collection()
    content = {path: sha for path, sha, *_ in located}
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


def _companions(manifests: Sequence[Path], articles: Sequence[Path]) -> list[tuple[str, str]]:
    """(kind, absolute path text) of the companions given to a run."""
    return [("manifest", path_text(os.path.abspath(p))) for p in manifests] + [
        ("article", path_text(os.path.abspath(p))) for p in articles
    ]


def _with_remembered(
    writer: CatalogWriter,
    options: ImportOptions,
    roots: list[str],
    given: list[tuple[str, str]],
    summary: ImportSummary,
) -> ImportOptions:
    """``options`` with the companions remembered for ``roots`` that were not ``given`` (after
    forgetting those of ``--forget``); the ones added are listed in the summary."""
    if options.forget:
        summary.companions_forgotten = writer.forget_companions(
            path_text(os.path.abspath(p)) for p in options.forget
        )
    given_paths = {path for _, path in given}
    added = [(k, p) for k, p in writer.remembered_companions(roots) if p not in given_paths]
    summary.companions_reused = [path for _, path in added]
    return replace(
        options,
        manifests=[*options.manifests, *(Path(p) for k, p in added if k == "manifest")],
        articles=[*options.articles, *(Path(p) for k, p in added if k == "article")],
    )


def _store_articles(
    writer: CatalogWriter, articles: list[tuple[Path, Article]], context: AnalysisContext
) -> int:
    """Store every photo block of the run's articles (with the rules' findings on the block
    alone), in place of what the same pages gave before; how many blocks."""
    for path, article in articles:
        rows = [
            {
                "block": r.number,
                "line": r.line,
                "end_line": r.end_line,
                **{f: r.source.values.get(f) for f in ("title", "caption", "credit", "virin")},
                "virin_key": virin_key(r.virin) if r.virin else None,
                "complete": int(r.complete),
                "findings_json": json.dumps(
                    [finding_row(f) for f in check_article_record(r, context)]
                ),
            }
            for r in article.records
        ]
        writer.replace_article_records(path_text(os.path.abspath(path)), rows)
    return sum(len(article.records) for _, article in articles)


def _context(
    options: ImportOptions, summary: ImportSummary
) -> tuple[AnalysisContext, list[tuple[Path, Article]]]:
    """Read the manifests and articles once; their own findings go to the summary. The import
    selects no rules: every rule that runs by default is checked."""
    manifests = read_manifests(options.manifests, options.limits)
    rows, combined = combine(manifests)
    summary.input_findings.extend(f for manifest in manifests for f in manifest.findings)
    summary.input_findings.extend(combined)
    articles = list(
        zip(options.articles, read_articles(options.articles, options.limits), strict=True)
    )
    for path, article in articles:
        summary.input_findings.extend(
            replace(f, values={"file": path_text(path), **f.values}) for f in article.findings
        )
    context = AnalysisContext(
        tables=options.tables,
        today=options.today,
        selected=default_selection(),
        profile=options.profile,
        manifest_rows=rows,
        article_records=index_by_virin(r for _, article in articles for r in article.records),
        thumbnail_size=THUMBNAIL_SIZE if options.thumbnails else None,
    )
    return context, articles


def _input_finding_row(finding: Finding) -> dict[str, Any]:
    """A finding about a manifest or an article as a ``run_findings`` row (its ``file``)."""
    return {**finding_row(finding), "path": str(finding.values.get("file", ""))}


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
