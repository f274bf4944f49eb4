"""``catalog export``: the matching assets as CSV, JSON or JSON lines."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

import click

from catalog.cli.options import db_option, filter_options, filters_from, open_catalog
from catalog.core.text import dump_json, printable, spreadsheet_safe


@click.command("export")
@click.argument("text", required=False)
@db_option(must_exist=True)
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.File("w", encoding="utf-8", errors="backslashreplace"),
    default="-",
    metavar="FILE",
    help="Write to FILE instead of standard output.",
)
@click.option(
    "--raw",
    is_flag=True,
    help="CSV: write every value exactly as stored, even one a spreadsheet would run as a formula.",
)
def export_command(
    text: str | None, db_path: Path, fmt: str, output: TextIO, raw: bool, **options: Any
) -> None:
    """Export the assets matching TEXT and the filters (all assets by default).

    Every asset column, plus its present paths and the codes of its findings. In CSV, lists are
    joined with "; ", and a text value that a spreadsheet would run as a formula (it starts with
    = + - @, a tab or a carriage return: "=HYPERLINK(...)") is written with a leading apostrophe,
    which spreadsheets show as text; --raw leaves every value as stored. JSON keeps every value
    as stored. On a terminal, control characters in CSV values are shown as escapes.

    \b
    Examples:
      catalog export --format csv -o catalog.csv
      catalog export --format jsonl --has-errors
      catalog export cargo --format json --publishable
    """
    filters = filters_from(text, options)
    with open_catalog(db_path) as catalog:
        rows = catalog.export_rows(filters)
        if fmt == "csv":
            _csv(rows, output, _csv_cell(raw=raw, terminal=output.isatty()))
        elif fmt == "json":
            output.write(dump_json(list(rows), indent=2) + "\n")
        else:
            output.writelines(dump_json(row) + "\n" for row in rows)


def _csv_cell(*, raw: bool, terminal: bool) -> Callable[[Any], Any]:
    """How one CSV value is written: neutralized for spreadsheets unless raw, printable on a
    terminal (a file or a pipe gets the values themselves, line ends and all)."""
    safe = (lambda v: v) if raw else spreadsheet_safe
    if terminal:
        return lambda v: printable(safe(v)) if isinstance(v, str) else v
    return safe


def _csv(rows: Iterable[dict[str, Any]], out: TextIO, cell: Callable[[Any], Any]) -> None:
    writer = None
    for row in rows:
        flat = {k: cell("; ".join(v) if isinstance(v, list) else v) for k, v in row.items()}
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)
