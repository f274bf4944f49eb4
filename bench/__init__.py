"""Benchmarks of the catalog: ratios against a baseline measured in the same run.

``python -m bench`` (``make bench``) runs every registered benchmark and prints one table. A
benchmark is a pair of commands - a baseline (usually another well-known tool doing the same job)
and the candidate (our code) - run alternately on the same input, so machine noise hits both; the
figure reported is the ratio of their median times, never an absolute time. Inputs are generated,
seeded, and cached under ``bench-out/``.

To add a benchmark, write a module with a function decorated by ``@benchmark`` (see
``bench.registry``) and add the module to ``BENCHMARK_MODULES`` in ``bench.__main__``.
"""
