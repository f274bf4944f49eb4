"""JSON and JSON lines: every finding with its file, rule, fingerprint and values.

``json`` is one document (every file checked, with an empty list when clean, the counts and the
stale baseline entries); ``jsonl`` is one finding per line, for ``jq`` and log pipelines.
"""

from __future__ import annotations

from typing import Any, TextIO

from catalog.core.findings import Finding
from catalog.core.rules import get_rule
from catalog.core.text import dump_json
from catalog.lint.baseline import Entry, fingerprint
from catalog.lint.formats.stream import MARK, JsonList, copy, spool
from catalog.lint.report import FileResult, Report

VERSION = 1


def finding_dict(report: Report, result: FileResult, finding: Finding) -> dict[str, Any]:
    rule = get_rule(finding.code)
    return {
        "path": result.path,
        **finding.to_dict(),
        "rule": rule.name,
        "fix": rule.fix,
        "fails": report.fails(finding),
        "fingerprint": fingerprint(result.path, finding),
    }


def write(report: Report, out: TextIO) -> None:
    """The document: its summary comes first, so the files go to a spool until it is known."""
    files = JsonList(_document(report, {}, []))
    with spool() as rows:
        for text in files.items(_file_dict(report, result) for result in report.files()):
            rows.write(text)
        counts = report.counts()
        summary = {
            "files": report.checked,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "baselined": report.baselined,
            "ignored": report.ignored,
            "fail_on": report.fail_on.value if report.fail_on else None,
            "exit_status": report.exit_status,
        }
        document = JsonList(_document(report, summary, report.stale))
        out.write(document.head)
        copy(rows, out)
        out.write(document.tail(empty=report.checked == 0) + "\n")


def _file_dict(report: Report, result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "findings": [finding_dict(report, result, f) for f in result.findings],
    }


def _document(report: Report, summary: dict[str, Any], stale: list[Entry]) -> dict[str, Any]:
    return {
        "version": VERSION,
        "summary": summary,
        "files": [MARK],
        "stale_baseline": [entry.to_dict() for entry in stale],
    }


def write_lines(report: Report, out: TextIO) -> None:
    for result, finding in report.findings():
        out.write(dump_json(finding_dict(report, result, finding)) + "\n")
