"""``catalog serve``: browse a catalog in Datasette, on this machine by default."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.argument(
    "db_path",
    metavar="[DB]",
    default="catalog.db",
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--public",
    is_flag=True,
    help="Serve a public catalog built by `catalog publish`: read-only, no SQL, no download.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
def serve_command(db_path: Path, public: bool, host: str, port: int) -> None:
    """Serve the catalog DB [default: catalog.db] with Datasette and print the URL of its desk.

    The desk home page (the URL printed) searches and filters a gallery of thumbnails beside the
    catalog's health; every page of the catalog plugin is there too: thumbnails, asset pages,
    full-text search, facets, and the desk's canned queries. Listens on 127.0.0.1 (this machine
    only) unless --host says otherwise. Ctrl-C stops it.

    With --public, DB must be a file made by `catalog publish`; it is opened immutable, and
    arbitrary SQL and the database download are off.

    \b
    Examples:
      catalog serve
      catalog serve desk.db --port 8002
      catalog publish catalog.db public.db && catalog serve --public public.db
    """
    # Imported here: Datasette takes about 0.7 s to load, which `catalog --help` (it loads every
    # command to list them) need not pay.
    from catalog.web.serve import ServeError, serve

    try:
        serve(db_path, public=public, host=host, port=port, echo=click.echo)
    except ServeError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
