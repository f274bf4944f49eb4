"""The asset page shows one picture's other files apart from the VIRIN's other pictures.

One photograph saved as a JPEG and as a half-size PNG under one VIRIN is a derivative (SET003),
shown under "The same picture in other files"; a different photograph under the same VIRIN is the
conflict SET001, shown under "Other images with VIRIN". The split follows the perceptual hash the
import stores per asset.
"""

from __future__ import annotations

from catalogs import import_into, rows
from lintfiles import catalog, located
from test_readers_real_files import same_virin_files, scene
from webtools import Client


def _section(html: str, heading: str) -> str:
    """The HTML from the heading ``heading`` to the next ``<h2``."""
    start = html.index(heading)
    end = html.find("<h2", start + len(heading))
    return html[start : end if end != -1 else len(html)]


def test_a_derivative_is_shown_apart_from_a_different_picture_under_the_virin(tmp_path):
    photo, other = scene((-2.0, -1.2, 0.8, 1.2)), scene((-0.75, 0.05, -0.70, 0.09))
    same_virin_files(
        tmp_path / "shoot",
        ("a.jpg", photo, "JPEG"),
        ("a.png", photo.resize((320, 240)), "PNG"),
        ("b.jpg", other, "JPEG"),
    )
    db = tmp_path / "catalog.db"
    import_into(db, tmp_path / "shoot")
    sha = {name: s for name, s in rows(db, "SELECT name, sha256 FROM locations")}

    with Client.serving(db) as client:
        html = client.get(f"/catalog/-/asset/{sha['a.jpg']}").text
    derivatives = _section(html, "The same picture in other files")
    others = _section(html, "Other images with VIRIN")
    assert sha["a.png"] in derivatives and sha["b.jpg"] not in derivatives
    assert sha["b.jpg"] in others and sha["a.png"] not in others


def test_without_a_derivative_there_is_no_derivatives_section(tmp_path):
    photo, other = scene((-2.0, -1.2, 0.8, 1.2)), scene((-0.75, 0.05, -0.70, 0.09))
    same_virin_files(tmp_path / "shoot", ("a.jpg", photo, "JPEG"), ("b.jpg", other, "JPEG"))
    db = tmp_path / "catalog.db"
    import_into(db, tmp_path / "shoot")
    sha = {name: s for name, s in rows(db, "SELECT name, sha256 FROM locations")}
    with Client.serving(db) as client:
        html = client.get(f"/catalog/-/asset/{sha['a.jpg']}").text
    assert "The same picture in other files" not in html
    assert sha["b.jpg"] in _section(html, "Other images with VIRIN")


def test_validate_of_the_catalog_tells_a_derivative_as_the_import_did(tmp_path):
    """``validate --db`` runs the whole-set rules again on the stored locations, with the stored
    perceptual hashes: a derivative stays SET003 there, never the error SET001."""
    photo = scene((-2.0, -1.2, 0.8, 1.2))
    same_virin_files(
        tmp_path / "shoot", ("a.jpg", photo, "JPEG"), ("a.png", photo.resize((320, 240)), "PNG")
    )
    db = tmp_path / "catalog.db"
    import_into(db, tmp_path / "shoot")
    reported = located(
        catalog("validate", "--db", str(db), "--format", "jsonl", "--select", "SET", cwd=tmp_path)
    )
    assert {code for _, code in reported} == {"SET003"}
