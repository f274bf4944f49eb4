"""SARIF 2.1.0, the format of GitHub code scanning and other code-scanning services.

One run; ``tool.driver.rules`` holds every rule selected, with its documentation from the registry
and its severity in force; each result names its rule (``ruleId`` and ``ruleIndex``), its level
(``error``, ``warning``, ``note``), its message, and the file as a URI relative to the project root
(``%SRCROOT%``). An image has no lines, but GitHub requires ``region.startLine``: results point at
line 1, the whole file. ``partialFingerprints`` carries the baseline fingerprint, so code scanning
tracks a finding across runs without hashing the lines of a binary file.
"""

from __future__ import annotations

from typing import Any, TextIO
from urllib.parse import quote

from catalog import __version__
from catalog.core.findings import Finding, Severity
from catalog.core.rules import Rule
from catalog.lint.baseline import fingerprint
from catalog.lint.formats.stream import MARK, JsonList
from catalog.lint.report import FileResult, Report, line_of

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT = "%SRCROOT%"
FINGERPRINT = "catalogFinding/v1"


def write(report: Report, out: TextIO) -> None:
    """The document, each result written as it is found (nothing in it needs the totals)."""
    rules = report.rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "catalog",
                        "version": __version__,
                        "rules": [_rule(rule, report.rule_severity(rule)) for rule in rules],
                    }
                },
                "originalUriBaseIds": {ROOT: {"description": {"text": "the project root"}}},
                "results": [MARK],
            }
        ],
    }
    results = JsonList(document)
    out.write(results.head)
    empty = True
    for text in results.items(
        _result(report, result, finding, index) for result, finding in report.findings()
    ):
        out.write(text)
        empty = False
    out.write(results.tail(empty) + "\n")


def _rule(rule: Rule, severity: Severity) -> dict[str, Any]:
    help_text = f"{rule.explanation}\n\nGood: {rule.good}\nBad: {rule.bad}\n\nFix: {rule.fix}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {
            "text": help_text,
            "markdown": f"{rule.explanation}\n\n**Good:** `{rule.good}`\n\n"
            f"**Bad:** `{rule.bad}`\n\n**Fix:** {rule.fix}",
        },
        "defaultConfiguration": {"level": LEVELS[severity]},
    }


def _result(
    report: Report, result: FileResult, finding: Finding, index: dict[str, int]
) -> dict[str, Any]:
    return {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(result.path),
                    "region": {"startLine": line_of(finding) or 1},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: fingerprint(result.path, finding)},
        "properties": {"field": finding.field, "part": finding.part, "values": finding.values},
    }


def _artifact(path: str) -> dict[str, str]:
    """A relative path as a URI reference against the root; an outside path as a file URI. (A
    string test, not ``PurePosixPath``: pathlib interns every part, and the interpreter's table
    of interned strings then grows with the number of files reported.)"""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path.encode("utf-8", "surrogateescape"))}
    return {"uri": quote(path.encode("utf-8", "surrogateescape")), "uriBaseId": ROOT}
