"""The table of hostile cases in ``docs/robustness.md`` and the suite stay one and the same list."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "robustness.md").read_text()
#: The modules whose ``CASES`` table documented outcomes.
MODULES = ("files", "images", "isolation", "metadata", "release", "sidecars")
CASE_IDS = [
    case.id
    for name in MODULES
    for case in importlib.import_module(f"tests.robustness.test_robust_{name}").CASES
]


def _documented_cases() -> set[str]:
    """The case names in the first column of the documentation's tables."""
    return {
        name
        for line in DOCS.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([a-z0-9-]+)`", line.split(" | ")[0])
    }


@pytest.mark.parametrize("case", CASE_IDS)
def test_every_case_of_the_suite_is_in_the_documentation(case):
    """``good-0`` ... ``good-5`` are documented as one row."""
    assert case in _documented_cases() or case.startswith("good-")


def test_every_test_the_documentation_names_exists():
    named = re.findall(r"`(test_[a-z_]+\.py)::(test_[a-z0-9_]+)`", DOCS)
    assert named
    for module, test in named:
        path = next(ROOT.glob(f"tests/**/{module}"))
        assert f"def {test}(" in path.read_text(), (module, test)
