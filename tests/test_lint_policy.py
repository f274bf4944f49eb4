"""Selection and severity: what a configuration turns off, and what it turns down."""

from pathlib import Path

from shipped import TABLES

from catalog.core.findings import Finding, Severity
from catalog.lint.config import Config
from catalog.lint.policy import Policy, expand


def finding(code: str, severity=Severity.WARNING) -> Finding:
    return Finding(code, severity, "m", "virin")


def policy(**settings) -> Policy:
    return Policy.from_config(Config(root=Path("."), tables=TABLES, **settings))


def test_codes_are_named_in_full_by_prefix_or_all():
    assert expand(["VIR001"], "x") == {"VIR001"}
    assert "VIR017" in expand(["vir"], "x") and "CAP001" not in expand(["VIR"], "x")
    assert expand(["ALL"], "x") >= expand(["SET"], "x") == {"SET001", "SET002", "SET003"}


def test_select_then_ignore():
    chosen = policy(select=("VIR",), ignore=("VIR01",))
    kept, dropped = chosen.apply("a.jpg", [finding("VIR001"), finding("VIR012"), finding("CAP001")])
    assert [f.code for f in kept] == ["VIR001"] and dropped == 2


def test_command_line_select_replaces_and_ignore_adds():
    chosen = Policy.from_config(
        Config(root=Path("."), tables=TABLES, select=("VIR",), ignore=("VIR001",)),
        select=["CAP"],
        ignore=["CAP002"],
    )
    assert "VIR002" not in chosen.selected
    assert "CAP001" in chosen.selected and "CAP002" not in chosen.selected


def test_per_path_ignores_use_gitignore_patterns_relative_to_the_root():
    chosen = policy(per_path_ignores={"legacy/": ("VIR011",), "/scans/*.tif": ("FIL",)})
    assert chosen.ignored_at("legacy/2009/a.jpg") == {"VIR011"}
    assert chosen.ignored_at("archive/legacy/a.jpg") == {"VIR011"}
    assert "FIL001" in chosen.ignored_at("scans/a.tif")
    assert chosen.ignored_at("old/scans/a.tif") == frozenset()
    kept, dropped = chosen.apply("legacy/a.jpg", [finding("VIR011"), finding("VIR012")])
    assert [f.code for f in kept] == ["VIR012"] and dropped == 1


def test_the_longest_severity_override_wins():
    chosen = policy(severity={"VIR": Severity.ERROR, "VIR012": Severity.INFO})
    kept, _ = chosen.apply("a.jpg", [finding("VIR012"), finding("VIR011")])
    assert [(f.code, f.severity) for f in kept] == [
        ("VIR012", Severity.INFO),
        ("VIR011", Severity.ERROR),
    ]
