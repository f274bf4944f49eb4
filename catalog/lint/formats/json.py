"""JSON and JSON lines: every finding with its file, rule, fingerprint and values.

``json`` is one document (every file checked, with an empty list when clean, the counts and the
stale baseline entries); ``jsonl`` is one finding per line, for ``jq`` and log pipelines.
"""

from __future__ import annotations

from typing import Any

from catalog.core.findings import Finding
from catalog.core.rules import get_rule
from catalog.core.text import dump_json
from catalog.lint.baseline import fingerprint
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


def render(report: Report) -> str:
    counts = report.counts()
    document = {
        "version": VERSION,
        "summary": {
            "files": len(report.files),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "baselined": report.baselined,
            "ignored": report.ignored,
            "fail_on": report.fail_on.value if report.fail_on else None,
            "exit_status": report.exit_status,
        },
        "files": [
            {
                "path": result.path,
                "findings": [finding_dict(report, result, f) for f in result.findings],
            }
            for result in report.files
        ],
        "stale_baseline": [entry.to_dict() for entry in report.stale],
    }
    return dump_json(document, indent=2) + "\n"


def render_lines(report: Report) -> str:
    return "".join(
        dump_json(finding_dict(report, result, finding)) + "\n"
        for result, finding in report.findings()
    )
