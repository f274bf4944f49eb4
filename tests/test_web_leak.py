"""The public catalog cannot leak: planted markers are nowhere in its bytes nor on its server.

Images that are not released (Not Released, FOUO, an unknown term, no status, sources in
conflict) carry unique markers in caption, credit, keywords, caption writer, EXIF artist, file
name and folder name, and a GPS position; so do released ones, whose writer, artist, paths and GPS
are internal all the same. After ``catalog publish``, no marker may be in any byte of the public
file, nor in any page, JSON or CSV answer of ``catalog serve --public`` reachable by following
links or by asking for the hidden assets directly. The internal server, crawled the same way,
shows every one of them: the walls hold because of publishing, not because the crawler is blind.
"""

from __future__ import annotations

import json
import struct
from urllib.parse import unquote_plus

import pytest
from catalogs import rows
from shipped import TABLES
from webtools import GPS, LEAK_ASSETS, Server, crawl, markers_of

from catalog.publish.build import publish

PUBLISHED = [name for name, (_, _, public) in LEAK_ASSETS.items() if public]
HIDDEN = [name for name in LEAK_ASSETS if name not in PUBLISHED]
#: What may be public of a released asset: its caption, credit and keywords markers.
PUBLIC_FIELDS = ("cap", "credit", "kw")


def forbidden() -> list[str]:
    """Every marker that must not reach the public: all of a hidden asset's, and the internal
    fields (writer, artist, file and folder names) of a published one."""
    words = [m for name in HIDDEN for m in markers_of(name)]
    for name in PUBLISHED:
        words += [
            m for m in markers_of(name) if not m.endswith(tuple(f"{f}7" for f in PUBLIC_FIELDS))
        ]
    return words


@pytest.fixture(scope="module")
def catalogs(leak_source, tmp_path_factory):
    public = tmp_path_factory.mktemp("public") / "public.db"
    publish(leak_source, public, tables=TABLES)
    return leak_source, public


def gps_texts(internal) -> list[str]:
    """The GPS position as the pages would print it (a prefix of the stored float)."""
    (lat, lon), *_ = rows(internal, "SELECT gps_latitude, gps_longitude FROM assets")
    assert (round(lat, 5), round(lon, 5)) == (round(GPS[0], 5), round(GPS[1], 5))
    return [f"{lat:.5f}"[:-1], f"{lon:.5f}"[:-1]]


def hidden_urls(internal) -> list[str]:
    """Direct requests for the hidden assets: their pages, thumbnails, searches for markers."""
    urls = []
    for name in HIDDEN:
        (sha,) = rows(
            internal, "SELECT sha256 FROM assets WHERE caption LIKE ?", f"%qjz{name}cap7%"
        )[0]
        urls += [
            f"/public/-/asset/{sha}",
            f"/public/-/thumbnail/{sha}.jpg",
            f"/public/assets.json?sha256={sha}",
            f"/public/assets?_search=qjz{name}cap7",
            f"/public/assets.json?_search=qjz{name}kw7",
        ]
    return urls


def test_no_marker_is_anywhere_in_the_bytes_of_the_public_file(catalogs):
    internal, public = catalogs
    data = public.read_bytes().lower()
    for word in forbidden():
        assert word.encode() not in data, word
        assert word[-8:].encode() not in data, word  # even behind FTS prefix compression
    lat, lon = rows(internal, "SELECT gps_latitude, gps_longitude FROM assets LIMIT 1")[0]
    for value in (lat, lon):
        assert struct.pack(">d", value) not in data  # SQLite stores REAL big-endian
        assert struct.pack("<d", value) not in data
    for text in gps_texts(internal):
        assert text.encode() not in data
    for name in PUBLISHED:  # the check can see what is there
        assert f"qjz{name}cap7".encode() in data


def test_no_marker_is_on_any_page_of_the_public_server(catalogs):
    internal, public = catalogs
    with Server("--public", str(public)) as server:
        starts = ["/", "/-/metadata.json", "/-/versions.json", "/-/plugins.json"]
        starts += ["/-/settings.json", "/-/databases.json", "/public.json", "/public.db"]
        starts += ["/public/assets.json?_shape=array&_size=max", "/public/assets.csv?_size=max"]
        starts += ["/public/keywords.json?_size=max", "/public?sql=select+*+from+assets"]
        answers = crawl(server.root, starts + hidden_urls(internal))
    assert len(answers) > 50
    leaks = forbidden() + gps_texts(internal) + [str(public.parent)]
    for url, (_, body) in answers.items():
        text = body.decode("utf-8", "replace").lower()
        asked = unquote_plus(url).lower()  # a search page repeats the words it was asked for
        found = [word for word in leaks if word.lower() in text and word.lower() not in asked]
        assert not found, (url, found)
    by_path = {url.split(server.root, 1)[1]: answer for url, answer in answers.items()}
    for url in hidden_urls(internal):
        status, body = by_path[url]
        if "/-/" in url:
            assert status == 404, url
        elif ".json" in url:
            assert json.loads(body)["rows"] == [], url
    pages = b"".join(body for status, body in answers.values() if status == 200).lower()
    for name in PUBLISHED:
        assert f"qjz{name}cap7".encode() in pages  # the crawl reached the published assets


def test_the_internal_server_shows_everything_the_public_one_hides(catalogs):
    internal, _ = catalogs
    with Server(str(internal)) as server:
        answers = crawl(server.root, ["/internal/assets"], limit=150)
    pages = b"".join(body for status, body in answers.values() if status == 200)
    text = pages.decode("utf-8", "replace").lower()
    missing = [word for word in forbidden() + gps_texts(internal) if word.lower() not in text]
    assert not missing
