"""Helpers for the web tests: catalogs to serve, Datasette in-process, and `catalog serve` for real.

In-process requests go through ``datasette.client`` (the real ASGI app, no network); the browser
tests and the public-server crawl run the real ``catalog serve`` command on a free port of
127.0.0.1, as a person would.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from catalogs import import_into
from shipped import TABLES

from catalog.publish.build import publish
from catalog.web.serve import datasette_for

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "assets"
ARTIFACTS = REPO / "test-artifacts"
CATALOG = [sys.executable, "-m", "catalog"]


def sample_catalog(db: Path, root: Path = ASSETS) -> Path:
    """The bundled sample collection (or a copy of it at ``root``) imported as ``make run`` does."""
    import_into(db, root, manifests=(root / "manifest.csv",), articles=(root / "article.txt",))
    return db


class Client:
    """Requests to a Datasette instance, in-process, on one event loop."""

    def __init__(self, datasette) -> None:
        self.datasette = datasette
        self.loop = asyncio.new_event_loop()

    @classmethod
    def serving(cls, path: Path, *, public: bool = False) -> Client:
        """A client of the instance ``catalog serve`` would run for ``path``."""
        return cls(datasette_for(path, public=public))

    @classmethod
    def published(cls, source: Path, directory: Path) -> Client:
        """A client of ``catalog serve --public`` for the catalog ``source`` published into
        ``directory/public.db``."""
        out = directory / "public.db"
        publish(source, out, tables=TABLES)
        return cls.serving(out, public=True)

    def get(self, url: str, **kwargs):
        return self.loop.run_until_complete(self.datasette.client.get(url, **kwargs))

    def close(self) -> None:
        self.loop.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``catalog serve ARGS`` in a subprocess on a free port; ``desk`` is the URL it printed (the
    desk home page), ``url`` its database's pages."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [*CATALOG, "serve", *args, "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.printed = self.process.stdout.readline()
        match = re.search(r"http://\S+", self.printed)
        if not match:
            self.stop()
            raise RuntimeError(f"catalog serve printed {self.printed!r}: {self.stderr()}")
        self.desk = match.group(0)
        self.url = self.desk.removesuffix("/-/desk")
        self.root = f"http://127.0.0.1:{self.port}"
        self._wait()

    def _wait(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.root + "/-/versions.json", timeout=2).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"catalog serve did not answer: {self.stderr()}")

    def stderr(self) -> str:
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def crawl(root: str, starts: list[str], *, limit: int = 600) -> dict[str, tuple[int, bytes]]:
    """Every same-origin page reachable from ``starts`` (up to ``limit``): url -> (status, body).

    Follows every link, image and form of every HTML page, and fetches the ``.json`` version of
    every page as well, since the JSON API shows more columns than the HTML.
    """
    seen: dict[str, tuple[int, bytes]] = {}
    queue = [urljoin(root, s) for s in starts]
    while queue and len(seen) < limit:
        url = queue.pop(0).split("#")[0]
        if url in seen or urlsplit(url).netloc != urlsplit(root).netloc:
            continue
        status, body, kind = fetch(url)
        seen[url] = (status, body)
        if "html" in kind:
            for link in links_in(body.decode("utf-8", "replace")):
                queue.append(urljoin(url, link))
            parts = urlsplit(url)
            if parts.path not in ("", "/") and "." not in parts.path.rsplit("/", 1)[-1]:
                json_url = f"{root}{parts.path}.json" + (f"?{parts.query}" if parts.query else "")
                queue.append(json_url)
    return seen


def fetch(url: str) -> tuple[int, bytes, str]:
    """(status, body, content type) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read(), response.headers.get("content-type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("content-type", "")


#: GPS coordinates nobody else uses: they must never reach the public catalog.
GPS = (47.1234567, -122.9876543)
_GPS_ARGS = (
    f"-GPSLatitude={GPS[0]}",
    "-GPSLatitudeRef=N",
    f"-GPSLongitude={-GPS[1]}",
    "-GPSLongitudeRef=W",
)


def marker(asset: str, field: str) -> str:
    """A unique token (lower case, ending in a digit so no stemmer changes it) for one field."""
    return f"qjz{asset}{field}7"


def _record(virin: str, name: str, release: str | None, classification: str | None) -> list[str]:
    args = [
        f"-IPTC:ObjectName={virin}",
        f"-IPTC:Caption-Abstract=Airmen load cargo {marker(name, 'cap')} at Travis Air Force "
        "Base, Calif., Feb. 15, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)",
        "-IPTC:By-line=SrA Karla Parra",
        f"-IPTC:Credit=Air Force {marker(name, 'credit')}",  # within the 32-byte IIM limit
        "-IPTC:DateCreated=2022:02:15",
        f"-IPTC:Keywords={marker(name, 'kw')}",
        "-IPTC:Keywords=cargo",
        f"-IPTC:Writer-Editor={marker(name, 'writer')}",
        f"-EXIF:Artist={marker(name, 'artist')}@mail.mil",
        *_GPS_ARGS,
    ]
    if release is not None:
        args.append(f"-IPTC:SpecialInstructions={release}")
    if classification is not None:
        args.append(f"-IPTC:SupplementalCategories={classification}")
    return args


#: The planted assets: name -> (release status, classification, published?).
LEAK_ASSETS = {
    "released": ("Released", "Unclassified", True),
    "notrel": ("Not Released", "Unclassified", False),
    "fouo": ("Released", "FOUO", False),
    "unparse": ("Released for internal use", "Unclassified", False),
    "nostatus": (None, "Unclassified", False),
    "conflict": ("Released", "Unclassified", False),  # the XMP copy says Not Released
    "lower": (" released. ", "unclassified", True),  # normalized: case, spaces, full stop
}


def leak_collection(root: Path) -> dict[str, Path]:
    """Images that test the public catalog's walls, each in a folder named with a marker.

    Every one carries markers in its caption, credit, keywords, caption writer, EXIF artist, file
    name and folder name, and the GPS position above. Released ones must appear in the public
    catalog without their GPS, artist, writer, file name and folder; the others must not appear.
    """
    from imagefiles import blank, exiftool_write

    paths = {}
    for number, (name, (release, classification, _)) in enumerate(LEAK_ASSETS.items(), 1):
        folder = root / marker(name, "folder")
        folder.mkdir(parents=True)
        path = blank(folder / f"{marker(name, 'file')}.jpg")
        exiftool_write(
            path, *_record(f"220215-F-DU706-{1400 + number}", name, release, classification)
        )
        if name == "conflict":
            exiftool_write(path, "-XMP-photoshop:Instructions=Not Released")
        paths[name] = path
    return paths


def leak_catalog(root: Path) -> Path:
    """The leak collection imported into ``root/internal.db``."""
    leak_collection(root / "photos")
    internal = root / "internal.db"
    import_into(internal, root / "photos")
    return internal


def markers_of(name: str) -> list[str]:
    return [marker(name, f) for f in ("cap", "credit", "kw", "writer", "artist", "file", "folder")]
