"""A ``catalog fix`` run: plan every file in an isolated worker, then write the copies.

The files are untrusted, so each is read and planned as ``catalog validate`` reads it - the same
``check_metadata``, in a worker with time and memory limits; only the plan (plain data) comes
back. The writing is ExifTool's, on a byte copy made under the output folder; the copy is then
checked again, in a worker too, so what is reported as left is what the copy really holds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from catalog.analysis.analyze import AnalysisContext, check_metadata
from catalog.analysis.check import check_files
from catalog.core.findings import Finding
from catalog.files.untrusted import NotReadable, read_regular
from catalog.fix.exiftool import ExifTool
from catalog.fix.plan import IIM_FORMATS, Edit, FixOptions, fixed_codes, plan_fixes
from catalog.pool import Limits, OrderedPool, default_jobs
from catalog.readers.sidecar import MAX_JSON_BYTES, MAX_XMP_BYTES, json_sidecar, xmp_sidecars

#: Why a copy for release is not made: a non-released image never leaves through ``fix``.
NOT_RELEASED = "not released: no copy is made for release"


@dataclass(frozen=True)
class FilePlan:
    """One file planned: its format, its findings, the edits chosen, and whether it may be
    released; ``error`` says why it could not be planned (then nothing else is known)."""

    path: Path
    file_format: str | None = None
    findings: tuple[Finding, ...] = ()
    edits: tuple[Edit, ...] = ()
    publishable: bool = False
    error: str | None = None

    @property
    def left(self) -> tuple[Finding, ...]:
        """The findings the edits do not fix."""
        codes = fixed_codes(self.edits)
        return tuple(f for f in self.findings if f.code not in codes)


@dataclass
class FileOutcome:
    """What the run did with one file: the copy written (None when none), the findings left."""

    plan: FilePlan
    copy: Path | None = None
    left: tuple[Finding, ...] = ()
    error: str | None = None
    skipped: str | None = None


@dataclass(frozen=True)
class FixRequest:
    """The run's settings: the options, the output folder (None for ``--diff``), ``--all``,
    ``--for-release``, and the analysis context (tables, profile, today)."""

    options: FixOptions
    context: AnalysisContext
    out: Path | None = None
    copy_all: bool = False
    for_release: bool = False
    limits: Limits = field(default_factory=Limits)
    jobs: int | None = None


def plan_file(path: Path, request: FixRequest) -> FilePlan:
    """Read ``path`` and plan its fixes (runs in a worker)."""
    try:
        metadata, check, findings = check_metadata(path, request.context)
    except OSError as error:
        return FilePlan(path, error=str(error))
    if check is None:
        return FilePlan(path, findings=tuple(findings))
    edits = plan_fixes(
        metadata.record,
        metadata.values,
        findings,
        file_format=metadata.format,
        options=request.options,
        tables=request.context.tables,
        today=request.context.today,
    )
    return FilePlan(path, metadata.format, tuple(findings), edits, check.release.publishable, None)


def _not_planned(path: Path, reason: str) -> FilePlan:
    return FilePlan(path, error=f"{path}: was not analysed: {reason}")


def plan_files(paths: list[Path], request: FixRequest) -> Iterator[FilePlan]:
    """``plan_file`` of every path, in order, each in an isolated worker."""
    if not paths:
        return
    jobs = min(request.jobs or default_jobs(), len(paths))
    task = partial(plan_file, request=request)
    with OrderedPool(task, _not_planned, jobs=jobs, limits=request.limits) as pool:
        yield from pool.map(paths)


def fix_files(targets: dict[Path, Path], request: FixRequest) -> Iterator[FileOutcome]:
    """Plan every source of ``targets`` (source -> its copy's path under the output folder) and,
    unless this is a dry run, write the copies. Yields one outcome per source, in order."""
    plans = list(plan_files(list(targets), request))
    if request.out is None:
        yield from (_dry_run(plan, request) for plan in plans)
        return
    outcomes = []
    with ExifTool() as exiftool:
        for plan in plans:
            outcomes.append(_write(plan, targets[plan.path], request, exiftool))
    _check_copies(outcomes, request)
    yield from outcomes


def _dry_run(plan: FilePlan, request: FixRequest) -> FileOutcome:
    """What writing would do: the findings the edits leave (predicted from their codes)."""
    if plan.error is None and request.for_release and not plan.publishable:
        return FileOutcome(plan, left=plan.findings, skipped=NOT_RELEASED)
    return FileOutcome(plan, left=plan.left, error=plan.error)


def _write(plan: FilePlan, copy: Path, request: FixRequest, exiftool: ExifTool) -> FileOutcome:
    if plan.error is not None:
        return FileOutcome(plan, error=plan.error)
    if request.for_release and not plan.publishable:
        return FileOutcome(plan, left=plan.findings, skipped=NOT_RELEASED)
    if not plan.edits and not request.copy_all:
        return FileOutcome(plan, left=plan.findings)
    written: list[Path] = []  # what this call created, and only that, goes on a failure
    try:
        _copy(plan.path, copy, written)
        _copy_sidecars(plan.path, copy.parent, written)
        if plan.edits:
            exiftool.write(copy, plan.edits, iim=plan.file_format in IIM_FORMATS)
    except (OSError, RuntimeError) as error:
        for path in written:
            path.unlink(missing_ok=True)
        return FileOutcome(plan, error=str(error))
    return FileOutcome(plan, copy=copy, left=plan.findings)


def _copy(source: Path, copy: Path, written: list[Path]) -> None:
    """A byte copy of ``source`` at ``copy``, never replacing a file that is there already;
    ``copy`` is added to ``written`` once it was created."""
    copy.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader, open(copy, "xb") as writer:
        written.append(copy)
        shutil.copyfileobj(reader, writer)
    stat = source.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _copy_sidecars(source: Path, folder: Path, written: list[Path]) -> None:
    """The sidecars of ``source`` copied into ``folder`` (the copy's), so the copy's record is
    read from the same sources as the original's; each added to ``written`` once created. Only
    regular files are copied (never through a link), within the readers' size limits; one left
    behind shows when the copy is checked."""
    sidecars = [(p, MAX_XMP_BYTES) for p in xmp_sidecars(source)]
    if (found := json_sidecar(source)) is not None:
        sidecars.append((found, MAX_JSON_BYTES))
    for sidecar, limit in sidecars:
        try:
            data = read_regular(sidecar, limit)
        except (OSError, NotReadable):
            continue
        with open(folder / sidecar.name, "xb") as writer:
            written.append(folder / sidecar.name)
            writer.write(data)


def _check_copies(outcomes: Iterable[FileOutcome], request: FixRequest) -> None:
    """Each written copy's findings, read back from the copy itself in an isolated worker."""
    written = [o for o in outcomes if o.copy is not None and o.plan.edits]
    checks = check_files([o.copy for o in written], request.context, request.limits, request.jobs)
    for outcome, check in zip(written, checks, strict=True):
        outcome.left = check.findings
