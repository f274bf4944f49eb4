"""``catalog publish``: build the public catalog from the internal one."""

from __future__ import annotations

import sqlite3
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from catalog.cli.options import written_whole
from catalog.cli.progress import CommandProgress
from catalog.core.text import printable
from catalog.schemas import load_tables

if TYPE_CHECKING:
    from catalog.publish.build import HeldBack, PublishReport

#: Assets held back that the command names (the rest are counted, and listed by --report).
SHOWN_HELD = 20

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
    bytes): import it again first. The assets held back are printed with the reason (the
    first 20, then how many more by gate); --report FILE lists every one.

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

    progress = CommandProgress("publish", _asset_count(source), "assets")
    try:
        with written_whole(report_file) if report_file else nullcontext() as file:
            held_report = _HeldReport(file)
            report = publish(
                source,
                output,
                tables=load_tables(),
                allow_errors=allow_errors,
                progress=progress,
                on_held=held_report.add,
            )
            held_report.finish(report)
    except PublishError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
    finally:
        progress.close()
    click.echo(
        f"{output}: {report.published} assets published ({report.thumbnails} previews); "
        f"{report.held_count} held back ({report.not_released} not released)"
    )
    for held in report.held[:SHOWN_HELD]:  # reasons and VIRINs may quote values from the files
        virin = printable(held.virin or "(no VIRIN)")
        click.echo(f"  {held.sha256[:12]}  {virin}  {held.gate}: {printable(held.reason)}")
    if report.held_count > SHOWN_HELD:
        gates = ", ".join(f"{n} {gate}" for gate, n in report.held_by_gate.most_common())
        where = f"{report_file} lists" if report_file else "--report FILE lists"
        click.echo(f"  ... and {report.held_count - SHOWN_HELD} more ({gates}); {where} every one")


def _asset_count(source: Path) -> int | None:
    """The number of assets, for progress (None when the file cannot say: publish says why)."""
    from catalog.store.catalog import Catalog, CatalogError
    from catalog.store.queries import Filters

    try:
        with Catalog.read_only(source) as catalog:
            return catalog.count(Filters())
    except (CatalogError, OSError, sqlite3.Error):
        return None


class _HeldReport:
    """``--report FILE``: every asset held back, written to ``out`` as publish decides it (a
    million held assets are never held in memory) in the layout of ``dump_json(document,
    indent=2)`` (``JsonList``); nothing is written without a file."""

    def __init__(self, out: TextIO | None) -> None:
        # Imported here: the package of the report formats loads the rules, which `catalog
        # publish --help` need not pay for.
        from catalog.lint.formats.stream import MARK, JsonList

        self.out = out
        self.count = 0
        self._layout = JsonList({"held_back": [MARK]})  # the list written item by item
        if out is not None:
            out.write(self._layout.head)

    def add(self, held: HeldBack) -> None:
        if self.out is not None:
            self.out.write(self._layout.item(held.to_dict(), first=self.count == 0))
            self.count += 1

    def finish(self, report: PublishReport) -> None:
        from catalog.lint.formats.stream import MARK, JsonList

        if self.out is not None:
            document = {"held_back": [MARK], "output": str(report.output)}
            document["published"] = report.published
            self.out.write(JsonList(document).tail(empty=self.count == 0) + "\n")
