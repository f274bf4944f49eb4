"""The benchmark registry, the two kinds of timed sides, and the results table."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Call:
    """A function timed in this process; one sample is the mean of ``number`` calls."""

    label: str
    task: Callable[[], object]
    number: int = 20

    def seconds(self) -> float:
        return timeit.timeit(self.task, number=self.number) / self.number


@dataclass(frozen=True)
class Command:
    """A program run as a subprocess with its output discarded; one sample is one run."""

    label: str
    argv: Sequence[str]

    def seconds(self) -> float:
        start = time.perf_counter()
        subprocess.run(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - start


@dataclass(frozen=True)
class Latency:
    """A query run once per input: one sample is the given percentile of the latencies."""

    label: str
    query: Callable[[object], object]
    inputs: Sequence[object]
    percentile: float = 95

    def seconds(self) -> float:
        times = []
        for item in self.inputs:
            start = time.perf_counter()
            self.query(item)
            times.append(time.perf_counter() - start)
        times.sort()
        return times[min(len(times) - 1, int(len(times) * self.percentile / 100))]


@dataclass(frozen=True)
class PeakMemory:
    """A program's peak resident memory (its largest process, workers included), in MiB."""

    label: str
    argv: Sequence[str]

    def seconds(self) -> float:  # the registry's one measurement method; here it is MiB
        probe = [sys.executable, "-m", "bench.peak_rss", *self.argv]
        return float(subprocess.run(probe, capture_output=True, check=True, text=True).stdout)


Side = Call | Command | Latency | PeakMemory


@dataclass(frozen=True)
class Comparison:
    """Our side against a baseline; ``target`` is the speed-up (baseline / ours) promised.

    ``max_seconds`` is an absolute promise on our side's time (a throughput or latency target);
    ``repeat`` overrides the run's sample count for slow benchmarks; ``unit`` is what the sides
    measure (``s``, or ``MiB`` for memory, where the "speed-up" is the baseline's memory / ours).
    """

    baseline: Side
    candidate: Side
    target: float | None = None
    note: str = ""
    max_seconds: float | None = None
    repeat: int | None = None
    unit: str = "s"


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
    def speedup(self) -> float:
        """How many times faster our side is than the baseline (below 1: slower)."""
        return min(self.baseline_times) / min(self.candidate_times)

    @property
    def passed(self) -> bool:
        target, limit = self.comparison.target, self.comparison.max_seconds
        fast = target is None or self.speedup >= target
        return fast and (limit is None or min(self.candidate_times) <= limit)


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


def need(*tools: str, who: str) -> None:
    """Stop the run, saying ``who`` needs what, when a program a benchmark runs is not on PATH."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"{who} {', '.join(missing)} on PATH")


def measure(bench: Benchmark, context: Context) -> Result:
    """Prepare the inputs, warm both sides up once, then time them alternately."""
    comparison = bench.prepare(context)
    result = Result(bench.name, comparison)
    if comparison.unit == "s":
        comparison.baseline.seconds()  # warm-up: page cache, lazy imports, compiled patterns
        comparison.candidate.seconds()
    for _ in range(comparison.repeat or context.repeat):
        result.baseline_times.append(comparison.baseline.seconds())
        result.candidate_times.append(comparison.candidate.seconds())
    return result


def _speed(speedup: float) -> str:
    return f"{speedup:.2f}x faster" if speedup >= 1 else f"{1 / speedup:.2f}x slower"


def _time(seconds: float, unit: str = "s") -> str:
    if unit != "s":
        return f"{seconds:.0f} {unit}"
    return f"{seconds:.3f} s" if seconds >= 0.1 else f"{seconds * 1e3:.2f} ms"


def _target(comparison: Comparison, passed: bool) -> str:
    parts = []
    target = comparison.target
    if target is not None:  # a speed-up below 1 is an allowed slow-down: say it as one
        parts.append(f">= {target:g}x faster" if target >= 1 else f"<= {1 / target:.3g}x slower")
    if comparison.max_seconds is not None:
        parts.append(f"<= {_time(comparison.max_seconds)}")
    if not parts:
        return "-"
    return f"{' and '.join(parts)} {'ok' if passed else 'MISSED'}"


def table(results: list[Result]) -> str:
    """The results as an aligned text table: our speed relative to each baseline."""
    header = ("benchmark", "ours", "speed", "baseline", "target")
    rows = [header]
    for r in results:
        unit = r.comparison.unit
        rows.append(
            (
                r.name,
                _time(min(r.candidate_times), unit),
                _speed(r.speedup),
                f"{r.comparison.baseline.label} ({_time(min(r.baseline_times), unit)})",
                _target(r.comparison, r.passed),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"{r.name}: {r.comparison.note}" for r in results if r.comparison.note]
    return "\n".join([*lines, "", *notes] if notes else lines)
