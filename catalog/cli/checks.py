"""What ``catalog virin`` and ``catalog credit`` share: texts given as arguments or one per line
on standard input, each checked and shown as its parts and findings (or as a JSON array), exit
status 1 when one has an error (warnings allowed)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import click

from catalog.core.findings import Finding, Severity
from catalog.core.text import dump_json, printable


class Parsed(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def texts_given(args: tuple[str, ...], what: str) -> tuple[str, ...]:
    """``args``, or with none, the non-blank lines of standard input (not a terminal)."""
    if not args and sys.stdin.isatty():
        raise click.UsageError(f"give {what} as arguments, or one per line on standard input")
    return args or tuple(line.strip() for line in sys.stdin if line.strip())


def report_checks(
    texts: Sequence[str],
    results: Sequence[tuple[Sequence[Finding], Parsed | None]],
    *,
    as_json: bool,
    parts: Callable[[Any], list[tuple[str, str]]],
    width: int,
) -> None:
    """Print each text with its result, ``(findings, parsed)`` - its verdict, ``parts(parsed)``
    labelled in a column ``width`` wide, its findings - or the JSON array; exit 1 when one has an
    error."""
    checks = list(zip(texts, results, strict=True))
    if as_json:
        click.echo(dump_json([_as_json(text, *result) for text, result in checks], indent=2))
    else:
        click.echo("\n\n".join(_describe(text, *result, parts, width) for text, result in checks))
    if not all(_ok(findings) for findings, _ in results):
        sys.exit(1)


def _ok(findings: Sequence[Finding]) -> bool:
    return not any(f.severity is Severity.ERROR for f in findings)


def _as_json(text: str, findings: Sequence[Finding], parsed: Parsed | None) -> dict[str, Any]:
    return {
        "input": text,
        "ok": _ok(findings),
        "parts": parsed.to_dict() if parsed else None,
        "findings": [f.to_dict() for f in findings],
    }


def _describe(
    text: str,
    findings: Sequence[Finding],
    parsed: Parsed | None,
    parts: Callable[[Any], list[tuple[str, str]]],
    width: int,
) -> str:
    lines = [f"{click.style(printable(text), bold=True)}: {_verdict(findings)}"]
    if parsed:
        lines += [f"  {label:<{width}}{printable(value)}" for label, value in parts(parsed)]
    lines += [f"  {_finding_line(f)}" for f in findings]
    return "\n".join(lines)


def _verdict(findings: Sequence[Finding]) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
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


def _finding_line(finding: Finding) -> str:
    severity = click.style(f"{finding.severity.value:<7}", fg=finding.severity.colour)
    return f"{severity} {finding.code}  {printable(finding.message)}"
