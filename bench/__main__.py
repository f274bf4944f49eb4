"""``python -m bench [NAME ...] [--repeat N] [--out DIR]``: run benchmarks, print the table.

Exits 1 when a benchmark misses its target, so a regression is visible in a script.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from bench.registry import REGISTRY, Context, measure, table

#: Modules that register benchmarks; add yours here.
BENCHMARK_MODULES = (
    "bench.virin",
    "bench.credit",
    "bench.readers",
    "bench.importer",
    "bench.validate",
    "bench.cluster",
    "bench.scale",
    "bench.desk",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="timed samples of each side")
    parser.add_argument("--out", type=Path, default=Path("bench-out"), help="cache folder")
    args = parser.parse_args(argv)
    for module in BENCHMARK_MODULES:
        importlib.import_module(module)
    unknown = set(args.names) - set(REGISTRY)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    context = Context(out=args.out, repeat=args.repeat)
    results = []
    for name in args.names or list(REGISTRY):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(measure(REGISTRY[name], context))
    print(table(results))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
