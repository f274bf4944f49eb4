"""The README's ``sh`` examples, run in order on a copy of the repository as a reader pastes them
after ``make run``.

Which commands: every line of a ``sh`` block that calls ``.venv/bin/catalog`` (alone or at the end
of a pipe), except ``catalog serve`` (it runs until Ctrl-C, and the browser tests cover it) and
object storage (``s3://``: it needs a service; ``tests/test_object_storage.py`` covers it).
``make`` lines are the Makefile's, run by CI itself. ``make run``'s import comes first, as there.
Exit status: 0, or what the line's comment says (``exit 1``): some examples fail on purpose.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MAKE_RUN_IMPORT = (
    ".venv/bin/catalog import assets --db catalog.db --manifest assets/manifest.csv "
    "--article assets/article.txt"
)
NOT_RUN = ("catalog serve", "s3://")


def readme_commands() -> list[tuple[str, int]]:
    """Each runnable command of the README's ``sh`` blocks, in order, with its exit status."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    commands: list[tuple[str, int]] = []
    for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL):
        for line in block.splitlines():
            if line.lstrip().startswith("#") and commands:  # a comment continued below a line
                command, status = commands[-1]
                commands[-1] = (command, 1 if "exit 1" in line else status)
                continue
            command, comment = [*re.split(r"\s+#\s", line, maxsplit=1), ""][:2]
            if ".venv/bin/catalog" not in command or any(n in command for n in NOT_RUN):
                continue
            commands.append((command.strip(), 1 if "exit 1" in comment else 0))
    return commands


def repository_copy(target: Path) -> Path:
    """The repository's tracked files in ``target``, with this environment as its ``.venv``."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in files:
        if (PROJECT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, target / name)
    (target / ".venv").symlink_to(Path(sys.executable).parent.parent)
    return target


def test_the_readme_lists_the_commands_a_reader_pastes():
    commands = [command for command, _ in readme_commands()]
    assert ".venv/bin/catalog validate assets/photos/" in commands
    assert ".venv/bin/catalog stats" in commands
    assert not [c for c in commands if re.search(r"(^| )photos/", c)]  # no such folder here


def test_every_readme_command_works_when_pasted_in_order(tmp_path):
    copy = repository_copy(tmp_path / "dod-imagery-catalog")
    failures = []
    for command, expected in [(MAKE_RUN_IMPORT, 0), *readme_commands()]:
        done = subprocess.run(
            ["bash", "-c", command], cwd=copy, capture_output=True, text=True, timeout=600
        )
        if done.returncode != expected or "Traceback" in done.stderr:
            failures.append(f"{command}: exit {done.returncode}, not {expected}\n{done.stderr}")
    assert failures == []
