"""Progress of a catalog-wide command (publish, export, ``validate --db``) on standard error.

On a terminal: one line rewritten in place, ``publish: 120000/1000000 assets (85000/s)``, at most
five times a second. Elsewhere (CI, a pipe, a log): the same words as a plain line every few
seconds, so a log shows the run is alive without carriage returns. The command's own output
(standard output, or its file) is never touched.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

TERMINAL_INTERVAL_SECONDS = 0.2
LINE_INTERVAL_SECONDS = 5.0


class CommandProgress:
    """Counts what a command has done of ``total`` and shows it now and then; ``close`` ends
    the terminal line with the final count."""

    def __init__(
        self, label: str, total: int | None, unit: str, stream: TextIO | None = None
    ) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.interval = TERMINAL_INTERVAL_SECONDS if self.terminal else LINE_INTERVAL_SECONDS
        self.done = 0
        self.started = self.shown = time.monotonic()

    def __call__(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.shown >= self.interval:
            self.shown = now
            self._show(now)

    def close(self) -> None:
        if self.terminal and self.done:
            self._show(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        of = f"/{self.total}" if self.total is not None else ""
        rate = self.done / max(now - self.started, 1e-9)
        return f"{self.label}: {self.done}{of} {self.unit} ({rate:.0f}/s)"

    def _show(self, now: float) -> None:
        if self.terminal:
            self.stream.write("\r" + self.line(now))
        else:
            self.stream.write(self.line(now) + "\n")
        self.stream.flush()


def counted(items: Iterable[T], progress: CommandProgress, every: int = 1_000) -> Iterator[T]:
    """``items`` unchanged, telling ``progress`` every ``every`` of them and at the end."""
    done = 0
    for item in items:
        yield item
        done += 1
        if done == every:
            progress(done)
            done = 0
    progress(done)
    progress.close()
