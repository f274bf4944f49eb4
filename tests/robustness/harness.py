"""Running the real ``catalog import`` and ``catalog validate`` over hostile trees, and judging.

Every run is a subprocess (the real command line, worker processes and all) with a wall-clock
bound; every judgement reads what the run left: the outcome recorded for each file, the catalog's
``integrity_check`` and ``foreign_key_check``, and a snapshot of the source tree taken before and
after, which must be equal to the byte and the nanosecond.

Two failures cannot be produced by a file on demand: a native crash and a parser that loops
forever. For those, ``catalog(..., hooked=True)`` runs a few lines before the command (``python
-c``) that make exifread crash or loop on an EXIF block carrying a marker, and the manifest reader
loop on a manifest carrying it - a test-only hook, in no module of the package, that no input file
can reach without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from catalog.files.paths import path_text

#: No run of the suite may take longer than this (seconds); a hung run fails the test.
BOUND = 120
#: Files larger than this are compared by size and times only (a sparse 2 TiB file is not read).
HASHED_BYTES = 64 << 20
#: The user that runs commands when the tests run as root, so that permissions bite.
TEST_USER = "catalog-test"

LOOP_MARKER = b"LOOP-FOREVER"
CRASH_MARKER = b"CRASH-NATIVE"
_HOOK = f"""
import ctypes, io
import catalog.readers.exif as exif
_process_file = exif.exifread.process_file
def _hooked(stream, **options):
    data = stream.getvalue() if isinstance(stream, io.BytesIO) else b""
    if {LOOP_MARKER!r} in data:
        while True:  # a parser that never ends
            pass
    if {CRASH_MARKER!r} in data:
        ctypes.string_at(0)  # a native crash: SIGSEGV
    return _process_file(stream, **options)
exif.exifread.process_file = _hooked
import catalog.analysis.companions as inputs
_read_manifest = inputs.read_manifest
def _hooked_manifest(path):
    if {LOOP_MARKER!r} in path.read_bytes():
        while True:
            pass
    return _read_manifest(path)
inputs.read_manifest = _hooked_manifest
"""


@dataclass(frozen=True)
class Run:
    """A finished command: its exit status, output and wall-clock time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def json(self) -> dict:
        return json.loads(self.stdout)


def catalog(
    *args: str,
    cwd: Path | None = None,
    user: list[str] = (),
    hooked: bool = False,
    prelude: str = "",
    timeout: float = BOUND,
) -> Run:
    """Run ``catalog ARGS`` (as ``user``, a command prefix; with the crash and loop hooks when
    ``hooked``, after the test-only code ``prelude``); a run over ``timeout`` seconds fails the
    test."""
    prelude += _HOOK if hooked else ""
    if prelude:
        program = [sys.executable, "-c", prelude + "from catalog.cli import cli\ncli()"]
    else:
        program = [sys.executable, "-m", "catalog"]
    started = time.monotonic()
    process = subprocess.run(
        [*user, *program, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "HOME": str(cwd or Path.cwd()), "NO_COLOR": "1"},
    )
    return Run(process.returncode, process.stdout, process.stderr, time.monotonic() - started)


def import_tree(tree: Path, db: Path, *options: str, **run) -> Run:
    """``catalog import TREE --db DB --json`` that must finish (exit 0) within the bound."""
    result = catalog("import", str(tree), "--db", str(db), "--json", "-q", *options, **run)
    assert result.returncode == 0, result.stderr
    return result


def validate_tree(tree: Path, *options: str, **run) -> dict[str, set[str]]:
    """The codes ``catalog validate --format json`` reports for each path (relative to ``tree``)."""
    result = catalog("validate", ".", "--format", "json", "--fail-on", "never", *options,
                     cwd=tree, **run)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {f["path"]: {x["code"] for x in f["findings"]} for f in result.json()["files"]}


# --- the catalog left behind ---------------------------------------------------------------------


def check_catalog(db: Path) -> None:
    """The file is an intact SQLite database whose references all hold."""
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def location(db: Path, path: str) -> tuple[str, str | None]:
    """(status, skip reason) recorded for the catalog path ``path``."""
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute(
            "SELECT status, skip_reason FROM locations WHERE path = ?", (path,)
        ).fetchone()
    assert row is not None, f"{path!r} is not in the catalog"
    return row


def codes_at(db: Path, path: str) -> set[str]:
    """The rule codes of the findings recorded at ``path``."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT code FROM findings WHERE path = ?", (path,)).fetchall()
    return {code for (code,) in rows}


def query(db: Path, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()


# --- the source tree -----------------------------------------------------------------------------


def snapshot(root: Path) -> dict[bytes, tuple]:
    """Every entry under ``root`` (bytes paths: names need not be UTF-8), without following links:
    its type and permissions, size, modification time, and its content - a digest for a regular
    file (size and time only above ``HASHED_BYTES``), the target for a link."""
    state = {}
    for top, folders, files in os.walk(os.fsencode(root)):
        for name in folders + files:
            path = os.path.join(top, name)
            info = os.lstat(path)
            content = None
            if stat.S_ISREG(info.st_mode) and info.st_size <= HASHED_BYTES:
                with open(path, "rb") as handle:
                    content = hashlib.file_digest(handle, "sha256").hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                content = os.readlink(path)
            state[path] = (info.st_mode, info.st_size, info.st_mtime_ns, content)
    return state


# --- a user without privileges -------------------------------------------------------------------


def unprivileged_prefix() -> list[str]:
    """A command prefix that runs a program as a user who is not root: ``setpriv`` to
    ``TEST_USER`` (created if missing) when the tests run as root, nothing otherwise."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_USER],
            check=True,
        )
    prefix = ["setpriv", f"--reuid={TEST_USER}", f"--regid={TEST_USER}", "--clear-groups", "--"]
    if not _can_run_catalog(prefix):
        _let_others_search(Path(__file__).resolve().parents[2], Path(sys.prefix).resolve())
        if not _can_run_catalog(prefix):
            raise RuntimeError(f"{TEST_USER} cannot run {sys.executable} -m catalog from here")
    return prefix


def _can_run_catalog(prefix: list[str]) -> bool:
    probe = subprocess.run([*prefix, sys.executable, "-c", "import catalog"], capture_output=True)
    return probe.returncode == 0


def _let_others_search(*paths: Path) -> None:
    """Give "others" search permission (x, never read) on each folder above ``paths`` lacking it.

    A checkout under a private home (``/root`` is 700 on a CI machine) is out of the test user's
    reach, and so is the package it must import: this opens the way through, nothing more."""
    for path in paths:
        for folder in (path, *path.parents):
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


def give_to_test_user(path: Path) -> Path:
    """A new folder ``path`` the unprivileged user may write in (its catalog lives there)."""
    path.mkdir()
    if os.geteuid() == 0:
        entry = pwd.getpwnam(TEST_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


# --- tables of cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One hostile input and the outcome documented for it (``docs/robustness.md``).

    ``build(path)`` writes the input at ``path`` (the tree's folder joined with ``name``, which
    may be bytes). The import must record ``status`` at that path - with ``reason`` in the skip
    reason - and at least the findings ``codes``; ``catalog validate`` must report at least
    ``validated`` for it (the same as ``codes`` when None).
    """

    id: str
    name: str | bytes
    build: Callable[[Path], object]
    status: str = "present"
    reason: str | None = None
    codes: frozenset[str] = frozenset()
    validated: frozenset[str] | None = None

    def path(self, tree: Path) -> Path:
        return Path(self.os_path(tree))

    def os_path(self, tree: Path) -> str:
        """The input's path in ``tree``, as the OS spells it (a trailing ``/`` kept)."""
        return os.fsdecode(os.path.join(os.fsencode(tree), os.fsencode(self.name)))


@dataclass(frozen=True)
class Outcome:
    """What one import and one validate run over a tree of cases left behind."""

    tree: Path
    db: Path
    imported: Run
    validated: dict[str, set[str]]
    before: dict[bytes, tuple]
    after: dict[bytes, tuple]

    def check(self, case: Case) -> None:
        """The documented outcome of ``case``, in the catalog and in the linter's report; and the
        run's own promises: within the bound (or ``catalog`` failed), the catalog intact, the
        source tree unchanged."""
        assert self.after == self.before
        check_catalog(self.db)
        stored = path_text(case.os_path(self.tree))
        status, reason = location(self.db, stored)
        assert status == case.status, (stored, status, reason)
        assert case.reason is None or case.reason in (reason or ""), reason
        assert case.codes <= codes_at(self.db, stored)
        shown = path_text(os.path.relpath(case.path(self.tree), self.tree))
        expected = case.codes if case.validated is None else case.validated
        assert expected <= self.validated.get(shown, set()), (shown, self.validated.get(shown))


def run_cases(tree: Path, db: Path, cases: list[Case], *options: str, **run) -> Outcome:
    """Build ``cases`` in ``tree``, then import it into ``db`` and validate it (``options`` to
    both), taking snapshots of the tree before and after."""
    tree.mkdir(exist_ok=True)
    for case in cases:
        case.build(case.path(tree))
    before = snapshot(tree)
    imported = import_tree(tree, db, *options, **run)
    validated = validate_tree(tree, *options, **run)
    return Outcome(tree, db, imported, validated, before, snapshot(tree))
