"""File system: whatever a folder holds besides photos, the walk records it and never hangs on it.

The tree is imported and validated by a user who is not root (created when the tests run as root),
so that a file or folder without read permission really cannot be read. Links are never followed
(one points out of the tree, one at itself, one folder link makes a loop), FIFOs, sockets and
devices are never opened, a 2 TiB sparse file is refused without a byte read, and names that are
not UTF-8, hold a newline, start with a dash or differ only by Unicode normalization are all
stored - each under its own path, losslessly.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import pytest

from catalog.files.paths import os_path, path_text
from tests.robustness import hostile
from tests.robustness.harness import (
    Case,
    catalog,
    check_catalog,
    give_to_test_user,
    import_tree,
    location,
    query,
    run_cases,
)

SECRET = "SECRET-OUTSIDE-THE-TREE"
NFC = unicodedata.normalize("NFC", "café.jpg")
NFD = unicodedata.normalize("NFD", "café.jpg")


def _secret_outside(path: Path) -> None:
    """A link to a photo outside the tree, whose caption would leak if the link were followed."""
    target = path.parent.parent / "outside.jpg"
    hostile.xmp_jpeg(target, hostile.xmp_text({"photoshop:City": SECRET}).encode())
    path.symlink_to(target)


def _unreadable_file(path: Path) -> None:
    hostile.jpeg(path, 7).chmod(0)


def _unreadable_folder(path: Path) -> None:
    path.mkdir()
    hostile.jpeg(path / "inside.jpg", 8)
    path.chmod(0)


def _device(path: Path) -> None:
    """A character device (the null device's numbers): only root may make one."""
    os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(1, 3))


def _folder_loop(path: Path) -> None:
    """``sub/again`` links back to the tree: a walk that follows links never ends."""
    path.mkdir()
    (path / "again").symlink_to("..")
    hostile.jpeg(path / "inner.jpg", 9)


CASES = [
    Case("link-out-of-tree", "outside.jpg", _secret_outside, "skipped",
         "not a regular file (symbolic link)", validated=frozenset({"FIL018"})),
    Case("link-to-itself", "loop.jpg", lambda p: p.symlink_to("loop.jpg"), "skipped",
         "not a regular file (symbolic link)", validated=frozenset({"FIL018"})),
    Case("folder-link-loop", "sub/inner.jpg", lambda p: _folder_loop(p.parent)),
    Case("fifo", "pipe.jpg", hostile.fifo, "skipped", "not a regular file (FIFO)",
         validated=frozenset({"FIL018"})),
    Case("socket", "socket.jpg", hostile.unix_socket, "skipped", "not a regular file (socket)",
         validated=frozenset({"FIL018"})),
    Case("unreadable-file", "locked.jpg", _unreadable_file, "skipped",
         "cannot be read: Permission denied", validated=frozenset({"FIL018"})),
    Case("unreadable-folder", "locked/", _unreadable_folder, "skipped",
         "folder cannot be read: Permission denied", validated=frozenset({"FIL018"})),
    Case("name-not-utf8", b"caf\xe9.jpg", lambda p: hostile.jpeg(p, 1)),
    Case("name-with-backslash", "caf\\xe9.jpg", lambda p: hostile.jpeg(p, 2)),
    Case("name-with-newline", "two\nlines.jpg", lambda p: hostile.jpeg(p, 3)),
    Case("name-with-leading-dash", "-rf.jpg", lambda p: hostile.jpeg(p, 4)),
    Case("name-nfc", NFC, lambda p: hostile.jpeg(p, 5)),
    Case("name-nfd", NFD, lambda p: hostile.jpeg(p, 6)),
    Case("sparse-2-tib", "huge.jpg", lambda p: hostile.sparse(p, 2 << 40), "skipped",
         "larger than 1024 MiB", validated=frozenset({"FIL019"})),
]  # fmt: skip
if os.geteuid() == 0:  # mknod needs root; elsewhere the other special files stand for it
    CASES.append(
        Case(
            "device",
            "device.jpg",
            _device,
            "skipped",
            "not a regular file (character device)",
            validated=frozenset({"FIL018"}),
        )
    )


@pytest.fixture(scope="module")
def outcome(workspace, unprivileged):
    tree = workspace / "tree"
    tree.mkdir()
    db = give_to_test_user(workspace / "db") / "catalog.db"
    yield run_cases(tree, db, CASES, user=unprivileged)
    (tree / "locked").chmod(0o755)  # so the workspace can be removed


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_entry_has_its_documented_outcome(outcome, case):
    outcome.check(case)


def test_nothing_is_read_through_a_link(outcome):
    """Neither the photo outside the tree that a link points to, nor anything the folder loop
    would repeat: every cataloged path is in the tree, once."""
    paths = [p for (p,) in query(outcome.db, "SELECT path FROM locations")]
    assert all(p.startswith(f"{outcome.tree}/") and "/again/" not in p for p in paths)
    values = query(outcome.db, "SELECT value FROM field_values")
    assert not [v for (v,) in values if v and SECRET in v]


def test_a_2_tib_file_is_refused_without_being_read(outcome):
    """The whole run, 2 TiB file included, takes seconds: its size alone refuses it."""
    assert outcome.imported.seconds < 30


def test_names_are_stored_losslessly_and_kept_apart(outcome):
    """Every name maps to its own catalog path, and each path leads back to the exact bytes."""
    named = [c for c in CASES if c.id.startswith("name-")]
    stored = [path_text(c.path(outcome.tree)) for c in named]
    assert len(set(stored)) == len(named)
    for case, text in zip(named, stored, strict=True):
        assert os.fsencode(os_path(text)) == os.fsencode(case.path(outcome.tree))
    assert stored[0].endswith("/caf\\xe9.jpg") and stored[1].endswith("/caf\\\\xe9.jpg")
    assert query(outcome.db, "SELECT count(DISTINCT sha256) FROM locations WHERE path IN "
                 f"({', '.join('?' * len(stored))})", *stored) == [(len(named),)]  # fmt: skip


def test_a_folder_that_turns_unreadable_does_not_make_its_files_missing(workspace, unprivileged):
    """Nothing can be said about the files of a folder that cannot be listed - nor of the folders
    below it - so they stay as the catalog knew them; the folder itself is recorded."""
    tree = workspace / "later"
    (tree / "day" / "deeper").mkdir(parents=True)
    hostile.jpeg(tree / "day" / "a.jpg", 1)
    hostile.jpeg(tree / "day" / "deeper" / "b.jpg", 2)
    db = give_to_test_user(workspace / "later-db") / "catalog.db"
    import_tree(tree, db, user=unprivileged)
    (tree / "day").chmod(0)
    try:
        summary = import_tree(tree, db, user=unprivileged).json()
    finally:
        (tree / "day").chmod(0o755)
    assert summary["missing"] == 0
    for name in ("day/a.jpg", "day/deeper/b.jpg"):
        assert location(db, str(tree / name)) == ("present", None)
    assert location(db, f"{tree}/day/")[0] == "skipped"
    check_catalog(db)


def test_a_name_that_is_not_utf8_can_be_looked_up_as_the_os_spells_it(outcome):
    """``catalog show`` takes the path as the shell passes it, raw bytes included."""
    path = os.fsdecode(os.path.join(os.fsencode(outcome.tree), b"caf\xe9.jpg"))
    shown = catalog("show", path, "--db", str(outcome.db), "--json")
    assert shown.returncode == 0, shown.stderr
    assert path_text(path) in [loc["path"] for loc in shown.json()["locations"]]
