"""Benchmarks (``make bench``): each reports speed as a ratio to a baseline timed in the same run.

The machine is shared and noisy, so absolute times mean little; a ratio to a simple baseline
measured a moment earlier on the same machine does. ``python -m bench`` runs every registered
benchmark and prints one table.

A benchmark is a function registered with ``@benchmark(name)`` (``bench.registry``) that prepares
its inputs and returns a ``Comparison`` of two timed sides: ``Call`` for a function timed in this
process (parsers against bare regular expressions), ``Command`` for a whole program run as a
subprocess, start-up included (our reader against ExifTool). Both sides are timed alternately, and
the best time of each counts (the minimum is the least disturbed by noise). Large inputs are
generated, seeded, and cached under ``bench-out/`` (``bench.corpus``).

To add one: write the function in a module of this package and list the module in
``BENCHMARK_MODULES`` (``bench.__main__``).
"""
