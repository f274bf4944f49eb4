"""``catalog export``: the matching assets as CSV, JSON or JSON lines."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

import click

from catalog.cli.options import catalog_errors, db_option, filter_options, filters_from
from catalog.cli.progress import CommandProgress, counted
from catalog.core.text import dump_json, printable, printable_json, spreadsheet_safe


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
        if fmt == "csv" and output.isatty():
            columns, rows = catalog.export_table(filters)
            _csv_shown(columns, counted(rows, progress), output, raw=raw)
        elif fmt == "csv":
            columns, lines = catalog.export_csv_lines(filters, raw=raw)
            _csv(columns, counted(lines, progress), output)
        elif fmt == "json":
            _json(counted(catalog.export_rows(filters), progress), output)
        else:
            lines = counted(catalog.export_json_lines(filters), progress)
            _write_chunked(output, map(printable_json, lines), end="\n")


def _json(rows: Iterable[dict[str, Any]], out: TextIO) -> None:
    """A JSON array of ``rows`` written as they come, as ``dump_json(list, indent=2)`` would."""
    first = True
    for row in rows:
        out.write("[\n  " if first else ",\n  ")
        out.write(dump_json(row, indent=2).replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")


def _csv(columns: list[str], lines: Iterable[str | list], out: TextIO) -> None:
    """The header and one line per asset, as Python's ``csv`` module writes them: the lines
    SQLite made as they are, the rows it left to Python (``Catalog.export_csv_lines``) through
    the ``csv`` module."""
    written: list[str] = []
    writer = csv.writer(SimpleNamespace(write=written.append))

    def text() -> Iterator[str]:
        for line in _headed(columns, lines):
            if line.__class__ is str:
                yield line
            else:
                writer.writerow(line)
                yield written.pop()

    _write_chunked(out, text())


def _write_chunked(out: TextIO, texts: Iterable[str], end: str = "", size: int = 100) -> None:
    """``texts``, each followed by ``end``, written ``size`` at a time: one write call (and one
    encoding) per chunk instead of one per line, and no copy of a line to add its end. A chunk
    of 100 lines (about 140 kB) is small enough for the allocator to reuse its memory: chunks of
    1,000 were each mapped and faulted in afresh (750,000 page faults in a million-row export,
    a fifth of its time)."""
    chunk: list[str] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) == size:
            out.write(end.join(chunk) + end)
            chunk.clear()
    if chunk:
        out.write(end.join(chunk) + end)


def _csv_shown(columns: list[str], rows: Iterable[tuple], out: TextIO, *, raw: bool) -> None:
    """CSV on a terminal: every value made printable (control characters as escapes) after
    being neutralized for spreadsheets unless ``raw``."""
    writer = csv.writer(out)
    safe = (lambda v: v) if raw else spreadsheet_safe
    for row in _headed(columns, rows):
        writer.writerow([printable(safe(v)) if v.__class__ is str else v for v in row])


def _headed(columns: list[str], rows: Iterable[Any]) -> Iterator[Any]:
    """The header (``columns``) and ``rows`` when there is a row; nothing at all when nothing
    matched."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    yield columns
    yield first
    yield from rows
