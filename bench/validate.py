"""Validating a folder: ``catalog validate`` vs ``exiftool -j -r`` reading the same folder.

The issue's promise: checking a folder must be faster than ExifTool merely reading it. Both sides
are one command over the whole folder, start-up included, output discarded. ExifTool runs with its
defaults (``-j -r``), as a photo desk would run it; ``catalog validate`` reads the same metadata,
applies every rule, and writes its JSON report. The corpus is the readers benchmark's (large JPEGs
with full DoD metadata), so the work per file is realistic.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.corpus import jpeg_corpus
from bench.readers import FILES
from bench.registry import Command, Comparison, Context, benchmark, need


@benchmark("catalog validate (1,500 large JPEGs)")
def validate_folder(context: Context) -> Comparison:
    need("exiftool", who="the validate benchmark needs")
    folder = jpeg_corpus(context.out, FILES)
    catalog = str(Path(sys.executable).with_name("catalog"))
    return Comparison(
        baseline=Command("exiftool -j -r", ["exiftool", "-j", "-r", str(folder)]),
        candidate=Command(
            "catalog validate --format json",
            [catalog, "validate", "--format", "json", "--fail-on", "never", str(folder)],
        ),
        target=1.0,
        note=f"one process each over {FILES} JPEGs of 12-24 MP; validate applies every rule",
    )
