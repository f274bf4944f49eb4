"""The pre-commit hook, run by the real ``pre-commit`` on a throwaway repository.

pre-commit installs this project from a git repository at a commit, as a user's
``.pre-commit-config.yaml`` would name it; the test makes that repository from the current
working tree (committed or not), so it tests the code under review. The package and its
dependencies come from the package index pip is configured with.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from lintfiles import good_image, other_picture

PROJECT = Path(__file__).resolve().parent.parent
PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **GIT_ENV}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def hook_repository(target: Path) -> str:
    """A git repository holding the project's current files; its commit id."""
    files = git("ls-files", "--cached", "--others", "--exclude-standard", cwd=PROJECT).splitlines()
    for name in files:
        source = PROJECT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "hook under test", cwd=target)
    return git("rev-parse", "HEAD", cwd=target)


def pre_commit(repo: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    """``pre-commit run`` with ``args`` (none: the staged files, as ``git commit`` runs it), with
    this environment's ``catalog`` on the PATH for a ``language: system`` hook."""
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(cache), "NO_COLOR": "1", "PATH": path}
    command = [PRE_COMMIT, "run", *args, "--color", "never"]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)


def test_the_hook_fails_on_a_bad_photo_passes_on_a_good_one_and_never_rewrites(tmp_path):
    hook, repo, cache = tmp_path / "hook", tmp_path / "photos-repo", tmp_path / "cache"
    hook.mkdir()
    repo.mkdir()
    rev = hook_repository(hook)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook}\n  rev: {rev}\n  hooks:\n  - id: catalog-validate\n"
    )
    bad = good_image(repo / "photos", None, "-Caption-Abstract=Airmen load cargo, Feb. 14, 2022.")
    (repo / "notes.txt").write_text("not checked by the hook\n")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()

    failed = pre_commit(repo, cache, "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "catalog validate" in failed.stdout and "Failed" in failed.stdout
    assert "CAP002" in failed.stdout and f"photos/{bad.name}" in failed.stdout
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before

    good_image(repo / "fixed", None)
    shutil.copyfile(repo / "fixed" / bad.name, bad)
    shutil.rmtree(repo / "fixed")
    git("add", "-A", cwd=repo)
    passed = pre_commit(repo, cache, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def readme_local_hook() -> str:
    """The ``repo: local`` pre-commit configuration of README.md, as users copy it."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    (block,) = [
        b for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL) if "repo: local" in b
    ]
    return block


def test_the_readme_hook_catches_a_virin_reused_from_an_earlier_commit(tmp_path):
    repo, cache = tmp_path / "photos-repo", tmp_path / "cache"
    (repo / "2022").mkdir(parents=True)
    (repo / ".pre-commit-config.yaml").write_text(readme_local_hook())
    first = good_image(repo / "2022")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    assert pre_commit(repo, cache, "--all-files").returncode == 0
    git("commit", "-q", "-m", "first photo", cwd=repo)

    reused = other_picture(repo / "2023" / "another-picture.jpg")  # the first photo's VIRIN
    git("add", "-A", cwd=repo)
    staged = pre_commit(repo, cache)  # as `git commit` runs it: the staged file only
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert f"2023/{reused.name}" in staged.stdout and "SET001" in staged.stdout
    assert f"2022/{first.name}" in staged.stdout  # named as the other picture of the VIRIN
