"""A real S3 server for the tests: moto's, in its own process, on a loopback port.

Nothing is mocked inside the catalog: s3fs talks HTTP to this server exactly as it would to AWS or
MinIO. The server listens on 127.0.0.1 only, and the credentials are moto's dummies, set in the
environment as a real deployment sets them (never on the command line).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def moto_server() -> Iterator[str]:
    """Run ``moto.server`` on a free loopback port; yields its endpoint URL."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **DUMMY_CREDENTIALS},
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(10)


def upload(fs, local: Path, bucket: str) -> str:
    """Everything under ``local`` (images, sidecars, manifests) uploaded to a new bucket, under
    ``photos/``; the URL of the copy."""
    fs.mkdir(bucket)
    fs.put(f"{local}/", f"{bucket}/photos/", recursive=True)
    fs.invalidate_cache()
    return f"s3://{bucket}/photos"
