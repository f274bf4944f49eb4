"""``catalog credit``: readable and JSON output, standard input, and linter-style exit codes."""

import json
import re

from click.testing import CliRunner

from catalog.cli import cli


def run(*args, stdin=None):
    return CliRunner().invoke(cli, ["credit", *args], input=stdin)


def test_a_credit_line_shows_its_parts_and_exits_0():
    result = run("(U.S. Navy photo by MC2 (SW) Kim Vu/Released)")
    assert result.exit_code == 0
    assert "(U.S. Navy photo by MC2 (SW) Kim Vu/Released): valid" in result.output
    for label, value in [
        ("kind", "photo"),
        ("organization", "U.S. Navy"),
        ("service", "N"),
        ("rank", "Mass Communication Specialist 2nd Class"),
        ("as printed", "MC2"),
        ("name", "Kim Vu"),
        ("released", "yes"),
    ]:
        assert re.search(rf"^  {label}\s+{re.escape(value)}$", result.output, re.MULTILINE), label


def test_an_organization_in_the_name_slot_is_a_warning_and_exits_0():
    result = run("Photo by: U.S. Coast Guard")
    assert result.exit_code == 0
    assert "valid with 1 warning" in result.output
    assert re.search(r"photographer\s+unknown", result.output)
    assert re.search(r"warning\s+CRD006", result.output)


def test_an_error_exits_1():
    result = run("U.S. Army photo by Sgt. Kim Vu", "U.S. Army video by Sgt. Kim Vu")
    assert result.exit_code == 1
    assert re.search(r"error\s+CRD003", result.output)


def test_json_gives_parts_and_findings_per_input():
    result = run("--json", "by SSgt Kim Vu", "photographer unknown, see caption")
    assert result.exit_code == 0
    first, second = json.loads(result.output)
    assert first["input"] == "by SSgt Kim Vu"
    assert (first["parts"]["rank"], first["parts"]["rank_as_written"]) == ("Staff Sgt.", "SSgt")
    assert first["findings"] == []
    assert second["parts"] is None
    assert [f["code"] for f in second["findings"]] == ["CRD002"]


def test_reads_one_credit_per_line_from_standard_input():
    result = run(stdin="Courtesy photo\n\nPH2 Kim Vu\n")
    assert result.exit_code == 0
    assert "Courtesy photo: valid" in result.output
    assert "Photographer's Mate 2nd Class" in result.output
