"""``catalog search``: find assets by text and filters; a table, or JSON."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import click

from catalog.cli.options import db_option, filter_options, filters_from, open_catalog
from catalog.core.text import dump_json, printable
from catalog.store.queries import RESULT_COLUMNS

#: Column headers and widths of the table output (None: the rest of the line).
TABLE = (
    ("sha256", "sha256", 12),
    ("virin", "VIRIN", 22),
    ("shot_date", "shot", 10),
    ("photographer_name", "photographer", 20),
    ("release_status", "release", 12),
    ("error_count", "err", 3),
    ("warning_count", "warn", 4),
    ("title", "title", None),
)


@click.command("search")
@click.argument("text", required=False)
@db_option(must_exist=True)
@filter_options
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(min=1), help="Assets to list."
)
@click.option(
    "--offset", default=0, type=click.IntRange(min=0), help="Assets to skip first (next page)."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of assets.")
def search_command(
    text: str | None, db_path: Path, limit: int, offset: int, as_json: bool, **options: Any
) -> None:
    """Search the catalog: TEXT in FTS5 syntax over title, caption, credit and keywords.

    \b
    Examples:
      catalog search cargo
      catalog search '"security assistance" OR lightning' --service F
      catalog search --has-errors --rule VIR003
      catalog search --photographer parra --from 2022-02-01 --to 2022-02-28 --json
    """
    filters = filters_from(text, options)
    with open_catalog(db_path) as catalog:
        try:
            rows = catalog.search(filters, limit=limit, offset=offset)
            total = catalog.count(filters)
        except sqlite3.OperationalError as error:
            raise click.UsageError(f"bad search text {text!r}: {error}") from None
    if as_json:
        click.echo(dump_json([{c: row[c] for c in RESULT_COLUMNS} for row in rows], indent=2))
        return
    click.echo(format_table(rows))
    click.echo(f"{len(rows)} of {total} assets", err=True)


def format_table(rows: list[dict[str, Any]]) -> str:
    header = "  ".join(_cell(title, width) for _, title, width in TABLE)
    lines = [click.style(header, bold=True)]
    for row in rows:
        lines.append("  ".join(_cell(row[column], width) for column, _, width in TABLE))
    return "\n".join(lines)


def _cell(value: Any, width: int | None) -> str:
    """A table cell: text from the files made printable first, so the width counts what shows."""
    text = "" if value is None else printable(str(value))
    if width is None:
        return text
    return text[: width - 1] + "…" if len(text) > width else text.ljust(width)
