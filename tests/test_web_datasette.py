"""The Datasette plugin in-process: what the pages and the JSON API of a served catalog say.

Requests go through Datasette's own ASGI app (``datasette.client``) with the plugin loaded from
the package's entry point, against catalogs imported from real files.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess

import pytest
from catalogs import import_into, rows
from datasette.app import Datasette
from imagefiles import image_with
from PIL import Image
from webtools import CATALOG, Client

from catalog.core.caption import DATE_MISMATCH
from catalog.core.record import field_descriptions
from catalog.store.public_schema import PUBLIC_TABLES
from catalog.store.schema import COLUMN_DESCRIPTIONS, TABLE_DESCRIPTIONS
from catalog.web.config import INTERNAL, PUBLIC, configuration, metadata


def sha_of(db, virin: str) -> str:
    return rows(db, "SELECT sha256 FROM assets WHERE virin = ? ORDER BY sha256", virin)[0][0]


# --- what is described -------------------------------------------------------------------


def test_every_table_and_column_is_described_once_from_the_schema(internal):
    described = internal.get("/-/metadata.json").json()["databases"]["catalog"]
    for table, columns in COLUMN_DESCRIPTIONS.items():
        assert described["tables"][table]["description"] == TABLE_DESCRIPTIONS[table]
        assert described["tables"][table]["columns"] == columns
    assert described["tables"]["assets"]["columns"]["caption"] == field_descriptions()["caption"]


def test_table_page_shows_the_column_descriptions(internal):
    html = internal.get("/catalog/assets").text
    assert TABLE_DESCRIPTIONS["assets"] in html
    assert "Caption (Caption-Abstract): who, what, when, where, why" in html


@pytest.mark.parametrize("kind", [INTERNAL, PUBLIC])
def test_metadata_and_configuration_keep_the_shapes_datasette_1_reads(kind):
    """metadata.yaml holds descriptions only; datasette.yaml holds everything else."""
    meta, config = metadata(kind, "db"), configuration(kind, "db")
    assert set(meta) == {"title", "description", "databases"}
    assert set(meta["databases"]["db"]) == {"title", "description", "tables"}
    for table in meta["databases"]["db"]["tables"].values():
        assert set(table) == {"description", "columns"}
    assert set(config) == {"settings", "databases"}
    assert set(config["databases"]["db"]) <= {"tables", "queries", "plugins"}


# --- thumbnails and the asset page ---------------------------------------------------------


def test_thumbnail_is_a_jpeg_with_nosniff_and_no_metadata(internal, sample):
    response = internal.get(f"/catalog/-/thumbnail/{sha_of(sample, '220215-F-DU706-1241')}.jpg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "JPEG" and max(image.size) <= 256
        assert not image.getexif()


@pytest.mark.parametrize(
    "path",
    [
        "/catalog/-/thumbnail/" + "0" * 64 + ".jpg",  # no such asset
        "/catalog/-/thumbnail/..%2F..%2Fcatalog.db.jpg",
        "/catalog/-/thumbnail/" + "A" * 64 + ".jpg",
        "/catalog/-/asset/" + "0" * 64,
        "/nosuchdb/-/asset/" + "0" * 64,
    ],
)
def test_unknown_assets_and_odd_paths_are_not_found(internal, path):
    """The routes take 64 lower-case hex digits and nothing else; others fall through to
    Datasette, which finds no such table (or redirects to where there is none)."""
    response = internal.get(path)
    assert response.status_code in (302, 400, 404)
    assert response.headers["content-type"] != "image/jpeg"


def test_table_and_row_pages_show_thumbnails_linking_to_the_asset_page(internal, sample):
    sha = sha_of(sample, "220215-F-DU706-1241")
    (row_id,) = rows(sample, "SELECT id FROM assets WHERE sha256 = ?", sha)[0]
    for page in ("/catalog/assets", f"/catalog/assets/{row_id}"):
        html = internal.get(page).text
        assert f'src="/catalog/-/thumbnail/{sha}.jpg"' in html
        assert f'href="/catalog/-/asset/{sha}"' in html


def test_asset_page_shows_sources_findings_with_explanations_and_other_work(internal, sample):
    sha = sha_of(sample, "220215-F-DU706-1241")
    html = internal.get(f"/catalog/-/asset/{sha}").text
    assert "Airmen load security assistance cargo for Ukraine" in html
    assert "<code>article:article.txt#1</code>" in html  # the source of the caption
    assert DATE_MISMATCH.code in html and DATE_MISMATCH.summary in html
    assert DATE_MISMATCH.explanation.split("\n")[1][:40] in html.replace("&#39;", "'")
    assert f'src="/catalog/-/thumbnail/{sha}.jpg"' in html
    assert "/catalog/assets?photographer_name=Karla+Parra" in html
    assert "More by Karla Parra" in html


def test_asset_page_lists_every_location_of_the_same_content(internal, sample):
    (sha, count), *_ = rows(
        sample,
        "SELECT sha256, count(*) FROM locations GROUP BY sha256 HAVING count(*) > 1",
    )
    html = internal.get(f"/catalog/-/asset/{sha}").text
    for (path,) in rows(sample, "SELECT path FROM locations WHERE sha256 = ?", sha):
        assert f"<code>{path}</code>" in html
    assert f"Locations ({count})" in html


def test_html_in_captions_and_credits_comes_out_escaped(tmp_path):
    """Captions and credits are written by whoever made the file: never markup on our pages."""
    photos = tmp_path / "photos"
    photos.mkdir()
    image_with(
        photos,
        "evil",
        "JPEG",
        "-IPTC:ObjectName=220215-F-DU706-1241",
        "-IPTC:Caption-Abstract=<script>alert('caption')</script> Feb. 15, 2022.",
        '-IPTC:Credit="><img src=x onerror=alert(1)>',
        "-IPTC:By-line=SrA <b>Karla</b> Parra",
    )
    db = tmp_path / "catalog.db"
    import_into(db, photos)
    with Client.serving(db) as client:
        sha = sha_of(db, "220215-F-DU706-1241")
        pages = [client.get(f"/catalog/-/asset/{sha}").text, client.get("/catalog/assets").text]
    for html in pages:
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(" in html
        assert "<img src=x" not in html
        assert "<b>Karla</b>" not in html


# --- search, facets and canned queries -----------------------------------------------------


def test_full_text_search_over_captions(internal):
    found = internal.get("/catalog/assets.json?_search=Globemaster&_shape=objects").json()
    assert found["rows"] and all("Globemaster" in r["caption"] for r in found["rows"])


def test_configured_facets_include_a_year_facet_whose_values_filter(internal, sample):
    data = internal.get("/catalog/assets.json?_size=0").json()
    facets = data["facet_results"]
    assert {"virin_service_name", "photographer_name", "release_status", "keywords"} <= set(facets)
    years = {v["value"]: v for v in facets["shot_date"]["results"]}
    expected = dict(rows(sample, "SELECT substr(shot_date, 1, 4), count(*) FROM assets GROUP BY 1"))
    assert {year: v["count"] for year, v in years.items()} == expected
    assert "shot_date__startswith=2022" in years["2022"]["toggle_url"]
    chosen = internal.get("/catalog/assets.json?shot_date__startswith=2022&_size=0").json()
    assert chosen["filtered_table_rows_count"] == expected["2022"]


def test_findings_table_has_rule_code_and_severity_facets(internal):
    facets = internal.get("/catalog/findings.json?_size=0").json()["facet_results"]
    assert {"code", "severity"} <= set(facets)


def test_every_internal_canned_query_runs(internal):
    queries = configuration(INTERNAL, "catalog")["databases"]["catalog"]["queries"]
    assert {
        "duplicate_virins",
        "errors_by_rule",
        "assets_with_errors",
        "missing_credit",
        "caption_date_differs",
        "gps_on_released",
        "not_released",
    } <= set(queries)
    answers = {}
    for name in queries:
        response = internal.get(f"/catalog/{name}.json?_shape=objects&code=&name=parra")
        assert response.status_code == 200, (name, response.text[:300])
        answers[name] = response.json()["rows"]
    duplicated = {r["duplicated"] for r in answers["duplicate_virins"]}
    assert "220215-F-DU706-1308" in duplicated
    assert "220224-F-FW957-2001" not in duplicated  # 2001Y is a variant, not a duplicate
    assert {r["virin"] for r in answers["caption_date_differs"]} >= {"220215-F-DU706-1241"}
    assert {r["release_status"] for r in answers["not_released"]} >= {"Not Released"}
    assert [r["virin"] for r in answers["gps_on_released"]] == ["220215-F-DU706-1307"]


def test_public_catalog_offers_only_queries_over_its_own_tables(public):
    offered = public.get("/public.json").json()["queries"]
    names = {q["name"] for q in offered}
    assert names == set(configuration(PUBLIC, "public")["databases"]["public"]["queries"])
    for name in names:
        response = public.get(f"/public/{name}.json?name=parra")
        assert response.status_code == 200, (name, response.text[:300])
    assert public.get("/public/not_released").status_code == 404


# --- the public server's restrictions ----------------------------------------------------


def test_public_server_has_no_sql_no_download_and_hides_file_paths(public):
    assert public.get("/public.json?sql=select+1").status_code == 403
    assert public.get("/public.db").status_code == 403
    assert public.get("/-/databases.json").status_code == 404


def test_internal_server_allows_sql(internal):
    assert internal.get("/catalog.json?sql=select+1").status_code == 200


# --- databases that are not catalogs ---------------------------------------------------------


def test_other_databases_are_left_alone(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE assets (sha256 TEXT, photographer_name TEXT)")
        conn.execute("INSERT INTO assets VALUES (?, 'Someone')", ("a" * 64,))
    with Client(Datasette([str(other)])) as client:
        assert "other" not in (client.get("/-/metadata.json").json().get("databases") or {})
        html = client.get("/other/assets").text
        assert "/-/thumbnail/" not in html and "catalog.css" not in html
        assert client.get("/other/-/asset/" + "a" * 64).status_code == 404


# --- catalog serve refuses what it must not serve ------------------------------------------


def test_serve_public_refuses_an_internal_catalog_and_missing_files(sample, tmp_path):
    """--public promises a file built by publish: an internal catalog is refused, not served."""
    for args, message in [
        (["--public", str(sample)], "only a catalog built by `catalog publish`"),
        ([str(tmp_path / "missing.db")], "no such file"),
    ]:
        done = subprocess.run([*CATALOG, "serve", *args], capture_output=True, text=True)
        assert (done.returncode, done.stdout) == (2, "")
        assert message in done.stderr


def test_plain_datasette_gets_the_same_catalog_pages(sample):
    """`datasette catalog.db` loads the plugin from the entry point: no catalog serve needed."""
    with Client(Datasette([str(sample)])) as client:
        plugins = {p["name"] for p in client.get("/-/plugins.json").json()}
        assert {"dod-imagery-catalog", "datasette-vega", "datasette-cluster-map"} <= plugins
        described = client.get("/-/metadata.json").json()["databases"]["catalog"]
        assert described["tables"]["assets"]["description"] == TABLE_DESCRIPTIONS["assets"]
        sha = sha_of(sample, "220215-F-DU706-1241")
        assert client.get(f"/catalog/-/asset/{sha}").status_code == 200
        assert client.get("/catalog/not_released.json").status_code == 200


def test_asset_page_marks_sources_that_disagree(internal, sample):
    """The sample's IPTC credit says Air Force, its XMP credit Space Force: the page shows the
    chosen value with its source and the other one marked, and agreeing copies as the same."""
    (sha,) = rows(
        sample, "SELECT sha256 FROM assets WHERE primary_path LIKE '%iptc-xmp-disagree%'"
    )[0]
    html = internal.get(f"/catalog/-/asset/{sha}").text
    assert '<div class="catalog-differs"><code>iptc</code>: U.S. Air Force' in html
    assert "<code>iptc</code>: the same" in html


def test_public_catalog_describes_exactly_its_own_tables_and_columns(public):
    described = public.get("/-/metadata.json").json()["databases"]["public"]["tables"]
    assert set(described) == {*PUBLIC_TABLES, "catalog_publication"}
    for table, columns in PUBLIC_TABLES.items():
        assert tuple(described[table]["columns"]) == columns
        assert all(described[table]["columns"].values())
    assert "finding" not in described["assets"]["description"]
