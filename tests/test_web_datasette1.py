"""The plugin under both Datasette 0.65 (``make test``) and the newest 1.0 alpha
(``make test-datasette1``): what a person sees, checked on the HTML pages both versions render.

Datasette 1.0 dropped the ``get_metadata`` hook and moved table settings and canned queries out
of metadata (``catalog.web.versions``), so these tests serve the catalog with plain
``Datasette([file])``, as ``datasette catalog.db`` does, and ask only what both versions answer
alike. The 0.65 JSON API (``/-/metadata.json``, ``facet_results``) is left to
``test_web_datasette.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from catalogs import rows
from datasette.app import Datasette
from datasette.tracer import capture_traces
from datasette.version import __version__ as datasette_version
from markupsafe import escape
from webtools import Client

from catalog.core.record import field_descriptions
from catalog.store.schema import TABLE_DESCRIPTIONS
from catalog.web.config import PLAIN_TILE, PUBLIC, metadata


@pytest.fixture(scope="module")
def plain(sample):
    """``datasette catalog.db``: the plugin comes from the package's entry point."""
    with Client(Datasette([str(sample)])) as client:
        yield client


def sha_of(db, path_end: str) -> str:
    return rows(db, "SELECT sha256 FROM assets WHERE primary_path LIKE ?", f"%{path_end}")[0][0]


def test_the_datasette_under_test_is_the_one_the_make_target_names():
    assert datasette_version.startswith(("0.65", "1.0a"))


def test_importing_the_plugin_never_loads_the_publish_builder():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, catalog.web; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'catalog.web.plugin'" in loaded
    assert "catalog.publish" not in loaded


def test_plain_datasette_describes_the_database_every_table_and_column(plain):
    home = plain.get("/").text
    assert "DoD imagery catalog" in home
    database = plain.get("/catalog").text
    assert "DoD imagery catalog (internal)" in database
    table = plain.get("/catalog/assets").text
    assert str(escape(TABLE_DESCRIPTIONS["assets"])) in table
    assert str(escape(field_descriptions()["caption"])) in table
    findings = plain.get("/catalog/findings").text
    assert str(escape(TABLE_DESCRIPTIONS["findings"])) in findings


def test_plain_datasette_offers_the_facets_and_the_desk_queries(plain):
    table = plain.get("/catalog/assets").text
    assert "virin_service_name=Marine+Corps" in table  # a value of the service facet ...
    assert "shot_date__startswith=2022" in table  # ... and of the year facet
    query = plain.get("/catalog/duplicate_virins")
    assert query.status_code == 200
    assert "Duplicate VIRINs" in query.text
    assert "VIRINs carried by more than one distinct image content" in query.text


def test_a_page_of_thumbnails_runs_no_query_per_cell(plain, sample):
    """The sha256 cells are drawn from their rows: no query asks about one asset, and thirty
    rows cost no more queries than five (give or take Datasette's own schema checks)."""

    def traced(url: str) -> list[dict]:
        traces: list[dict] = []

        async def get():
            with capture_traces(traces):
                response = await plain.datasette.client.get(url)
            assert response.status_code == 200
            assert response.text.count('class="catalog-cell"') >= 5

        plain.loop.run_until_complete(get())
        return [t for t in traces if t.get("type") == "sql"]

    traced("/catalog/assets?_size=5")  # Datasette's startup runs on the first request
    few, many = traced("/catalog/assets?_size=5"), traced("/catalog/assets?_size=30")
    shown = {sha for (sha,) in rows(sample, "SELECT sha256 FROM assets")}
    asked = [t["sql"] for t in many if shown & {str(v) for v in _values(t.get("params"))}]
    assert asked == []
    assert len(many) - len(few) < 25
    assert not [t["sql"] for t in many if "thumbnails" in t["sql"]]


def _values(params) -> list:
    if isinstance(params, dict):
        return list(params.values())
    return list(params or ())


def test_cells_are_sized_from_the_row_and_link_the_thumbnail(plain, sample):
    sha = rows(sample, "SELECT sha256 FROM assets WHERE virin = '220215-F-DU706-1241'")[0][0]
    (width, height) = rows(sample, "SELECT width, height FROM assets WHERE sha256 = ?", sha)[0]
    assert width > height  # the sample photo is landscape: 96 wide, less high
    html = plain.get("/catalog/assets?_size=50").text
    box = f'width="96" height="{round(height * 96 / width)}"'
    assert f'<img src="/catalog/-/thumbnail/{sha}.jpg" alt="preview" loading="lazy" {box}>' in html
    # a query result has no pixel size: the stylesheet fits the image in the same box
    query = plain.get("/catalog/not_released").text
    assert 'alt="preview" loading="lazy">' in query


def test_an_asset_without_a_thumbnail_shows_no_preview(plain, sample):
    sha = sha_of(sample, "mistakes/truncated.jpg")
    assert not rows(sample, "SELECT 1 FROM thumbnails WHERE sha256 = ?", sha)
    assert f"/catalog/-/thumbnail/{sha}.jpg" in plain.get("/catalog/assets?_size=50").text
    answer = plain.get(f"/catalog/-/thumbnail/{sha}.jpg")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert b">no preview</text>" in answer.content


def test_asset_page_and_thumbnail(plain, sample):
    sha = rows(sample, "SELECT sha256 FROM assets WHERE virin = '220215-F-DU706-1241'")[0][0]
    page = plain.get(f"/catalog/-/asset/{sha}")
    assert page.status_code == 200
    assert "Airmen load security assistance cargo for Ukraine" in page.text
    thumbnail = plain.get(f"/catalog/-/thumbnail/{sha}.jpg")
    assert (thumbnail.status_code, thumbnail.headers["content-type"]) == (200, "image/jpeg")


def test_public_catalog_is_described_and_its_queries_run_without_arbitrary_sql(sample, tmp_path):
    described = metadata(PUBLIC, "public")["databases"]["public"]["tables"]["assets"]
    with Client.published(sample, tmp_path) as public:
        assert str(escape(described["description"])) in public.get("/public/assets").text
        assert public.get("/public/images_per_month").status_code == 200
        assert public.get("/public?sql=select+1", follow_redirects=True).status_code == 403


def test_the_desk_home_page_searches_and_highlights(plain):
    html = plain.get("/catalog/-/desk", params={"q": "C-17"}).text
    assert "<mark>C-17</mark>" in html
    assert "/catalog/-/thumbnail/" in html and "Errors by rule" in html


def test_facets_are_titled_in_words_and_the_release_facet_offers_no_status(plain, sample):
    html = plain.get("/catalog/assets").text
    for column, title in [("virin_service_name", "Service"), ("shot_date", "Year shot")]:
        assert f'<span title="{column}">{title}</span>' in html
    (missing,) = rows(sample, "SELECT count(*) FROM assets WHERE release_status IS NULL")[0]
    no_status = re.search(
        r'href="[^"]*release_status__isnull=1"[^>]*>no status</a>\s*(.*?)</li>', html
    )
    assert no_status and re.sub(r"<[^>]+>", "", no_status[1]).strip() == f"{missing:,}"


def test_a_keyword_filters_the_assets_through_the_keywords_table(plain, sample):
    html = plain.get("/catalog/assets").text
    assert re.search(r'href="[^"]*_keyword=cargo"', html)  # the keyword facet's link
    carrying = rows(sample, "SELECT count(DISTINCT sha256) FROM keywords WHERE keyword = 'cargo'")
    filtered = plain.get("/catalog/assets", params={"_keyword": "cargo"}).text
    assert escape('keyword is "cargo"') in filtered
    assert re.search(rf"\b{carrying[0][0]:,} rows?\b", filtered)


def test_a_canned_query_page_is_titled_by_its_title(plain):
    assert "<title>Errors by rule</title>" in plain.get("/catalog/errors_by_rule").text


def test_the_map_of_where_photos_were_taken_uses_the_plain_tile_not_the_internet(plain):
    """The database's plugin settings (the tile) are installed under 1.0 as well as the tables'."""
    plain.get("/")  # Datasette's startup runs on the first request
    settings = plain.datasette.plugin_config("datasette-cluster-map", database="catalog")
    assert settings["tile_layer"] == PLAIN_TILE
    html = plain.get("/catalog/photo_locations").text
    assert "plain-tile.svg" in html and "openstreetmap" not in html
