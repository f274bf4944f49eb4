"""``catalog export``: the matching assets as CSV, JSON or JSON lines."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from catalog.cli.options import db_option, filter_options, filters_from
from catalog.store.connection import open_catalog
from catalog.store.queries import export_rows


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
)
@click.option(
    "--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="Default: stdout."
)
def export_command(text: str | None, db_path: Path, fmt: str, output, **options: Any) -> None:
    """Export the assets matching TEXT and the filters (all assets by default).

    Every asset column, plus its present paths and the codes of its findings. In CSV, lists are
    joined with "; ".

    \b
    Examples:
      catalog export --format csv -o catalog.csv
      catalog export --format jsonl --has-errors
      catalog export cargo --format json --publishable
    """
    filters = filters_from(text, options)
    db = open_catalog(db_path, create=False)
    try:
        rows = export_rows(db, filters)
        {"csv": _csv, "json": _json, "jsonl": _jsonl}[fmt](rows, output or sys.stdout)
    finally:
        db.close()


def _csv(rows, out) -> None:
    writer = None
    for row in rows:
        flat = {k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()}
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)


def _json(rows, out) -> None:
    json.dump(list(rows), out, indent=2, ensure_ascii=False)
    out.write("\n")


def _jsonl(rows, out) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
