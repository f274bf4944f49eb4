"""The analysis on a Dask cluster against the local pool, and the one writer's sustained rate.

* files/s through ``ClusterPool`` (``local:1``, ``local:2``: a ``LocalCluster`` of worker
  processes on this machine) against ``OrderedPool`` with as many processes, on the same large
  JPEGs: what the cluster adds per file (scheduling, pickling the rows back, the worker-side
  subprocess hop) must stay under 10% of the analysis (a target of at most 1.1x slower). Both pools
  are started before the timing: a backfill starts them once for millions of files.
* the writer's sustained files/s (each file some 50 rows) against the analysis of the same
  files on one core: the speed-up is how many analysis cores one writer can feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from functools import partial
from itertools import count

from bench.corpus import jpeg_corpus
from bench.registry import Call, Comparison, Context, benchmark
from catalog.analysis.analyze import AnalysisContext
from catalog.cluster import ClusterPool
from catalog.core.rules import default_selection
from catalog.files.walk import walk
from catalog.importer.worker import process_entry, skipped
from catalog.pool import Limits, OrderedPool
from catalog.schemas import load_tables
from catalog.store.catalog import Catalog
from catalog.store.rows import AssetRows, FileRows

CLUSTER_JPEGS = 40


def _files(context: Context):
    folder = jpeg_corpus(context.out, CLUSTER_JPEGS)
    return [stat for f in walk([folder]) for stat in f.files]


def _task():
    analysis = AnalysisContext(
        tables=load_tables(), today=dt.date(2024, 1, 1), selected=default_selection()
    )
    return partial(process_entry, context=analysis)


def _through(pool, files) -> Call:
    return Call(type(pool).__name__, lambda: sum(1 for _ in pool.map(files)), number=1)


def _pools(workers: int):
    task, limits = _task(), Limits()
    local = OrderedPool(task, skipped, jobs=workers, limits=limits)
    cluster = ClusterPool(task, skipped, address=f"local:{workers}", limits=limits)
    return local, cluster  # left running for the session: a backfill starts them once


def _cluster_vs_pool(context: Context, workers: int) -> Comparison:
    files = _files(context)
    local, cluster = _pools(workers)
    return Comparison(
        baseline=_through(local, files),
        candidate=_through(cluster, files),
        target=1 / 1.1,
        repeat=3,
        note=f"{len(files)} JPEGs of 12-24 MP, {workers} worker(s): the cluster's cost per file "
        "over the local pool, as a share of the analysis",
    )


@benchmark(f"cluster local:1 vs local pool, 1 process ({CLUSTER_JPEGS} large JPEGs)")
def cluster_one_worker(context: Context) -> Comparison:
    return _cluster_vs_pool(context, 1)


@benchmark(f"cluster local:2 vs local pool, 2 processes ({CLUSTER_JPEGS} large JPEGs)")
def cluster_two_workers(context: Context) -> Comparison:
    return _cluster_vs_pool(context, 2)


@benchmark(f"writer vs one analysis core ({CLUSTER_JPEGS} large JPEGs)")
def writer_rate(context: Context) -> Comparison:
    files = _files(context)
    task = _task()
    results = [result for result in map(task, files) if result.rows is not None]
    db_path = context.out / "bench-writer.db"
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    writer = Catalog.open(db_path).writer()
    writer.start_run(["bench"], {})
    copies = count()

    def write_copies() -> None:  # the same files as new content: the catalog keeps growing
        n = next(copies)
        for result in results:
            writer.write(_copy(result, n))
        writer.commit()

    rows = sum(_row_count(result.rows) for result in results)
    stats = [result.stat for result in results]
    return Comparison(
        baseline=Call("analysis, 1 core", lambda: [task(stat) for stat in stats], number=1),
        candidate=Call("one writer", write_copies, number=20),
        repeat=3,
        note=f"{len(results)} files ({rows} rows: asset, keywords, findings, field values, "
        "thumbnail) analysed on one core against the same files committed by the one writer to a "
        "growing catalog: the speed-up is how many analysis cores one writer can feed",
    )


def _row_count(rows: AssetRows) -> int:
    return 1 + len(rows.keywords) + len(rows.findings) + len(rows.field_values) + 1


def _copy(result: FileRows, n: int) -> FileRows:
    """``result`` as another file with other content: a new path and SHA-256."""
    stat = replace(result.stat, path=f"{result.stat.path}#{n}", name=f"{result.stat.name}#{n}")
    sha = hashlib.sha256(f"{result.rows.sha256}{n}".encode()).hexdigest()
    rows = replace(result.rows, sha256=sha, asset={**result.rows.asset, "sha256": sha})
    return replace(result, stat=stat, rows=rows)
