"""Catalog-wide work at scale (issue 21): what the summaries, the incremental collection check and
the streaming commands must keep equal to the plain, whole-catalog answer."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from catalogs import GOOD, VIRIN, file_history, import_into, rows, two_shots_one_virin
from imagefiles import exiftool_write, image_with

from catalog.store.catalog import Catalog


def counted_from_rows(db: Path) -> dict:
    """What ``catalog stats`` must say, counted from the rows themselves with GROUP BY."""

    def pairs(sql: str) -> dict:
        return {str(k): v for k, v in rows(db, sql)}

    return {
        "assets": rows(db, "SELECT count(*) FROM assets")[0][0],
        "publishable": rows(db, "SELECT count(*) FROM assets WHERE publishable = 1")[0][0],
        "with_errors": rows(db, "SELECT count(*) FROM assets WHERE error_count > 0")[0][0],
        "thumbnails": rows(db, "SELECT count(*) FROM thumbnails")[0][0],
        "locations": pairs("SELECT status, count(*) FROM locations GROUP BY 1"),
        "findings": pairs("SELECT severity, count(*) FROM findings GROUP BY 1"),
        "rules": sorted(rows(db, "SELECT code, severity, count(*) FROM findings GROUP BY 1, 2")),
        "services": pairs(
            "SELECT coalesce(virin_service_name, virin_service, '(none)'), count(*) "
            "FROM assets GROUP BY 1"
        ),
        "release_status": pairs(
            "SELECT coalesce(release_status, '(unknown)'), count(*) FROM assets GROUP BY 1"
        ),
        "formats": pairs("SELECT format, count(*) FROM assets GROUP BY 1"),
        "duplicate_virins": pairs(
            "SELECT upper(trim(virin)), count(*) FROM assets WHERE virin IS NOT NULL "
            "GROUP BY 1 HAVING count(*) > 1"
        ),
    }


def stats_of(db: Path) -> dict:
    with Catalog.open(db, create=False) as catalog:
        numbers = catalog.stats()
    numbers.pop("last_run")
    numbers["rules"] = sorted((r["code"], r["severity"], r["count"]) for r in numbers["rules"])
    return numbers


def test_stats_kept_by_the_writer_equal_the_rows_through_new_changed_moved_and_gone_files(
    tmp_path,
):
    history = file_history(tmp_path, "-IPTC:ObjectName=220215-F-DU706-1242")  # other VIRIN
    db = next(history)  # new files
    assert stats_of(db) == counted_from_rows(db)
    assert stats_of(db)["duplicate_virins"] == {VIRIN: 2}

    db = next(history)  # changed, copied and gone files
    assert stats_of(db) == counted_from_rows(db)
    assert stats_of(db)["locations"] == {"missing": 1, "present": 3}
    assert stats_of(db)["duplicate_virins"] == {}

    db = next(history)  # the folder gone
    assert stats_of(db) == counted_from_rows(db)


def test_an_old_catalog_gets_its_summaries_from_its_rows_when_upgraded(tmp_path):
    db = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "data" / "catalogs" / "schema-002.db", db)
    assert stats_of(db) == counted_from_rows(db)


def test_an_import_reports_only_the_collection_findings_it_made_or_resolved(tmp_path):
    photos, other, db = tmp_path / "photos", tmp_path / "other", tmp_path / "catalog.db"
    first, second = two_shots_one_virin(photos)
    other.mkdir()
    assert sorted(import_into(db, photos).collection_findings) == [str(first), str(second)]

    image_with(other, "unrelated", "JPEG", *GOOD[1:], "-IPTC:ObjectName=220215-F-DU706-1300")
    unrelated = import_into(db, other)
    assert unrelated.collection_findings == {}  # the catalog's SET001 are not this run's news
    assert unrelated.resolved_collection_findings == {}
    stored = "SELECT path FROM findings WHERE code = 'SET001' ORDER BY path"
    assert rows(db, stored) == [(str(first),), (str(second),)]  # and they stay stored

    exiftool_write(second, "-IPTC:Headline=edited again")  # re-read, still the same VIRIN
    again = import_into(db, photos)
    assert again.collection_findings == {} and again.resolved_collection_findings == {}
    assert rows(db, stored) == [(str(first),), (str(second),)]

    exiftool_write(second, "-IPTC:ObjectName=220215-F-DU706-1242")  # the fix
    fixed = import_into(db, photos)
    assert fixed.collection_findings == {}
    assert sorted(fixed.resolved_collection_findings) == [str(first), str(second)]
    assert [f.code for f in fixed.resolved_collection_findings[str(first)]] == ["SET001"]
    assert rows(db, stored) == []
    counts = "SELECT error_count FROM assets WHERE primary_path IN (?, ?)"
    assert rows(db, counts, str(first), str(second)) == [(0,), (0,)]


def test_a_run_after_an_interrupted_one_checks_every_shared_virin_again(tmp_path):
    photos, db = tmp_path / "photos", tmp_path / "catalog.db"
    first, second = two_shots_one_virin(photos)
    import_into(db, photos)
    with sqlite3.connect(db) as conn:  # as a run killed before its reconcile stage leaves it
        conn.execute("DELETE FROM findings WHERE code = 'SET001'")
        conn.execute("UPDATE import_runs SET status = 'interrupted'")
    summary = import_into(db, tmp_path / "photos")
    assert sorted(summary.collection_findings) == [str(first), str(second)]
