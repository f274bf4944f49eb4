"""The human format: findings grouped by file, each with its code, severity, field and a fix hint.

Styles are always written; ``click.echo`` strips them when the output is not a terminal (or when
colour is switched off), so colour appears only where someone is looking. Text from the files is
escaped first (``catalog.core.text.printable``), so the only escape sequences in the output are
ours.
"""

from __future__ import annotations

import functools
from typing import TextIO

import click

from catalog.core.findings import Finding, Severity
from catalog.core.rules import get_rule
from catalog.core.text import printable
from catalog.lint.report import Report, line_of, where

INDENT = "  "


def write(report: Report, out: TextIO) -> None:
    for result in report.files():
        if result.findings:
            out.write(_file_block(result.path, result.findings) + "\n\n")
    out.write(report.summary() + "\n")


#: A file name's style around it (``click.style``'s own codes, made once, not per file).
_PATH_BEFORE, _PATH_AFTER = click.style("\0", bold=True, underline=True).split("\0")


def _file_block(path: str, findings: tuple[Finding, ...]) -> str:
    lines = [f"{_PATH_BEFORE}{printable(path)}{_PATH_AFTER}"]
    wheres = [where(f) for f in findings]
    width = max(map(len, wheres))
    for finding, at_field in zip(findings, wheres, strict=True):
        code, severity, hint = _rule_parts(finding.code, finding.severity)
        line = line_of(finding)
        at = f"line {line}: " if line else ""
        lines.append(
            f"{INDENT}{code} {severity} {at_field:<{width}}  {at}{printable(finding.message)}"
        )
        lines.append(hint)
    return "\n".join(lines)


@functools.cache
def _rule_parts(code: str, severity: Severity) -> tuple[str, str, str]:
    """The styled code, severity and fix-hint line of a rule's findings: made once per rule and
    severity, not per finding (a catalog's report has millions of findings and a few dozen
    rules)."""
    hint = f"{INDENT * 3}{click.style('fix:', dim=True)} {printable(get_rule(code).fix)}"
    return (
        click.style(code, bold=True),
        click.style(f"{severity.value:<7}", fg=severity.colour),
        hint,
    )
