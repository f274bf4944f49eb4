"""The plugin's own pages: the desk home page, an asset page, the thumbnail images and the
images-per-month chart, under ``/DB/-/``.

All answer only for databases the plugin recognized as catalogs, check Datasette's view
permissions like Datasette's own pages, and take the asset by its SHA-256 alone (64 hex digits),
so a request can never name a file or run SQL of its own. Thumbnails are served from the
``thumbnails`` BLOB table with a fixed type and ``nosniff``, so a browser never reads the bytes
as anything but a JPEG image. Where there is no thumbnail, the 404 answer is itself a picture
saying "no preview" (browsers show an image's body whatever the status), so a table cell can link
every asset's thumbnail without first asking whether it exists.
"""

from __future__ import annotations

import urllib.parse
import weakref
from pathlib import Path
from typing import Any

from datasette import NotFound, Response
from datasette.utils import tilde_decode, tilde_encode

from catalog.store.catalog import Catalog
from catalog.web.catalogs import catalog_kind_of
from catalog.web.chart import month_chart
from catalog.web.config import MONTHS_QUERY, PUBLIC, configuration
from catalog.web.desk import desk_page, desk_request
from catalog.web.pages import asset_page
from catalog.web.versions import may_view_table

_SHA = r"(?P<sha256>[0-9a-f]{64})"
ASSET_ROUTE = rf"^/(?P<database>[^/]+)/-/asset/{_SHA}$"
DESK_ROUTE = r"^/(?P<database>[^/]+)/-/desk$"
THUMBNAIL_ROUTE = rf"^/(?P<database>[^/]+)/-/thumbnail/{_SHA}\.jpg$"
CHART_ROUTE = r"^/(?P<database>[^/]+)/-/images-per-month\.svg$"
NO_PREVIEW = (Path(__file__).parent / "static" / "no-preview.svg").read_bytes()
#: An image and nothing else: never sniffed as another type, never loading anything.
_IMAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "max-age=3600",
    "Content-Security-Policy": "default-src 'none'",
}


def asset_url(datasette: Any, database: str, sha256: str) -> str:
    return f"{_path(datasette, database)}/-/asset/{sha256}"


def desk_url(datasette: Any, database: str, **args: str) -> str:
    """The desk home page of ``database``, searching for ``args`` (the form's fields)."""
    query = urllib.parse.urlencode({k: v for k, v in args.items() if v not in ("", None)})
    return f"{_path(datasette, database)}/-/desk" + (f"?{query}" if query else "")


def thumbnail_url(datasette: Any, database: str, sha256: str) -> str:
    return f"{_path(datasette, database)}/-/thumbnail/{sha256}.jpg"


def filtered_url(datasette: Any, database: str, **filters: str) -> str:
    """The assets table of ``database`` filtered on exact column values."""
    return f"{_path(datasette, database, 'assets')}?{urllib.parse.urlencode(filters)}"


def rule_url(datasette: Any, database: str, code: str) -> str:
    """The row of a rule in the ``rules`` table (its explanation)."""
    return f"{_path(datasette, database, 'rules')}/{tilde_encode(code)}"


#: Each server's paths of its databases and tables, by (database, table or None).
_PATHS: weakref.WeakKeyDictionary[Any, dict[tuple[str, str | None], str]] = (
    weakref.WeakKeyDictionary()
)


def _path(datasette: Any, database: str, table: str | None = None) -> str:
    """The path of a database or of one of its tables on this server, which never changes while
    it runs. Asked for by every link a cell holds (thousands on a page of query results), and
    Datasette's ``urls`` tilde-encodes the names again at each call, character by character."""
    paths = _PATHS.setdefault(datasette, {})
    key = (database, table)
    if key not in paths:
        urls = datasette.urls
        paths[key] = urls.database(database) if table is None else urls.table(database, table)
    return paths[key]


async def _catalog(datasette: Any, request: Any, table: str) -> tuple[str, str]:
    """The database named in the URL and its catalog kind, when the actor may see ``table``."""
    database = tilde_decode(request.url_vars["database"])
    kind = catalog_kind_of(datasette, database)
    if kind is None:
        raise NotFound("not a catalog database")
    if not await may_view_table(datasette, request.actor, database, table):
        raise NotFound("not a catalog database")  # do not confirm that it exists
    return database, kind


def _page_context(datasette: Any, database: str, kind: str) -> dict[str, Any]:
    """What the asset page and the desk both show with: the catalog, and links to assets."""
    return {
        "database": database,
        "public": kind == PUBLIC,
        "asset_link": lambda sha: asset_url(datasette, database, sha),
        "thumb_link": lambda sha: thumbnail_url(datasette, database, sha),
    }


async def asset(datasette: Any, request: Any) -> Response:
    database, kind = await _catalog(datasette, request, "assets")
    sha256 = request.url_vars["sha256"]
    data = await datasette.get_database(database).execute_fn(
        lambda conn: asset_page(conn, sha256, kind)
    )
    if data is None:
        raise NotFound("no such asset")
    context = {
        **data,
        **_page_context(datasette, database, kind),
        "sha256": sha256,
        "thumbnail_src": thumbnail_url(datasette, database, sha256),
        "filtered": lambda **filters: filtered_url(datasette, database, **filters),
        "row_url": datasette.urls.row(database, "assets", str(data["id"])),
    }
    html = await datasette.render_template(
        "catalog_asset.html", context, request=request, view_name="catalog_asset"
    )
    return Response.html(html)


async def desk(datasette: Any, request: Any) -> Response:
    database, kind = await _catalog(datasette, request, "assets")
    asked = desk_request(request.args, kind)
    data = await datasette.get_database(database).execute_fn(
        lambda conn: desk_page(conn, asked, kind)
    )
    context = {
        **data,
        **_page_context(datasette, database, kind),
        "asked": asked.values,
        "problems": asked.problems,
        "offset": asked.offset,
        "searching": any(asked.values.values()),
        "desk_link": lambda **args: desk_url(datasette, database, **args),
        "database_url": datasette.urls.database(database),
        "runs_url": datasette.urls.table(database, "import_runs"),
    }
    html = await datasette.render_template(
        "catalog_desk.html", context, request=request, view_name="catalog_desk"
    )
    return Response.html(html)


async def thumbnail(datasette: Any, request: Any) -> Response:
    database, _ = await _catalog(datasette, request, "thumbnails")
    sha256 = request.url_vars["sha256"]
    jpeg = await datasette.get_database(database).execute_fn(
        lambda conn: Catalog(conn).thumbnail_jpeg(sha256)
    )
    if jpeg is None:
        # Not cached: a re-import may yet make the thumbnail.
        headers = {**_IMAGE_HEADERS, "Cache-Control": "no-cache"}
        return Response(NO_PREVIEW, status=404, content_type="image/svg+xml", headers=headers)
    return Response(jpeg, content_type="image/jpeg", headers=_IMAGE_HEADERS)


async def images_per_month(datasette: Any, request: Any) -> Response:
    """The chart of the "Images per month" canned query, from all of its rows (the query's own
    SQL, so the chart and the table always say the same)."""
    database, kind = await _catalog(datasette, request, "assets")
    sql = configuration(kind, database)["databases"][database]["queries"][MONTHS_QUERY]["sql"]
    months = await datasette.get_database(database).execute(sql)
    svg = month_chart((row["month"], row["images"]) for row in months.rows)
    headers = {**_IMAGE_HEADERS, "Cache-Control": "no-cache"}  # changes with every import
    return Response(svg, content_type="image/svg+xml", headers=headers)


ROUTES = [
    (DESK_ROUTE, desk),
    (ASSET_ROUTE, asset),
    (THUMBNAIL_ROUTE, thumbnail),
    (CHART_ROUTE, images_per_month),
]
