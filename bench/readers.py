"""Reading metadata from a folder of large JPEGs: ``read_asset`` vs ``exiftool -j -r -fast2``.

Both sides are one process over the whole folder, start-up included, each writing every file's
metadata as JSON to standard output (discarded): ExifTool's ``-fast2`` stops at the image data as
our reader does, and skips maker notes, which our reader never reads either.
"""

from __future__ import annotations

import sys

from bench.corpus import jpeg_corpus
from bench.registry import Command, Comparison, Context, benchmark, need

#: Files in the corpus: enough that per-file work, not interpreter start-up, dominates both sides.
FILES = 1500


@benchmark("read_asset (1,500 large JPEGs)")
def read_metadata_jpeg(context: Context) -> Comparison:
    need("exiftool", who="the read_asset benchmark needs")
    folder = jpeg_corpus(context.out, FILES)
    return Comparison(
        baseline=Command("exiftool -j -r -fast2", ["exiftool", "-j", "-r", "-fast2", str(folder)]),
        candidate=Command(
            "bench.read_folder", [sys.executable, "-m", "bench.read_folder", str(folder)]
        ),
        target=5.0,
        note=f"one process each over {FILES} JPEGs of 12-24 MP with ExifTool-written metadata",
    )
