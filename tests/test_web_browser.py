"""A person's visit, in a real browser: headless Chromium (Debian's) driven by Playwright.

The real ``catalog serve`` runs the sample catalog on a free port of 127.0.0.1; the browser
searches for a caption word, opens an asset page and checks that its preview image really loaded,
applies a facet and runs a canned query. Screenshots of each step are saved under
``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from shipped import TABLES
from webtools import ARTIFACTS, Server

from catalog.publish.build import publish

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: True once images have loaded with real pixels and none is broken (lazy images below the
#: fold are not loaded at all, so they do not count).
_LOADED = """(selector) => {
    const images = [...document.querySelectorAll(selector)];
    const broken = images.some((i) => i.complete && i.naturalWidth === 0);
    return !broken && images.some((i) => i.complete && i.naturalWidth > 0);
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def images_loaded(page: Page, selector: str) -> None:
    page.wait_for_function(_LOADED, arg=selector, timeout=10_000)


def test_search_open_an_asset_apply_a_facet_and_run_a_canned_query(page, sample):
    with Server(str(sample)) as server:
        assert server.url == f"{server.root}/catalog"
        page.goto(server.url)
        page.get_by_role("link", name="assets", exact=True).first.click()
        images_loaded(page, "a.catalog-cell img")
        screenshot(page, "internal-table")

        page.fill("input[name=_search]", "Globemaster")
        page.press("input[name=_search]", "Enter")
        expect(page.locator("h3").first).to_contain_text('search matches "Globemaster"')
        captions = page.locator("td.col-caption").all_inner_texts()
        assert captions and all("Globemaster" in c for c in captions)
        images_loaded(page, "a.catalog-cell img")
        screenshot(page, "internal-search")

        page.locator("a.catalog-cell").first.click()
        expect(page.locator("h1")).to_contain_text("220")  # a VIRIN
        images_loaded(page, ".catalog-preview img, .catalog-gallery img")
        size = page.locator(".catalog-preview img").evaluate(
            "(i) => [i.naturalWidth, i.naturalHeight]"
        )
        assert min(size) > 0
        expect(page.locator("#findings")).to_be_visible()
        screenshot(page, "internal-asset")

        page.goto(f"{server.url}/assets")
        page.locator("#facet-virin_service_name").get_by_role("link", name="Marine Corps").click()
        expect(page.locator("h3").first).to_contain_text("2 rows where virin_service_name")
        assert set(page.locator("td.col-virin_service_name").all_inner_texts()) == {"Marine Corps"}

        page.goto(server.url)
        page.get_by_role("link", name="Not released").click()
        expect(page.locator("h1")).to_contain_text("Not released")
        statuses = page.locator("td.col-release_status").all_inner_texts()
        assert "Not Released" in statuses
        images_loaded(page, "a.catalog-cell img")
        screenshot(page, "internal-canned-query")


def test_the_desk_home_page_searches_filters_and_opens_an_asset(page, sample):
    """``catalog serve`` prints the desk's URL: a person types words, sees them highlighted in a
    gallery of previews, narrows by a rule from the health panel and opens an asset."""
    with Server(str(sample)) as server:
        assert server.desk == f"{server.root}/catalog/-/desk"
        page.goto(server.desk)
        images_loaded(page, ".catalog-desk-gallery img")
        expect(page.locator(".catalog-desk-health")).to_contain_text("Errors by rule")

        page.fill("input[name=q]", "C-17")
        page.select_option("select[name=service]", "F")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/-/desk?q=C-17&service=F*")
        marks = page.locator(".catalog-desk-snippet mark").all_inner_texts()
        assert marks and set(marks) == {"C-17"}
        images_loaded(page, ".catalog-desk-gallery img")
        screenshot(page, "desk-home")

        rule = page.locator(".catalog-desk-rules a").first
        code = rule.inner_text()
        rule.click()
        expect(page.locator("select[name=rule]")).to_have_value(code)
        page.locator(".catalog-desk-gallery a").first.click()
        expect(page.locator(".catalog-findings")).to_contain_text(code)


def test_public_asset_page_shows_the_record_without_internal_sections(page, sample, tmp_path):
    public = tmp_path / "public.db"
    publish(sample, public, tables=TABLES)
    with Server("--public", str(public)) as server:
        page.goto(f"{server.url}/assets?_search=Globemaster")
        page.locator("a.catalog-cell").first.click()
        images_loaded(page, ".catalog-preview img")
        expect(page.locator(".catalog-caption")).to_contain_text("Globemaster")
        assert page.locator("#findings").count() == 0
        assert page.locator("#locations").count() == 0
        screenshot(page, "public-asset")


def test_facets_and_headers_in_words_and_the_release_facet_with_no_status(page, sample):
    """A photo editor reads "Service", "Year shot", "Photographer's unit", never a column name,
    and finds the assets whose release status is missing in the release facet."""
    with Server(str(sample)) as server:
        page.goto(f"{server.url}/assets")
        titles = page.locator(".facet-info-name strong > span[title]").all_inner_texts()
        assert set(titles) == {"Service", "Year shot", "Photographer", "Release status", "Keywords"}
        headers = page.locator("table.rows-and-columns th").all_inner_texts()
        assert {"Service", "Photographer's unit", "Date shot", "SHA-256"} <= {
            h.split("\xa0")[0].strip()
            for h in headers  # without the sort arrow
        }
        assert not [h for h in headers if "_" in h]
        header = page.locator("th[data-column=virin_service_name]")
        expect(header).to_have_attribute("title", re.compile(r"^virin_service_name: "))
        screenshot(page, "labels-facets-and-headers")

        page.locator("#facet-release_status").get_by_role("link", name="no status").click()
        page.wait_for_url("**release_status__isnull=1*")
        statuses = page.locator("td.col-release_status").all_inner_texts()
        assert statuses and set(statuses) == {"\xa0"}  # Datasette's empty cell
        screenshot(page, "labels-no-release-status")


def test_chart_of_images_per_month_and_map_of_where_photos_were_taken(page, sample):
    """The chart is the plugin's picture, as wide as the page; the map comes from
    datasette-cluster-map, over the plain tile shipped with the plugin (no internet)."""
    with Server(str(sample)) as server:
        page.goto(f"{server.url}/images_per_month")
        expect(page).to_have_title("Images per month")
        images_loaded(page, "img.catalog-chart")
        chart = page.locator("img.catalog-chart")
        shown = chart.bounding_box()
        assert shown and shown["width"] >= 900 and shown["height"] >= 280
        screenshot(page, "internal-chart")
        page.goto(f"{server.url}/photo_locations")
        expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
        tiles = page.locator("img.leaflet-tile").evaluate_all("(tiles) => tiles.map((t) => t.src)")
        assert tiles and all(t.endswith("/plain-tile.svg") for t in tiles)
        screenshot(page, "internal-map")


def test_search_typed_words_see_them_highlighted_and_follow_a_finding_to_its_asset(page, sample):
    with Server(str(sample)) as server:
        page.goto(f"{server.url}/search?text=C-17")
        expect(page).to_have_title("Search captions, best matches first")
        marks = page.locator("td.col-snippet mark").all_inner_texts()
        assert marks and all(m == "C-17" for m in marks)
        images_loaded(page, "a.catalog-cell img")
        screenshot(page, "search-highlighted")

        page.goto(f"{server.url}/findings")
        page.locator("td.col-sha256 a.catalog-cell").first.click()
        expect(page.locator(".catalog-preview")).to_be_visible()
        assert "/-/asset/" in page.url
        screenshot(page, "finding-to-asset")
