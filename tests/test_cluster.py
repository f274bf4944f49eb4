"""The Dask-backed pool: the local pool's promises, kept on cluster workers.

A real ``LocalCluster`` of worker processes (``local:N``) runs real tasks: a loop that never ends,
a native crash, an allocation beyond the memory limit, a task that kills the Dask worker itself.
Each bad file comes back as the ``failed`` result of its own item, in submission order, while the
others are computed.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from test_pool import failed
from test_pool import task as hostile_task

from catalog.cluster import ClusterError, ClusterPool
from catalog.pool import Limits


def task(item: str) -> str:
    """The local pool's hostile tasks (``test_pool.task``), and one that kills its Dask worker the
    first time it runs."""
    if item.startswith("kill-dask-worker-once:"):
        marker = Path(item.split(":", 1)[1])
        if not marker.exists():
            marker.touch()
            os.kill(os.getppid(), signal.SIGKILL)  # the Dask worker this subprocess serves
    return hostile_task(item).split(" in ")[0]  # without the pid of the process


@pytest.fixture(scope="module")
def limits() -> Limits:
    return Limits(seconds=2.0, memory_mb=100)


def test_bad_files_are_recorded_failures_in_order_and_the_run_goes_on(limits):
    items = ["a", "loop", "b", "crash", "c", "hog", "d"]
    with ClusterPool(task, failed, address="local:2", limits=limits) as pool:
        results = list(pool.map(items))
    assert results == [
        "done a",
        "failed loop: worker killed: exceeded the time limit of 2 s",
        "done b",
        "failed crash: worker crashed (signal 11: SIGSEGV)",
        "done c",
        "failed hog: worker ran out of memory: exceeded the limit of 100 MB",
        "done d",
    ]


def test_a_killed_dask_worker_has_its_file_analysed_again_elsewhere(limits, tmp_path):
    killer = f"kill-dask-worker-once:{tmp_path / 'killed'}"
    with ClusterPool(task, failed, address="local:2", limits=limits) as pool:
        results = list(pool.map(["a", killer, "b"]))
    assert (tmp_path / "killed").exists()  # a worker did die
    assert results == ["done a", f"done {killer}", "done b"]


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(ClusterError, match=re.escape("tcp://127.0.0.1:9: cannot reach")):
        ClusterPool(task, failed, address="tcp://127.0.0.1:9")


def test_a_malformed_local_address_is_a_clear_error():
    with pytest.raises(ClusterError, match="say local:N with N a number of workers"):
        ClusterPool(task, failed, address="local:many")
