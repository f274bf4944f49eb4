"""``catalog stats``: an overview of the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from catalog.cli.options import db_option, open_catalog
from catalog.core.text import dump_json, printable


@click.command("stats")
@db_option(must_exist=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats_command(db_path: Path, as_json: bool) -> None:
    """Counts of assets, locations, findings by rule, services, release statuses, formats."""
    with open_catalog(db_path) as catalog:
        numbers = catalog.stats()
    click.echo(dump_json(numbers, indent=2) if as_json else describe(numbers))


def describe(numbers: dict[str, Any]) -> str:
    lines = [
        f"{numbers['assets']} assets ({numbers['publishable']} publishable, "
        f"{numbers['with_errors']} with errors, {numbers['thumbnails']} thumbnails)",
        "locations: " + _pairs(numbers["locations"]),
        "findings: " + _pairs(numbers["findings"]),
        "services: " + _pairs(numbers["services"]),
        "release: " + _pairs(numbers["release_status"]),
        "formats: " + _pairs(numbers["formats"]),
    ]
    if numbers["duplicate_virins"]:
        lines.append("VIRINs on several assets: " + _pairs(numbers["duplicate_virins"]))
    lines.append(click.style("findings by rule", bold=True))
    lines += [
        f"  {r['count']:>6}  {r['code']} {r['name']} ({r['severity']})" for r in numbers["rules"]
    ]
    run = numbers["last_run"]
    if run:
        lines.append(
            f"last import: run {run['id']}, {run['status']}, started {run['started_at']}: "
            f"{run['imported']} imported, {run['updated']} updated, {run['unchanged']} unchanged, "
            f"{run['missing']} missing, {run['skipped']} skipped"
        )
    return "\n".join(lines)


def _pairs(counts: dict[str, int]) -> str:
    """``key count, ...``; keys can be values from the files (a duplicated VIRIN): printable."""
    return ", ".join(f"{printable(key)} {value}" for key, value in counts.items()) or "none"
