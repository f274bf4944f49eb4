"""Importing from object storage, through a Dask cluster: the same catalog as a local import.

The S3 server is moto's, a real HTTP server in its own process on a loopback port
(``tests/objectstore.py``); the cluster is a Dask ``LocalCluster`` of two worker processes
started by the import (``--cluster local:2``). Nothing of the catalog is mocked: s3fs lists and
reads the bucket over HTTP, the workers analyse each file in their isolated subprocesses.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from objectstore import upload

from catalog.cli import cli

ASSETS = Path(__file__).resolve().parent.parent / "assets"

#: What a location says about its content, whatever storage it came from (size, time, inode and
#: ETag are the storage's own).
LOCATION_COLUMNS = "path, status, skip_reason, sha256, publishable"


def run_import(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["import", *args, "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def catalog_content(db: Path, root: str) -> dict[str, list]:
    """Every table's rows as the catalog shows them, the root's name replaced by ``ROOT``:
    assets, keywords, findings, field values, thumbnails, locations."""
    conn = sqlite3.connect(db)
    queries = {
        "assets": "SELECT * FROM assets",
        "keywords": "SELECT * FROM keywords",
        "findings": "SELECT sha256, path, code, severity, field, part, message, values_json "
        "FROM findings",
        "field_values": "SELECT sha256, field, source, value, chosen, error FROM field_values",
        "thumbnails": "SELECT * FROM thumbnails",
        "locations": f"SELECT {LOCATION_COLUMNS} FROM locations",
    }
    content = {}
    for table, query in queries.items():
        cursor = conn.execute(query)
        names = [d[0] for d in cursor.description]
        rows = [
            {
                n: v.replace(root, "ROOT") if isinstance(v, str) else v
                for n, v in zip(names, row, strict=True)
                if n not in ("id", "first_run_id", "updated_run_id")
            }
            for row in cursor
        ]
        content[table] = sorted(rows, key=repr)
    conn.close()
    return content


def test_the_sample_assets_from_s3_through_the_cluster_make_the_same_catalog(s3, tmp_path):
    endpoint, fs = s3
    url = upload(fs, ASSETS, "same-catalog")
    article = str(ASSETS / "article.txt")
    local = run_import(str(ASSETS), "--db", str(tmp_path / "local.db"), "--article", article)
    remote = run_import(
        url,
        "--db",
        str(tmp_path / "remote.db"),
        "--article",
        article,
        "--endpoint-url",
        endpoint,
        "--cluster",
        "local:2",
    )
    assert remote["imported"] == local["imported"] > 30
    assert [f["path"] for f in remote["skipped_files"]] == [f"{url}/mistakes/not-an-image.jpg"]
    here = catalog_content(tmp_path / "local.db", str(ASSETS))
    there = catalog_content(tmp_path / "remote.db", url)
    for table in here:
        assert there[table] == here[table], table
    assert here["thumbnails"] and here["field_values"] and here["findings"]
    sources = {row["source"] for row in there["field_values"]}
    # the sidecar objects beside an image are read as sidecar files are
    assert {"sidecar-json:220215-F-DU706-1252.json", "sidecar-xmp:220215-F-DU706-1253.xmp"} <= (
        sources
    )


def test_a_changed_or_deleted_object_is_picked_up_by_the_next_run(s3, tmp_path):
    endpoint, fs = s3
    source = tmp_path / "source"
    shutil.copytree(ASSETS / "photos", source)
    url = upload(fs, source, "changes")
    db = str(tmp_path / "catalog.db")
    first = run_import(url, "--db", db, "--endpoint-url", endpoint)
    again = run_import(url, "--db", db, "--endpoint-url", endpoint)
    assert again["unchanged"] == first["imported"] > 3 and again["imported"] == 0

    images = sorted(k for k in fs.find(url) if k.endswith(".jpg"))
    changed, deleted = images[0], images[1]
    content = bytearray(fs.cat_file(changed))
    content[-3] ^= 0xFF  # a byte of the image data: same size, another ETag
    fs.pipe_file(changed, bytes(content))
    fs.rm_file(deleted)
    fs.invalidate_cache()
    after = run_import(url, "--db", db, "--endpoint-url", endpoint)
    assert (after["updated"], after["missing"]) == (1, 1)
    assert after["unchanged"] == first["imported"] - 2

    conn = sqlite3.connect(db)
    status = dict(conn.execute("SELECT path, status FROM locations"))
    assert status[f"s3://{deleted}"] == "missing"
    sha = conn.execute("SELECT sha256 FROM locations WHERE path = ?", (f"s3://{changed}",))
    assert sha.fetchone()[0] == hashlib.sha256(content).hexdigest()


def test_a_bucket_that_does_not_exist_is_a_clear_error(s3, tmp_path):
    endpoint, _ = s3
    result = CliRunner().invoke(
        cli,
        [
            "import",
            "s3://no-such-bucket/x",
            "--db",
            str(tmp_path / "c.db"),
            "--endpoint-url",
            endpoint,
            "--quiet",
        ],
    )
    assert result.exit_code == 2
    assert "s3://no-such-bucket/x: no such bucket, prefix or object" in result.output
    assert "Traceback" not in result.output
