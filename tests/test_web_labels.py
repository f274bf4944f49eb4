"""Human labels on the desk's pages, the release facet's "no status" and the month chart.

Labels are written once: a record field's in the record model (its ``title``), the other columns'
in ``catalog.web.labels``; facet titles, table headers and the asset page read them from there.
Requests go through Datasette 0.65's ASGI app in-process (``test_web_datasette1.py`` checks what
Datasette 1.0 renders alike).
"""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import parse_qsl, urlsplit

import pytest
from catalogs import rows
from datasette.app import Datasette
from webtools import Client

from catalog.core.record import AssetRecord
from catalog.schemas import schemas_dir
from catalog.store.schema import COLUMN_DESCRIPTIONS
from catalog.web.chart import HEIGHT, month_chart
from catalog.web.labels import facet_title, label


def facet_titles(html: str) -> dict[str, str]:
    """Facet column -> the title the page shows for it."""
    found = re.findall(
        r'data-column="([^"]+)">\s*<p class="facet-info-name">\s*<strong>(.*?)'
        r'<span class="facet-info-total"',
        html,
        re.S,
    )
    return {column: re.sub(r"<[^>]+>", "", title).strip() for column, title in found}


# --- the labels ----------------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(COLUMN_DESCRIPTIONS))
def test_every_column_of_every_table_has_a_label_in_words(table):
    for column in COLUMN_DESCRIPTIONS[table]:
        shown = label(column)
        assert "_" not in shown and shown[:1].isupper(), (table, column, shown)


def test_a_record_fields_label_is_its_title_in_the_record_model():
    assert AssetRecord.model_fields["photographer_unit"].title == "Photographer's unit"
    assert label("photographer_unit") == "Photographer's unit"
    assert label("gps_latitude") == "GPS latitude"
    schema = (schemas_dir() / "record.schema.json").read_text(encoding="utf-8")
    assert '"title": "Photographer\'s unit"' in schema  # the JSON Schema says the same


def test_derived_columns_and_facets_are_labelled_as_a_photo_editor_says_them():
    assert label("virin_service_name") == "Service"
    assert label("photographer_name") == "Photographer"
    assert label("first_seen_run_id") == "First seen by import"
    assert label("files_seen") == "Files seen"  # a name in words where no label is written
    assert label("arguments") == "Arguments"
    assert facet_title("shot_date", "year") == "Year shot"
    assert facet_title("release_status", "status") == "Release status"
    assert facet_title("keywords", "array") == "Keywords"


# --- on the pages --------------------------------------------------------------------------


def test_the_assets_facets_are_titled_in_words_with_the_column_as_tooltip(internal):
    html = internal.get("/catalog/assets").text
    assert facet_titles(html) == {
        "virin_service_name": "Service",
        "shot_date": "Year shot",
        "photographer_name": "Photographer",
        "release_status": "Release status",
        "keywords": "Keywords",
    }
    assert '<span title="virin_service_name">Service</span>' in html


def test_table_headers_are_labelled_by_the_page_script_from_the_one_mapping(internal):
    html = internal.get("/catalog/assets").text
    script = re.search(r"const labels = (\{.*?\});", html)
    assert script
    assert '"virin_service_name": "Service"' in script[1]
    assert '"photographer_unit": "Photographer\'s unit"' in script[1]
    query = internal.get("/catalog/not_released").text  # a query's headers too
    assert '"release_status": "Release status"' in query


def test_the_asset_page_shows_field_labels(internal, sample):
    (sha,) = rows(sample, "SELECT sha256 FROM assets WHERE virin = '220215-F-DU706-1241'")[0]
    html = internal.get(f"/catalog/-/asset/{sha}").text
    assert re.search(
        r'<th scope="row" title="photographer_unit: [^"]*">Photographer&#39;s unit<', html
    )
    assert re.search(r'<th scope="row" title="virin_service_name">Service<', html)


def test_canned_query_pages_are_titled_by_their_title_never_their_sql(internal):
    for query, title in [
        ("images_per_month", "Images per month"),
        ("not_released", "Not released"),
    ]:
        html = internal.get(f"/catalog/{query}").text
        assert f"<title>{title}</title>" in html
        assert "<title>catalog: SELECT" not in html
    typed = internal.get("/catalog?sql=select+1").text  # SQL typed by a person
    assert "<title>catalog: SQL query</title>" in typed


def test_a_database_that_is_no_catalog_keeps_datasettes_titles(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (kind_name TEXT)")
        conn.executemany("INSERT INTO things VALUES (?)", [("a",), ("b",), (None,)])
    with Client(Datasette([str(other)])) as client:
        html = client.get("/other/things?_facet=kind_name").text
        assert facet_titles(html) == {"kind_name": "kind_name"}
        assert "const labels" not in html
        assert client.get("/other/-/images-per-month.svg").status_code == 404


# --- the release facet ---------------------------------------------------------------------


def test_the_release_facet_counts_the_assets_with_no_status(internal, sample):
    (missing,) = rows(sample, "SELECT count(*) FROM assets WHERE release_status IS NULL")[0]
    assert missing > 0  # the sample has assets whose release status is missing or in conflict
    facet = internal.get("/catalog/assets.json?_size=0").json()["facet_results"]["release_status"]
    entries = {entry["label"]: entry for entry in facet["results"]}
    assert entries["no status"]["count"] == missing
    statuses = "SELECT release_status, count(*) FROM assets WHERE release_status IS NOT NULL"
    expected = dict(rows(sample, f"{statuses} GROUP BY 1"))
    assert {k: v["count"] for k, v in entries.items() if k != "no status"} == expected

    link = urlsplit(entries["no status"]["toggle_url"])
    assert ("release_status__isnull", "1") in parse_qsl(link.query)
    chosen = internal.get("/catalog/assets.json?release_status__isnull=1&_size=0").json()
    assert chosen["filtered_table_rows_count"] == missing
    selected = {e["label"]: e for e in chosen["facet_results"]["release_status"]["results"]}
    assert selected["no status"]["selected"]


# --- the chart -----------------------------------------------------------------------------


def bars(svg: str) -> list[tuple[float, float, str]]:
    """Each bar's x, height and title."""
    return [
        (float(x), float(h), title)
        for x, h, title in re.findall(
            r'<rect class="bar" x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="([\d.]+)"[^>]*>'
            r"<title>([^<]+)</title>",
            svg,
        )
    ]


def test_the_chart_puts_months_on_a_time_axis():
    svg = month_chart([("2022-01-01", 4), ("2022-03-01", 8), ("2022-04-01", 2)])
    (jan, _, first), (mar, tall, _), (apr, short, last) = bars(svg)
    assert (first, last) == ("2022-01: 4 images", "2022-04: 2 images")
    assert mar - jan == pytest.approx(2 * (apr - mar))  # February is an empty slot, not skipped
    assert tall == pytest.approx(4 * short)
    assert f'viewBox="0 0 960 {HEIGHT}"' in svg


def test_the_chart_marks_years_and_leaves_out_rows_that_are_no_month():
    svg = month_chart([("2019-12-01", 1), ("garbage", 5), ("2021-13-01", 5), ("2021-02-01", 3)])
    assert [title for _, _, title in bars(svg)] == ["2019-12: 1 image", "2021-02: 3 images"]
    assert re.findall(r'<text class="year"[^>]*>(\d{4})</text>', svg) == ["2019", "2020", "2021"]
    assert "No image has a date" in month_chart([])


def test_the_images_per_month_page_shows_the_chart_of_every_month(internal, sample):
    months = rows(
        sample,
        "SELECT substr(shot_date, 1, 7), count(*) FROM assets WHERE shot_date IS NOT NULL "
        "GROUP BY 1 ORDER BY 1",
    )
    answer = internal.get("/catalog/-/images-per-month.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.headers["x-content-type-options"] == "nosniff"
    shown = [title for _, _, title in bars(answer.text)]
    assert shown == [f"{m}: {n} image{'' if n == 1 else 's'}" for m, n in months]
