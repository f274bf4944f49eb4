"""The desk in Datasette: every table links to the asset pages and shows pictures, labels are
human, and search accepts what people type.

Requests go through Datasette's own ASGI app with the plugin loaded, against the bundled sample
collection imported as ``make run`` does.
"""

from __future__ import annotations

import re

import pytest
from catalogs import rows


def links_and_images(html: str) -> tuple[set[str], set[str]]:
    return set(re.findall(r'href="([^"]+)"', html)), set(re.findall(r'src="([^"]+)"', html))


@pytest.mark.parametrize("table", ["findings", "keywords", "locations", "field_values"])
def test_each_sha256_cell_links_to_the_asset_page_with_its_thumbnail(internal, sample, table):
    (sha,) = rows(sample, f"SELECT sha256 FROM {table} WHERE sha256 IS NOT NULL LIMIT 1")[0]
    html = internal.get(f"/catalog/{table}?sha256={sha}").text
    links, images = links_and_images(html)
    assert f"/catalog/-/asset/{sha}" in links
    assert f"/catalog/-/thumbnail/{sha}.jpg" in images
    assert f'href="/catalog/assets/{sha}"' not in html  # the 404 Datasette's own link would be
    assert internal.get(f"/catalog/-/asset/{sha}").status_code == 200


def test_the_virin_of_an_asset_links_to_its_page(internal, sample):
    sha, virin = rows(sample, "SELECT sha256, virin FROM assets WHERE virin IS NOT NULL")[0]
    html = internal.get(f"/catalog/assets?sha256={sha}").text
    assert re.search(rf'<a href="/catalog/-/asset/{sha}"[^>]*>{re.escape(virin)}</a>', html)


def test_the_thumbnails_table_shows_the_images_not_binary_sizes(internal, sample):
    shas = {r[0] for r in rows(sample, "SELECT sha256 FROM thumbnails")}
    html = internal.get("/catalog/thumbnails?_size=100").text
    _, images = links_and_images(html)
    assert {f"/catalog/-/thumbnail/{sha}.jpg" for sha in shas} <= images
    assert "&lt;Binary" not in html


@pytest.mark.parametrize("typed", ["C-17", "U.S. Air Force", '"Travis Air Force Base"'])
def test_the_search_query_takes_typed_words_and_highlights_them(internal, typed):
    response = internal.get("/catalog/search", params={"text": typed})
    assert response.status_code == 200
    first_word = typed.strip('"').split()[0].rstrip(".")  # U.S. is marked as U.S
    assert re.search(rf"<mark>{re.escape(first_word)}[^<]*</mark>", response.text, re.IGNORECASE)


def test_the_search_query_ranks_best_matches_first(internal, sample):
    found = internal.get("/catalog/search.json", params={"text": "cargo", "_shape": "array"}).json()
    best_first = rows(
        sample,
        "SELECT a.sha256 FROM assets_fts JOIN assets a ON a.id = assets_fts.rowid "
        "WHERE assets_fts MATCH '\"cargo\"' ORDER BY rank",
    )
    assert [r["sha256"] for r in found] == [sha for (sha,) in best_first]


def test_a_snippet_cannot_inject_markup(internal, tmp_path):
    from catalog.web.plugin import highlight

    assert str(highlight("<b>\x02x</b>\x03")) == "&lt;b&gt;<mark>x&lt;/b&gt;</mark>"


def test_sizes_have_units_and_the_exact_count_on_hover(internal, sample):
    from catalog.web.plugin import byte_size

    assert [byte_size(n) for n in (812, 45_200, 3_100_000, 7_000_000_000)] == [
        "812 B",
        "45.2 kB",
        "3.1 MB",
        "7.0 GB",
    ]
    (size,) = rows(sample, "SELECT size FROM locations WHERE size > 1000 LIMIT 1")[0]
    html = internal.get(f"/catalog/locations?size={size}").text
    assert f'<span title="{size:,} bytes">{byte_size(size)}</span>' in html


def test_bookkeeping_is_hidden_and_query_pages_are_titled_by_their_title(internal):
    tables = internal.get("/catalog.json").json()["tables"]
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert {"_sqlite_migrations", "asset_lists"} <= hidden
    shown = [t["name"] for t in tables if not t["hidden"]]
    assert shown[0] != "_sqlite_migrations"
    html = internal.get("/catalog/errors_by_rule").text
    assert "<title>Errors by rule</title>" in html  # not its SQL
    assert re.search(r"<h1[^>]*>Errors by rule", html)


def test_an_asset_without_errors_has_no_red_badge(internal, sample):
    (sha,) = rows(sample, "SELECT sha256 FROM assets WHERE error_count = 0 LIMIT 1")[0]
    html = internal.get(f"/catalog/-/asset/{sha}").text
    assert re.search(r'class="catalog-badge catalog-ok">errors: 0<', html)


def test_the_map_needs_no_internet_and_the_chart_has_a_time_axis(internal):
    html = internal.get("/catalog/photo_locations").text
    assert "plain-tile.svg" in html and "openstreetmap" not in html
    assert internal.get("/-/static-plugins/dod-imagery-catalog/plain-tile.svg").status_code == 200
    chart = internal.get("/catalog/images_per_month").text
    assert '<img class="catalog-chart" src="-/images-per-month.svg"' in chart
    months = internal.get("/catalog/images_per_month.json?_shape=array").json()
    assert months and all(re.fullmatch(r"\d{4}-\d\d-01", m["month"]) for m in months)
    svg = internal.get("/catalog/-/images-per-month.svg").text  # relative to the query's page
    assert svg.count('class="bar"') == len(months)
