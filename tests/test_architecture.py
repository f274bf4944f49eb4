"""The layers of docs/architecture.md hold: each contract of ``[tool.importlinter]`` is kept.

Import-linter reads the package's real import graph, so a new ``import`` that reaches across a
layer (the core loading the code tables from disk, the linter loading the store, the Datasette
plugin loading the publish builder) fails here, naming the chain of imports.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_layer_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert "0 broken" in result.stdout
