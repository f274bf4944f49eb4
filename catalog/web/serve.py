"""Serving one catalog with Datasette: the instance ``catalog serve`` runs, and the server.

``datasette_for`` is also what the tests use in-process. The configuration comes from
``catalog.web.config`` through the plugin's hooks, so ``datasette catalog.db`` shows the same
pages; what only ``catalog serve`` adds are the settings (Datasette 0.65 takes them as arguments)
and, for a public catalog, the immutable mode.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from datasette.utils import tilde_encode

from catalog.store.catalog import CatalogDamaged, CatalogError, check_catalog_file
from catalog.web.catalogs import kind_of_file
from catalog.web.config import PUBLIC, configuration

if TYPE_CHECKING:
    from datasette.app import Datasette


class ServeError(Exception):
    """The file cannot be served as asked; the message says why."""


def datasette_for(path: Path, *, public: bool = False) -> Datasette:
    """A Datasette instance serving the catalog at ``path``.

    ``public`` insists on a file built by ``catalog publish`` and opens it immutable (read-only,
    no locking, never changing under the server). An internal catalog is opened so that a running
    import's commits show up on the next page load.
    """
    return _datasette(path, checked_kind(path, public=public))


def checked_kind(path: Path, *, public: bool) -> str:
    """The kind of catalog at ``path``, or why it cannot be served as asked."""
    if not path.is_file():
        raise ServeError(f"{path}: no such file (create a catalog with `catalog import`)")
    try:
        check_catalog_file(path)
    except CatalogDamaged as error:  # not served page by page as errors: refused at once
        raise ServeError(str(error)) from None
    except CatalogError:
        pass  # not an internal catalog: perhaps a public one
    kind = kind_of_file(path)
    if kind is None:
        raise ServeError(f"{path}: not a catalog made by `catalog import` or `catalog publish`")
    if public and kind != PUBLIC:
        raise ServeError(
            f"{path}: --public serves only a catalog built by `catalog publish` "
            f"(this one is {kind})"
        )
    return kind


def _datasette(path: Path, kind: str) -> Datasette:
    # Imported here, as uvicorn is: datasette.app takes half a second to import, which every
    # `catalog --help` (it lists this command) would otherwise pay.
    from datasette.app import Datasette

    settings = configuration(kind, path.stem)["settings"]
    if kind == PUBLIC:
        return Datasette(immutables=[str(path)], settings=settings)
    return Datasette(files=[str(path)], settings=settings)


def serve(path: Path, *, public: bool, host: str, port: int, echo: Callable[[str], None]) -> None:
    """Serve ``path`` until interrupted, after printing where."""
    import uvicorn  # Datasette's own server

    kind = checked_kind(path, public=public)
    datasette = _datasette(path, kind)
    shown = f"[{host}]" if ":" in host else host
    database = f"http://{shown}:{port}/{tilde_encode(path.stem)}"
    echo(f"Serving the {kind} catalog {path} at {database}/-/desk")
    echo(f"Tables and canned queries: {database}")
    echo("Press Ctrl-C to stop.")
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
