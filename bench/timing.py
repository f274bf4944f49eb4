"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import timeit
from collections.abc import Callable


def best_seconds(task: Callable[[], object], *, repeat: int = 7, number: int = 20) -> float:
    """The best time of one call of ``task``: the minimum is the least disturbed by noise."""
    return min(timeit.repeat(task, repeat=repeat, number=number)) / number


def compare(
    name: str, task: Callable[[], object], baseline: Callable[[], object], what: str
) -> str:
    """One report line: ``task`` as a multiple of ``baseline`` (what the baseline is: ``what``)."""
    ours, base = best_seconds(task), best_seconds(baseline)
    return f"{name:<32} {ours / base:6.1f}x {what} ({ours * 1e3:.2f} ms vs {base * 1e3:.2f} ms)"
