"""``catalog validate s3://...``: the findings of a local validate, from the head of each object.

The S3 server is moto's, a real HTTP server in its own process (the ``s3`` fixture). Between
it and the catalog sits ``CountingProxy``, a plain TCP relay on the loopback interface that counts
every byte the server sends back (listings, headers and bodies alike) - the bytes validate really
fetched - and can refuse the reads of one object as a server refusing access does.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from objectstore import upload
from PIL import Image

from catalog.analysis.digest import HEAD_BYTES
from catalog.cli import cli

ASSETS = Path(__file__).resolve().parent.parent / "assets"
GOOD_PHOTO = ASSETS / "photos" / "220215-F-DU706-1251.jpg"

_ACCESS_DENIED = b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code></Error>'
_REFUSAL = (
    b"HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nConnection: close\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(_ACCESS_DENIED), _ACCESS_DENIED)
)


class CountingProxy:
    """A TCP relay to ``endpoint`` on a loopback port; ``received`` counts the bytes the server
    sent back. A GET whose request line names ``refuse`` is answered 403 Access Denied."""

    def __init__(self, endpoint: str, refuse: str | None = None) -> None:
        self.upstream = ("127.0.0.1", int(endpoint.rsplit(":", 1)[1]))
        self.refuse = refuse.encode() if refuse else None
        self.received = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._requests, args=(client, server), daemon=True).start()
            threading.Thread(target=self._responses, args=(server, client), daemon=True).start()

    def _requests(self, client: socket.socket, server: socket.socket) -> None:
        while data := _receive(client):
            line = data.split(b"\r\n", 1)[0]
            if self.refuse and line.startswith(b"GET ") and self.refuse in line:
                client.sendall(_REFUSAL)
                break
            server.sendall(data)
        _close(client, server)

    def _responses(self, server: socket.socket, client: socket.socket) -> None:
        while data := _receive(server):
            with self._lock:
                self.received += len(data)
            try:
                client.sendall(data)
            except OSError:
                break
        _close(client, server)


def _receive(connection: socket.socket) -> bytes:
    try:
        return connection.recv(1 << 16)
    except OSError:
        return b""


def _close(*connections: socket.socket) -> None:
    for connection in connections:
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        connection.close()


def validate(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["validate", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def validate_counted(url: str, endpoint: str, refuse: str | None = None) -> tuple[int, dict, int]:
    """``validate`` of ``url`` through a ``CountingProxy``: exit status, report, bytes fetched."""
    proxy = CountingProxy(endpoint, refuse)
    try:
        status, report = validate(url, "--endpoint-url", proxy.endpoint)
    finally:
        proxy.close()
    return status, report, proxy.received


def findings_by_file(report: dict, *prefixes: str) -> dict[str, list]:
    """Each file's findings (code, severity, field, message, values), ``prefixes`` cut from
    every path: the report as it reads whatever storage the files came from."""
    text = json.dumps(report)
    for prefix in prefixes:
        text = text.replace(prefix, "")
    return {
        f["path"]: sorted(
            json.dumps([x["code"], x["severity"], x["field"], x["message"], x["values"]])
            for x in f["findings"]
        )
        for f in json.loads(text)["files"]
    }


def test_the_sample_assets_in_a_bucket_get_the_findings_and_exit_status_of_a_local_validate(
    s3, monkeypatch
):
    endpoint, fs = s3
    url = upload(fs, ASSETS, "validate-assets")
    monkeypatch.chdir(ASSETS.parent)
    local_status, local = validate("assets")
    remote_status, remote = validate(url, "--endpoint-url", endpoint)
    assert remote_status == local_status == 1
    assert remote["summary"] == local["summary"]
    assert findings_by_file(remote, f"{url}/") == findings_by_file(local, f"{ASSETS}/", "assets/")
    assert all(f["path"].startswith(f"{url}/") for f in remote["files"])
    assert "SET001" in json.dumps(remote)  # the whole-set rule compared the objects' contents


def large_jpeg(metadata: bytes, padding: int = 0) -> bytes:
    """A photo of several MB (noise does not compress) carrying the segments ``metadata``, behind
    ``padding`` bytes of comment segments: metadata a reader finds only past the first
    ``HEAD_BYTES``."""
    noise = Image.frombytes("RGB", (2400, 1600), os.urandom(2400 * 1600 * 3))
    body = io.BytesIO()
    noise.save(body, "JPEG", quality=95)
    segments = b"".join(
        b"\xff\xfe" + (65000).to_bytes(2, "big") + b"x" * 64998 for _ in range(padding // 65000)
    )
    return b"\xff\xd8" + segments + metadata + body.getvalue()[2:]


def app_segments(jpeg: bytes) -> bytes:
    """The APPn segments (EXIF, IPTC, XMP ...) of ``jpeg``, as they are."""
    found, offset = b"", 2
    while jpeg[offset + 1] != 0xDA:  # up to the start of the scan
        length = int.from_bytes(jpeg[offset + 2 : offset + 4], "big")
        if 0xE0 < jpeg[offset + 1] <= 0xEF:
            found += jpeg[offset : offset + 2 + length]
        offset += 2 + length
    return found


@pytest.mark.parametrize("padding", [0, 200_000])
def test_a_large_jpeg_is_validated_from_its_head_not_downloaded(s3, tmp_path, padding):
    """The metadata in the first ``HEAD_BYTES``: the head is all that is fetched (with the
    listing). Metadata behind 200 kB of other segments: the blocks up to it, not the rest."""
    endpoint, fs = s3
    folder = tmp_path / "photos"
    folder.mkdir()
    photo = folder / GOOD_PHOTO.name
    photo.write_bytes(large_jpeg(app_segments(GOOD_PHOTO.read_bytes()), padding))
    bare = tmp_path / "bare" / GOOD_PHOTO.name  # the same photo without its metadata
    bare.parent.mkdir()
    bare.write_bytes(large_jpeg(b"", padding))
    url = upload(fs, folder, f"large-jpeg-{padding}")
    remote_status, remote, received = validate_counted(url, endpoint)
    local_status, local = validate(str(folder))
    size = photo.stat().st_size
    print(f"padding {padding}: fetched {received} bytes of a {size}-byte object")
    assert size > 3_000_000
    assert received < padding + 2 * HEAD_BYTES
    assert received < size // 10
    assert remote_status == local_status
    assert findings_by_file(remote, f"{url}/") == findings_by_file(local, f"{folder}/")
    _, without_metadata = validate(str(bare))  # the metadata was read: its findings are not these
    assert findings_by_file(remote, f"{url}/") != findings_by_file(
        without_metadata, f"{bare.parent}/"
    )


def test_an_object_that_cannot_be_read_is_a_finding_naming_its_url(s3, tmp_path):
    endpoint, fs = s3
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(GOOD_PHOTO, folder / "readable.jpg")
    shutil.copy(GOOD_PHOTO, folder / "refused.jpg")
    url = upload(fs, folder, "refused-object")
    proxy = CountingProxy(endpoint, refuse="refused.jpg")
    try:
        result = CliRunner().invoke(
            cli, ["validate", url, "--endpoint-url", proxy.endpoint, "--format", "json"]
        )
    finally:
        proxy.close()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    (refused,) = [f for f in report["files"] if f["path"] == f"{url}/refused.jpg"]
    (finding,) = refused["findings"]
    assert finding["code"] == "FIL018"
    assert f"{url}/refused.jpg" in finding["message"]
    assert "PermissionError" in finding["message"]
    readable = [f for f in report["files"] if f["path"] == f"{url}/readable.jpg"]
    assert readable and all(f["code"] != "FIL018" for f in readable[0]["findings"])


def test_a_sidecar_that_cannot_be_read_makes_its_image_a_finding_not_a_silent_skip(s3, tmp_path):
    """The sidecar might say "Not Released": the image is reported unreadable, never checked as
    if the sidecar were not there."""
    endpoint, fs = s3
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(GOOD_PHOTO, folder / "photo.jpg")
    (folder / "photo.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    url = upload(fs, folder, "refused-sidecar")
    status, report, _ = validate_counted(url, endpoint, refuse="photo.xmp")
    assert status == 1
    (photo,) = report["files"]
    assert [f["code"] for f in photo["findings"]] == ["FIL018"]
    assert f"{url}/photo.xmp" in photo["findings"][0]["message"]


def test_a_bucket_that_does_not_exist_is_one_line_and_exit_status_2(s3):
    endpoint, _ = s3
    result = CliRunner().invoke(
        cli, ["validate", "s3://no-such-bucket", "--endpoint-url", endpoint]
    )
    assert result.exit_code == 2
    assert "s3://no-such-bucket: no such bucket, prefix or object" in result.output
    assert "Traceback" not in result.output


def test_a_sidecar_two_images_share_is_read_for_both_as_a_local_validate_reads_it(s3, tmp_path):
    """``photo.jpg`` and ``photo.png`` both take ``photo.xmp`` as their sidecar (a picture kept in
    two formats): the bucket's report is the folder's, with no image left unread."""
    endpoint, fs = s3
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(GOOD_PHOTO, folder / "photo.jpg")
    Image.open(GOOD_PHOTO).save(folder / "photo.png")
    (folder / "photo.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    url = upload(fs, folder, "shared-sidecar")
    remote_status, remote = validate(url, "--endpoint-url", endpoint)
    local_status, local = validate(str(folder))
    assert remote_status == local_status
    assert findings_by_file(remote, f"{url}/") == findings_by_file(local, f"{folder}/")
    assert "FIL018" not in json.dumps(remote)


def test_a_file_the_walk_leaves_out_is_never_fetched(s3, tmp_path):
    """A large manifest in ``test-artifacts/`` (left out by default) is not downloaded to be
    dropped after."""
    endpoint, fs = s3
    folder = tmp_path / "photos"
    (folder / "test-artifacts").mkdir(parents=True)
    shutil.copy(GOOD_PHOTO, folder / GOOD_PHOTO.name)
    manifest = folder / "test-artifacts" / "manifest.csv"
    manifest.write_text("file,title\n" + "".join(f"{n:07d}.jpg,A title\n" for n in range(200_000)))
    url = upload(fs, folder, "left-out")
    remote_status, remote, received = validate_counted(url, endpoint)
    local_status, local = validate(str(folder))
    assert remote_status == local_status
    assert findings_by_file(remote, f"{url}/") == findings_by_file(local, f"{folder}/")
    assert [f["path"] for f in remote["files"]] == [f"{url}/{GOOD_PHOTO.name}"]
    assert received < manifest.stat().st_size // 4
