"""What Datasette shows of a catalog: its descriptive metadata and its configuration.

Pure: built from the store schema (``TABLE_DESCRIPTIONS``, ``COLUMN_DESCRIPTIONS``, whose asset
columns reuse the record model's field descriptions), the rules that canned queries ask about, and
the public allow-list, so nothing is written twice.

Datasette 1.0 reads two files: ``metadata.yaml`` (titles and descriptions only) and
``datasette.yaml`` (settings, facets, canned queries, plugin settings). ``metadata()`` and
``configuration()`` build exactly those two shapes; Datasette 0.65, which the catalog targets, reads
one metadata document holding both, which ``for_datasette_065()`` merges at serve time.

A catalog is served in one of two kinds: ``internal`` (the full catalog ``catalog import`` writes)
or ``public`` (the allow-listed copy ``catalog publish`` builds), each with its own tables, facets
and queries: the public kind never offers a query over a table it does not have.
"""

from __future__ import annotations

import copy
from typing import Any

from catalog.core import caption, credit, release
from catalog.store.public_schema import PUBLIC_TABLES, PUBLICATION_TABLE
from catalog.store.queries import SNIPPET_SQL
from catalog.store.schema import COLUMN_DESCRIPTIONS, TABLE_DESCRIPTIONS

#: The map's background: one plain tile shipped with the plugin, so the map of "Where photos
#: were taken" works on a desk network without internet (the markers are the information). A
#: ``tile_layer`` in the server's own metadata for ``datasette-cluster-map`` replaces it.
PLAIN_TILE = "/-/static-plugins/dod-imagery-catalog/plain-tile.svg"

INTERNAL = "internal"
PUBLIC = "public"

TITLE = "DoD imagery catalog"

_DESCRIPTIONS = {
    INTERNAL: (
        "Every cataloged image with its merged metadata, the source of every value, what the DoD "
        "rules found, and where the files are. Internal: holds unreleased imagery, GPS positions "
        "and file paths."
    ),
    PUBLIC: (
        "Released, unclassified DoD imagery: captions, credits, VIRINs and previews. Built by "
        "`catalog publish` from an allow-list; it holds nothing else."
    ),
}

#: Where a public table holds less than its internal namesake, its own description.
_PUBLIC_TABLE_DESCRIPTIONS = {
    "assets": "One row per released image (distinct content, SHA-256): its caption, credit, "
    "photographer, VIRIN and credit parts, place and dates.",
}

_PUBLICATION_DESCRIPTIONS = {
    "table": "When this public catalog was built and how many assets it holds.",
    "columns": {
        "published_at": "When `catalog publish` built this file (UTC, ISO 8601).",
        "assets": "Number of assets in this public catalog.",
        "format": "Version of the public catalog's layout.",
    },
}

#: Settings for ``catalog serve`` (a ``datasette.yaml`` ``settings:`` block).
_SETTINGS = {
    INTERNAL: {"truncate_cells_html": 240, "default_page_size": 50, "suggest_facets": False},
    PUBLIC: {
        "truncate_cells_html": 240,
        "default_page_size": 50,
        # The public file holds only public data (the leak test checks its bytes), so these are
        # not about secrecy: arbitrary SQL lets anyone keep the server's threads busy, and the
        # file itself can be handed out by other means when wanted.
        "default_allow_sql": False,
        "allow_download": False,
        "suggest_facets": False,
    },
}


def metadata(kind: str, database: str) -> dict[str, Any]:
    """The descriptive metadata (``metadata.yaml``) of a catalog served as ``database``."""
    table_descriptions = {
        **TABLE_DESCRIPTIONS,
        PUBLICATION_TABLE: _PUBLICATION_DESCRIPTIONS["table"],
    }
    if kind == PUBLIC:
        table_descriptions.update(_PUBLIC_TABLE_DESCRIPTIONS)
    tables = {}
    for table, columns in _tables(kind).items():
        described = COLUMN_DESCRIPTIONS.get(table, _PUBLICATION_DESCRIPTIONS["columns"])
        tables[table] = {
            "description": table_descriptions[table],
            "columns": {c: described[c] for c in columns},
        }
    title = f"{TITLE} ({kind})"
    return {
        "title": TITLE,
        "description": _DESCRIPTIONS[kind],
        "databases": {
            database: {"title": title, "description": _DESCRIPTIONS[kind], "tables": tables}
        },
    }


def configuration(kind: str, database: str) -> dict[str, Any]:
    """Settings, facets, canned queries and plugin settings (``datasette.yaml``)."""
    assets: dict[str, Any] = {
        # Counted by the writer (``facets.SummaryFacet``): a million assets counted at every
        # page view would time out.
        "facets": [
            {"summary": "virin_service_name"},
            {"year": "shot_date"},
            {"summary": "photographer_name"},
            {"summary": "keywords"},
        ],
        "sort_desc": "shot_date",
        "facet_size": 10,
        "label_column": "virin",
    }
    tables: dict[str, Any] = {
        "assets": assets,
        "keywords": {"facets": [{"summary": "keyword"}]},
    }
    queries = dict(_QUERIES_EVERYWHERE)
    described: dict[str, Any] = {"tables": tables, "queries": queries}
    if kind == INTERNAL:
        # with the assets that have no release status ("no status"), which a column facet omits
        assets["facets"].insert(3, {"status": "release_status"})
        # The map belongs to the "Where photos were taken" query. datasette-cluster-map would
        # also put one above every assets page with a GPS row; naming columns the table does not
        # have is how that plugin is told not to.
        assets["plugins"] = {
            "datasette-cluster-map": {
                "latitude_column": "latitude",
                "longitude_column": "longitude",
            }
        }
        tables["_sqlite_migrations"] = {"hidden": True}  # bookkeeping, not the first table
        tables["asset_lists"] = {"hidden": True}  # the export's copy of locations and findings
        tables["findings"] = {
            "facets": [{"summary": "code"}, {"summary": "severity"}, {"summary": "field"}]
        }
        tables["locations"] = {"facets": [{"summary": "status"}]}
        # No default facets: four million values (at a million assets) counted at each view
        # would time out; "facet by" still counts them on demand.
        tables["field_values"] = {}
        queries.update(_internal_queries())
        described["plugins"] = {
            "datasette-cluster-map": {
                "tile_layer": PLAIN_TILE,
                "tile_layer_options": {"maxZoom": 18, "attribution": "Plain background"},
            }
        }
    return {"settings": dict(_SETTINGS[kind]), "databases": {database: described}}


def for_datasette_065(meta: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The one metadata document Datasette 0.65 reads: both dicts merged, settings left out
    (0.65 takes those as ``Datasette(settings=...)``)."""
    merged = copy.deepcopy(meta)
    _merge(merged, {k: v for k, v in config.items() if k != "settings"})
    return merged


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def _tables(kind: str) -> dict[str, tuple[str, ...]]:
    """The tables of a catalog of this kind, with their columns."""
    if kind == PUBLIC:
        return {**PUBLIC_TABLES, PUBLICATION_TABLE: tuple(_PUBLICATION_DESCRIPTIONS["columns"])}
    return {table: tuple(columns) for table, columns in COLUMN_DESCRIPTIONS.items()}


#: Columns that show an asset in a query result (its thumbnail links to its page).
_ASSET = "a.sha256, a.virin, a.shot_date, a.photographer_name, a.title"

#: The canned query the plugin also draws as a chart (``catalog.web.chart``), at
#: ``/DB/-/images-per-month.svg``.
MONTHS_QUERY = "images_per_month"

#: The condition of the assets' GPS index (schema 008), as the index writes it: a query names
#: it to read the few assets with GPS by the index.
_GPS_INDEXED = "(a.gps_latitude IS NOT NULL OR a.gps_longitude IS NOT NULL)"

#: The SQL function (registered by the plugin) that turns typed words into an FTS5 query, as
#: ``catalog search`` does without ``--fts``.
WORDS_FUNCTION = "catalog_words"

_QUERIES_EVERYWHERE = {
    "search": {
        "title": "Search captions, best matches first",
        "description": 'The words you type (C-17, U.S. Air Force, "quoted phrase") in titles, '
        "captions, credits and keywords; best matches first, with the passage that matched.",
        "sql": f"SELECT {_ASSET},\n  {SNIPPET_SQL} AS snippet\n"
        "FROM assets_fts JOIN assets a ON a.id = assets_fts.rowid\n"
        f"WHERE assets_fts MATCH {WORDS_FUNCTION}(:text)\n"
        "ORDER BY assets_fts.rank LIMIT 200",
    },
    MONTHS_QUERY: {
        "title": "Images per month",
        # One row a month, not one a month and service: Datasette returns at most
        # max_returned_rows (1,000) rows of a query; a thousand months are 83 years of shots.
        # The chart is the plugin's picture of every row, relative to the query's own page.
        "description_html": "How many images were shot each month, and by how many services."
        '<img class="catalog-chart" src="-/images-per-month.svg" '
        'alt="Bar chart: images shot each month">',
        "sql": "SELECT substr(shot_date, 1, 7) || '-01' AS month, count(*) AS images,\n"
        "  count(DISTINCT virin_service) AS services\n"
        "FROM assets WHERE shot_date IS NOT NULL\n"
        "GROUP BY month ORDER BY month",
    },
    "photographer_work": {
        "title": "A photographer's work",
        "description": "Every image by a photographer (part of the name, any case), newest first.",
        "sql": f"SELECT {_ASSET}, a.credit FROM assets a\n"
        "WHERE a.photographer_name LIKE '%' || :name || '%'\n"
        "  OR a.photographer LIKE '%' || :name || '%'\n"
        "ORDER BY a.shot_date DESC, a.virin",
    },
}


def _internal_queries() -> dict[str, dict[str, str]]:
    """The desk's daily questions, over the internal catalog's findings and rules.

    Each reads what an index or a summary the writer keeps answers at a million assets: the
    counts from ``summary_counts`` and ``virin_counts``, the lists in the order of an index (so a
    page of them stops at Datasette's 1,000 rows without reading or sorting the rest)."""
    date_rule = caption.DATE_MISMATCH.code
    credit_rules = (credit.MISSING.code, caption.CREDIT_MISSING.code)
    return {
        **_SUMMARY_QUERIES,
        "duplicate_virins": {
            "title": "Duplicate VIRINs",
            "description": "VIRINs carried by more than one distinct image content (any case, "
            "spaces around them ignored): "
            "one of them is wrong, or a copy was edited. A variant letter (2001Y) makes another "
            "VIRIN, not a duplicate.",
            "sql": f"SELECT v.virin AS duplicated, {_ASSET}, a.primary_path\n"
            # CROSS JOIN: SQLite's way of saying "the few shared VIRINs first, then their
            # assets by the VIRIN key index" (the other way round reads every asset).
            "FROM virin_counts v CROSS JOIN assets a ON upper(trim(a.virin)) = +v.virin\n"
            "WHERE v.assets > 1 ORDER BY v.virin, a.sha256",
        },
        "errors_by_rule": {
            "title": "Errors by rule",
            "description": "How many assets each rule found an error in; the code links to the "
            "rule's explanation.",
            "sql": "SELECT s.key AS code, r.name AS rule, r.summary,\n"
            "  s.count AS assets, f.count AS findings\n"
            "FROM summary_counts s JOIN summary_counts f\n"
            "  ON f.facet = 'rule' AND f.key = s.key AND f.detail = s.detail\n"
            "LEFT JOIN rules r ON r.code = s.key\n"
            "WHERE s.facet = 'rule_assets' AND s.detail = 'error' AND s.count > 0\n"
            "ORDER BY assets DESC, code",
        },
        "assets_with_errors": {
            "title": "Assets with errors",
            "description": "Every error finding with its asset, rule by rule; give a rule code "
            "(VIR003) to see one rule only, or leave it empty for all.",
            # The error findings in rule order (schema 008's index), so the first 1,000 are read
            # without sorting the hundreds of thousands behind them.
            "sql": f"SELECT {_ASSET}, f.code, f.message\n"
            "FROM findings f INDEXED BY idx_findings_errors_by_code\n"
            "JOIN assets a ON a.sha256 = f.sha256\n"
            "WHERE f.severity = 'error' AND (:code = '' OR f.code = upper(trim(:code)))\n"
            "ORDER BY f.code, f.sha256",
        },
        "missing_credit": {
            "title": "Missing credit",
            "description": "Assets without a credit line, or whose caption does not end with one "
            f"({', '.join(credit_rules)}).",
            "sql": f"SELECT {_ASSET}, a.credit,\n"
            "  (SELECT group_concat(DISTINCT code) FROM findings f WHERE f.sha256 = a.sha256\n"
            f"    AND f.code IN ({_sql_list(credit_rules)})) AS codes\n"
            "FROM assets a WHERE coalesce(trim(a.credit), '') = ''\n"
            "  OR EXISTS (SELECT 1 FROM findings f WHERE f.sha256 = a.sha256\n"
            f"    AND f.code IN ({_sql_list(credit_rules)}))\n"
            "ORDER BY a.shot_date DESC, a.virin",
        },
        "caption_date_differs": {
            "title": "Caption date differs from the VIRIN date",
            "description": "The date written in the caption is not the VIRIN's date "
            f"({date_rule}).",
            "sql": f"SELECT {_ASSET}, a.virin_date,\n"
            "  json_extract(f.values_json, '$.caption_date') AS caption_date, f.message\n"
            "FROM findings f JOIN assets a ON a.sha256 = f.sha256\n"
            f"WHERE f.code = '{date_rule}' ORDER BY a.shot_date DESC, a.virin",
        },
        "gps_on_released": {
            "title": "GPS on released images",
            "description": "Released images that carry GPS coordinates: an OPSEC concern "
            f"({release.GPS_ON_RELEASED.code}). The public catalog never carries them, but the "
            "files should be stripped before release.",
            # The OR is the condition of the GPS index (schema 008), written as it is there; the
            # unary + keeps SQLite from taking the release status index instead (most assets
            # are released, few have GPS).
            "sql": f"SELECT {_ASSET}, a.gps_latitude AS latitude, a.gps_longitude AS longitude\n"
            "FROM assets a WHERE +a.release_status = 'Released'\n"
            f"  AND {_GPS_INDEXED}\n"
            "ORDER BY a.shot_date DESC, a.virin",
        },
        "not_released": {
            "title": "Not released",
            "description": "Assets kept out of the public catalog, with what their sources say "
            "and the release findings that explain why.",
            "sql": f"SELECT {_ASSET}, a.release_status, a.classification_marking,\n"
            "  (SELECT group_concat(DISTINCT code) FROM findings f\n"
            "    WHERE f.sha256 = a.sha256 AND f.code LIKE 'REL%') AS release_findings\n"
            "FROM assets a WHERE a.publishable = 0 ORDER BY a.shot_date DESC, a.virin",
        },
        "records_without_image": {
            "title": "Published records without an image",
            "description": "Photo blocks of the web pages imported with --article whose VIRIN "
            "no image in the catalog carries: the page published a photo the catalog lacks.",
            "sql": "SELECT r.virin, r.title, r.caption, r.credit, r.page, r.line\n"
            "FROM article_records r\n"
            "WHERE r.virin_key IS NULL OR NOT EXISTS (\n"
            "  SELECT 1 FROM assets a WHERE upper(trim(a.virin)) = +r.virin_key)\n"
            "ORDER BY r.page, r.block",
        },
        "images_on_no_page": {
            "title": "Images on no page",
            "description": "Images whose VIRIN no photo block of the imported web pages carries.",
            "sql": f"SELECT {_ASSET}, a.release_status FROM assets a\n"
            "WHERE NOT EXISTS (\n"
            "  SELECT 1 FROM article_records r WHERE r.virin_key = upper(trim(a.virin)))\n"
            "ORDER BY a.shot_date DESC, a.virin",
        },
        "photo_locations": {
            "title": "Where photos were taken",
            "description": "Every image with GPS coordinates, on a map. Internal only: the public "
            "catalog has no coordinates at all.",
            "sql": f"SELECT {_ASSET}, a.release_status,\n"
            "  round(a.gps_latitude, 6) AS latitude, round(a.gps_longitude, 6) AS longitude\n"
            "FROM assets a WHERE a.gps_latitude IS NOT NULL AND a.gps_longitude IS NOT NULL\n"
            # the GPS index's condition, which SQLite takes the index for only when it is written
            f"  AND {_GPS_INDEXED}\n"
            "ORDER BY a.shot_date DESC",
        },
    }


#: The internal catalog's versions of queries every catalog has, read from the summaries and
#: indexes its writer keeps (schema 008); the public file, which has neither, counts its rows.
_SUMMARY_QUERIES = {
    "images_per_month": {
        **_QUERIES_EVERYWHERE["images_per_month"],
        "sql": "SELECT key || '-01' AS month, sum(count) AS images,\n"
        "  sum(detail != '' AND count > 0) AS services\n"
        "FROM summary_counts WHERE facet = 'asset_month'\n"
        "GROUP BY key HAVING images > 0 ORDER BY month",
    },
    "photographer_work": {
        **_QUERIES_EVERYWHERE["photographer_work"],
        # The names that match, from the summary of names, then their images by index.
        "sql": f"SELECT {_ASSET}, a.credit FROM assets a\n"
        "WHERE a.photographer_name IN (SELECT key FROM summary_counts\n"
        "    WHERE facet = 'asset_photographer' AND key LIKE '%' || :name || '%')\n"
        "  OR a.photographer IN (SELECT detail FROM summary_counts\n"
        "    WHERE facet = 'asset_photographer' AND detail LIKE '%' || :name || '%')\n"
        "ORDER BY a.shot_date DESC, a.virin",
    },
}


def _sql_list(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{code}'" for code in codes)
