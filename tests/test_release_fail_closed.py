"""Release fails closed at the source: an image that one unusable source could call Not Released
never reaches a public catalog.

Every image below carries IPTC "Released" / "Unclassified" and one more source that says "Not
Released" (or a classification marking in its text) - a source that is refused, cut short,
repeated or dropped. Each is built in code, imported with ``catalog import`` and published with
``catalog publish`` as an operator would; its unique marker must then be in no byte of the public
file and on no page of ``catalog serve --public``, while a clean Released image (the control) is
published, so the checks can see what is there.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from catalogs import rows
from imagefiles import blank, exiftool_write, patch, replace_app13, resource, xmp_packet
from shipped import TABLES
from webtools import REPO, Server, crawl

from catalog.publish.build import publish

CATALOG = [sys.executable, "-m", "catalog"]
NOT_RELEASED = {"release_instructions": "Not Released"}


def marker(name: str) -> str:
    """The unique token planted in the caption and keywords of one case."""
    return f"qjz{name.replace('-', '')}7"


def released_image(
    folder: Path, name: str, caption: str = "", virin: str = "220215-F-DU706-1241"
) -> Path:
    """A JPEG whose IPTC says Released / Unclassified, with the case's marker in its text."""
    folder.mkdir(parents=True, exist_ok=True)
    path = blank(folder / f"{name}.jpg")
    return exiftool_write(
        path,
        f"-IPTC:ObjectName={virin}",
        f"-IPTC:Caption-Abstract={caption}Airmen load cargo {marker(name)} at Travis Air Force "
        "Base, Calif., Feb. 15, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)",
        "-IPTC:By-line=SrA Karla Parra",
        f"-IPTC:Keywords={marker(name)}",
        "-IPTC:DateCreated=2022:02:15",
        "-IPTC:SpecialInstructions=Released",
        "-IPTC:SupplementalCategories=Unclassified",
    )


def iim(*datasets: tuple[int, bytes]) -> bytes:
    """An IIM stream of record-2 datasets (number, value), after the 1:90 UTF-8 marker."""
    out = b"\x1c\x01\x5a\x00\x03\x1b%G"
    for number, value in datasets:
        out += bytes([0x1C, 2, number]) + len(value).to_bytes(2, "big") + value
    return out


def with_iim(path: Path, stream: bytes) -> Path:
    """Replace the image's IPTC with ``stream`` (one Photoshop IPTC resource in one APP13)."""
    return replace_app13(path, [b"Photoshop 3.0\x00" + resource(0x0404, stream)])


def build_cases(root: Path, elsewhere: Path) -> tuple[dict[str, Path], list[Path]]:
    """Each case of issue 14 (and a few more of the same kinds), and the manifests of the run."""
    cases: dict[str, Path] = {}

    def case(name: str, caption: str = "") -> Path:
        cases[name] = released_image(root / name, name, caption)
        return cases[name]

    image = case("json-duplicate-key")
    image.with_suffix(".json").write_text(
        '{"title": "a", "title": "b", "release_instructions": "Not Released"}'
    )
    image = case("json-too-large")
    image.with_suffix(".json").write_text(json.dumps({**NOT_RELEASED, "title": "x" * 1_100_000}))
    image = case("json-utf16")
    image.with_suffix(".json").write_bytes(json.dumps(NOT_RELEASED).encode("utf-16"))
    image = case("json-symlink")
    (elsewhere / "target.json").write_text(json.dumps(NOT_RELEASED))
    image.with_suffix(".json").symlink_to(elsewhere / "target.json")
    image = case("json-unknown-key")
    image.with_suffix(".json").write_text('{"releaseStatus": "Not Released"}')
    image = case("xmp-sidecar-doctype")
    packet = xmp_packet("<photoshop:Instructions>Not Released</photoshop:Instructions>")
    image.with_suffix(".xmp").write_bytes(b"<!DOCTYPE x>" + packet)
    image = case("xmp-bare-ampersand")
    exiftool_write(image, "-XMP-photoshop:Instructions=Not Released", "-XMP-dc:Source=R&D")
    patch(image, b"R&amp;D", b"R&    D")
    image = case("iptc-240-twice")
    caption = f"Airmen load cargo {marker('iptc-240-twice')} at Travis".encode()
    with_iim(image, iim((5, b"220215-F-DU706-1241"), (120, caption), (40, b"Released"),
                        (40, b"Not Released"), (20, b"Unclassified")))  # fmt: skip
    image = case("iptc-cut-short")
    caption = f"Airmen load cargo {marker('iptc-cut-short')} at Travis".encode()
    cut = iim((120, caption), (40, b"Released"), (20, b"Unclassified"))
    with_iim(image, cut + b"\x1c\x02\x28\x00\xff" + b"Not Released")  # 2:40 runs past the end
    case("manifest-two-rows")
    (root / "manifest-two-rows" / "m.csv").write_text(
        "file,release_instructions\n"
        "manifest-two-rows.jpg,Released\n"
        "manifest-two-rows.jpg,Not Released\n"
    )
    case("manifest-unknown-column")
    (root / "manifest-unknown-column" / "m.csv").write_text(
        "file,release_instructions,release_status\n"
        "manifest-unknown-column.jpg,Not Released,Not Released\n"
    )
    case("marking-banner", caption="SECRET//NOFORN\n")
    image = case("marking-keyword")
    exiftool_write(image, "-IPTC:Keywords+=(U//FOUO)")
    manifests = [root / name / "m.csv" for name in ("manifest-two-rows", "manifest-unknown-column")]
    return cases, manifests


#: Each case and the release finding that must hold it back.
EXPECTED = {
    "json-duplicate-key": "REL008",
    "json-too-large": "REL008",
    "json-utf16": "REL008",
    "json-symlink": "REL008",
    "json-unknown-key": "REL008",
    "xmp-sidecar-doctype": "REL008",
    "xmp-bare-ampersand": "REL008",
    "iptc-240-twice": "REL003",
    "iptc-cut-short": "REL008",
    "manifest-two-rows": "REL003",
    "manifest-unknown-column": "REL008",
    "marking-banner": "REL009",
    "marking-keyword": "REL009",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path, dict[str, Path]]:
    """The cases and a clean control, imported and published with the real commands."""
    base = tmp_path_factory.mktemp("fail-closed")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    cases, manifests = build_cases(base / "photos", elsewhere)
    # its own VIRIN: one VIRIN on different content is an error (SET001) that holds it back
    released_image(base / "photos" / "control", "control", virin="220215-F-DU706-1999")
    internal, public = base / "internal.db", base / "public.db"
    manifest_args = [arg for m in manifests for arg in ("--manifest", str(m))]
    for command in (
        ["import", str(base / "photos"), "--db", str(internal), "--jobs", "1", *manifest_args],
        ["publish", str(internal), str(public)],
    ):
        subprocess.run([*CATALOG, *command], check=True, capture_output=True, cwd=REPO)
    return internal, public, cases


def held_back(internal: Path, name: str) -> tuple[int, set[str]]:
    """The stored ``publishable`` of a case's asset and the release codes found for it."""
    ((sha, publishable),) = rows(
        internal, "SELECT sha256, publishable FROM assets WHERE caption LIKE ?", f"%{marker(name)}%"
    )
    codes = rows(internal, "SELECT DISTINCT code FROM findings WHERE sha256 = ?", sha)
    return publishable, {code for (code,) in codes if code.startswith("REL")}


@pytest.mark.parametrize("name", EXPECTED)
def test_each_case_is_held_back_with_a_finding_that_names_why(published, name):
    internal, _, _ = published
    publishable, codes = held_back(internal, name)
    assert publishable == 0
    assert EXPECTED[name] in codes


def test_no_case_is_in_the_bytes_of_the_public_file(published):
    _, public, cases = published
    data = public.read_bytes().lower()
    assert marker("control").encode() in data  # the check sees what was published
    leaked = [name for name in cases if marker(name).encode() in data]
    assert leaked == []
    assert rows(public, "SELECT count(*) FROM assets") == [(1,)]


def test_no_case_is_on_the_public_server(published):
    _, public, cases = published
    with Server("--public", str(public)) as server:
        starts = ["/public/assets.json?_shape=array&_size=max", "/public/assets.csv?_size=max"]
        starts += ["/public/keywords.json?_size=max", "/public/assets"]
        answers = crawl(server.root, starts, limit=80)
    pages = b"".join(body for _, body in answers.values()).lower()
    assert marker("control").encode() in pages
    assert [name for name in cases if marker(name).encode() in pages] == []


def test_the_reasons_name_the_source_and_the_problem(published):
    internal, _, _ = published
    messages = [m for (m,) in rows(internal, "SELECT message FROM findings WHERE code = 'REL008'")]
    text = "\n".join(messages)
    for expected in (
        "sidecar-json:json-duplicate-key.json",
        "duplicate key 'title'",
        "sidecar-xmp:xmp-sidecar-doctype.xmp",
        "not well-formed",
        "IPTC block is cut short",
        "manifest m.csv was refused: has columns that are not record fields: release_status",
        "key 'releaseStatus' is not a record field",
    ):
        assert expected in text, expected


def test_publish_holds_them_back_from_the_stored_evidence_alone(published, tmp_path):
    """Publishing decides again from the stored values and findings: even a catalog whose
    ``publishable`` column was set to 1 by hand publishes none of the cases."""
    internal, _, cases = published
    tampered, public = tmp_path / "tampered.db", tmp_path / "public.db"
    tampered.write_bytes(internal.read_bytes())
    with sqlite3.connect(tampered) as conn:
        conn.execute("UPDATE assets SET publishable = 1")
        conn.execute("UPDATE locations SET publishable = 1")
    report = publish(tampered, public, tables=TABLES)
    assert report.published == 1
    data = public.read_bytes().lower()
    assert [name for name in cases if marker(name).encode() in data] == []
