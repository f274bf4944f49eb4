"""``catalog search``: find assets by text and filters; a table, or JSON."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import click

from catalog.cli.options import db_option, filter_options, filters_from, open_catalog
from catalog.core.text import dump_json, printable
from catalog.store.queries import RESULT_COLUMNS, SORTS, highlighted, plain_words

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
@click.option(
    "--fts",
    is_flag=True,
    help="TEXT is an SQLite FTS5 query (AND, OR, NOT, NEAR, prefix*), not plain words.",
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="Best matches first, or the newest shots first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of assets.")
@click.option(
    "--articles",
    is_flag=True,
    help="Search the photo blocks of imported web pages instead (TEXT required).",
)
def search_command(
    text: str | None,
    db_path: Path,
    fts: bool,
    sort: str,
    limit: int,
    offset: int,
    as_json: bool,
    articles: bool,
    **options: Any,
) -> None:
    """Search the catalog: the words of TEXT in title, caption, credit and keywords.

    TEXT is what you would type: every word must appear (C-17, F-35 and U.S. are words), and
    "quoted words" must appear together. Best matches come first, each with the passage that
    matched, its words highlighted. With --fts, TEXT is an FTS5 query instead.

    The table also lists the matching photo blocks of imported web pages that no image in the
    catalog carries (published records without an image); --articles lists every matching block.

    \b
    Examples:
      catalog search C-17
      catalog search 'U.S. Air Force' --sort date
      catalog search '"security assistance" OR lightning' --fts --service F
      catalog search --has-errors --rule VIR003
      catalog search --photographer parra --from 2022-02-01 --to 2022-02-28 --json
      catalog search --articles cargo
    """
    if articles and not text:
        raise click.UsageError("--articles searches for TEXT: give one")
    query = text if fts or not text else plain_words(text)
    filters = filters_from(query, options)
    with open_catalog(db_path) as catalog:
        try:
            rows = (
                [] if articles else catalog.search(filters, limit=limit, offset=offset, sort=sort)
            )
            total = 0 if articles else catalog.count(filters)
            records = catalog.search_article_records(query, limit=limit) if text else []
        except sqlite3.OperationalError as error:
            raise click.UsageError(f"bad search text {text!r}: {error}") from None
    if articles:
        if as_json:
            click.echo(dump_json(records, indent=2))
        else:
            click.echo("\n".join(_article_line(r) for r in records))
        click.echo(f"{len(records)} article records", err=True)
        return
    if as_json:
        click.echo(dump_json([_json_row(row) for row in rows], indent=2))
        return
    click.echo(format_table(rows))
    click.echo(f"{len(rows)} of {total} assets", err=True)
    alone = [r for r in records if not r["images"]]
    if alone:
        click.echo(click.style("published records without an image", bold=True))
        click.echo("\n".join(_article_line(r) for r in alone))


def _article_line(record: dict[str, Any]) -> str:
    """A photo block in one line: VIRIN, page:line, title or caption."""
    where = f"{record['page']}:{record['line']}"
    return "  ".join(
        [
            _cell(record["virin"], 22),
            printable(where),
            _cell(record["title"] or record["caption"], None),
        ]
    )


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    """A result's columns; with text, its snippet with the matched words in [brackets]."""
    shown = {c: row[c] for c in RESULT_COLUMNS}
    if "snippet" in row:
        shown["snippet"] = _snippet(row["snippet"], lambda word: f"[{word}]")
    return shown


def _snippet(snippet: str | None, mark: Any) -> str:
    """The snippet's text made printable, each matched word passed through ``mark``."""
    pieces = highlighted(snippet or "")
    return "".join(mark(printable(t)) if hit else printable(t) for t, hit in pieces)


def format_table(rows: list[dict[str, Any]]) -> str:
    header = "  ".join(_cell(title, width) for _, title, width in TABLE)
    lines = [click.style(header, bold=True)]
    for row in rows:
        lines.append("  ".join(_cell(row[column], width) for column, _, width in TABLE))
        if row.get("snippet"):
            lines.append("    " + _snippet(row["snippet"], _bold))
    return "\n".join(lines)


def _bold(word: str) -> str:
    """A matched word, styled (``click.echo`` drops the style when output is not a terminal)."""
    return click.style(word, bold=True, fg="yellow")


def _cell(value: Any, width: int | None) -> str:
    """A table cell: text from the files made printable first, so the width counts what shows."""
    text = "" if value is None else printable(str(value))
    if width is None:
        return text
    return text[: width - 1] + "…" if len(text) > width else text.ljust(width)
