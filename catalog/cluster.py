"""The per-file analysis on a Dask cluster: ``ClusterPool``, the sibling of ``pool.OrderedPool``.

A backfill of millions of photos needs more cores than one machine has; the catalog stays one
SQLite file with one writer. ``ClusterPool`` has the interface of ``OrderedPool`` - ``submit``,
``drain``, ``map``: ``task(item)`` of each item, **in the order submitted** - so the importer
chooses one or the other and changes nothing else. ``address`` is a scheduler
(``tcp://scheduler:8786``) or ``local:N``, a ``LocalCluster`` of N worker processes started here
(and stopped with the pool). ``dask.distributed`` comes with the ``[dask]`` extra and is imported
only when a cluster is asked for.

**Isolation: a worker-side subprocess.** Each thread of each Dask worker analyses its files in an
``OrderedPool`` of one process of its own, started on its first file and reused: the same
``RLIMIT_AS`` memory limit and wall-clock limit per file as a local import, and a file that
overruns them or crashes its process comes back as ``failed(item, reason)``, a recorded skip,
while the Dask worker itself lives on. A Dask worker is daemonic by default, and a daemonic
process may not start one: workers of ``local:N`` are started with ``distributed.worker.daemon``
off, those of a scheduler must be (``DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker ...``).
The nanny's memory limit (Dask's default) stays as the worker's own backstop, not a per-file
limit. A Dask worker that dies (kill -9, a lost machine) has its files rescheduled by the
scheduler onto the others; a file on which ``distributed.scheduler.allowed-failures`` workers
died is a skip too.

The task (with the run's code tables, manifests and articles) is scattered to the workers once,
not sent with every file (scattered again, and the files in flight submitted again, when every
worker holding it died - ``local:1`` after a kill -9 - at most ``RESCATTERS`` times a run);
at most ``IN_FLIGHT_PER_JOB`` files per worker thread are in flight, which keeps the importer's
memory flat. Results stream back to the one writer as they come due.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, Generic, TypeVar

from catalog.pool import IN_FLIGHT_PER_JOB, Limits, OrderedPool, TaskError

T = TypeVar("T")
R = TypeVar("R")

LOCAL_PREFIX = "local:"
#: How many times a run scatters its task again after every copy was lost with its workers.
RESCATTERS = 3


class ClusterError(RuntimeError):
    """The cluster cannot be reached or used (no scheduler, dask not installed, lost)."""


class ClusterPool(Generic[T, R]):
    """``submit`` items, get ``task(item)`` back in order, each computed on a Dask worker in a
    limited subprocess. ``task`` must pickle; ``failed(item, reason)`` runs here."""

    def __init__(
        self,
        task: Callable[[T], R],
        failed: Callable[[T, str], R],
        *,
        address: str,
        limits: Limits | None = None,
    ) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError(
                "--cluster needs dask.distributed: pip install 'dod-imagery-catalog[dask]'"
            ) from None
        self.failed = failed
        self.limits = limits or Limits()
        self._cluster = _local_cluster(address) if address.startswith(LOCAL_PREFIX) else None
        try:
            self.client = Client(self._cluster or address, timeout=30)
        except (OSError, TimeoutError) as error:
            self._close_cluster()
            raise ClusterError(f"{address}: cannot reach the Dask scheduler: {error}") from None
        threads = sum(self.client.nthreads().values())
        self.limit = max(1, threads) * IN_FLIGHT_PER_JOB
        self._given, self._rescatters = task, 0
        self._task = self.client.scatter(task, broadcast=True, hash=False)
        self.pending: deque[tuple[T, Any]] = deque()

    def __enter__(self) -> ClusterPool[T, R]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for _, future in self.pending:
            future.cancel()
        self.pending.clear()
        self.client.close()
        self._close_cluster()

    def submit(self, item: T) -> Iterator[R]:
        """Queue one item; yields the results that are due (oldest first). Iterate it fully."""
        self.pending.append((item, self._submitted(item)))
        while self.pending and (self.pending[0][1].done() or len(self.pending) >= self.limit):
            yield self._pop()

    def drain(self) -> Iterator[R]:
        """The results still pending, in order."""
        while self.pending:
            yield self._pop()

    def map(self, items: Iterable[T]) -> Iterator[R]:
        """``task(item)`` of every item, in order."""
        for item in items:
            yield from self.submit(item)
        yield from self.drain()

    def _submitted(self, item: T) -> Any:
        return self.client.submit(_analyse, self._task, item, self.limits, pure=False)

    def _pop(self) -> R:
        from concurrent.futures import CancelledError

        from distributed import KilledWorker

        item, future = self.pending.popleft()
        try:
            status, value = future.result()
        except KilledWorker as error:
            return self.failed(item, f"cluster workers died analysing it ({error})")
        except CancelledError as error:  # the scattered task was lost with every worker holding it
            self._scatter_again(item, error)
            return self._pop()
        except TaskError:
            raise
        except OSError as error:  # the scheduler is gone: the run stops, the next completes it
            raise ClusterError(f"the Dask cluster was lost: {error}") from None
        return value if status == _OK else self.failed(item, value)

    def _scatter_again(self, item: T, error: Exception) -> None:
        """Scatter the task anew and submit ``item`` and every file in flight again with it."""
        self._rescatters += 1
        if self._rescatters > RESCATTERS:
            raise ClusterError(f"the Dask workers keep dying: {error}")
        for _, future in self.pending:
            future.cancel()
        self._task = self.client.scatter(self._given, broadcast=True, hash=False)
        lost = [item, *(pending for pending, _ in self.pending)]
        self.pending = deque((pending, self._submitted(pending)) for pending in lost)

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _local_cluster(address: str) -> Any:
    """A ``LocalCluster`` of the N worker processes of ``local:N``, one thread each, on the
    loopback interface only."""
    import logging

    import dask
    from distributed import LocalCluster

    count = address[len(LOCAL_PREFIX) :]
    if not count.isdigit() or int(count) < 1:
        raise ClusterError(f"{address}: say local:N with N a number of workers, e.g. local:4")
    # They start subprocesses. Set for the process, not for the start alone: a nanny reads it
    # again when it restarts a worker that died, and a daemonic worker could analyse nothing.
    dask.config.set({"distributed.worker.daemon": False})
    return LocalCluster(
        n_workers=int(count),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # the HTTP servers too: loopback only
        worker_dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )


# --- on a Dask worker -------------------------------------------------------------------------

_OK, _FAILED = "ok", "failed"
_pools = threading.local()  # each worker thread's own OrderedPool, and the task it runs


def _analyse(task: Callable[[Any], Any], item: Any, limits: Limits) -> tuple[str, Any]:
    """``(ok, task(item))`` computed in this worker thread's isolated subprocess, or
    ``(failed, reason)`` when the file overran its limits or crashed the subprocess."""
    if multiprocessing.current_process().daemon:
        raise ClusterError(
            "the Dask workers are daemonic and cannot start the isolated analysis processes: "
            "start them with DASK_DISTRIBUTED__WORKER__DAEMON=False"
        )
    pool = getattr(_pools, "pool", None)
    if pool is None or _pools.task is not task or pool.limits != limits:
        if pool is not None:
            pool.__exit__(None)
        pool = _pools.pool = OrderedPool(partial(_succeeded, task), _failure, jobs=1, limits=limits)
        _pools.task = task
    return next(iter(pool.map([item])))


def _failure(_item: Any, reason: str) -> tuple[str, str]:
    return _FAILED, reason


def _succeeded(task: Callable[[Any], Any], item: Any) -> tuple[str, Any]:
    return _OK, task(item)
