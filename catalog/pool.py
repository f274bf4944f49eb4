"""Isolated worker processes: every untrusted file is analysed in a process that may die.

Some failures cannot be caught inside Python: a native crash in an image codec, a parser stuck in
a loop on a crafted EXIF block, an allocation that never ends. So each file is analysed in a
worker process with a **memory limit** (``RLIMIT_AS``, set when the worker starts) and a
**wall-clock limit** watched from the parent. A worker that overruns its time is killed; one that
dies (a signal, an exit) or runs out of memory is replaced by a fresh one; in every case the file
it was analysing becomes a result of its own - ``failed(item, reason)``, e.g. a skip saying
"worker killed: exceeded the time limit of 30 s" - and the run goes on. Workers are started once
and reused, never one per file, so isolation costs a message on a pipe per file.

Results come back in the order the items were submitted, which is the walk's order, so a run's
writes - and the catalog it leaves, even after an interruption and a resume - do not depend on
which worker was faster. At most ``IN_FLIGHT_PER_JOB`` items per worker are submitted and not yet
returned, which keeps memory flat however many files a tree holds. Each worker holds at most
``QUEUED_PER_WORKER`` items (the one it works on and the next), so it never waits for the parent
between two files, and a file lost with a worker is always the one it was working on.

Workers are forked where the platform allows it: they start at once with the code tables, the
manifests and the articles already in memory. They ignore Ctrl-C (the parent stops them) and,
on Linux, die with the parent, so a killed import leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT_PER_JOB = 4
QUEUED_PER_WORKER = 2

#: Default limits of one file's analysis: generous for any real photo (a 24 MP JPEG takes a
#: fraction of a second and some 100 MB), tight enough that a hostile file cannot stall a run.
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MEMORY_MB = 2048

_OK, _OUT_OF_MEMORY, _ERROR = "ok", "out-of-memory", "error"


@dataclass(frozen=True)
class Limits:
    """What the analysis of one file may take.

    ``seconds``: wall-clock time from the moment the worker starts on the file. ``memory_mb``:
    address space a worker may add to what it had when it started (``RLIMIT_AS``; the file's
    memory map counts), or None for no limit.
    """

    seconds: float = DEFAULT_TIMEOUT_SECONDS
    memory_mb: int | None = DEFAULT_MEMORY_MB


class TaskError(RuntimeError):
    """The task raised an exception in a worker (a bug, not a file's doing)."""


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OrderedPool(Generic[T, R]):
    """``submit`` items, get ``task(item)`` back in order, each computed in a limited worker.

    ``task`` runs in the workers (with fork it is inherited, elsewhere it must pickle); it should
    turn every failure a file can cause into a result: an exception it lets through is a bug,
    raised in the parent as ``TaskError``. ``failed(item, reason)`` runs in the parent and makes
    the result of an item whose worker was killed, crashed or ran out of memory.
    """

    def __init__(
        self,
        task: Callable[[T], R],
        failed: Callable[[T, str], R],
        *,
        jobs: int,
        limits: Limits | None = None,
    ) -> None:
        self.task, self.failed = task, failed
        self.limits = limits or Limits()
        self.limit = max(1, jobs) * IN_FLIGHT_PER_JOB
        methods = multiprocessing.get_all_start_methods()
        self._mp = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.waiting: deque[tuple[int, T]] = deque()
        self.done: dict[int, R] = {}
        self.next_seq = self.next_out = 0
        self.workers: list[_Worker[T]] = []
        for _ in range(max(1, jobs)):
            self.workers.append(self._start_worker())

    def __enter__(self) -> OrderedPool[T, R]:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        for worker in self.workers:
            worker.stop(now=exc_type is not None)
        self.workers = []

    # --- the public side ------------------------------------------------------------------

    def submit(self, item: T) -> Iterator[R]:
        """Queue one item; yields the results that are due (oldest first). Iterate it fully."""
        self.waiting.append((self.next_seq, item))
        self.next_seq += 1
        self._collect(block=False)
        while self.next_out in self.done or self.next_seq - self.next_out >= self.limit:
            if self.next_out in self.done:
                yield self._pop()
            else:
                self._collect(block=True)

    def drain(self) -> Iterator[R]:
        """The results still pending, in order."""
        while self.next_out < self.next_seq:
            if self.next_out in self.done:
                yield self._pop()
            else:
                self._collect(block=True)

    def map(self, items: Iterable[T]) -> Iterator[R]:
        """``task(item)`` of every item, in order."""
        for item in items:
            yield from self.submit(item)
        yield from self.drain()

    # --- the workers ----------------------------------------------------------------------

    def _start_worker(self) -> _Worker[T]:
        ours, theirs = self._mp.Pipe(duplex=True)
        parent_ends = [ours, *(worker.conn for worker in self.workers)]
        process = self._mp.Process(
            target=_serve,
            args=(theirs, self.task, self.limits.memory_mb, parent_ends, os.getpid()),
            daemon=True,
        )
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _replace(self, worker: _Worker[T], reason: str | None) -> None:
        """Stop ``worker``: the item it works on gets ``reason`` (when given), the items queued
        behind it go back to the front of the line, and a fresh worker takes its place."""
        worker.stop(now=True)
        if reason is not None and worker.queue:
            seq, item = worker.queue.popleft()
            self.done[seq] = self.failed(item, reason)
        self.waiting.extendleft(reversed(worker.queue))
        self.workers[self.workers.index(worker)] = self._start_worker()

    def _dispatch(self) -> None:
        for worker in list(self.workers):
            while self.waiting and len(worker.queue) < QUEUED_PER_WORKER:
                seq, item = self.waiting.popleft()
                try:
                    worker.conn.send(item)
                except (OSError, ValueError):  # the worker died while idle
                    self.waiting.appendleft((seq, item))
                    self._replace(worker, None)
                    break
                if not worker.queue:
                    worker.started = time.monotonic()
                worker.queue.append((seq, item))

    def _collect(self, *, block: bool) -> None:
        """Take the results that are ready (waiting for one when ``block``), and deal with the
        workers that died or overran their time."""
        self._dispatch()
        busy = [worker for worker in self.workers if worker.queue]
        if not busy:
            return
        timeout = 0.0
        if block:
            deadline = min(worker.started for worker in busy) + self.limits.seconds
            timeout = max(0.0, deadline - time.monotonic())
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        for worker in busy:
            if worker.conn in ready:
                self._receive(worker)
            elif worker.process.sentinel in ready:
                self._replace(worker, _death(worker.process))
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.queue and now - worker.started > self.limits.seconds:
                reason = f"worker killed: exceeded the time limit of {self.limits.seconds:g} s"
                self._replace(worker, reason)
        self._dispatch()

    def _receive(self, worker: _Worker[T]) -> None:
        try:
            status, value = worker.conn.recv()
        except (EOFError, OSError):  # it died: whatever it was doing is lost
            worker.process.join()
            self._replace(worker, _death(worker.process))
            return
        seq, item = worker.queue.popleft()
        worker.started = time.monotonic()
        if status == _OK:
            self.done[seq] = value
        elif status == _OUT_OF_MEMORY:
            self.done[seq] = self.failed(
                item, f"worker ran out of memory: exceeded the limit of {self.limits.memory_mb} MB"
            )
            self._replace(worker, None)  # it exits: a heap that hit its limit is not reused
        else:
            raise TaskError(f"{value} (in the analysis of {item})")

    def _pop(self) -> R:
        result = self.done.pop(self.next_out)
        self.next_out += 1
        return result


class _Worker(Generic[T]):
    """A worker process, its end of the pipe, and the items sent to it without a result yet."""

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process, self.conn = process, conn
        self.queue: deque[tuple[int, T]] = deque()
        self.started = time.monotonic()  # when it started on the first item of its queue

    def stop(self, *, now: bool) -> None:
        """Stop the process: at once (killed), or by closing its pipe and letting it finish."""
        if now and self.process.is_alive():
            self.process.kill()
        self.conn.close()
        self.process.join(None if now else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _death(process: Any) -> str:
    """Why a worker ended, in words: the signal that killed it, or its exit status."""
    process.join()
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "unknown signal"
        return f"worker crashed (signal {-code}: {name})"
    return f"worker exited with status {code}"


# --- inside a worker --------------------------------------------------------------------------


def _serve(
    conn: Connection,
    task: Callable[[Any], Any],
    memory_mb: int | None,
    parent_ends: list[Connection],
    parent: int,
) -> None:
    """A worker's life: take an item, send back ``(status, result)``, until the pipe closes."""
    for end in parent_ends:  # copied by fork: holding them, the worker would never see EOF
        end.close()
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    faulthandler.disable()  # a crash is the parent's to report, as a skip, not a dump
    if memory_mb is not None:
        _limit_memory(memory_mb)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (_OK, task(item))
        except MemoryError:
            reply = (_OUT_OF_MEMORY, None)
        except Exception as error:  # a bug in the task: the parent raises it
            reply = (_ERROR, f"{type(error).__name__}: {error}")
        try:
            conn.send(reply)
        except OSError:  # the parent is gone
            return
        except MemoryError:
            reply = (_OUT_OF_MEMORY, None)
            conn.send(reply)
        except Exception as error:  # a result that cannot be pickled
            conn.send((_ERROR, f"the result cannot be returned: {type(error).__name__}: {error}"))
        if reply[0] == _OUT_OF_MEMORY:
            return


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the worker has now plus ``memory_mb``."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """The process's current virtual size in bytes (0 where /proc does not say)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (kill -9 included), so no worker
    outlives an import. Elsewhere the closed pipe ends it once its current file is done."""
    with contextlib.suppress(OSError, AttributeError):  # no prctl: not Linux
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)
