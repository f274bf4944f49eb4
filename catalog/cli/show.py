"""``catalog show``: everything the catalog knows about one asset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from catalog.cli.options import db_option, open_catalog
from catalog.core.findings import Severity
from catalog.core.record import field_descriptions
from catalog.core.text import dump_json, printable


@click.command("show")
@click.argument("key")
@db_option(must_exist=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_command(key: str, db_path: Path, as_json: bool) -> None:
    """Show one asset: its record with the source of every field, its findings, its paths.

    KEY is a VIRIN, a SHA-256 (at least its first 8 digits) or the path of a cataloged file.
    The photo blocks of imported web pages with that VIRIN are shown too, also when no image
    carries it. Exit status 1 when nothing matches.

    \b
    Examples:
      catalog show 220215-F-DU706-1241
      catalog show assets/article/220224-F-FW957-2001Y.jpg --json
    """
    with open_catalog(db_path) as catalog:
        details = [catalog.asset_detail(sha) for sha in catalog.find_assets(key)]
        records = catalog.article_records(key)
    if not details and not records:
        click.echo(f"no asset matches {key!r} (a VIRIN, a SHA-256 or a cataloged path)", err=True)
        raise SystemExit(1)
    if as_json:
        for detail in details:
            detail["article_records"] = records
        shown: Any = details if len(details) > 1 else details[0] if details else None
        click.echo(dump_json(shown or {"asset": None, "article_records": records}, indent=2))
    else:
        texts = [describe(detail) for detail in details]
        texts += [describe_article_record(record) for record in records]
        click.echo("\n\n".join(texts))


def describe(detail: dict[str, Any]) -> str:
    """The asset as text. Every value from the files goes through ``printable`` (``_shown``): a
    caption cannot move the cursor, clear the screen or reorder what follows it."""
    asset = detail["asset"]
    chosen = {v["field"]: v["source"] for v in detail["field_values"] if v["chosen"]}
    heading = f"{_shown(asset['virin'] or '(no VIRIN)')}  sha256 {asset['sha256']}"
    lines = [click.style(heading, bold=True)]
    lines.append(
        f"  {asset['format']} {asset['width']}x{asset['height']}, {asset['file_size']} bytes; "
        f"release {_shown(asset['release_status'] or 'unknown')}, "
        f"{'publishable' if asset['publishable'] else 'not publishable'}"
    )
    lines.append(click.style("record", bold=True) + " (field: value  [source])")
    for name in field_descriptions():
        value = asset[name]
        if value not in (None, []):
            shown = "; ".join(value) if isinstance(value, list) else value
            lines.append(f"  {name}: {_shown(shown)}  [{_shown(chosen.get(name, '?'))}]")
    others = [v for v in detail["field_values"] if not v["chosen"]]
    if others:
        lines.append(click.style("other values", bold=True))
        lines += [
            f"  {_shown(v['field'])} [{_shown(v['source'])}]: {_shown(v['value'])}"
            + (f"  (unusable: {_shown(v['error'])})" if v["error"] else "")
            for v in others
        ]
    lines.append(click.style("locations", bold=True))
    lines += [f"  {loc['status']:<8} {_shown(loc['path'])}" for loc in detail["locations"]]
    lines.append(click.style(f"findings ({len(detail['findings'])})", bold=True))
    several = len(detail["locations"]) > 1
    for f in detail["findings"]:
        severity = click.style(f"{f['severity']:<7}", fg=Severity(f["severity"]).colour)
        where = f"  ({_shown(f['path'])})" if several else ""
        lines.append(f"  {severity} {f['code']} {f['rule']}: {_shown(f['message'])}{where}")
    return "\n".join(lines)


def describe_article_record(record: dict[str, Any]) -> str:
    """A photo block of an imported page as text, with the images carrying its VIRIN."""
    where = f"{record['page']}:{record['line']}-{record['end_line']}"
    lines = [click.style(f"article record {_shown(where)} (block {record['block']})", bold=True)]
    for name in ("virin", "title", "caption", "credit"):
        if record[name]:
            lines.append(f"  {name}: {_shown(record[name])}")
    images = record["images"]
    lines.append(f"  images: {', '.join(images)}" if images else "  images: none in the catalog")
    lines.append(click.style(f"findings ({len(record['findings'])})", bold=True))
    for f in record["findings"]:
        severity = click.style(f"{f['severity']:<7}", fg=Severity(f["severity"]).colour)
        lines.append(f"  {severity} {f['code']}: {_shown(f['message'])}")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    return printable("" if value is None else str(value))
