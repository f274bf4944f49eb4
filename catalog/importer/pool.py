"""Worker processes with a bounded number of files in flight, results in submission order.

Results come back in the order the files were submitted, which is the walk's order, so a run's
writes - and the catalog it leaves, even after an interruption and a resume - do not depend on
which worker was faster. At most ``IN_FLIGHT_PER_JOB`` files per worker are submitted and not yet
written, which keeps memory flat however many files a tree holds.

Workers are forked where the platform allows it: they start at once with the code tables, the
manifests and the articles already in memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from catalog.importer.analyze import AnalysisContext
from catalog.importer.worker import init_worker, process, process_file
from catalog.store.rows import FileRows, FileStat

IN_FLIGHT_PER_JOB = 4


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OrderedPool:
    """``submit`` files, get their ``FileRows`` back in order; ``jobs=1`` works in-process."""

    def __init__(self, jobs: int, context: AnalysisContext) -> None:
        self.context = context
        self.limit = max(1, jobs) * IN_FLIGHT_PER_JOB
        self.pending: deque[Future[FileRows]] = deque()
        self.executor: ProcessPoolExecutor | None = None
        if jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            start = multiprocessing.get_context("fork" if "fork" in methods else None)
            self.executor = ProcessPoolExecutor(
                jobs, mp_context=start, initializer=init_worker, initargs=(context,)
            )

    def __enter__(self) -> OrderedPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, stat: FileStat) -> Iterator[FileRows]:
        """Queue one file; yields the results that are due (oldest first)."""
        if self.executor is None:
            yield process_file(stat, self.context)
            return
        self.pending.append(self.executor.submit(process, stat))
        while self.pending and (len(self.pending) >= self.limit or self.pending[0].done()):
            yield self.pending.popleft().result()

    def drain(self) -> Iterator[FileRows]:
        """The results still pending, in order."""
        while self.pending:
            yield self.pending.popleft().result()
