"""Progress while an import runs, and the closing summary.

On a terminal: a progress bar on standard error. Elsewhere (CI, a pipe): one plain line every few
seconds, so a log shows the run is alive without drowning in carriage returns.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from catalog.core.text import printable
from catalog.importer.pipeline import ImportSummary, NoProgress, Progress

LINE_INTERVAL_SECONDS = 5.0


class LineProgress:
    """A plain ``import: N of M files (R files/s)`` line every few seconds."""

    def __init__(self, total: int | None, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.done = 0
        self.started = self.last = time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= LINE_INTERVAL_SECONDS:
            self.last = now
            of = f" of {self.total}" if self.total is not None else ""
            rate = self.done / (now - self.started)
            print(f"import: {self.done}{of} files ({rate:.0f} files/s)", file=self.stream)


class BarProgress:
    def __init__(self, bar) -> None:
        self.bar = bar

    def advance(self, count: int = 1) -> None:
        self.bar.update(count)


@contextmanager
def progress_for(count: Callable[[], int], *, quiet: bool = False) -> Iterator[Progress]:
    """The progress display that suits standard error: a bar on a terminal, lines otherwise.

    ``count`` gives the number of files for the bar; it is only called on a terminal (counting a
    large tree costs a walk of its names).
    """
    if quiet:
        yield NoProgress()
    elif sys.stderr.isatty():
        with click.progressbar(length=count(), label="import", file=sys.stderr) as bar:
            yield BarProgress(bar)
    else:
        yield LineProgress(None, sys.stderr)


def summary_lines(summary: ImportSummary, db_name: str) -> list[str]:
    """The closing summary: one line of counts, skipped files with reasons, findings.

    File names and reasons come from the files (a reason can quote a value): printable."""
    c = summary.counts()
    rate = summary.files_seen / summary.seconds if summary.seconds else 0.0
    lines = [
        f"{db_name}: {c['imported']} imported, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['missing']} missing, {c['skipped']} skipped "
        f"({summary.files_seen} files in {summary.seconds:.1f} s, {rate:.0f} files/s)"
    ]
    lines += [
        f"  skipped {printable(path)}: {printable(reason)}"
        for path, reason in summary.skipped.items()
    ]
    lines += [
        f"  input {f.severity.value} {f.code}: {printable(f.message)}"
        for f in summary.input_findings
    ]
    lines += [
        f"  collection {f.severity.value} {f.code}: {printable(path)}: {printable(f.message)}"
        for path, findings in summary.collection_findings.items()
        for f in findings
    ]
    lines += [
        f"  resolved {f.code}: {printable(path)}: {printable(f.message)}"
        for path, findings in summary.resolved_collection_findings.items()
        for f in findings
    ]
    lines.append(
        f"findings: {c['errors']} errors, {c['warnings']} warnings, {c['infos']} info "
        f"in the {c['imported'] + c['updated']} files read"
    )
    return lines
