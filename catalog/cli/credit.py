"""``catalog credit``: parse and check credit lines or By-lines given as arguments or on stdin."""

from __future__ import annotations

import sys
from typing import Any

import click

from catalog.cli.virin import _finding_line, _verdict
from catalog.core.credit import Credit, CreditCheck, check_credit
from catalog.core.text import dump_json, printable
from catalog.schemas import default_tables

#: Parts shown, in order, with their labels.
_PARTS = (
    ("kind", "kind"),
    ("organization", "organization"),
    ("service", "service"),
    ("rank", "rank"),
    ("rank_as_written", "as printed"),
    ("name", "name"),
    ("unit", "unit"),
    ("affiliation", "own service"),
    ("disclosure", "disclosure"),
)


@click.command("credit")
@click.argument("credits", nargs=-1, metavar="[TEXT]...")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per text.")
def credit_command(credits: tuple[str, ...], as_json: bool) -> None:
    """Parse credit lines and By-lines and show their parts and findings.

    With no TEXT arguments, reads one credit per line from standard input (blank lines are
    ignored). Exit status: 0 when no credit has an error (warnings allowed), 1 when one has.

    \b
    Examples:
      catalog credit "(U.S. Air Force photo by Senior Airman Jane Doe/Released)"
      catalog credit "Photo by: U.S. Coast Guard" "by SSgt Jane Doe"
      catalog credit --json "Navy photo by Mass Communication Specialist 2nd Class John Doe"
      printf 'Courtesy photo\\nPH2 John Doe\\n' | catalog credit
    """
    if not credits and sys.stdin.isatty():
        raise click.UsageError("give credit lines as arguments, or one per line on standard input")
    texts = credits or tuple(line.strip() for line in sys.stdin if line.strip())
    tables = default_tables()
    checks = [(text, check_credit(text, tables=tables)) for text in texts]
    if as_json:
        click.echo(dump_json([_as_json(text, check) for text, check in checks], indent=2))
    else:
        click.echo("\n\n".join(_describe(text, check) for text, check in checks))
    if any(f.severity.value == "error" for _, check in checks for f in check.findings):
        sys.exit(1)


def _as_json(text: str, check: CreditCheck) -> dict[str, Any]:
    return {
        "input": text,
        "ok": not any(f.severity.value == "error" for f in check.findings),
        "parts": check.credit.to_dict() if check.credit else None,
        "findings": [f.to_dict() for f in check.findings],
    }


def _describe(text: str, check: CreditCheck) -> str:
    lines = [f"{click.style(printable(text), bold=True)}: {_verdict(check)}"]
    if check.credit:
        lines += [f"  {label:<14}{printable(value)}" for label, value in _parts(check.credit)]
    lines += [f"  {_finding_line(f)}" for f in check.findings]
    return "\n".join(lines)


def _parts(credit: Credit) -> list[tuple[str, str]]:
    parts = [(label, getattr(credit, attribute)) for attribute, label in _PARTS]
    parts.append(("photographer", "unknown" if credit.photographer_unknown else None))
    parts.append(("released", "yes" if credit.released else None))
    return [(label, value) for label, value in parts if value]
