"""``catalog publish``: the public catalog holds released assets' public columns, and nothing else.

The leak tests (``test_web_leak.py``) look for planted markers in the bytes and on the server;
these tests pin the rules one by one: which assets go in, which columns, how the file is built,
and that the release decision is taken again instead of trusted.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from catalogs import import_into, rows
from imagefiles import image_with
from PIL import Image
from shipped import TABLES
from webtools import CATALOG, LEAK_ASSETS, REPO

from catalog.publish.build import PublishError, publish, reencode
from catalog.store.public_schema import PUBLIC_TABLES
from catalog.store.schema import COLUMN_DESCRIPTIONS


def tables_of(db) -> set[str]:
    return {r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_only_released_unclassified_assets_go_in_after_normalization(leak_source, tmp_path):
    """Released/Unclassified in every source is in; 'released.' with spaces and lower case is the
    same term after the documented normalization; FOUO, Not Released, an unknown term, no status
    and conflicting sources stay out."""
    out = tmp_path / "public.db"
    report = publish(leak_source, out, tables=TABLES)
    expected = sorted(name for name, (_, _, public) in LEAK_ASSETS.items() if public)
    published = rows(out, "SELECT caption FROM assets ORDER BY id")
    names = sorted(n for n in LEAK_ASSETS for (caption,) in published if f"qjz{n}cap7" in caption)
    assert names == expected == ["lower", "released"]
    assert (report.published, report.not_released, report.held_back) == (2, 5, {})


def test_public_file_has_the_allow_listed_tables_and_columns_only(sample, tmp_path):
    out = tmp_path / "public.db"
    publish(sample, out, tables=TABLES)
    fts = {t for t in tables_of(out) if t.startswith("assets_fts")}
    assert tables_of(out) - fts == {*PUBLIC_TABLES, "catalog_publication"}
    for table, columns in PUBLIC_TABLES.items():
        assert tuple(r[1] for r in rows(out, f"PRAGMA table_info({table})")) == columns
    never = {"gps_latitude", "gps_longitude", "gps_altitude", "primary_path", "artist"}
    never |= {"caption_writer", "date_time_original", "error_count", "publishable", "copyright"}
    assert never <= set(COLUMN_DESCRIPTIONS["assets"])  # the names are real columns ...
    assert not never & set(PUBLIC_TABLES["assets"])  # ... that are not public


def test_ids_are_renumbered_so_gaps_do_not_count_the_excluded(sample, tmp_path):
    out = tmp_path / "public.db"
    report = publish(sample, out, tables=TABLES)
    ids = [r[0] for r in rows(out, "SELECT id FROM assets ORDER BY id")]
    assert ids == list(range(1, report.published + 1))
    assert report.not_released > 0


def test_full_text_search_finds_published_words_only(leak_source, tmp_path):
    out = tmp_path / "public.db"
    publish(leak_source, out, tables=TABLES)
    match = "SELECT count(*) FROM assets_fts WHERE assets_fts MATCH ?"
    assert rows(out, match, "qjzreleasedkw7") == [(1,)]
    assert rows(out, match, "qjznotrelkw7") == [(0,)]
    with sqlite3.connect(out) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, assets_fts, 'row')")
        terms = [t for (t,) in conn.execute("SELECT term FROM temp.terms")]
    assert "qjzreleasedcap7" in terms
    assert not [
        t for t in terms if t.startswith("qjz") and "released" not in t and "lower" not in t
    ]


def test_the_file_is_built_fresh_without_free_pages_or_journal(sample, tmp_path):
    out = tmp_path / "public.db"
    publish(sample, out, tables=TABLES)
    assert rows(out, "PRAGMA freelist_count") == [(0,)]
    assert rows(out, "PRAGMA journal_mode") == [("delete",)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public.db"]  # no temporary left


def tampered(sample, tmp_path, pick: str, change: str) -> tuple[Path, str]:
    """A copy of the sample catalog where ``change`` (SQL whose one parameter is the SHA-256)
    was applied to the asset ``pick`` selects; returns the copy and that SHA-256."""
    source = tmp_path / "tampered.db"
    shutil.copy(sample, source)
    with sqlite3.connect(source) as conn:
        (sha,) = conn.execute(pick).fetchone()
        conn.execute(change, (sha,))
    return source, sha


def test_a_store_that_says_publishable_is_not_believed_blindly(sample, tmp_path):
    """Tamper with the stored decision: the release sources in field_values still say Not
    Released, so publish holds the asset back and names it."""
    source, sha = tampered(
        sample,
        tmp_path,
        "SELECT sha256 FROM assets WHERE release_status = 'Not Released'",
        "UPDATE assets SET publishable = 1, release_status = 'Released' WHERE sha256 = ?",
    )
    out = tmp_path / "public.db"
    report = publish(source, out, tables=TABLES)
    assert [held.sha256 for held in report.held if held.gate == "check"] == [sha]
    assert "REL003" in report.held_back[sha]
    assert rows(out, "SELECT count(*) FROM assets WHERE sha256 = ?", sha) == [(0,)]


def test_a_release_error_at_another_location_holds_the_content_back(sample, tmp_path):
    """The asset row holds the record of one location; a copy elsewhere with a sidecar that
    disagrees shows up as a release finding at that path, and that is enough to keep it out."""
    source, sha = tampered(
        sample,
        tmp_path,
        "SELECT sha256 FROM assets WHERE publishable = 1 ORDER BY sha256 LIMIT 1",
        "INSERT INTO findings (sha256, path, code, severity, message) "
        "VALUES (?, '/elsewhere/copy.jpg', 'REL003', 'error', 'sidecar says Not Released')",
    )
    report = publish(source, tmp_path / "public.db", tables=TABLES)
    assert "REL003" in report.held_back[sha]


def test_a_copy_whose_own_sources_do_not_release_it_holds_the_content_back(tmp_path):
    """Two copies of one image: the first (the asset row's primary location) has a sidecar that
    adds the Unclassified marking, the second has none, so its own decision is 'not publishable'
    (REL005, a warning only). The content goes public only when every copy says so."""
    photos = tmp_path / "photos"
    for folder in ("a", "b"):
        (photos / folder).mkdir(parents=True)
    first = image_with(
        photos / "a",
        "a",
        "JPEG",
        "-IPTC:ObjectName=220215-F-DU706-1241",
        "-IPTC:SpecialInstructions=Released",
    )
    (photos / "a" / "a.json").write_text('{"classification": "Unclassified"}')
    shutil.copyfile(first, photos / "b" / "b.jpg")
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    assert rows(db, "SELECT publishable FROM assets") == [(1,)]  # the primary copy's decision
    report = publish(db, tmp_path / "public.db", tables=TABLES)
    (reason,) = report.held_back.values()
    assert "locations did not decide it publishable" in reason

    (photos / "b" / "b.json").write_text('{"classification": "Unclassified"}')
    import_into(db, photos)
    no_text = ("CAP001", "CRD001")  # the test image has no caption and no credit
    assert publish(db, tmp_path / "public2.db", tables=TABLES, allow_errors=no_text).held_back == {}


def test_thumbnails_are_reencoded_from_pixels_without_any_metadata(sample, tmp_path):
    """A stored thumbnail carrying EXIF and a comment (a tampered catalog) comes out bare."""
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "qjzthumbartist7"  # Artist
    dirty = io.BytesIO()
    image.save(dirty, "JPEG", exif=exif, comment=b"qjzthumbcomment7")
    assert b"qjzthumb" in dirty.getvalue()
    width, height, clean = reencode(dirty.getvalue())
    assert (width, height) == (40, 30)
    assert b"qjzthumb" not in clean
    with Image.open(io.BytesIO(clean)) as reread:
        assert not reread.getexif()
        assert set(reread.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}


def test_undecodable_thumbnail_publishes_the_asset_without_preview():
    assert reencode(b"not a jpeg") is None


def test_refuses_to_overwrite_its_source(sample, tmp_path):
    source = tmp_path / "catalog.db"
    shutil.copy(sample, source)
    before = source.read_bytes()
    with pytest.raises(PublishError, match="refusing"):
        publish(source, source, tables=TABLES)
    with pytest.raises(PublishError, match="refusing"):
        publish(source, tmp_path / "." / "catalog.db", tables=TABLES)
    assert source.read_bytes() == before


def test_a_failed_build_leaves_the_destination_as_it_was(tmp_path):
    not_a_catalog = tmp_path / "other.db"
    with sqlite3.connect(not_a_catalog) as conn:
        conn.execute("CREATE TABLE assets (id INTEGER)")
    out = tmp_path / "public.db"
    out.write_bytes(b"the previous public catalog")
    with pytest.raises(PublishError, match="not a catalog"):
        publish(not_a_catalog, out, tables=TABLES)
    assert out.read_bytes() == b"the previous public catalog"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db", "public.db"]


def test_publish_command_reports_counts_and_exit_status(sample, tmp_path):
    out = tmp_path / "public.db"
    done = subprocess.run(
        [*CATALOG, "publish", str(sample), str(out)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    published = rows(out, "SELECT count(*) FROM assets")[0][0]
    assert f"{published} assets published" in done.stdout
    refused = subprocess.run(
        [*CATALOG, "publish", str(sample), str(sample)], capture_output=True, text=True, cwd=REPO
    )
    assert refused.returncode == 2
    assert "refusing" in refused.stderr
