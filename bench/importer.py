"""The import pipeline and the catalog's queries, each against a baseline run in the same session.

* first import (hashing, metadata, rules, thumbnails, SQLite) of large JPEGs on all cores, against
  what other catalogs run - ``exiftool -j`` for metadata plus ``vipsthumbnail -s 256`` for
  thumbnails, the files split between one pipeline per core - and against the bare Pillow
  draft-mode thumbnail loop (``bench.pillow_thumbs``), the floor of this work;
* re-import of an unchanged tree of 100,000 files, against a bare ``os.walk`` + ``stat`` of it;
* full-text search p95 on a catalog of 1,000,000 assets, against the bare FTS5 match;
* peak memory of an import of 20,000 files against one of 5,000: flat means a ratio near 1.
"""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import sys
from pathlib import Path

from bench.catalogs import fts_catalog, tiny_tree
from bench.corpus import jpeg_corpus
from bench.registry import Command, Comparison, Context, Latency, PeakMemory, benchmark, need
from catalog.pool import default_jobs
from catalog.store.catalog import Catalog
from catalog.store.queries import Filters

LARGE_JPEGS = 300
TREE_FILES = 100_000
FTS_ASSETS = 1_000_000
MEMORY_FOLDERS = (50, 200)  # folders of 100 tiny files: 5,000 and 20,000 files


def _import_command(context: Context, name: str, *roots: Path | str, jobs: int | None = None):
    """A fresh import into ``bench-out/NAME.db`` (the old catalog removed first)."""
    db = context.out / f"{name}.db"
    remove = f"rm -f {shlex.quote(str(db))} {shlex.quote(str(db))}-wal {shlex.quote(str(db))}-shm"
    args = [sys.executable, "-m", "catalog", "import", *map(str, roots), "--db", str(db), "-q"]
    if jobs:
        args += ["--jobs", str(jobs)]
    return ["sh", "-c", f"{remove} && {shlex.join(args)} > /dev/null"]


@benchmark(f"first import vs exiftool+vips ({LARGE_JPEGS} large JPEGs)")
def import_vs_exiftool_vips(context: Context) -> Comparison:
    need("exiftool", "vipsthumbnail", who="the import benchmarks need")
    folder = jpeg_corpus(context.out, LARGE_JPEGS)
    jobs = default_jobs()
    files = sorted(folder.rglob("*.jpg"))
    # vipsthumbnail reads a relative -o as relative to each input's folder: give it an absolute one
    thumbs = (context.out / f"vips-thumbs-{LARGE_JPEGS}").resolve()
    shutil.rmtree(thumbs, ignore_errors=True)
    thumbs.mkdir()
    pipelines = []
    for shard in range(jobs):
        listing = context.out / f"shard-{LARGE_JPEGS}-{shard}.txt"
        listing.write_text("\n".join(str(f) for f in files[shard::jobs]) + "\n")
        pipelines.append(
            f"(exiftool -j -@ {shlex.quote(str(listing))} > /dev/null && xargs vipsthumbnail "
            f"-s 256 -o {shlex.quote(str(thumbs))}/%s.jpg < {shlex.quote(str(listing))}) &"
        )
    # one pipeline per core, so each vipsthumbnail gets one thread: with its default (a thread per
    # core in every process) the pipelines contend for the cores and the baseline runs slower
    script = f"export VIPS_CONCURRENCY=1; {' '.join(pipelines)} wait"
    return Comparison(
        baseline=Command("exiftool -j + vipsthumbnail", ["sh", "-c", script]),
        candidate=Command("catalog import", _import_command(context, "bench-import", folder)),
        target=1.2,
        repeat=3,
        note=f"{LARGE_JPEGS} JPEGs of 12-24 MP, {jobs} cores: the import hashes, reads every "
        "metadata source, checks every rule, makes thumbnails and commits to SQLite; the baseline "
        "runs one exiftool + vipsthumbnail pipeline per core",
    )


@benchmark(f"first import vs bare Pillow loop ({LARGE_JPEGS} large JPEGs)")
def import_vs_pillow(context: Context) -> Comparison:
    folder = jpeg_corpus(context.out, LARGE_JPEGS)
    jobs = default_jobs()
    return Comparison(
        baseline=Command(
            "Pillow draft thumbnails",
            [sys.executable, "-m", "bench.pillow_thumbs", str(folder), str(jobs)],
        ),
        candidate=Command("catalog import", _import_command(context, "bench-import", folder)),
        target=1 / 1.15,
        repeat=3,
        note="the floor: within 15% means a speed of at least 0.87 of the bare thumbnail loop",
    )


@benchmark(f"re-import unchanged ({TREE_FILES:,} files)")
def reimport_unchanged(context: Context) -> Comparison:
    tree, db = tiny_tree(context.out, TREE_FILES)
    walk = (
        "import os, sys\n"
        "for top, _, names in os.walk(sys.argv[1]):\n"
        "    for name in names: os.stat(os.path.join(top, name))\n"
    )
    return Comparison(
        baseline=Command("os.walk + stat", [sys.executable, "-c", walk, str(tree)]),
        candidate=Command(
            "catalog import (unchanged)",
            [sys.executable, "-m", "catalog", "import", str(tree), "--db", str(db), "-q"],
        ),
        max_seconds=TREE_FILES / 20_000,
        note=f"at least 20,000 files/s: {TREE_FILES:,} files in at most "
        f"{TREE_FILES / 20_000:g} s, interpreter start-up included",
    )


@benchmark(f"search p95 ({FTS_ASSETS:,} assets)")
def search_p95(context: Context) -> Comparison:
    path, words = fts_catalog(context.out, FTS_ASSETS)
    conn = sqlite3.connect(path)
    catalog = Catalog(conn)
    # what people type: one or two words, a phrase, a prefix - across frequent and rare words
    queries = []
    for i in range(200):
        a, b = words[(i * 37) % 2000 + 20], words[(i * 101) % 15000 + 100]
        queries.append((a, f"{a} {b}", f'"{a} {b}"', f"{b[:4]}*")[i % 4])

    def bare(query: str) -> list:
        sql = "SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? LIMIT 50"
        return conn.execute(sql, (query,)).fetchall()

    return Comparison(
        baseline=Latency("bare FTS5 MATCH, LIMIT 50", bare, queries),
        candidate=Latency(
            "catalog search", lambda q: catalog.search(Filters(text=q), limit=50), queries
        ),
        max_seconds=0.020,
        note="p95 of 200 queries (single words from frequent to rare, AND of two words, phrases, "
        "prefixes): the first 50 results with their columns, best first (newest first above "
        "1,000 matches)",
    )


@benchmark("import peak memory (20,000 vs 5,000 files)")
def import_memory(context: Context) -> Comparison:
    tree, _ = tiny_tree(context.out, TREE_FILES)
    folders = sorted(p for p in tree.iterdir() if p.is_dir())
    small, large = (folders[:n] for n in MEMORY_FOLDERS)
    return Comparison(
        baseline=PeakMemory("import of 5,000", _import_command(context, "bench-mem-s", *small)),
        candidate=PeakMemory("import of 20,000", _import_command(context, "bench-mem-l", *large)),
        target=0.9,
        repeat=1,
        unit="MiB",
        note="peak resident memory of the largest process (main or worker): four times the files "
        "must not need more than about the same memory",
    )
