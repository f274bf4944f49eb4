"""The benchmark registry and the timing loop.

A benchmark function receives the ``Context`` (output folder, repeat count) and returns a
``Comparison``: two commands to time and the minimum ratio the project promises, if any.
Commands run as subprocesses, so each side pays its own start-up, as a user would.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Command:
    """A command line and the name shown in the results table."""

    label: str
    argv: Sequence[str]

    def run(self) -> float:
        """Run once with output discarded; the wall-clock seconds it took."""
        start = time.perf_counter()
        subprocess.run(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start


@dataclass(frozen=True)
class Comparison:
    baseline: Command
    candidate: Command
    target: float | None = None  # the ratio baseline/candidate the project promises
    note: str = ""


@dataclass(frozen=True)
class Context:
    out: Path
    repeat: int = 5


@dataclass
class Result:
    name: str
    comparison: Comparison
    baseline_times: list[float] = field(default_factory=list)
    candidate_times: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.baseline_times) / statistics.median(self.candidate_times)

    @property
    def passed(self) -> bool:
        target = self.comparison.target
        return target is None or self.ratio >= target


@dataclass(frozen=True)
class Benchmark:
    name: str
    prepare: Callable[[Context], Comparison]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Callable[[Context], Comparison]], Callable]:
    """Register ``prepare(context) -> Comparison`` under ``name``."""

    def register(prepare: Callable[[Context], Comparison]) -> Callable[[Context], Comparison]:
        REGISTRY[name] = Benchmark(name, prepare)
        return prepare

    return register


def measure(bench: Benchmark, context: Context) -> Result:
    """Prepare the inputs, warm both commands up once, then time them alternately."""
    comparison = bench.prepare(context)
    result = Result(bench.name, comparison)
    comparison.baseline.run()  # warm-up: page cache, byte-code caches
    comparison.candidate.run()
    for _ in range(context.repeat):
        result.baseline_times.append(comparison.baseline.run())
        result.candidate_times.append(comparison.candidate.run())
    return result


def table(results: list[Result]) -> str:
    """The results as an aligned text table."""
    header = ("benchmark", "baseline", "median s", "candidate", "median s", "ratio", "target")
    rows = [header]
    for r in results:
        target = r.comparison.target
        rows.append(
            (
                r.name,
                r.comparison.baseline.label,
                f"{statistics.median(r.baseline_times):.3f}",
                r.comparison.candidate.label,
                f"{statistics.median(r.candidate_times):.3f}",
                f"{r.ratio:.2f}x",
                "-" if target is None else f">= {target:g}x {'ok' if r.passed else 'MISSED'}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"{r.name}: {r.comparison.note}" for r in results if r.comparison.note]
    return "\n".join([*lines, "", *notes] if notes else lines)
