"""Browsing the catalog with Datasette.

``plugin`` holds the Datasette hooks, ``config`` what Datasette shows (metadata and configuration),
``routes``, ``desk`` and ``pages`` the desk home page, the asset page and thumbnails, ``chart``
the images-per-month chart, ``facets`` the year and status facets, ``labels`` every column's
label. The public
catalog's builder lives in ``catalog.publish``, which nothing here imports: the plugin only needs
the public layout (``catalog.store.public_schema``). The package itself is the plugin registered
in the ``datasette`` entry point (Datasette finds a plugin's ``templates/`` and ``static/``
folders only beside a package), so the hooks are imported here.
"""

from catalog.web.plugin import (
    asgi_wrapper,
    extra_body_script,
    extra_css_urls,
    extra_template_vars,
    filters_from_request,
    get_metadata,
    menu_links,
    prepare_connection,
    prepare_jinja2_environment,
    register_facet_classes,
    register_routes,
    render_cell,
    startup,
)

__all__ = [
    "asgi_wrapper",
    "extra_body_script",
    "extra_css_urls",
    "extra_template_vars",
    "filters_from_request",
    "get_metadata",
    "menu_links",
    "prepare_connection",
    "prepare_jinja2_environment",
    "register_facet_classes",
    "register_routes",
    "render_cell",
    "startup",
]
