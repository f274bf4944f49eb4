"""The isolated worker pool: results in order, and a file that kills its worker costs only itself.

The tasks here are real work in real forked processes: a loop that never ends, a native crash
(a null pointer read through ctypes), an allocation beyond the memory limit, a bug. Each must turn
into the ``failed`` result of its own item, with the reason, while the items queued behind it on
the same worker are computed by its replacement.
"""

from __future__ import annotations

import ctypes
import os

import pytest

from catalog.pool import Limits, OrderedPool, TaskError


def task(item: str) -> str:
    if item == "loop":
        while True:
            pass
    if item == "crash":
        ctypes.string_at(0)
    if item == "hog":
        return str(len(bytearray(400 << 20)))
    if item == "exit":
        os._exit(3)
    if item == "bug":
        raise KeyError(item)
    return f"done {item} in {os.getpid()}"


def failed(item: str, reason: str) -> str:
    return f"failed {item}: {reason}"


def run(items: list[str], jobs: int = 1, seconds: float = 1.0) -> list[str]:
    limits = Limits(seconds=seconds, memory_mb=100)
    with OrderedPool(task, failed, jobs=jobs, limits=limits) as pool:
        return list(pool.map(items))


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ("loop", "worker killed: exceeded the time limit of 1 s"),
        ("crash", "worker crashed (signal 11: SIGSEGV)"),
        ("hog", "worker ran out of memory: exceeded the limit of 100 MB"),
        ("exit", "worker exited with status 3"),
    ],
)
def test_a_lost_worker_fails_its_own_item_and_the_next_ones_are_computed(item, reason):
    """One worker: the item after the bad one was already queued on it, and is not lost."""
    before, bad, after = run(["a", item, "b"])
    assert before.startswith("done a") and after.startswith("done b")
    assert bad == f"failed {item}: {reason}"
    assert before.split()[-1] != after.split()[-1]  # a fresh worker took over


def test_results_come_back_in_submission_order_whatever_the_timing():
    items = [f"item{i}" for i in range(40)]
    items[3] = "loop"
    items[17] = "crash"
    results = run(items, jobs=2, seconds=0.5)
    assert [r.split()[1].rstrip(":") for r in results] == items
    assert results[3].startswith("failed loop") and results[17].startswith("failed crash")


def test_a_bug_in_the_task_is_raised_not_mistaken_for_a_bad_file():
    with pytest.raises(TaskError, match="KeyError"):
        run(["a", "bug"])


def test_the_workers_are_gone_after_the_pool():
    with OrderedPool(task, failed, jobs=2, limits=Limits()) as pool:
        list(pool.map(["a", "b", "c"]))
        processes = [worker.process for worker in pool.workers]
    assert not [p for p in processes if p.is_alive()]
