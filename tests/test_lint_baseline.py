"""Baselines: legacy findings are hidden, new ones are not, fixed ones are reported stale."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.core.findings import Finding, Severity
from catalog.lint.baseline import (
    Baseline,
    BaselineError,
    entries,
    fingerprint,
    load_baseline,
    write_baseline,
)


def finding(code="VIR010", message="m", severity=Severity.WARNING, **values) -> Finding:
    return Finding(code, severity, message, "virin", None, values)


def test_the_fingerprint_ignores_wording_severity_and_the_checkout_location():
    a = finding(message="old wording", virin="210311-D-PA656-0001", file="/home/a/sidecar.json")
    b = finding(
        message="new wording",
        severity=Severity.ERROR,
        virin="210311-D-PA656-0001",
        file="/builds/x/sidecar.json",
    )
    assert fingerprint("photos/a.jpg", a) == fingerprint("photos/a.jpg", b)


def test_the_fingerprint_changes_with_the_file_the_code_or_the_values():
    base = fingerprint("a.jpg", finding(virin="1"))
    assert fingerprint("b.jpg", finding(virin="1")) != base
    assert fingerprint("a.jpg", finding("VIR011", virin="1")) != base
    assert fingerprint("a.jpg", finding(virin="2")) != base


@given(st.permutations([("a.jpg", finding(virin=str(i % 3))) for i in range(7)]))
def test_entries_do_not_depend_on_the_order_findings_come_in(pairs):
    listed = entries(pairs)
    assert listed == entries(sorted(pairs, key=lambda p: p[1].values["virin"]))
    assert sum(e.count for e in listed) == 7


def test_a_baseline_hides_as_many_findings_as_it_counts_and_no_more(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(path, [("a.jpg", finding(virin="1")), ("a.jpg", finding(virin="1"))])
    baseline = load_baseline(path)
    new, hidden = baseline.filter("a.jpg", [finding(virin="1")] * 3 + [finding(virin="9")])
    assert hidden == 2
    assert [f.values["virin"] for f in new] == ["1", "9"]
    assert baseline.stale() == []


def test_entries_that_match_nothing_any_more_are_stale_but_only_for_files_checked(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(path, [("a.jpg", finding(virin="1")), ("b.jpg", finding(virin="1"))])
    baseline = load_baseline(path)
    baseline.filter("a.jpg", [])  # fixed; b.jpg was not checked in this run (pre-commit)
    (stale,) = baseline.stale()
    assert stale.path == "a.jpg" and stale.count == 1


def test_the_file_is_sorted_readable_json(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(path, [("b.jpg", finding("VIR011")), ("a.jpg", finding("VIR010"))])
    document = json.loads(path.read_text())
    assert document["catalog-baseline"] == 1
    assert [e["path"] for e in document["findings"]] == ["a.jpg", "b.jpg"]
    assert set(document["findings"][0]) == {"path", "code", "field", "fingerprint", "count"}


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"catalog-baseline": 2}', '{"catalog-baseline": 1, "findings": [{}]}'],
)
def test_a_file_that_is_no_baseline_is_refused_by_name(tmp_path, text):
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(BaselineError, match=r"baseline\.json"):
        load_baseline(path)


def test_an_empty_baseline_hides_nothing():
    assert Baseline().filter("a.jpg", [finding()]) == ([finding()], 0)
