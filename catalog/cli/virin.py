"""``catalog virin``: check VIRINs given as arguments or one per line on standard input."""

from __future__ import annotations

import datetime as dt

import click

from catalog.cli.checks import report_checks, texts_given
from catalog.core.virin import ORIGINATOR_LABELS, Virin, parse_virin
from catalog.schemas import load_tables


@click.command("virin")
@click.argument("virins", nargs=-1, metavar="[VIRIN]...")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per VIRIN.")
def virin_command(virins: tuple[str, ...], as_json: bool) -> None:
    """Check VIRINs and show their parts.

    With no VIRIN arguments, reads one VIRIN per line from standard input (blank lines are
    ignored). Exit status: 0 when no VIRIN has an error (warnings allowed), 1 when one has.

    \b
    Examples:
      catalog virin 220215-F-DU706-1241
      catalog virin 160414-N-YW238-031A 220230-F-DU706-1241
      catalog virin --json 180515-O-AB123-1001-BE
      printf '220215-F-DU706-1241\\n060515-M-1234S-001\\n' | catalog virin
    """
    texts = texts_given(virins, "VIRINs")
    tables, today = load_tables(), dt.date.today()
    checks = [parse_virin(text, tables=tables, today=today) for text in texts]
    results = [(check.findings, check.virin) for check in checks]
    report_checks(texts, results, as_json=as_json, parts=_parts, width=12)


def _parts(virin: Virin) -> list[tuple[str, str]]:
    """The parts worth showing, labelled; empty optional parts are left out."""
    sequence = virin.sequence
    if virin.scene is not None:
        sequence += f" (scene {virin.scene}, item {virin.item})"
    parts = [
        ("stored as", virin.normalized if virin.normalized != virin.text else None),
        ("date", virin.date.isoformat() if virin.date else f"{virin.date_text} (not a date)"),
        ("service", f"{virin.service} ({virin.service_meaning or 'unknown code'})"),
        ("originator", f"{virin.originator} ({ORIGINATOR_LABELS[virin.originator_kind]})"),
        ("sequence", sequence),
        ("subsequence", virin.subsequence),
        ("variant", virin.variant and f"{virin.variant} (base VIRIN {virin.base})"),
        ("country", virin.country),
    ]
    return [(label, value) for label, value in parts if value]
