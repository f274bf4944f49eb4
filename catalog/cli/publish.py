"""``catalog publish``: build the public catalog from the internal one."""

from __future__ import annotations

from pathlib import Path

import click

from catalog.core.text import printable
from catalog.publish.build import PublishError, publish
from catalog.schemas import load_tables

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
    try:
        report = publish(source, output, tables=load_tables())
    except PublishError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
    click.echo(
        f"{output}: {report.published} assets published ({report.thumbnails} previews); "
        f"{report.not_released} not released"
    )
    if report.held_back:
        click.echo(f"{len(report.held_back)} held back although marked publishable:")
        for sha, why in report.held_back.items():
            click.echo(f"  {sha[:12]}  {printable(why)}")  # it may quote a value
