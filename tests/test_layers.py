"""The layers keep to themselves: ``catalog validate`` needs no database, so it loads neither the
store nor the importer, and the analysis layer both of them use belongs to neither.

Each check starts a fresh interpreter, imports one module and lists the ``catalog`` modules that
came with it: what a real run would load, not what a reading of the imports suggests.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def loaded_with(module: str) -> set[str]:
    """The ``catalog`` modules a fresh interpreter holds after importing ``module``."""
    code = (
        f"import json, sys, {module}; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('catalog'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


def below(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if m in packages or m.startswith(tuple(p + "." for p in packages))}


@pytest.mark.parametrize(
    "module",
    ["catalog.cli.validate", "catalog.lint.run", "catalog.lint.stored", "catalog.lint.discover"],
)
def test_the_linter_loads_neither_the_store_nor_the_importer(module):
    assert below(loaded_with(module), "catalog.store", "catalog.importer") == set()


@pytest.mark.parametrize(
    "module",
    ["catalog.analysis.analyze", "catalog.analysis.check", "catalog.analysis.companions"],
)
def test_the_analysis_layer_belongs_to_neither_of_its_users(module):
    loaded = loaded_with(module)
    assert below(loaded, "catalog.store", "catalog.importer", "catalog.lint") == set()


def test_the_validate_command_loads_neither_when_it_runs(tmp_path):
    (tmp_path / "catalog.toml").write_text("")
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "catalog", "validate", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert below(imported, "catalog.store", "catalog.importer") == set()
    assert "catalog.lint.run" in imported  # the check above saw the real run
