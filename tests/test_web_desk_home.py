"""The desk home page (``/DB/-/desk``): a gallery of the assets a search finds, its filters, and
the catalog's health beside it; on a public catalog the same page without what is internal.

Requests go through Datasette's own ASGI app with the plugin loaded, against the bundled sample
collection imported as ``make run`` does; what each page should list is asked of the catalog
file in SQL of the test's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from catalogs import rows

DESK = "/catalog/-/desk"


def gallery(html: str) -> list[str]:
    """The SHA-256 of each result in the gallery, in the order shown."""
    listed = html.split('class="catalog-desk-gallery"', 1)
    if len(listed) == 1:
        return []
    return re.findall(r'<li><a href="/[^/]+/-/asset/([0-9a-f]{64})"', listed[1].split("</ul>")[0])


def health(html: str) -> str:
    return html.split('class="catalog-desk-health"', 1)[1]


def shas(db, sql: str, *params) -> set[str]:
    return {r[0] for r in rows(db, sql, *params)}


def test_the_desk_shows_every_asset_newest_shot_first_with_its_thumbnail(internal, sample):
    html = internal.get(DESK).text
    shown = gallery(html)
    expected = [r[0] for r in rows(sample, "SELECT sha256 FROM assets ORDER BY shot_date DESC")]
    assert len(shown) == len(expected) == 32
    dates = dict(rows(sample, "SELECT sha256, shot_date FROM assets"))
    assert [dates[s] for s in shown] == [dates[s] for s in expected]
    for sha in shown:
        assert f'src="/catalog/-/thumbnail/{sha}.jpg"' in html


def test_typed_words_find_the_captions_that_hold_them_highlighted(internal, sample):
    html = internal.get(DESK, params={"q": "C-17"}).text
    holding = shas(
        sample,
        "SELECT sha256 FROM assets WHERE caption LIKE '%C-17%' OR title LIKE '%C-17%' "
        "OR keywords LIKE '%C-17%' OR credit LIKE '%C-17%'",
    )
    assert holding and set(gallery(html)) == holding
    marks = re.findall(r"<mark>([^<]*)</mark>", html)
    assert marks and set(marks) == {"C-17"}
    assert "Best matches first" in html
    assert 'value="C-17"' in html  # the box keeps what was typed


def test_a_search_matching_nothing_says_so(internal):
    html = internal.get(DESK, params={"q": "zzqx-no-such-word"}).text
    assert gallery(html) == []
    assert "Nothing matches: try fewer words or filters." in html


@pytest.mark.parametrize(
    ("args", "sql"),
    [
        ({"service": "M"}, "SELECT sha256 FROM assets WHERE virin_service = 'M'"),
        ({"release": "Not Released"}, "SELECT sha256 FROM assets WHERE release_status = ?"),
        ({"errors": "yes"}, "SELECT sha256 FROM assets WHERE error_count > 0"),
        ({"errors": "no"}, "SELECT sha256 FROM assets WHERE error_count = 0"),
        (
            {"date_from": "2020-01-01", "date_to": "2021-12-31"},
            "SELECT sha256 FROM assets WHERE shot_date BETWEEN '2020-01-01' AND '2021-12-31~'",
        ),
        (
            {"photographer": "smith"},
            "SELECT sha256 FROM assets WHERE photographer_name LIKE '%smith%' "
            "OR photographer LIKE '%smith%'",
        ),
        (
            {"q": "Globemaster", "service": "F"},
            "SELECT sha256 FROM assets WHERE virin_service = 'F' AND caption LIKE '%Globemaster%'",
        ),
    ],
)
def test_each_filter_narrows_the_gallery_to_the_assets_it_names(internal, sample, args, sql):
    params = ("Not Released",) if "?" in sql else ()
    expected = shas(sample, sql, *params)
    assert expected, "the sample has assets for this filter"
    assert set(gallery(internal.get(DESK, params=args).text)) == expected


def test_the_filters_offer_the_services_and_statuses_the_catalog_holds(internal):
    html = internal.get(DESK, params={"service": "m"}).text
    assert '<option value="M" selected>Marine Corps (2)</option>' in html
    assert '<option value="Not Released">Not Released (1)</option>' in html
    assert '<option value="VIR003">VIR003' in html


def test_health_counts_agree_with_the_catalog(internal, sample):
    side = health(internal.get(DESK).text)
    ((assets, errors, publishable),) = rows(
        sample, "SELECT count(*), sum(error_count > 0), sum(publishable) FROM assets"
    )
    assert re.search(rf"<dt>Images</dt><dd>{assets}</dd>", side)
    assert re.search(rf"<dt>Publishable</dt><dd>{publishable}</dd>", side)
    assert re.search(rf'href="{DESK}\?errors=yes">{errors}</a>', side)
    (present,) = rows(sample, "SELECT count(*) FROM locations WHERE status = 'present'")[0]
    assert f"<dt>Files present</dt><dd>{present}</dd>" in side


def test_each_rule_in_errors_by_rule_links_to_the_assets_it_found_errors_in(internal, sample):
    side = health(internal.get(DESK).text)
    by_rule = rows(
        sample,
        "SELECT code, count(DISTINCT sha256) FROM findings WHERE severity = 'error' "
        "GROUP BY code ORDER BY 2 DESC, 1",
    )
    listed = re.findall(rf'<a href="{DESK}\?rule=(\w+)">\1</a>', side)
    assert listed == [code for code, _ in by_rule]
    for code, count in by_rule[:3]:
        shown = gallery(internal.get(DESK, params={"rule": code}).text)
        assert set(shown) == shas(sample, "SELECT sha256 FROM findings WHERE code = ?", code)
        assert len(shown) >= count


def test_the_last_imports_are_listed_newest_first(internal, sample):
    side = health(internal.get(DESK).text)
    runs = [r[0] for r in rows(sample, "SELECT id FROM import_runs ORDER BY id DESC LIMIT 5")]
    assert re.findall(r'import_runs/(\d+)">Run', side) == [str(r) for r in runs]


def test_bad_filter_values_are_said_on_the_page_and_ignored(internal):
    response = internal.get(
        DESK, params={"date_from": "yesterday", "errors": "maybe", "offset": "x"}
    )
    assert response.status_code == 200
    assert "&#39;yesterday&#39; is not a date (YYYY-MM-DD): the filter is ignored" in response.text
    assert "&#39;maybe&#39; is not yes or no" in response.text
    assert len(gallery(response.text)) == 32


def test_a_long_result_list_pages_on(internal, sample):
    first = gallery(internal.get(DESK, params={"service": "F"}).text)
    later = internal.get(DESK, params={"service": "F", "offset": "20"}).text
    assert gallery(later) == first[20:]
    assert 'offset=0">Previous</a>' in later


def test_the_desk_is_in_the_menu_of_every_page(internal):
    assert f'href="{DESK}"' in internal.get("/catalog/assets").text


def test_the_public_desk_has_no_findings_runs_or_paths(public, sample):
    html = public.get("/public/-/desk", params={"q": "Globemaster"}).text
    published = Path(public.datasette.databases["public"].path)
    released = shas(published, "SELECT sha256 FROM assets WHERE caption LIKE '%Globemaster%'")
    assert released and set(gallery(html)) == released
    for internal_only in ("Errors by rule", "Last imports", 'name="rule"', 'name="errors"'):
        assert internal_only not in html
    for (path,) in rows(sample, "SELECT path FROM locations"):
        assert path not in html
    asked_internal = public.get("/public/-/desk", params={"rule": "VIR003", "errors": "yes"})
    assert (
        len(gallery(asked_internal.text)) == rows(published, "SELECT count(*) FROM assets")[0][0]
    )  # filters the public file cannot answer are not applied


def test_the_desk_of_a_database_that_is_no_catalog_is_not_found(internal):
    assert internal.get("/_memory/-/desk").status_code == 404


def test_the_internal_server_is_marked_and_the_public_one_has_its_own_look(internal, public):
    for client, page, kind in ((internal, DESK, "internal"), (public, "/public/-/desk", "public")):
        html = client.get(page).text
        assert f"/-/static-plugins/dod-imagery-catalog/catalog-{kind}.css" in html
    style = internal.get("/-/static-plugins/dod-imagery-catalog/catalog-internal.css").text
    assert 'content: "Internal catalog - not for public release"' in style
    assert (
        "Internal catalog"
        not in public.get("/-/static-plugins/dod-imagery-catalog/catalog-public.css").text
    )
    assert "catalog-internal.css" not in public.get("/public/assets").text


def test_images_per_month_has_every_month_and_every_dated_image(internal, sample):
    months = internal.get("/catalog/images_per_month.json?_shape=array").json()
    expected = rows(
        sample,
        "SELECT substr(shot_date, 1, 7) || '-01', count(*) FROM assets "
        "WHERE shot_date IS NOT NULL GROUP BY 1 ORDER BY 1",
    )
    assert [(m["month"], m["images"]) for m in months] == expected
