"""``catalog export``: the matching assets as CSV, JSON or JSON lines."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import click

from catalog.cli.options import catalog_errors, db_option, filter_options, filters_from
from catalog.cli.progress import CommandProgress, counted
from catalog.core.text import FORMULA_START, dump_json, printable, printable_json, spreadsheet_safe

#: First characters of a text value that ``spreadsheet_safe`` may have to neutralize: those that
#: start a formula, and the white space it looks past. Other values are written as they are.
RISKY = frozenset(FORMULA_START) | frozenset(" \t\r\n")


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
    from catalog.store.catalog import Catalog  # here: `catalog --help` need not load the store

    filters = filters_from(text, options)
    if not output.isatty():  # standard output is line-buffered: a system call per row
        output.reconfigure(line_buffering=False)
    # Read-only: one snapshot (the count and the rows agree), and the larger page cache of the
    # read-only catalogs (the default one made a system call of most page reads).
    with catalog_errors(db_path), Catalog.read_only(db_path) as catalog:
        progress = CommandProgress("export", catalog.count(filters), "assets")
        if fmt == "csv":
            columns, rows = catalog.export_table(filters)
            _csv(columns, counted(rows, progress), output, raw=raw, terminal=output.isatty())
        elif fmt == "json":
            _json(counted(catalog.export_rows(filters), progress), output)
        else:
            lines = counted(catalog.export_json_lines(filters), progress)
            output.writelines(printable_json(line) + "\n" for line in lines)


def _json(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """A JSON array of ``rows`` written as they come, as ``dump_json(list, indent=2)`` would."""
    first = True
    for row in rows:
        out.write("[\n  " if first else ",\n  ")
        out.write(dump_json(row, indent=2).replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")


def _csv(
    columns: list[str], rows: Iterable[tuple], out: TextIO, *, raw: bool, terminal: bool
) -> None:
    """The header and one line per row. A value is neutralized for spreadsheets unless ``raw``
    (only text whose first character could start a formula is looked at closely) and made
    printable on a terminal (a file or a pipe gets the values themselves, line ends and all)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return  # no header either: nothing matched
    rows = itertools.chain([first], rows)
    writer = csv.writer(out)
    writer.writerow(columns)
    if raw and not terminal:
        writer.writerows(rows)
        return
    safe = (lambda v: v) if raw else spreadsheet_safe
    shown = (lambda v: printable(safe(v))) if terminal else safe
    for row in rows:
        writer.writerow(
            [shown(v) if v.__class__ is str and (terminal or v[:1] in RISKY) else v for v in row]
        )
