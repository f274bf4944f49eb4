"""The Datasette plugin: the catalog's hooks, registered by the package's ``datasette`` entry point.

With it installed, ``datasette catalog.db`` and ``catalog serve`` give the same pages: the
metadata and configuration of ``catalog.web.config`` for every database recognized as a catalog,
thumbnails in table cells, the asset page, the ``year`` and ``status`` facets, and human labels
(``catalog.web.labels``) on column headers and facet titles: the facets through the plugin's
``_facet_results.html``, the headers by a few lines of script (Datasette 0.65 and 1.0 build their
table headers differently, and both keep the column's name for sorting and the column menu).
Every cell and page escapes what it shows (Datasette's Jinja environment autoescapes; a cell is
built of pieces each passed through ``markupsafe.escape``): captions and credits come from files
anyone can write. Control characters and bidirectional overrides are shown as visible escapes
(``\u202e``) in cells and on the asset page, as in the terminal, and CSV downloads are made safe
for spreadsheets (``csv_safe``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode
from markupsafe import Markup, escape

from catalog.core.text import printable
from catalog.store.queries import highlighted, plain_words
from catalog.web import routes
from catalog.web.catalogs import catalog_kind_of, catalog_kinds, recognize
from catalog.web.config import (
    INTERNAL,
    PUBLIC,
    TITLE,
    WORDS_FUNCTION,
    configuration,
    for_datasette_065,
    metadata,
)
from catalog.web.csv_safe import spreadsheet_safe_csv
from catalog.web.facets import (
    OLD_KEYWORD_ARG,
    StatusFacet,
    SummaryFacet,
    YearFacet,
    keyword_filter,
    keyword_query,
)
from catalog.web.labels import facet_title, label
from catalog.web.versions import install_catalogs, settle_settings

#: The distribution's name: Datasette serves a plugin's static/ folder under it.
DISTRIBUTION = "dod-imagery-catalog"
_FOLD_DESCRIPTIONS = """
document.querySelectorAll("dl.column-descriptions").forEach((list) => {
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "What each column means";
  details.className = "catalog-columns";
  list.replaceWith(details);
  details.append(summary, list);
});
"""
#: Column headers in words: each header's text names its column (``data-column`` on a table's
#: header, its text on a query's), and the name stays in the tooltip, with the description, and
#: in ``data-column``, where other scripts (datasette-cluster-map) look for it before the text.
_LABEL_HEADERS = """
const labels = %s;
document.querySelectorAll("table.rows-and-columns th").forEach((th) => {
  const name = th.dataset.column || th.textContent.trim();
  if (!Object.hasOwn(labels, name)) return;
  th.dataset.column = name;
  const texts = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  for (let text = texts.nextNode(); text; text = texts.nextNode()) {
    const at = text.data.indexOf(name);
    if (at >= 0) {
      text.data = text.data.slice(0, at) + labels[name] + text.data.slice(at + name.length);
      break;
    }
  }
  const about = th.dataset.columnDescription;
  th.title = about ? `${name}: ${about}` : name;
});
"""
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: The side of the square a cell's thumbnail fits in (``catalog.css`` says the same).
CELL_BOX = 96
#: Columns rendered as a link to the assets that share the value.
_LINKED_COLUMNS = ("photographer_name", "virin_originator")
#: Columns holding a number of bytes, shown with a unit.
_BYTE_COLUMNS = ("size", "file_size", "bytes")
#: The columns ``render_cell`` renders whatever their value; any other column's cell is rendered
#: only when it is text with characters to show as escapes.
_RENDERED_COLUMNS = frozenset(
    {"jpeg", "sha256", "snippet", "virin", "code", *_LINKED_COLUMNS, *_BYTE_COLUMNS}
)
#: White space a web page shows harmlessly, kept as it is in a multi-line caption.
_HARMLESS = "\n\r\t"


def visible(value: Any) -> Any:
    """Text with its control and bidirectional characters as visible escapes (then HTML-escaped
    by the template); anything else unchanged. The asset page's ``visible`` filter."""
    return printable(value, keep=_HARMLESS) if isinstance(value, str) else value


@hookimpl
async def startup(datasette: Any) -> None:
    kinds = await recognize(datasette)
    settle_settings(datasette, kinds)
    await install_catalogs(datasette, kinds)


@hookimpl
def get_metadata(datasette: Any, key: Any, database: Any, table: Any) -> dict[str, Any]:
    """Datasette 0.65's metadata and table settings (1.0 never calls it: ``versions``).

    Datasette asks for it some thirty times a page; the document is built once per set of
    catalogs served, and each call gets a copy of its dicts and lists (Datasette merges its own
    metadata into what a plugin returns)."""
    kinds = catalog_kinds(datasette)
    if not kinds:
        return {}
    return _fresh(_combined_metadata(tuple(kinds.items())))


@lru_cache(maxsize=32)
def _combined_metadata(kinds: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    combined: dict[str, Any] = {"title": TITLE, "databases": {}}
    for name, kind in kinds:
        one = for_datasette_065(metadata(kind, name), configuration(kind, name))
        combined["databases"].update(one["databases"])
    if len(kinds) == 1:
        combined["description"] = one["description"]
    return combined


def _fresh(value: Any) -> Any:
    """A copy of a document's dicts and lists (its strings and numbers shared): what
    ``copy.deepcopy`` gives for JSON-like data, several times faster."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


@hookimpl
def prepare_connection(conn: Any) -> None:
    """The search query's ``catalog_words(text)``: typed words as an FTS5 query."""
    conn.create_function(WORDS_FUNCTION, 1, _words, deterministic=True)


def _words(text: Any) -> str:
    """No words (an empty search box) match nothing: ``""`` is FTS5's empty phrase."""
    return (plain_words(text) if isinstance(text, str) else "") or '""'


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["visible"] = visible
    env.filters["highlight"] = highlight


@hookimpl
def register_facet_classes() -> list[type]:
    return [YearFacet, SummaryFacet, StatusFacet]


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """``?_keyword=word`` on a catalog's assets table (``facets.keyword_filter``)."""
    if catalog_kind_of(datasette, database) is None:
        return None
    return keyword_filter(request, table)


@hookimpl
def extra_template_vars(database: str | None, datasette: Any) -> dict[str, Any]:
    """On a catalog's pages, ``catalog_facet_title`` for ``_facet_results.html`` (the facet's
    title in words) and ``catalog_query_title`` for ``query.html`` (a page titled with its canned
    query's title, never its SQL). Elsewhere nothing: the templates then render as Datasette's."""
    if catalog_kind_of(datasette, database) is None:
        return {}
    return {"catalog_facet_title": facet_title, "catalog_query_title": _query_title}


def _query_title(database: str, metadata: Any) -> str:
    title = metadata.get("title") if isinstance(metadata, dict) else None
    return title or f"{database}: SQL query"


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return routes.ROUTES


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    """The desk home page of each catalog served, in Datasette's menu."""
    return [
        {"href": routes.desk_url(datasette, name), "label": f"Desk: {name}"}
        for name in catalog_kinds(datasette)
    ]


@hookimpl
def extra_css_urls(database: str | None, datasette: Any) -> list[str]:
    """The plugin's styles, and the look of the catalog's kind: an internal catalog's pages
    carry a red banner "Internal catalog - not for public release", a public one its own
    colours, so the two servers are never mistaken for each other."""
    kind = catalog_kind_of(datasette, database)
    if kind is None:
        return []
    return [
        datasette.urls.static_plugins(DISTRIBUTION, "catalog.css"),
        datasette.urls.static_plugins(DISTRIBUTION, f"catalog-{kind}.css"),
    ]


@hookimpl
def extra_body_script(
    template: str, view_name: str, database: str | None, columns: Any, datasette: Any
) -> str | None:
    """Label the column headers of a catalog's tables and queries, and fold a table's column
    descriptions (sixty for the assets) into a closed ``<details>``."""
    if catalog_kind_of(datasette, database) is None:
        return None
    labels = {column: label(column) for column in columns or ()}
    # Within <script>: no "</" can end it early (the labels are the plugin's own, still).
    script = _LABEL_HEADERS % json.dumps(labels).replace("<", "\\u003c")
    return script + (_FOLD_DESCRIPTIONS if view_name == "table" else "")


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | None:
    """A cell as the desk shows it, or None for Datasette's own rendering.

    Called for every cell of every page (a query of 1,000 rows of seven columns is 7,000 calls),
    so the common case is decided first, from the column and the value alone: a column the plugin
    never renders holding a number or printable text (``str.isprintable`` is False for every
    character ``catalog.core.text.printable`` escapes) is Datasette's to show. The cells the
    plugin builds are strings of escaped pieces (``markupsafe.escape``), not ``Markup.format``.
    """
    if column not in _RENDERED_COLUMNS and (not isinstance(value, str) or value.isprintable()):
        return None
    kind = catalog_kind_of(datasette, database)
    if kind is None:
        return None
    if column == "jpeg" and table == "thumbnails":
        # The image itself, not "<Binary: N bytes>": the row's sha256 names its thumbnail route.
        sha256 = _sha256_of(_value_of(row, "sha256"))
        return _asset_cell(datasette, database, sha256, _pixel_size(row)) if sha256 else None
    if isinstance(value, dict) and column == "sha256":
        # A foreign key Datasette expanded to {"value", "label"}: its own link would go to
        # /DB/assets/<sha256>, a 404 (the assets' primary key is id), so the asset page instead,
        # with the label (the VIRIN) beneath.
        sha256 = _sha256_of(value)
        if sha256:
            return _asset_cell(datasette, database, sha256, None, label=value.get("label"))
    if column in _BYTE_COLUMNS and isinstance(value, int) and not isinstance(value, bool):
        return Markup(f'<span title="{value:,} bytes">{byte_size(value)}</span>')
    if not isinstance(value, str):
        return None  # other numbers and BLOBs are Datasette's to show
    if column == "sha256" and _SHA256.match(value):
        return _asset_cell(datasette, database, value, _pixel_size(row))
    if column == "snippet":
        return highlight(value)
    if column == "virin" and value:
        return _virin_cell(datasette, database, value, _sha256_of(_value_of(row, "sha256")))
    if column in _LINKED_COLUMNS and value:
        url = routes.filtered_url(datasette, database, **{column: value})
        return _link(url, value, ' title="All their images"')
    if column == "code" and table is None and kind == INTERNAL:
        return _link(routes.rule_url(datasette, database, value), value)
    shown = visible(value)
    if shown != value:  # text with control characters; anything else is Datasette's to show
        return Markup(f'<span class="catalog-escaped">{escape(shown)}</span>')
    return None


def _link(url: str, text: str, attributes: str = "") -> Markup:
    """A link to ``url`` showing ``text`` (visible escapes, then HTML-escaped); ``attributes``
    are the plugin's own, never a value's."""
    return Markup(f'<a href="{escape(url)}"{attributes}>{escape(visible(text))}</a>')


def _asset_cell(
    datasette: Any,
    database: str,
    sha256: str,
    size: tuple[int, int] | None,
    *,
    label: Any = None,
) -> Markup:
    """A thumbnail linking to the asset page, with the start of the hash beneath.

    Built from the row alone, never a query per cell (a page of results would run fifty): the
    image is always linked, and the thumbnail route answers an asset without a thumbnail with a
    "no preview" picture. The box is sized from the row's pixel size where it has one (the assets
    and thumbnails tables; a thumbnail keeps its image's proportions); elsewhere the stylesheet
    fits the image into the same box.
    """
    box = ' width="{}" height="{}"'.format(*_cell_size(*size)) if size is not None else ""
    named = ""
    if isinstance(label, str) and label and label != sha256:
        named = f'<span class="catalog-label">{escape(visible(label))}</span>'
    thumbnail = escape(routes.thumbnail_url(datasette, database, sha256))
    page = escape(routes.asset_url(datasette, database, sha256))
    return Markup(
        f'<a class="catalog-cell" href="{page}" title="Open the asset page">'
        f'<img src="{thumbnail}" alt="preview" loading="lazy"{box}>'
        f"<code>{sha256[:10]}…</code>{named}</a>"
    )


def byte_size(count: int) -> str:
    """A number of bytes as people read it: 812 B, 45.2 kB, 3.1 MB (powers of 1,000)."""
    if abs(count) < 1000:
        return f"{count} B"
    value, unit = count / 1000, "kB"
    for larger in ("MB", "GB"):
        if abs(value) < 1000:
            break
        value, unit = value / 1000, larger
    return f"{value:.1f} {unit}"


def highlight(snippet: str) -> Markup:
    """A search snippet with its matched words in ``<mark>``, every piece escaped."""
    return Markup("").join(
        Markup("<mark>{}</mark>" if hit else "{}").format(visible(t))
        for t, hit in highlighted(snippet)
    )


def _virin_cell(datasette: Any, database: str, virin: str, sha256: str | None) -> Markup:
    """A VIRIN linking to its asset's page where the row names the asset, else to the assets
    that carry it (a query result of VIRINs alone)."""
    if sha256:
        url = routes.asset_url(datasette, database, sha256)
    else:
        url = routes.filtered_url(datasette, database, virin=virin)
    return _link(url, virin, ' title="Open the asset page"')


def _value_of(row: Any, column: str) -> Any:
    """``row[column]``, or None for a row without that column."""
    try:
        return row[column]
    except (IndexError, KeyError, TypeError):
        return None


def _sha256_of(value: Any) -> str | None:
    """The SHA-256 a cell holds (Datasette may have expanded it into ``{"value", "label"}``),
    or None for anything else."""
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, str) and _SHA256.match(value) else None


def _pixel_size(row: Any) -> tuple[int, int] | None:
    """The row's ``width`` and ``height`` when it has both as positive whole numbers."""
    width, height = _value_of(row, "width"), _value_of(row, "height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width, height
    return None


def _cell_size(width: int, height: int, box: int = CELL_BOX) -> tuple[int, int]:
    scale = box / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


@hookimpl
def asgi_wrapper(datasette: Any):
    """CSV of catalogs made safe for spreadsheets; an old keyword link of a catalog's assets
    (``keywords__arraycontains``) redirected to the ``_keyword`` filter (``facets.keyword_query``);
    and on a server of public catalogs only, ``/-/databases`` hidden: it shows the file's path
    on the server, an internal detail the public has no use for."""

    async def is_catalog(database: str) -> bool:
        await datasette.invoke_startup()  # recognizes the catalogs
        return catalog_kind_of(datasette, database) is not None

    async def public_only() -> bool:
        await datasette.invoke_startup()
        return set(catalog_kinds(datasette).values()) == {PUBLIC}

    def wrap(app):
        app = spreadsheet_safe_csv(app, is_catalog)

        async def hide_paths(scope, receive, send):
            if scope["type"] != "http":
                await app(scope, receive, send)
            elif scope["path"].startswith("/-/databases") and await public_only():
                await _not_found(send)
            elif location := await _keyword_location(scope, is_catalog):
                await _redirect(send, location)
            else:
                await app(scope, receive, send)

        return hide_paths

    return wrap


async def _keyword_location(scope: dict[str, Any], is_catalog) -> str | None:
    """Where an old keyword link of a catalog's assets table (``/DB/assets`` in any format) goes
    instead, or None for any other request."""
    query = scope.get("query_string", b"").decode("latin-1")
    if OLD_KEYWORD_ARG not in query:
        return None
    database, _, page = scope["path"].strip("/").partition("/")
    if page.partition(".")[0] != "assets" or not await is_catalog(tilde_decode(database)):
        return None
    moved = keyword_query(query)
    if moved is None:
        return None
    path = scope.get("raw_path") or scope["path"].encode()
    return f"{path.decode('latin-1')}?{moved}"


async def _redirect(send, location: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [(b"location", location.encode("latin-1"))],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _not_found(send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": b"Not found"})
