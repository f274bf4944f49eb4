"""Progress while an import runs, the closing summary, and what Ctrl-C leaves.

On a terminal: a bar on standard error with ``n/N`` files, the rate and the folder being read.
Elsewhere (CI, a pipe): one plain line every few seconds, so a log shows the run is alive without
drowning in carriage returns. The summary says apart what *this run* found (in the files it read,
and the whole-set rules it ran over the catalog) and what *the catalog* holds, counted as
``catalog stats`` counts it, so the two commands never disagree.
"""

from __future__ import annotations

import posixpath
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

import click

from catalog.core.text import printable
from catalog.importer.pipeline import ImportSummary

LINE_INTERVAL_SECONDS = 5.0
#: Paths named per skip reason; the rest are counted ("and 37 more").
SKIPPED_NAMED = 3
SEVERITIES = ("error", "warning", "info")


class _Rate:
    """Files done, since when, in which folder: what both displays show."""

    def __init__(self) -> None:
        self.done = 0
        self.current = ""
        self.started = time.monotonic()

    def folder(self, path: str) -> None:
        self.current = path

    def per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0


class CountProgress(_Rate):
    """No display (``--quiet``): only the count, for the message after Ctrl-C."""

    def advance(self, count: int = 1) -> None:
        self.done += count


class LineProgress(_Rate):
    """``import: N[ of M] files (R files/s), in FOLDER``: a plain line every ``interval`` s."""

    def __init__(
        self, total: int | None, stream: TextIO, interval: float = LINE_INTERVAL_SECONDS
    ) -> None:
        super().__init__()
        self.total, self.stream, self.interval = total, stream, interval
        self.last = self.started

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            of = f" of {self.total}" if self.total is not None else ""
            print(
                f"import: {self.done}{of} files ({self.per_second():.0f} files/s), "
                f"in {printable(self.current)}",
                file=self.stream,
                flush=True,
            )


class BarProgress(_Rate):
    """click's bar with ``n/N``; after it the rate and the folder (its last characters)."""

    def __init__(self, bar) -> None:
        super().__init__()
        self.bar = bar

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.bar.update(count, self)

    def describe(self) -> str:
        folder = printable(self.current)
        if len(folder) > 40:
            folder = "..." + folder[-37:]
        return f"{self.per_second():.0f} files/s  {folder}"


@contextmanager
def progress_for(count: Callable[[], int], *, quiet: bool = False) -> Iterator[_Rate]:
    """The progress display that suits standard error: a bar on a terminal, lines otherwise.

    ``count`` gives the number of files for the bar; it is only called on a terminal (counting a
    large tree costs a walk of its names).
    """
    if quiet:
        yield CountProgress()
    elif sys.stderr.isatty():
        with click.progressbar(
            length=count(),
            label="import",
            file=sys.stderr,
            show_pos=True,
            item_show_func=lambda shown: shown.describe() if shown else None,
        ) as bar:
            yield BarProgress(bar)
    else:
        yield LineProgress(None, sys.stderr)


def summary_lines(summary: ImportSummary, db_name: str, in_catalog: Mapping[str, int]) -> list[str]:
    """The closing summary: counts, skipped files by reason, findings of this run and of the
    catalog (``in_catalog``: findings by severity, as ``catalog stats`` gives them).

    File names and reasons come from the files (a reason can quote a value): printable."""
    c = summary.counts()
    rate = summary.files_seen / summary.seconds if summary.seconds else 0.0
    lines = [
        f"{db_name}: {c['imported']} imported, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['missing']} missing, {c['skipped']} skipped "
        f"({summary.files_seen} files in {summary.seconds:.1f} s, {rate:.0f} files/s)"
    ]
    lines += [
        f"  re-using {printable(path)}, given with these folders before (--forget FILE drops it)"
        for path in summary.companions_reused
    ]
    if summary.article_records:
        lines.append(f"  {summary.article_records} article records (photo blocks) stored")
    lines += skipped_lines(summary.skipped)
    lines += [
        f"  input {f.severity.value} {f.code}: {printable(f.message)}"
        for f in summary.input_findings
    ]
    lines += [
        f"  whole-set {f.severity.value} {f.code}: {printable(path)}: {printable(f.message)}"
        for path, findings in summary.collection_findings.items()
        for f in findings
    ]
    lines += [
        f"  resolved {f.code}: {printable(path)}: {printable(f.message)}"
        for path, findings in summary.resolved_collection_findings.items()
        for f in findings
    ]
    read = c["imported"] + c["updated"]
    lines.append(
        f"this run: {_severities(this_run_findings(summary))} "
        f"(in the {read} files read, and the whole-set findings new in this run)"
    )
    lines.append(f"in the catalog: {_severities(in_catalog)} (as `catalog stats` counts them)")
    return lines


def this_run_findings(summary: ImportSummary) -> dict[str, int]:
    """Findings by severity in the files this run read, plus the whole-set findings new in it."""
    counts = {severity: summary.findings[severity] for severity in SEVERITIES}
    for findings in summary.collection_findings.values():
        for finding in findings:
            counts[finding.severity.value] += 1
    return counts


def skipped_lines(skipped: Mapping[str, str]) -> list[str]:
    """Skipped files grouped by reason, the first few of each named: 40 files refused for one
    reason are one line, not 40. A reason that names its own file (``x.jpg is not an image``) is
    grouped with its file's name as "the file"."""
    by_reason: dict[str, list[str]] = {}
    for path, reason in skipped.items():
        name = posixpath.basename(path)
        general = reason.replace(name, "the file") if name else reason
        by_reason.setdefault(general, []).append(path)
    lines = []
    for reason, paths in by_reason.items():
        named = ", ".join(printable(path) for path in paths[:SKIPPED_NAMED])
        more = f" and {len(paths) - SKIPPED_NAMED} more" if len(paths) > SKIPPED_NAMED else ""
        files = "file" if len(paths) == 1 else "files"
        lines.append(f"  skipped {len(paths)} {files}: {printable(reason)}: {named}{more}")
    return lines


def interrupted_lines(db_name: str, files_done: int, present: int, command: str) -> list[str]:
    """What Ctrl-C leaves: the files committed are kept (whole files only), and how to go on."""
    return [
        f"Interrupted after {files_done} files: {db_name} keeps every file committed before "
        f"Ctrl-C (whole files only; it now locates {present} present files) and marks the run "
        "interrupted.",
        f"To resume, run the same command again: {command}",
        "Files already cataloged and unchanged are not read again.",
    ]


def _severities(counts: Mapping[str, int]) -> str:
    return ", ".join(
        f"{counts.get(severity, 0)} {'info' if severity == 'info' else severity + 's'}"
        for severity in SEVERITIES
    )
