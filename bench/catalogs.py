"""Seeded inputs for the catalog benchmarks, built once and cached under ``bench-out/``.

* ``tiny_tree``: 100,000 distinct tiny JPEGs in 1,000 folders (a 16x16 JPEG made distinct by a
  comment segment), and the catalog of it made by a real import, for the unchanged re-import.
* ``fts_catalog``: a catalog of 1,000,000 synthetic assets written straight into the schema with
  SQL (titles, captions, credits and keywords from a Zipf-distributed vocabulary), for search.
"""

from __future__ import annotations

import io
import itertools
import random
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from PIL import Image

from catalog.store.catalog import Catalog

FOLDER_FILES = 100


def tiny_tree(out: Path, files: int) -> tuple[Path, Path]:
    """``files`` tiny distinct JPEGs in folders of 100, and a catalog of them (both cached)."""
    root = out / f"tiny-tree-{files}"
    db = out / f"tiny-tree-{files}.db"
    stamp = root / ".complete"
    if stamp.exists() and db.exists():
        return root / "photos", db
    shutil.rmtree(root, ignore_errors=True)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (90, 120, 150)).save(buffer, "JPEG")
    jpeg = buffer.getvalue()
    for index in range(files):
        folder = root / "photos" / f"{index // FOLDER_FILES:04d}"
        if index % FOLDER_FILES == 0:
            folder.mkdir(parents=True)
        comment = f"file {index}".encode()
        segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
        (folder / f"{index:06d}.jpg").write_bytes(jpeg[:2] + segment + jpeg[2:])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [sys.executable, "-m", "catalog", "import", str(root / "photos"), "--db", str(db)]
    subprocess.run([*command, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(f"{files} files\n")
    return root / "photos", db


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size)]


def fts_catalog(out: Path, assets: int, seed: int = 1) -> tuple[Path, list[str]]:
    """A catalog of ``assets`` synthetic assets, and its vocabulary (most common words first)."""
    db_path = out / f"fts-{assets}-{seed}.db"
    rng = random.Random(seed)
    words = vocabulary(rng)
    if db_path.exists():
        return db_path, words
    partial = db_path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = Catalog.open(partial).db
    # Zipf: a few words are everywhere, most are rare
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))

    def text(count: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cumulative, k=count))

    with db.atomic():
        db.conn.executemany(
            "INSERT INTO assets (sha256, virin, title, caption, credit, keywords, virin_service, "
            "shot_date, error_count, warning_count, publishable) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    f"{rng.getrandbits(256):064x}",
                    f"2{rng.randint(0, 3)}0215-F-DU706-{1000 + i % 9000}",
                    text(4),
                    text(rng.randint(20, 60)),
                    f"U.S. Air Force photo by Senior Airman {text(2)}",
                    '["' + '", "'.join(text(1) for _ in range(rng.randint(2, 6))) + '"]',
                    rng.choice("AFNMDZ"),
                    f"202{rng.randint(0, 3)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    rng.randint(0, 2),
                    rng.randint(0, 3),
                    rng.randint(0, 1),
                )
                for i in range(assets)
            ),
        )
    db.execute("INSERT INTO assets_fts (assets_fts) VALUES ('optimize')")
    db.close()
    partial.rename(db_path)
    return db_path, words
