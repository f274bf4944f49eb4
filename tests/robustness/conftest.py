"""Fixtures of the robustness suite: a workspace other users can enter, such a user, and the
outcome of a test module's ``CASES``."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.robustness.harness import Outcome, run_cases, unprivileged_prefix


@pytest.fixture(scope="module")
def workspace() -> Iterator[Path]:
    """A fresh folder under the system's temporary folder that any user may enter (pytest's own
    are private to the user running the tests), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="catalog-robust-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def unprivileged() -> list[str]:
    """The command prefix that runs a program as a user who is not root (empty when the tests
    already run as one), so that file permissions apply: created, never skipped."""
    return unprivileged_prefix()


@pytest.fixture(scope="module")
def outcome(workspace, request) -> Outcome:
    """The import and the validation of a tree holding the ``CASES`` of the test module (a module
    that needs other options defines its own ``outcome``)."""
    return run_cases(workspace / "tree", workspace / "catalog.db", request.module.CASES)
