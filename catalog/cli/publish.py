"""``catalog publish``: build the public catalog from the internal one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from catalog.cli.options import CommandError
from catalog.core.text import dump_json, printable
from catalog.schemas import load_tables

if TYPE_CHECKING:
    from catalog.publish.build import PublishReport

_file = click.Path(dir_okay=False, path_type=Path)


def _codes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    """``--allow-errors VIR003,CRD001`` (repeatable): rule codes, upper-cased."""
    from catalog.core.rules import all_rules

    codes = [c.strip().upper() for value in values for c in value.split(",") if c.strip()]
    known = {rule.code for rule in all_rules()}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise click.BadParameter(f"unknown rule codes: {', '.join(unknown)} (see `catalog rules`)")
    return codes


@click.command("publish")
@click.argument("source", type=_file)
@click.argument("output", type=_file)
@click.option(
    "--allow-errors",
    "allow_errors",
    multiple=True,
    callback=_codes,
    metavar="CODES",
    help="Publish assets whose error findings are only of these rule codes (comma-separated, "
    "repeatable). By default any error finding holds an asset back.",
)
@click.option(
    "--report",
    "report_file",
    type=_file,
    help="Also write every asset held back, with the reason, to this file as JSON.",
)
def publish_command(
    source: Path, output: Path, allow_errors: list[str], report_file: Path | None
) -> None:
    """Build the public catalog OUTPUT from the catalog SOURCE.

    OUTPUT is a new SQLite file holding only assets released and unclassified in every source,
    and of those only the public columns: no GPS, no file paths, no findings, no unreleased
    asset anywhere in the file. Assets with error findings (an invalid or placeholder VIRIN, no
    credit, an image that cannot be decoded) are held back too unless --allow-errors names their
    codes, and so is every asset whose file changed since the import (size, times, inode or first
    bytes): import it again first. Every asset held back is printed with the reason.

    It is built from scratch beside OUTPUT and then replaces it, so a failed run leaves OUTPUT as
    it was. Serve it with `catalog serve --public OUTPUT`.

    \b
    Examples:
      catalog publish catalog.db public.db
      catalog publish catalog.db public.db --allow-errors CRD001 --report held.json
    """
    # Imported here: the store and the thumbnails take about 0.4 s to load, which `catalog
    # --help` (it loads every command's module to list them) need not pay.
    from catalog.publish.build import PublishError, publish

    try:
        report = publish(source, output, tables=load_tables(), allow_errors=allow_errors)
    except PublishError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
    if report_file is not None:
        _write_report(report, report_file)
    click.echo(
        f"{output}: {report.published} assets published ({report.thumbnails} previews); "
        f"{len(report.held)} held back ({report.not_released} not released)"
    )
    for held in report.held:  # reasons and VIRINs may quote values from the files
        virin = printable(held.virin or "(no VIRIN)")
        click.echo(f"  {held.sha256[:12]}  {virin}  {held.gate}: {printable(held.reason)}")


def _write_report(report: PublishReport, path: Path) -> None:
    document = {
        "output": str(report.output),
        "published": report.published,
        "held_back": [held.to_dict() for held in report.held],
    }
    try:
        path.write_text(dump_json(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{path}: cannot be written: {error.strerror or error}") from None
