"""``catalog credit``: parse and check credit lines or By-lines given as arguments or on stdin."""

from __future__ import annotations

import click

from catalog.cli.checks import report_checks, texts_given
from catalog.core.credit import Credit, check_credit
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
    texts = texts_given(credits, "credit lines")
    tables = default_tables()
    checks = [check_credit(text, tables=tables) for text in texts]
    results = [(check.findings, check.credit) for check in checks]
    report_checks(texts, results, as_json=as_json, parts=_parts, width=14)


def _parts(credit: Credit) -> list[tuple[str, str]]:
    parts = [(label, getattr(credit, attribute)) for attribute, label in _PARTS]
    parts.append(("photographer", "unknown" if credit.photographer_unknown else None))
    parts.append(("released", "yes" if credit.released else None))
    return [(label, value) for label, value in parts if value]
