"""The import pipeline: every input kind, re-imports, duplicates, damage, and untouched sources."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from catalogs import content, import_into, rows, tree_state
from imagefiles import blank, exiftool_write, image_with
from PIL import Image

VIRIN = "220215-F-DU706-1241"
CAPTION = (
    "Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III at Travis "
    "Air Force Base, Calif., Feb. 15, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)"
)
GOOD = [
    f"-IPTC:ObjectName={VIRIN}",
    f"-IPTC:Caption-Abstract={CAPTION}",
    "-IPTC:By-line=SrA Karla Parra",
    "-IPTC:Credit=U.S. Air Force",
    "-IPTC:DateCreated=2022:02:15",
    "-IPTC:Keywords=cargo",
    "-IPTC:Keywords=C-17",
    "-IPTC:SpecialInstructions=Released",
    "-IPTC:SupplementalCategories=Unclassified",
]


def asset(db: Path, column: str, where: str = "1", *params):
    return [r[0] for r in rows(db, f"SELECT {column} FROM assets WHERE {where}", *params)]


def codes_at(db: Path, path: Path) -> list[str]:
    return sorted(r[0] for r in rows(db, "SELECT code FROM findings WHERE path = ?", str(path)))


@pytest.mark.parametrize("file_format", ["JPEG", "TIFF", "PNG"])
def test_embedded_metadata_of_each_format_becomes_one_checked_asset(tmp_path, file_format):
    photos = tmp_path / "photos"
    photos.mkdir()
    image_with(photos, VIRIN, file_format, *GOOD)
    db = tmp_path / "catalog.db"
    summary = import_into(db, photos)
    assert (summary.imported, summary.skipped, summary.findings["error"]) == (1, {}, 0)
    (row,) = rows(
        db,
        "SELECT virin, format, width, height, virin_service_name, photographer_name, "
        "photographer_rank, release_status, classification_marking, publishable, shot_date, "
        "keywords FROM assets",
    )
    assert row == (
        VIRIN,
        file_format,
        64,
        48,
        "Air Force",
        "Karla Parra",
        "Senior Airman",
        "Released",
        "Unclassified",
        1,
        "2022-02-15",
        '["cargo", "C-17"]',
    )
    assert rows(db, "SELECT keyword FROM keywords ORDER BY position") == [("cargo",), ("C-17",)]
    chosen = dict(rows(db, "SELECT field, source FROM field_values WHERE chosen = 1"))
    assert chosen["virin"] == "iptc" and chosen["caption"] == "iptc"


def test_sidecars_manifest_and_article_each_reach_the_catalog_with_their_source(tmp_path):
    """Each source kind besides the file itself: JSON and XMP sidecars, a manifest row, and a DoD
    article block matched through the VIRIN in the file name."""
    photos = tmp_path / "photos"
    photos.mkdir()
    json_image = image_with(photos, "a", "JPEG", *GOOD)
    (photos / "a.json").write_text(json.dumps({"title": "From the JSON sidecar"}))
    xmp_image = image_with(photos, "b", "JPEG", *GOOD[:-2])
    exiftool_write(
        xmp_image, "-XMP-photoshop:Headline=From the XMP sidecar", "-o", str(photos / "b.xmp")
    )
    manifest_image = photos / "c.jpg"
    Image.new("RGB", (64, 48), (10, 20, 30)).save(manifest_image)  # unlike the blank image below
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,title,release_instructions\nphotos/c.jpg,From the manifest,FOUO\n")
    article_image = blank(photos / "220224-F-FW957-2001Y.jpg")
    article = tmp_path / "article.txt"
    shutil.copyfile(Path(__file__).parent.parent / "assets" / "article.txt", article)
    db = tmp_path / "catalog.db"
    import_into(db, photos, manifests=[manifest], articles=[article])
    titles = dict(rows(db, "SELECT primary_path, title FROM assets"))
    assert titles[str(json_image)] == "From the JSON sidecar"
    assert titles[str(xmp_image)] == "From the XMP sidecar"
    assert titles[str(manifest_image)] == "From the manifest"
    assert titles[str(article_image)] == "Lightning Pair"
    chosen = rows(db, "SELECT source FROM field_values WHERE field = 'title' AND chosen = 1")
    assert sorted(r[0] for r in chosen) == [
        "article:article.txt#2",
        "manifest:manifest.csv#2",
        "sidecar-json:a.json",
        "sidecar-xmp:b.xmp",
    ]
    # a.jpg and b.jpg carry the VIRIN of the article's first block: its title is kept, not chosen
    others = rows(
        db,
        "SELECT count(*) FROM field_values WHERE source = 'article:article.txt#1'"
        " AND field = 'title' AND chosen = 0",
    )
    assert others == [(2,)]
    assert asset(db, "release_status", "primary_path = ?", str(manifest_image)) == ["FOUO"]


def test_a_second_run_over_an_unchanged_tree_reads_nothing(tmp_path):
    photos = tmp_path / "photos"
    (photos / "sub").mkdir(parents=True)
    for name in ("a", "b", "sub/c"):
        image_with(photos, name, "JPEG", *GOOD, f"-IPTC:Headline={name}")
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    before = content(db)
    summary = import_into(db, photos)
    assert (summary.imported, summary.updated, summary.unchanged, summary.missing) == (0, 0, 3, 0)
    assert rows(db, "SELECT DISTINCT read_run_id FROM locations") == [(1,)]  # none read by run 2
    assert content(db) == before


def test_a_changed_file_is_read_again_and_its_findings_replaced(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    image = image_with(photos, "a", "JPEG", *GOOD)
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    old_sha = asset(db, "sha256")
    exiftool_write(image, "-IPTC:ObjectName=220230-F-DU706-1241")  # no February 30
    summary = import_into(db, photos)
    assert (summary.updated, summary.unchanged) == (1, 0)
    assert "VIR003" in codes_at(db, image)
    assert asset(db, "virin") == ["220230-F-DU706-1241"]
    assert asset(db, "sha256") != old_sha  # the old content is gone from the catalog entirely
    assert rows(db, "SELECT count(*) FROM findings WHERE sha256 = ?", old_sha[0]) == [(0,)]


@pytest.mark.parametrize("sidecar", ["a.json", "a.xmp", "a.jpg.xmp"])
def test_a_new_or_changed_sidecar_makes_its_image_be_read_again(tmp_path, sidecar):
    photos = tmp_path / "photos"
    photos.mkdir()
    image = image_with(photos, "a", "JPEG", *GOOD)
    image_with(photos, "b", "JPEG", *GOOD, "-IPTC:Headline=b")
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    companion = photos / sidecar
    if sidecar.endswith(".json"):
        companion.write_text('{"title": "From the sidecar"}')
    else:
        exiftool_write(image, "-o", str(companion), "-XMP-photoshop:Headline=From the sidecar")
    summary = import_into(db, photos)
    assert (summary.updated, summary.unchanged) == (1, 1)
    assert asset(db, "title", "primary_path = ?", str(image)) == ["From the sidecar"]
    companion.unlink()  # gone again: read again, the embedded value is back
    assert import_into(db, photos).updated == 1
    assert asset(db, "title", "primary_path = ?", str(image)) == [None]


def test_a_changed_manifest_makes_the_files_be_read_again(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    image_with(photos, "a", "JPEG", *GOOD)
    manifest = photos / "manifest.csv"
    manifest.write_text("file,title\na.jpg,First title\n")
    db = tmp_path / "catalog.db"
    import_into(db, photos, manifests=[manifest])
    assert import_into(db, photos, manifests=[manifest]).unchanged == 1
    manifest.write_text("file,title\na.jpg,Second title\n")
    assert import_into(db, photos, manifests=[manifest]).updated == 1
    assert asset(db, "title") == ["Second title"]


def test_a_moved_file_is_one_asset_missing_at_its_old_path_present_at_the_new(tmp_path):
    photos = tmp_path / "photos"
    (photos / "old").mkdir(parents=True)
    (photos / "new").mkdir()
    image = image_with(photos / "old", "a", "JPEG", *GOOD)
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    moved = photos / "new" / "a.jpg"
    image.rename(moved)
    summary = import_into(db, photos)
    assert (summary.imported, summary.missing) == (1, 1)
    assert rows(db, "SELECT path, status FROM locations ORDER BY path") == [
        (str(moved), "present"),
        (str(image), "missing"),
    ]
    assert asset(db, "primary_path") == [str(moved)]


def test_deleted_files_and_folders_are_marked_missing_not_deleted(tmp_path):
    photos = tmp_path / "photos"
    (photos / "gone").mkdir(parents=True)
    kept = image_with(photos, "kept", "JPEG", *GOOD)
    deleted = image_with(photos, "deleted", "JPEG", *GOOD[1:])
    in_folder = image_with(photos / "gone", "x", "PNG", *GOOD[2:])
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    deleted.unlink()
    shutil.rmtree(photos / "gone")
    summary = import_into(db, photos)
    assert summary.missing == 2
    statuses = dict(rows(db, "SELECT path, status FROM locations"))
    assert statuses == {str(kept): "present", str(deleted): "missing", str(in_folder): "missing"}
    assert len(asset(db, "sha256")) == 3  # assets and their findings stay
    again = import_into(db, photos)
    assert (again.missing, again.unchanged) == (0, 1)  # missing files are not counted twice


def test_the_same_content_at_two_paths_is_one_asset_with_two_locations(tmp_path):
    photos = tmp_path / "photos"
    (photos / "copy").mkdir(parents=True)
    original = image_with(photos, "b", "JPEG", *GOOD)
    copy = photos / "copy" / "a.jpg"
    shutil.copyfile(original, copy)
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    assert len(asset(db, "sha256")) == 1
    assert rows(db, "SELECT count(DISTINCT sha256), count(*) FROM locations") == [(1, 2)]
    # the record is read from the path that sorts first, whatever the walk order
    assert asset(db, "primary_path") == [str(min(original, copy))]
    assert codes_at(db, original) == codes_at(db, copy)


def test_one_virin_on_two_different_images_is_flagged_on_both_until_fixed(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    first = image_with(photos, "first", "JPEG", *GOOD)
    second = image_with(photos, "second", "JPEG", *GOOD, "-IPTC:Headline=another shot")
    db = tmp_path / "catalog.db"
    summary = import_into(db, photos)
    assert sorted(summary.collection_findings) == sorted([str(first), str(second)])
    assert "SET001" in codes_at(db, first) and "SET001" in codes_at(db, second)
    assert asset(db, "error_count") == [1, 1]  # the collection finding is counted on each asset

    import_into(db, photos)  # recomputed, never duplicated
    assert codes_at(db, first).count("SET001") == 1

    exiftool_write(second, "-IPTC:ObjectName=220215-F-DU706-1242")  # the fix
    import_into(db, photos)
    assert "SET001" not in codes_at(db, first) + codes_at(db, second)
    assert asset(db, "error_count") == [0, 0]


def test_a_byte_for_byte_copy_under_the_same_virin_is_no_collection_finding(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    original = image_with(photos, "original", "JPEG", *GOOD)
    shutil.copyfile(original, photos / "copy.jpg")
    db = tmp_path / "catalog.db"
    assert import_into(db, photos).collection_findings == {}


def test_a_corrupt_file_among_good_ones_is_recorded_and_the_run_goes_on(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    good = [image_with(photos, n, "JPEG", *GOOD, f"-IPTC:Headline={n}") for n in ("a", "c", "e")]
    data = good[0].read_bytes()
    truncated = photos / "b.jpg"
    truncated.write_bytes(data[: len(data) - 200])
    text = photos / "d.jpg"
    text.write_text("not an image at all")
    db = tmp_path / "catalog.db"
    summary = import_into(db, photos)
    assert summary.imported == 4  # the three good files and the damaged JPEG
    assert list(summary.skipped) == [str(text)]
    assert "not a JPEG, TIFF or PNG image" in summary.skipped[str(text)]
    assert "FIL017" in codes_at(db, truncated)
    assert rows(
        db, "SELECT status, skip_reason IS NOT NULL FROM locations WHERE path = ?", str(text)
    ) == [("skipped", 1)]
    assert rows(db, "SELECT count(*) FROM thumbnails") == [(3,)]


def test_worker_processes_give_the_same_catalog_as_one_process(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    for index in range(12):
        image_with(photos, f"img{index:02d}", "JPEG", *GOOD[index % 3 :], f"-Headline={index}")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    import_into(one, photos, jobs=1)
    import_into(two, photos, jobs=2)
    assert content(one) == content(two)


def test_importing_never_writes_to_the_source_tree(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    image_with(photos, "a", "JPEG", *GOOD)
    image_with(photos, "b", "TIFF", *GOOD)
    (photos / "b.json").write_text('{"title": "sidecar"}')
    (photos / "junk.png").write_bytes(b"junk")
    before = tree_state(photos)
    import_into(tmp_path / "catalog.db", photos, jobs=2)
    import_into(tmp_path / "catalog.db", photos, jobs=2)
    assert tree_state(photos) == before


def test_thumbnails_are_small_upright_and_carry_no_metadata(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    image = photos / "rotated.jpg"
    Image.new("RGB", (1200, 600), (200, 30, 30)).save(image)
    exiftool_write(
        image,
        "-Orientation#=6",
        "-GPSLatitude=38.5",
        "-GPSLatitudeRef=N",
        "-IPTC:ObjectName=" + VIRIN,
        "-Comment=secret",
        "-XMP-dc:Title=x",
    )
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    ((width, height, jpeg),) = rows(db, "SELECT width, height, jpeg FROM thumbnails")
    assert (width, height) == (128, 256)  # 1200x600 turned a quarter: portrait
    thumbnail = Image.open(io.BytesIO(jpeg))
    assert thumbnail.size == (128, 256)
    assert not thumbnail.getexif() and not set(thumbnail.info) & {"exif", "comment", "icc_profile"}
    assert b"Exif" not in jpeg and b"secret" not in jpeg and b"Photoshop" not in jpeg
    assert b"http://ns.adobe.com/xap" not in jpeg


@pytest.mark.parametrize("thumbnails", [True, False])
def test_each_asset_is_keyed_by_the_sha256_of_its_file(tmp_path, thumbnails):
    photos = tmp_path / "photos"
    photos.mkdir()
    for file_format in ("JPEG", "TIFF", "PNG"):
        image_with(photos, file_format.lower(), file_format, *GOOD)
    trailer = photos / "trailer.jpg"  # data after the end-of-image marker: no decoder reads it
    trailer.write_bytes((photos / "jpeg.jpg").read_bytes() + b"\xff\xd9 a camera's trailer")
    broken = photos / "broken.jpg"  # the decoder stops at the damage, long before the end
    data = (photos / "jpeg.jpg").read_bytes()
    broken.write_bytes(data[: len(data) // 2] + b"\x00" * 4096)
    db = tmp_path / "catalog.db"
    import_into(db, photos, thumbnails=thumbnails)
    stored = dict(rows(db, "SELECT name, sha256 FROM locations"))
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in photos.iterdir()}
    assert stored == expected


def test_no_thumbnails_option(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    image_with(photos, "a", "JPEG", *GOOD)
    db = tmp_path / "catalog.db"
    import_into(db, photos, thumbnails=False)
    assert rows(db, "SELECT count(*) FROM assets, (SELECT count(*) n FROM thumbnails)") == [(1,)]
    assert rows(db, "SELECT count(*) FROM thumbnails") == [(0,)]


def test_a_single_file_can_be_imported_without_marking_its_neighbours_missing(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    a = image_with(photos, "a", "JPEG", *GOOD)
    b = image_with(photos, "b", "JPEG", *GOOD[1:])
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    os.utime(a, ns=(1, 1))
    summary = import_into(db, a)
    assert (summary.updated, summary.missing) == (1, 0)
    assert dict(rows(db, "SELECT path, status FROM locations")) == {
        str(a): "present",
        str(b): "present",
    }


def test_a_root_written_with_dot_dot_is_the_same_tree(tmp_path):
    """Paths are stored normalized, so a root spelled another way finds the same files - and
    notices a folder that disappeared."""
    photos = tmp_path / "photos"
    (photos / "gone").mkdir(parents=True)
    image_with(photos / "gone", "a", "JPEG", *GOOD)
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    shutil.rmtree(photos / "gone")
    (photos / "other").mkdir()
    summary = import_into(db, photos / "other" / "..")
    assert summary.missing == 1
