"""``catalog publish``: build the public catalog from the internal one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from catalog.cli.progress import CommandProgress
from catalog.core.text import printable
from catalog.publish.build import PublishError, publish
from catalog.store.catalog import Catalog, CatalogError

_file = click.Path(dir_okay=False, path_type=Path)


@click.command("publish")
@click.argument("source", type=_file)
@click.argument("output", type=_file)
def publish_command(source: Path, output: Path) -> None:
    """Build the public catalog OUTPUT from the catalog SOURCE.

    OUTPUT is a new SQLite file holding only assets released and unclassified in every source,
    and of those only the public columns: no GPS, no file paths, no findings, no unreleased
    asset anywhere in the file. It is built from scratch beside OUTPUT and then replaces it, so a
    failed run leaves OUTPUT as it was. Serve it with `catalog serve --public OUTPUT`.

    \b
    Examples:
      catalog publish catalog.db public.db
    """
    progress = CommandProgress("publish", _asset_count(source), "assets")
    try:
        report = publish(source, output, progress=progress)
    except PublishError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
    finally:
        progress.close()
    click.echo(
        f"{output}: {report.published} assets published ({report.thumbnails} previews); "
        f"{report.not_released} not released"
    )
    if report.held_back:
        click.echo(f"{len(report.held_back)} held back although marked publishable:")
        for sha, why in report.held_back.items():
            click.echo(f"  {sha[:12]}  {printable(why)}")  # it may quote a value


def _asset_count(source: Path) -> int | None:
    """The number of assets, for progress (None when the file cannot say: publish reports why)."""
    try:
        with Catalog.read_only(source) as catalog:
            return catalog.asset_count()
    except (CatalogError, OSError, sqlite3.Error):
        return None
