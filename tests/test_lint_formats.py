"""Every report format, read back by the program that consumes it in CI.

One folder is validated in each format: a good photo, one with a wrong caption date (an error),
one with too many keywords (a warning), and one whose *file name* carries a newline, an escape
sequence and the workflow-command characters - file names and captions are attacker-controlled,
and no format may let them inject a command or a terminal sequence.
"""

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from junitparser import Failure, JUnitXml
from lintfiles import catalog, good_image, reported

from catalog.core.text import dump_json, printable
from catalog.lint.formats.github import escape_data, escape_property

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
EVIL = "evil\n::error file=x::pwned\x1b[2J%,:.jpg"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("formats")
    good_image(root / "photos")
    good_image(
        root / "photos",
        "220215-F-DU706-1242.jpg",
        "-Caption-Abstract=Airmen load cargo, Feb. 14, 2022. "
        "(U.S. Air Force photo by Senior Airman Karla Parra)",
        virin="220215-F-DU706-1242",
    )
    keywords = [f"-Keywords=k{i}" for i in range(8)]
    good_image(root / "photos", "many-keywords.jpg", *keywords, virin="220215-F-DU706-1243")
    good_image(root / "photos", EVIL, "-Keywords=Karla Parra", virin="220215-F-DU706-1244")
    return root


def run(folder: Path, *args: str):
    return catalog("validate", "--fail-on", "error", *args, "photos", cwd=folder)


def test_json_lists_every_file_and_finding_with_its_rule_and_fingerprint(folder):
    result = run(folder, "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    files = {f["path"]: f["findings"] for f in document["files"]}
    assert files["photos/220215-F-DU706-1241.jpg"] == []
    (date,) = [f for f in files["photos/220215-F-DU706-1242.jpg"] if f["code"] == "CAP002"]
    assert date["severity"] == "error" and date["fails"] is True
    assert date["rule"] == "caption-date-differs-from-virin" and date["fix"]
    assert len(date["fingerprint"]) == 16
    assert document["summary"]["errors"] >= 1 and document["summary"]["exit_status"] == 1
    assert f"photos/{EVIL}" in files  # the real name, read back exactly
    assert "files checked" in result.stderr  # the summary goes to stderr, stdout stays JSON


def test_jsonl_is_one_finding_per_line(folder):
    findings = reported(run(folder, "--format", "jsonl"))
    assert {f["code"] for f in findings} >= {"CAP002", "REC003"}
    assert all(f["path"].startswith("photos/") for f in findings)


def test_sarif_is_valid_sarif_2_1_0_with_rules_and_relative_locations(folder):
    result = run(folder, "--format", "sarif")
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for finding in sarif_run["results"]:
        assert rules[finding["ruleIndex"]]["id"] == finding["ruleId"]
        location = finding["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("photos/")
        assert location["region"]["startLine"] == 1  # required by GitHub code scanning
    date = next(r for r in sarif_run["results"] if r["ruleId"] == "CAP002")
    assert date["level"] == "error"
    assert date["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "photos/220215-F-DU706-1242.jpg"
    )
    keywords = next(r for r in sarif_run["results"] if r["ruleId"] == "REC003")
    assert keywords["level"] == "warning"
    cap002 = next(r for r in rules if r["id"] == "CAP002")
    assert "VIRIN" in cap002["help"]["text"] and cap002["defaultConfiguration"]["level"] == "error"


def test_junit_has_a_test_case_per_file_and_a_failure_per_failing_finding(folder, tmp_path):
    report = tmp_path / "junit.xml"
    result = run(folder, "--format", "junit", "--output", str(report))
    assert result.returncode == 1 and result.stdout == ""
    xml = JUnitXml.fromfile(str(report))
    (suite,) = list(xml)
    cases = {case.name: case for case in suite}
    assert len(cases) == 4
    assert cases["photos/220215-F-DU706-1241.jpg"].is_passed
    failed = cases["photos/220215-F-DU706-1242.jpg"]
    assert "CAP002" in {r.type for r in failed.result if isinstance(r, Failure)}
    warned = cases["photos/many-keywords.jpg"]
    assert warned.is_passed  # a warning below --fail-on error is output, not a failure
    assert "REC003" in warned.system_out
    suite.update_statistics()
    assert int(suite.failures) == sum(len(case.result) for case in suite)
    assert printable(f"photos/{EVIL}") in cases  # control characters shown, not raw


def test_github_annotations_one_line_each_and_nothing_injected(folder):
    result = run(folder, "--format", "github")
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert all(line.split(" ", 1)[0] in ("::error", "::warning", "::notice") for line in commands)
    assert lines[-1].startswith("4 files checked")
    assert len(commands) == len(lines) - 1  # no line was started by a file name or caption
    evil = [line for line in commands if "evil" in line]
    assert evil and all("\x1b" not in line for line in evil)
    properties, message = evil[0].split("::", 2)[1:]
    assert "file=photos/evil\\n%3A%3Aerror file=x%3A%3Apwned\\x1b[2J%25%2C%3A.jpg" in properties
    assert "photographer's name" in message and "%0Afix: " in message
    date = next(line for line in commands if "CAP002" in line)
    assert date.startswith("::error file=photos/220215-F-DU706-1242.jpg,title=CAP002 ")


def test_text_groups_by_file_with_hints_and_has_no_colour_off_a_terminal(folder):
    result = run(folder)
    assert "\x1b" not in result.stdout
    blocks = result.stdout.split("\n\n")
    block = next(b for b in blocks if b.startswith("photos/220215-F-DU706-1242.jpg"))
    assert "CAP002 error" in block and "caption.date" in block and "fix:" in block
    assert "photos/220215-F-DU706-1241.jpg" not in result.stdout  # clean files are not listed
    assert blocks[-1].startswith("4 files checked:")
    assert "failed (fail-on error)" in blocks[-1]


def test_text_is_coloured_when_asked(folder):
    result = run(folder, "--color", "always")
    assert "\x1b[31m" in result.stdout  # errors in red
    assert "\x1b[2J" not in result.stdout  # but never the file name's own sequence


@given(st.text())
def test_printable_text_has_no_control_or_bidi_characters(text):
    shown = printable(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(
        c in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in shown
    )


@given(st.text())
def test_github_escaping_keeps_one_line_and_round_trips(text):
    escaped = escape_property(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert ":" not in escaped and "," not in escaped
    unescaped = (
        escaped.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r")
    )
    assert unescaped.replace("%25", "%") == text
    assert "\n" not in escape_data(text)


@given(
    st.recursive(st.text() | st.integers(), lambda c: st.lists(c) | st.dictionaries(st.text(), c))
)
def test_safe_json_reads_back_exactly(value):
    text = dump_json(value)
    assert json.loads(text) == value
    assert not any(0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029\u202e" for c in text)
