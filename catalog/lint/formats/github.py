"""GitHub Actions workflow commands: one annotation per finding, shown on the file in the PR.

``::error file=photos/a.jpg,title=CAP002 caption-date-differs-from-virin::message``. Escaping
follows the workflow-commands specification (as ``@actions/core`` does it): in the message ``%``,
``\\r`` and ``\\n`` become ``%25``, ``%0D`` and ``%0A``; in a property ``:`` and ``,`` become
``%3A`` and ``%2C`` as well. Text from the files is made printable first, so a caption cannot end
the command early or start a new one. Severities map to ``error``, ``warning`` and ``notice``.
"""

from __future__ import annotations

from typing import TextIO

from catalog.core.findings import Severity
from catalog.core.rules import get_rule
from catalog.core.text import printable
from catalog.lint.report import Report, line_of

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write(report: Report, out: TextIO) -> None:
    for result, finding in report.findings():
        rule = get_rule(finding.code)
        properties = {"file": printable(result.path)}
        line = line_of(finding)
        if line:
            properties["line"] = str(line)
        properties["title"] = f"{finding.code} {rule.name}"
        shown = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items())
        message = f"{printable(finding.message)}\nfix: {rule.fix}"
        out.write(f"::{COMMANDS[finding.severity]} {shown}::{escape_data(message)}\n")
    out.write(report.summary() + "\n")
