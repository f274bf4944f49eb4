"""JUnit XML, which every CI server shows as a test report: one test case per file checked.

A file passes when none of its findings is at or above ``--fail-on``; each finding that is becomes
a ``<failure>`` (type = the rule code) of the file's test case, and the findings below the
threshold are listed in its ``<system-out>``. The suite counts failures per finding, as
``junitparser`` does. Text from the files is made printable first: XML 1.0 cannot carry control
characters even as character references.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from catalog.core.findings import Finding
from catalog.core.rules import get_rule
from catalog.core.text import printable
from catalog.lint.report import FileResult, Report, line_of, located, where

SUITE = "catalog validate"
CLASSNAME = "catalog.validate"


def render(report: Report) -> str:
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", name=SUITE)
    failures = 0
    for result in report.files:
        failures += _case(suite, report, result)
    counts = {"tests": len(report.files), "failures": failures, "errors": 0, "skipped": 0}
    for element in (suites, suite):
        element.attrib.update({k: str(v) for k, v in counts.items()} | {"time": "0"})
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _case(suite: ET.Element, report: Report, result: FileResult) -> int:
    path = printable(result.path)
    case = ET.SubElement(suite, "testcase", name=path, classname=CLASSNAME, file=path, time="0")
    failing = [f for f in result.findings if report.fails(f)]
    for finding in failing:
        failure = ET.SubElement(
            case,
            "failure",
            type=finding.code,
            message=f"{finding.code} {printable(finding.message)}",
        )
        failure.text = _details(path, finding)
    passing = [f for f in result.findings if not report.fails(f)]
    if passing:
        out = ET.SubElement(case, "system-out")
        out.text = "\n\n".join(_details(path, f) for f in passing)
    return len(failing)


def _details(path: str, finding: Finding) -> str:
    rule = get_rule(finding.code)
    at = f" at {located(path, finding)}" if line_of(finding) else ""
    return (
        f"{finding.code} {rule.name} ({finding.severity.value}) in {where(finding)}{at}\n"
        f"{printable(finding.message)}\nfix: {rule.fix}"
    )
