"""Seeded inputs for the catalog benchmarks, built once and cached under ``bench-out/``.

* ``tiny_tree``: 100,000 distinct tiny JPEGs in 1,000 folders (a 16x16 JPEG made distinct by a
  comment segment), and the catalog of it made by a real import, for the unchanged re-import.
* ``fts_catalog``: a catalog of 1,000,000 synthetic assets written straight into the schema with
  SQL (titles, captions, credits and keywords from a Zipf-distributed vocabulary), for search.
* ``full_catalog``: a catalog of synthetic assets with everything an import writes (locations,
  keywords, findings, field values, duplicate VIRINs), for the catalog-wide commands at scale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
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
    for start in range(0, files, FOLDER_FILES):
        tiny_jpegs(root / "photos" / f"{start // FOLDER_FILES:04d}", start, FOLDER_FILES)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [sys.executable, "-m", "catalog", "import", str(root / "photos"), "--db", str(db)]
    subprocess.run([*command, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(f"{files} files\n")
    return root / "photos", db


def tiny_jpegs(folder: Path, start: int, count: int, tag: str = "file") -> Path:
    """``count`` distinct 16x16 JPEGs in a new ``folder`` (made distinct by a comment segment
    naming ``tag`` and the file's number, from ``start``)."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (90, 120, 150)).save(buffer, "JPEG")
    jpeg = buffer.getvalue()
    folder.mkdir(parents=True)
    for index in range(start, start + count):
        comment = f"{tag} {index}".encode()
        segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
        (folder / f"{index:06d}.jpg").write_bytes(jpeg[:2] + segment + jpeg[2:])
    return folder


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


#: Paths of the synthetic catalog: a folder no import of real files ever walks.
SYNTHETIC_ROOT = "/bench-synthetic/photos"
#: One VIRIN in this many is carried by a second, different content too (SET001 on both).
DUPLICATE_EVERY = 1_000
_BATCH = 20_000
_FINDINGS = (  # (code, severity, field, message) of the per-file findings, by frequency
    ("CAP004", "warning", "caption", "the caption has no dateline"),
    ("CRD003", "warning", "credit", "the credit names no photographer"),
    ("REC002", "info", "title", "no title"),
    ("VIR009", "error", "virin", "the VIRIN sequence is not 4 digits"),
)


def full_catalog(out: Path, assets: int, seed: int = 1) -> Path:
    """A catalog of ``assets`` synthetic assets as an import leaves it: each asset with one
    present location, 2-6 keywords, 0-2 findings with the counts to match, the release and
    classification values of two sources, and one VIRIN in ``DUPLICATE_EVERY`` on two contents
    with its SET001 findings. Nine in ten are Released and Unclassified (publishable). Written
    straight with SQL, in large transactions; cached as ``full-ASSETS-SEED.db``."""
    db_path = out / f"full-{assets}-{seed}.db"
    if db_path.exists():
        return db_path
    out.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    words = vocabulary(rng, 5_000)
    catalog = Catalog.open(partial)
    writer = catalog.writer()
    run = writer.start_run([SYNTHETIC_ROOT], {"synthetic": assets})
    conn = catalog.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # the rows are consistent by construction
    for start in range(0, assets, _BATCH):
        rows = [
            _synthetic_asset(i, rng, words, run) for i in range(start, min(assets, start + _BATCH))
        ]
        with catalog.db.atomic():
            _insert_synthetic(conn, rows)
    writer.finish_run({"files_seen": assets, "imported": assets})
    catalog.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(db_path)
    return db_path


def synthetic_virin(index: int) -> str:
    """The VIRIN of synthetic asset ``index``: distinct, but for one in ``DUPLICATE_EVERY``,
    which repeats the previous asset's."""
    if index % DUPLICATE_EVERY == DUPLICATE_EVERY - 1:
        index -= 1
    day = dt.date(2020, 1, 1) + dt.timedelta(days=(index // 1000) % 1460)
    return f"{day:%y%m%d}-{'FANMDZ'[index % 6]}-DU{index % 997:03d}-{1000 + index % 1000}"


def _synthetic_asset(index: int, rng: random.Random, words: list[str], run: int) -> dict:
    virin = synthetic_virin(index)
    sha = hashlib.sha256(f"synthetic {index}".encode()).hexdigest()
    path = f"{SYNTHETIC_ROOT}/{index // FOLDER_FILES:05d}/{index:07d}.jpg"
    released = index % 10 != 0
    status = "Released" if released else "Not Released"
    findings = [f for f in _FINDINGS if rng.random() < 0.3]
    if index % DUPLICATE_EVERY in (DUPLICATE_EVERY - 2, DUPLICATE_EVERY - 1):
        other = index + 1 if index % DUPLICATE_EVERY == DUPLICATE_EVERY - 2 else index - 1
        other_path = f"{SYNTHETIC_ROOT}/{other // FOLDER_FILES:05d}/{other:07d}.jpg"
        findings.append(
            (
                "SET001",
                "error",
                "virin",
                f"VIRIN {virin} is also on {other_path} with different content",
            )
        )
    keywords = rng.sample(words, rng.randint(2, 6))
    shot = f"20{virin[:2]}-{virin[2:4]}-{virin[4:6]}"
    return {
        "asset": (
            sha,
            virin,
            " ".join(rng.sample(words, 4)),
            " ".join(rng.sample(words, 12)),
            f"U.S. Air Force photo by Senior Airman {words[index % 5000].title()}",
            json.dumps(keywords),
            status,
            "Unclassified",
            shot,
            virin.upper(),
            shot,
            virin[7],
            int(released),
            "JPEG",
            4000,
            3000,
            2_000_000 + index,
            sum(f[1] == "error" for f in findings),
            sum(f[1] == "warning" for f in findings),
            sum(f[1] == "info" for f in findings),
            path,
            run,
            run,
        ),
        "location": (
            path,
            path.rsplit("/", 1)[0],
            path.rsplit("/", 1)[1],
            sha,
            2_000_000 + index,
            1_600_000_000_000_000_000 + index,
            index + 1,
            run,
            run,
            int(released),
        ),
        "keywords": [(sha, position, keyword) for position, keyword in enumerate(keywords)],
        "findings": [
            (sha, path, code, severity, field, message)
            for code, severity, field, message in findings
        ],
        "values": [
            (sha, "release_instructions", "iptc", status, 1),
            (sha, "release_instructions", "xmp", status, 0),
            (sha, "classification", "iptc", "Unclassified", 1),
            (sha, "classification", "xmp", "Unclassified", 0),
        ],
    }


def _insert_synthetic(conn, rows: list[dict]) -> None:
    conn.executemany(
        "INSERT INTO assets (sha256, virin, title, caption, credit, keywords, release_status, "
        "classification_marking, shot_date, virin_base, virin_date, virin_service, publishable, "
        "format, width, height, file_size, error_count, warning_count, info_count, primary_path, "
        "first_run_id, updated_run_id) VALUES (" + ", ".join("?" * 23) + ")",
        [r["asset"] for r in rows],
    )
    conn.executemany(
        "INSERT INTO locations (path, folder, name, sha256, status, size, mtime_ns, inode, "
        "first_seen_run_id, read_run_id, publishable) "
        "VALUES (?, ?, ?, ?, 'present', ?, ?, ?, ?, ?, ?)",
        [r["location"] for r in rows],
    )
    for table, sql in (
        ("keywords", "INSERT INTO keywords (sha256, position, keyword) VALUES (?, ?, ?)"),
        (
            "findings",
            "INSERT INTO findings (sha256, path, code, severity, field, message) "
            "VALUES (?, ?, ?, ?, ?, ?)",
        ),
        (
            "values",
            "INSERT INTO field_values (sha256, field, source, value, chosen) "
            "VALUES (?, ?, ?, ?, ?)",
        ),
    ):
        conn.executemany(sql, [row for r in rows for row in r[table]])
