"""``catalog virin``: readable and JSON output, standard input, and linter-style exit codes."""

import json
import re
import shlex
import subprocess
import sys

import pytest
from click.testing import CliRunner

from catalog.cli import cli


def run(*args, stdin=None):
    return CliRunner().invoke(cli, ["virin", *args], input=stdin)


def test_a_valid_virin_exits_0_and_shows_its_parts():
    result = run("220215-F-DU706-1241")
    assert result.exit_code == 0
    assert "220215-F-DU706-1241: valid" in result.output
    assert "2022-02-15" in result.output
    assert "F (Air Force)" in result.output
    assert "DU706 (VISION ID)" in result.output
    assert "scene 1, item 241" in result.output


def test_warnings_alone_exit_0_and_are_listed_with_their_codes():
    result = run("160414-N-YW238-031A")
    assert result.exit_code == 0
    assert "valid with 2 warnings" in result.output
    assert re.search(r"warning\s+VIR011", result.output)
    assert re.search(r"warning\s+VIR012", result.output)
    assert "base VIRIN 160414-N-YW238-031" in result.output


def test_any_error_exits_1():
    result = run("220215-F-DU706-1241", "220230-F-DU706-1241")
    assert result.exit_code == 1
    assert "220230-F-DU706-1241: invalid (1 error)" in result.output
    assert re.search(r"error\s+VIR003", result.output)


def test_reads_one_virin_per_line_from_stdin_ignoring_blank_lines():
    result = run(stdin="220215-F-DU706-1241\n\n  \n060515-M-1234S-001\n")
    assert result.exit_code == 0
    assert "220215-F-DU706-1241: valid" in result.output
    assert "060515-M-1234S-001: valid with 2 warnings" in result.output
    assert result.output.count(": valid") == 2


def test_json_is_one_object_per_input():
    result = run("--json", "180515-O-AB123-1001-BE", "20220215-F-DU706-1241")
    assert result.exit_code == 1
    foreign, malformed = json.loads(result.output)
    assert foreign["input"] == "180515-O-AB123-1001-BE"
    assert foreign["ok"] is True and foreign["findings"] == []
    assert foreign["parts"]["country"] == "BE" and foreign["parts"]["date"] == "2018-05-15"
    assert malformed["parts"] is None
    assert [f["code"] for f in malformed["findings"]] == ["VIR002"]
    assert malformed["findings"][0]["part"] == "date"


def test_json_from_stdin():
    result = run("--json", stdin="220215-f-du706-1241\n")
    (report,) = json.loads(result.output)
    assert report["parts"]["normalized"] == "220215-F-DU706-1241"
    assert [f["code"] for f in report["findings"]] == ["VIR015"]


def test_an_unknown_option_is_a_usage_error():
    assert run("--colour", "220215-F-DU706-1241").exit_code == 2


def _help_examples():
    text = run("--help").output
    return [line.strip() for line in text.splitlines() if line.strip().startswith("catalog virin")]


def test_help_shows_examples():
    assert len(_help_examples()) >= 3


@pytest.mark.parametrize("example", _help_examples())
def test_help_examples_work_when_pasted(example):
    """Every example is a valid command line that reports on each VIRIN it names."""
    args = example.split()[2:]
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    assert all(arg in result.output for arg in args if not arg.startswith("-"))


def test_the_piped_help_example_works_in_a_shell():
    (piped,) = [
        line.strip() for line in run("--help").output.splitlines() if "| catalog virin" in line
    ]
    catalog = f"{shlex.quote(sys.executable)} -m catalog"
    result = subprocess.run(
        piped.replace("catalog virin", f"{catalog} virin"),
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "060515-M-1234S-001: valid with 2 warnings" in result.stdout


@pytest.mark.parametrize(
    ("virin", "status"), [("220215-F-DU706-1241", 0), ("060515-M-ZZ999-1001", 1)]
)
def test_exit_status_of_the_real_command(virin, status):
    result = subprocess.run(
        [sys.executable, "-m", "catalog", "virin", virin],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == status, result.stderr
    assert virin in result.stdout
