"""``catalog virin``: check VIRINs given as arguments or one per line on standard input."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from catalog.core.findings import Finding, Severity
from catalog.core.text import dump_json, printable
from catalog.core.virin import ORIGINATOR_LABELS, Virin, VirinCheck, parse_virin
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
    if not virins and sys.stdin.isatty():
        raise click.UsageError("give VIRINs as arguments, or one per line on standard input")
    texts = virins or tuple(line.strip() for line in sys.stdin if line.strip())
    tables, today = load_tables(), dt.date.today()
    checks = [(text, parse_virin(text, tables=tables, today=today)) for text in texts]
    if as_json:
        click.echo(dump_json([_as_json(text, check) for text, check in checks], indent=2))
    else:
        click.echo("\n\n".join(_describe(text, check) for text, check in checks))
    if not all(check.ok for _, check in checks):
        sys.exit(1)


def _as_json(text: str, check: VirinCheck) -> dict[str, Any]:
    return {
        "input": text,
        "ok": check.ok,
        "parts": check.virin.to_dict() if check.virin else None,
        "findings": [f.to_dict() for f in check.findings],
    }


def _describe(text: str, check: VirinCheck) -> str:
    lines = [f"{click.style(printable(text), bold=True)}: {_verdict(check)}"]
    if check.virin:
        lines += [f"  {label:<12}{printable(value)}" for label, value in _parts(check.virin)]
    lines += [f"  {_finding_line(f)}" for f in check.findings]
    return "\n".join(lines)


def _verdict(check: VirinCheck) -> str:
    errors = sum(f.severity is Severity.ERROR for f in check.findings)
    warnings = sum(f.severity is Severity.WARNING for f in check.findings)
    counted = ", ".join(
        _plural(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n
    )
    if errors:
        return click.style(f"invalid ({counted})", fg="red")
    if warnings:
        return click.style(f"valid with {counted}", fg="yellow")
    return click.style("valid", fg="green")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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


def _finding_line(finding: Finding) -> str:
    severity = click.style(f"{finding.severity.value:<7}", fg=finding.severity.colour)
    return f"{severity} {finding.code}  {printable(finding.message)}"
