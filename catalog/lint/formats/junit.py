"""JUnit XML, which every CI server shows as a test report: one test case per file checked.

A file passes when none of its findings is at or above ``--fail-on``; each finding that is becomes
a ``<failure>`` (type = the rule code) of the file's test case, and the findings below the
threshold are listed in its ``<system-out>``. The suite counts failures per finding, as
``junitparser`` does. Text from the files is made printable first: XML 1.0 cannot carry control
characters even as character references.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from catalog.core.findings import Finding
from catalog.core.rules import get_rule
from catalog.core.text import printable
from catalog.lint.formats.stream import copy, spool
from catalog.lint.report import FileResult, Report, line_of, located, where

SUITE = "catalog validate"
CLASSNAME = "catalog.validate"
#: Where the test cases sit (testsuites, testsuite, testcase) and how ``ET.indent`` indents them.
CASE_LEVEL = 2
CASE_INDENT = "\n" + "  " * CASE_LEVEL
#: Stands for the test cases in the suite's text (no element of the report has this name).
MARK = "catalog-test-cases"


def write(report: Report, out: TextIO) -> None:
    """The suite: its counts come first, so the test cases go to a spool until they are known."""
    failures = 0
    with spool() as rows:
        for result in report.files():
            case, failed = _case(report, result)
            ET.indent(case, level=CASE_LEVEL)
            rows.write(CASE_INDENT + ET.tostring(case, encoding="unicode"))
            failures += failed
        counts = {"tests": report.checked, "failures": failures, "errors": 0, "skipped": 0}
        head, tail = _suite(counts, empty=report.checked == 0)
        out.write(head)
        copy(rows, out)
        out.write(tail)


def _suite(counts: dict[str, int], *, empty: bool) -> tuple[str, str]:
    """The document around the test cases, as ``ET.indent`` lays it out: the text before the
    first case's indentation and the text after the last case."""
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", name=SUITE)
    if not empty:
        ET.SubElement(suite, MARK)
    for element in (suites, suite):
        element.attrib.update({k: str(v) for k, v in counts.items()} | {"time": "0"})
    ET.indent(suites)
    text = ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
    if empty:
        return text, ""
    head, _, tail = text.partition(CASE_INDENT + f"<{MARK} />")
    return head, tail


def _case(report: Report, result: FileResult) -> tuple[ET.Element, int]:
    """The test case of a file, and how many of its findings fail it."""
    path = printable(result.path)
    case = ET.Element("testcase", name=path, classname=CLASSNAME, file=path, time="0")
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
        system_out = ET.SubElement(case, "system-out")
        system_out.text = "\n\n".join(_details(path, f) for f in passing)
    return case, len(failing)


def _details(path: str, finding: Finding) -> str:
    rule = get_rule(finding.code)
    at = f" at {located(path, finding)}" if line_of(finding) else ""
    return (
        f"{finding.code} {rule.name} ({finding.severity.value}) in {where(finding)}{at}\n"
        f"{printable(finding.message)}\nfix: {rule.fix}"
    )
