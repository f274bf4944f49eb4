"""The desk at scale (issue 20): the counts its pages show come from the summaries the writer
keeps (schema 008), and must equal the rows counted with GROUP BY through new, changed, moved
and gone files; facets read them on the whole table and count the rows of a filtered one."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from catalogs import file_history, rows
from datasette.app import Datasette
from webtools import Client

from catalog.store.catalog import Catalog

#: Each desk summary facet, counted from the rows as its triggers count them.
FROM_ROWS = {
    "asset_service": "SELECT coalesce(virin_service, ''), coalesce(virin_service_name, ''), "
    "count(*) FROM assets GROUP BY 1, 2",
    "asset_release": "SELECT release_status, '', count(*) FROM assets "
    "WHERE release_status IS NOT NULL GROUP BY 1",
    "asset_photographer": "SELECT coalesce(photographer_name, ''), coalesce(photographer, ''), "
    "count(*) FROM assets GROUP BY 1, 2",
    "asset_month": "SELECT substr(shot_date, 1, 7), coalesce(virin_service, ''), count(*) "
    "FROM assets WHERE shot_date IS NOT NULL GROUP BY 1, 2",
    "keyword": "SELECT keyword, '', count(*) FROM keywords GROUP BY 1",
    "finding_field": "SELECT field, '', count(*) FROM findings WHERE field IS NOT NULL GROUP BY 1",
    "rule_assets": "SELECT code, severity, count(DISTINCT sha256) FROM findings GROUP BY 1, 2",
}


def kept(db) -> dict[str, list[tuple]]:
    return {
        facet: sorted(
            rows(
                db,
                "SELECT key, detail, count FROM summary_counts WHERE facet = ? AND count != 0",
                facet,
            )
        )
        for facet in FROM_ROWS
    }


def counted(db) -> dict[str, list[tuple]]:
    return {facet: sorted(rows(db, sql)) for facet, sql in FROM_ROWS.items()}


def test_desk_summaries_equal_the_rows_through_new_changed_moved_and_gone_files(tmp_path):
    history = file_history(
        tmp_path, "-IPTC:ObjectName=220215-N-DU706-1242", "-IPTC:Keywords=airlift"
    )
    db = next(history)  # new files
    assert kept(db) == counted(db)
    assert kept(db)["keyword"] == [("cargo", "", 2)]

    db = next(history)  # changed, copied and gone files
    assert kept(db) == counted(db)

    db = next(history)  # the folder gone
    assert kept(db) == counted(db)


def test_an_old_catalog_gets_its_desk_summaries_from_its_rows_when_upgraded(tmp_path):
    db = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "data" / "catalogs" / "schema-002.db", db)
    Catalog.open(db, create=False).close()
    assert kept(db) == counted(db)
    assert kept(db)["asset_service"]


def test_desk_counts_and_filter_choices_equal_the_rows(sample):
    with Catalog.open(sample, create=False) as catalog:
        counts = catalog.desk_counts(internal=True)
        services = catalog.distinct_values("virin_service", labelled_by="virin_service_name")
        errors = catalog.errors_by_rule()
        codes = catalog.finding_codes()
    assert counts["assets"] == rows(sample, "SELECT count(*) FROM assets")[0][0]
    assert (
        counts["with_errors"]
        == rows(sample, "SELECT count(*) FROM assets WHERE error_count > 0")[0][0]
    )
    assert (
        counts["present_files"]
        == rows(sample, "SELECT count(*) FROM locations WHERE status = 'present'")[0][0]
    )
    assert services == rows(
        sample,
        "SELECT virin_service, max(virin_service_name), count(*) FROM assets "
        "WHERE coalesce(virin_service, '') != '' GROUP BY 1 ORDER BY 3 DESC, 1",
    )
    assert [(e["code"], e["assets"]) for e in errors] == rows(
        sample,
        "SELECT code, count(DISTINCT sha256) AS n FROM findings WHERE severity = 'error' "
        "GROUP BY code ORDER BY n DESC, code",
    )
    assert [code for code, _ in codes] == [
        code for (code,) in rows(sample, "SELECT DISTINCT code FROM findings ORDER BY code")
    ]


def facet_counts(client: Client, query: str, name: str) -> dict[str, int]:
    facets = client.get(f"/catalog/assets.json?_size=0{query}").json()["facet_results"]
    return {str(v["value"]): v["count"] for v in facets[name]["results"]}


def test_assets_facets_read_the_summaries_and_count_a_filtered_page(internal, sample):
    group = "SELECT {0}, count(*) FROM assets WHERE {0} IS NOT NULL {1} GROUP BY 1"
    # the release facet's "no status" entry: the assets without a release status
    no_status = "SELECT 'None', count(*) FROM assets WHERE release_status IS NULL {0} HAVING 1"
    service = group.format("virin_service_name", "")
    assert facet_counts(internal, "", "virin_service_name") == dict(rows(sample, service))
    release = rows(sample, group.format("release_status", "")) + rows(sample, no_status.format(""))
    assert facet_counts(internal, "", "release_status") == {k: n for k, n in release if n}
    filtered = "AND virin_service = 'F'"
    release = rows(sample, group.format("release_status", filtered)) + rows(
        sample, no_status.format(filtered)
    )
    assert facet_counts(internal, "&virin_service=F", "release_status") == {
        k: n for k, n in release if n
    }
    keywords = facet_counts(internal, "", "keywords")  # the ten most used
    every = dict(rows(sample, "SELECT keyword, count(*) FROM keywords GROUP BY 1"))
    assert len(keywords) == 10 and keywords.items() <= every.items()
    assert min(keywords.values()) >= max(n for k, n in every.items() if k not in keywords)
    chosen = next(iter(keywords))
    old_link = f"/catalog/assets.json?_size=0&keywords__arraycontains={chosen}"
    page = internal.get(old_link, follow_redirects=True).json()
    assert page["filtered_table_rows_count"] == keywords[chosen]


def test_a_keyword_pages_facets_equal_the_rows_grouped_independently(internal, sample):
    """The five facets of an assets page filtered by a keyword, counted in one query over the
    filter's rows, are Datasette's counts: each equal to a GROUP BY of the assets carrying it."""
    [(word,)] = rows(
        sample,
        "SELECT keyword FROM keywords GROUP BY 1 ORDER BY count(DISTINCT sha256) DESC LIMIT 1",
    )
    carrying = "FROM assets a WHERE EXISTS (SELECT 1 FROM json_each(a.keywords) WHERE value = ?)"
    page = internal.get(f"/catalog/assets.json?_size=0&_keyword={word}").json()
    facets = {
        name: [(e["value"], e["count"]) for e in facet["results"]]
        for name, facet in page["facet_results"].items()
    }

    def top(select: str, where: str = "", order: str = "2 DESC, 1") -> list[tuple]:
        found = rows(
            sample,
            f"SELECT {select}, count(*) {carrying} {where} GROUP BY 1 ORDER BY {order} LIMIT 10",
            word,
        )
        return [tuple(r) for r in found]

    for column in ("virin_service_name", "photographer_name"):
        assert facets[column] == top(column, f"AND {column} IS NOT NULL")
    [(no_status,)] = rows(sample, f"SELECT count(*) {carrying} AND release_status IS NULL", word)
    released = top("release_status", "AND release_status IS NOT NULL")
    assert facets["release_status"] == released + ([(None, no_status)] if no_status else [])
    assert facets["shot_date"] == top(
        "substr(shot_date, 1, 4)", "AND shot_date GLOB '[0-9][0-9][0-9][0-9]-*'", "1 DESC"
    )
    keywords = rows(
        sample,
        "SELECT k.value, count(DISTINCT a.id) FROM assets a, json_each(a.keywords) k "
        "WHERE EXISTS (SELECT 1 FROM json_each(a.keywords) WHERE value = ?) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
        word,
    )
    assert facets["keywords"] == [tuple(r) for r in keywords]
    assert facets["keywords"][0] == (word, page["filtered_table_rows_count"])
    assert sum(n for _, n in facets["release_status"]) == page["filtered_table_rows_count"]


def test_an_old_keyword_link_redirects_to_the_keyword_filter_keeping_the_rest(internal, sample):
    old = "/catalog/assets?_sort=id&keywords__arraycontains=cargo&_size=5&virin_service=F"
    answer = internal.get(old)
    assert answer.status_code == 302
    assert answer.headers["location"] == (
        "/catalog/assets?_sort=id&_keyword=cargo&_size=5&virin_service=F"
    )
    json_answer = internal.get("/catalog/assets.json?keywords__arraycontains=air+lift")
    assert json_answer.headers["location"] == "/catalog/assets.json?_keyword=air+lift"
    # anything else is Datasette's: two such filters, another table
    two = "/catalog/assets.json?keywords__arraycontains=cargo&keywords__arraycontains=airlift"
    assert internal.get(two).status_code == 200
    assert internal.get("/catalog/keywords.json?keyword__contains=cargo").status_code == 200
    with Client(Datasette([str(sample)])) as plain:  # plain `datasette catalog.db` alike
        assert plain.get(old).headers["location"] == answer.headers["location"]


def test_a_keyword_facet_entry_selects_its_assets_through_the_keywords_table(internal, sample):
    facets = internal.get("/catalog/assets.json?_size=0").json()["facet_results"]
    entry = facets["keywords"]["results"][0]
    assert f"_keyword={entry['value']}" in entry["toggle_url"]
    selected = internal.get(
        f"/catalog/assets.json?_size=max&_keyword={entry['value']}&_col=keywords"
    ).json()
    carrying = sorted(
        rows(
            sample,
            "SELECT a.id FROM assets a WHERE EXISTS "
            "(SELECT 1 FROM json_each(a.keywords) WHERE value = ?)",
            entry["value"],
        )
    )
    assert selected["filtered_table_rows_count"] == entry["count"] == len(carrying)
    assert sorted(r[0] for r in selected["rows"]) == [r[0] for r in carrying]
    assert f'keyword is "{entry["value"]}"' in selected["human_description_en"]
    # on the filtered page, the keyword facet (counted over the filter's rows) selects alike
    chosen = selected["facet_results"]["keywords"]["results"]
    assert chosen[0]["value"] == entry["value"] and chosen[0]["selected"]
    assert f"_keyword={entry['value']}" not in chosen[0]["toggle_url"]
    for other in chosen[1:]:  # another keyword narrows the selection: both words
        query = parse_qs(urlsplit(other["toggle_url"]).query)
        assert query["_keyword"] == [entry["value"], other["value"]]
    assert not any("arraycontains" in e["toggle_url"] for e in chosen)


def test_a_keyword_page_with_a_facet_value_or_filter_added_shows_the_assets_having_both(
    internal, sample
):
    """A keyword page, then a facet value clicked or a filter added (release status, no status,
    service, photographer, year, date range, errors, a status or a service with a year): the
    rows, their count and the release facet are those of the assets carrying the keyword and
    passing the filter, found in SQL of the test's own (the keyword read from each asset's JSON
    array)."""
    [(word,)] = rows(
        sample,
        "SELECT keyword FROM keywords GROUP BY 1 ORDER BY count(DISTINCT sha256) DESC LIMIT 1",
    )
    carrying = "EXISTS (SELECT 1 FROM json_each(a.keywords) WHERE value = ?)"

    def most_common(column: str) -> str:
        [(value,)] = rows(
            sample,
            f"SELECT {column} FROM assets a WHERE {carrying} AND {column} IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
            word,
        )
        return value

    release, service = most_common("release_status"), most_common("virin_service_name")
    photographer, year = most_common("photographer_name"), most_common("substr(shot_date, 1, 4)")
    filters = {  # the page's filter -> the same condition in SQL
        f"release_status={release}": f"a.release_status = '{release}'",
        "release_status__isnull=1": "a.release_status IS NULL",
        f"virin_service_name={service}": f"a.virin_service_name = '{service}'",
        f"photographer_name={photographer}": f"a.photographer_name = '{photographer}'",
        f"shot_date__startswith={year}": f"substr(a.shot_date, 1, 4) = '{year}'",
        f"shot_date__gte={year}-03-01&shot_date__lte={year}-09-30": (
            f"a.shot_date BETWEEN '{year}-03-01' AND '{year}-09-30'"
        ),
        "error_count__gt=0": "a.error_count > 0",
        f"release_status={release}&shot_date__startswith={year}": (
            f"a.release_status = '{release}' AND substr(a.shot_date, 1, 4) = '{year}'"
        ),
        f"virin_service_name={service}&shot_date__startswith={year}": (
            f"a.virin_service_name = '{service}' AND substr(a.shot_date, 1, 4) = '{year}'"
        ),
    }
    found_some = 0
    for query, condition in filters.items():
        page = internal.get(f"/catalog/assets.json?_keyword={word}&{query}&_size=max").json()
        where = f"WHERE {carrying} AND {condition}"
        expected = rows(sample, f"SELECT a.id FROM assets a {where} ORDER BY 1", word)
        assert sorted(r[0] for r in page["rows"]) == [r[0] for r in expected], query
        assert page["filtered_table_rows_count"] == len(expected), query
        statuses = rows(
            sample,
            f"SELECT a.release_status, count(*) FROM assets a {where} "
            "GROUP BY 1 ORDER BY a.release_status IS NULL, 2 DESC, 1",
            word,
        )
        facet = page["facet_results"]["release_status"]["results"]
        assert [(e["value"], e["count"]) for e in facet] == [tuple(r) for r in statuses], query
        found_some += bool(expected)
    assert found_some >= len(filters) - 2  # the sample has assets for most combinations


def test_keyset_pages_show_the_whole_tables_facets(internal):
    first = internal.get("/catalog/assets.json?_size=2").json()
    after = internal.get(f"/catalog/assets.json?_size=2&_next={first['next']}").json()
    counts = [
        {v["value"]: v["count"] for v in page["facet_results"]["release_status"]["results"]}
        for page in (first, after)
    ]
    assert counts[0] == counts[1]


def test_plain_datasette_suggests_no_facets_on_a_catalog(sample):
    """Facet suggestions count every column at each page view: off for catalogs, with the rest
    of `catalog serve`'s settings, without any command-line setting."""
    with Client(Datasette([str(sample)])) as client:
        data = client.get("/catalog/assets.json?_size=1").json()
        assert data["suggested_facets"] == []
        settings = client.get("/-/settings.json").json()
        assert settings["suggest_facets"] is False
        assert settings["default_page_size"] == 50  # as `catalog serve` has it


def test_both_forms_of_the_rule_filter_find_the_same_assets(sample):
    """A rule's assets as a list (few) or looked up per asset (many: a page in date order)."""
    from catalog.store.queries import Filters

    filters = Filters(rule="vir012")
    found = []
    for per_asset in (False, True):
        where, params = filters.where(rule_per_asset=per_asset)
        sql = f"SELECT sha256 FROM assets WHERE {where} ORDER BY 1"
        found.append(rows(sample, sql.replace(":rule", "?"), params["rule"]))
    assert found[0] == found[1] and found[0]
