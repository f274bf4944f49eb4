"""The one walker: the folders to import or validate, one at a time, in a stable order, stat only.

``catalog import`` and ``catalog validate`` both walk with ``walk``, so they see the same files:
the walk decides which folders are entered, which entries are files to consider and which of
those cannot be read; each command then decides only what the files it gets stand for.

The walk never opens a file: ``os.scandir`` lists a folder and one ``lstat`` per wanted file gives
the size, modification time and inode that tell the importer whether it must read the file again.
Folders are yielded one by one, so memory follows the largest folder, not the whole tree.

**Hidden folders** (a name starting with ``.``: ``.git``, ``.cache``, ``.Trash-1000``) below a
root are not entered: they hold tools' copies and caches, not a collection. A root is taken as
given, hidden or a link to a folder included.

Only regular files are read. Below a root nothing is followed: a symbolic link can point anywhere
(out of the root, into ``/proc``, back to its own folder), so a wanted name that is a link comes
with a ``problem`` (the reason it is not read), like a FIFO, a socket or a device (opening a FIFO
would wait for a writer forever). A folder that cannot be listed comes as a ``problem`` entry
``folder/`` of itself, and nothing below it is missing, since nothing can be said about it. Which
names are wanted is the caller's (images by suffix for an import, images and manifests for
validate); the real format is then read from the content.

Paths are handed on as the catalog stores them (``catalog.files.paths.path_text``), so a name
with bytes that are not UTF-8 is walked too; ``FileStat.os_path`` is the path to open.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from catalog.files.paths import os_path, path_text
from catalog.files.sidecars import sidecar_names
from catalog.files.untrusted import irregular


@dataclass(frozen=True, slots=True)
class FileStat:
    """Where a file is and the stat values that tell whether it changed since it was read.

    ``sidecars`` are the (name, size, mtime_ns, inode) of the sidecars beside it; ``companions``
    a digest of those and of the run's manifests and articles: what travels with the file is part
    of what it says, so a changed sidecar makes the file changed too. ``path``, ``folder`` and
    ``name`` are the catalog's text (``paths.path_text``); ``problem`` says why the walk
    found the entry unreadable (a link, a FIFO, a folder that cannot be listed ...), if it did.
    ``version`` is an object's ETag or version id (``catalog.files.remote``; empty for a local
    file): part of ``companions``, so a rewritten object of the same size is read again.
    """

    path: str
    folder: str
    name: str
    size: int
    mtime_ns: int
    inode: int
    device: int
    sidecars: tuple[tuple[str, int, int, int], ...] = ()
    companions: str = ""
    problem: str | None = None
    version: str = ""
    ctime_ns: int = 0  # status change: an edit in place keeping size and mtime still changes it

    @property
    def os_path(self) -> str:
        """The path to open (the exact bytes of a name that is not UTF-8)."""
        return os_path(self.path)

    @property
    def signature(self) -> tuple[int, int, int, int, str]:
        return (self.size, self.mtime_ns, self.ctime_ns, self.inode, self.companions)


#: File name suffixes (lower case) of the formats the catalog reads.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png"})


@dataclass(frozen=True)
class Folder:
    """The wanted files (images, by default) of one folder, sorted by name.

    ``complete`` is False when only some files of the folder were asked for (a file given as a
    root) or the folder cannot be listed: files of the folder not listed are then not missing.
    ``listed`` is False for a folder that cannot be listed: nothing below it is missing either.
    """

    path: str
    files: list[FileStat]
    complete: bool = True
    listed: bool = True


def is_image_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES


def is_hidden(name: str) -> bool:
    """Whether a folder of this name is hidden, and so not entered below a root."""
    return name.startswith(".")


def walk(roots: Iterable[Path], wanted: Callable[[str], bool] = is_image_name) -> Iterator[Folder]:
    """The folders under ``roots`` (folders or single files), depth first, in name order, with
    their files whose names are ``wanted``. A root that is a file is taken whatever its name.

    A root is taken as given, a link to a folder included; below it, nothing is followed and no
    hidden folder is entered.
    """
    for root in roots:
        root = os.path.abspath(root)
        if os.path.isdir(root):
            yield from _walk_folder(root, wanted)
        elif os.path.lexists(root):
            folder, name = os.path.split(root)
            stat = _file_stat(folder, name, os.lstat(root))
            yield Folder(
                path_text(folder), [_with_sidecars(stat, name, _sidecars_of(folder, name))], False
            )
        else:
            raise FileNotFoundError(f"{path_text(root)}: no such file or folder")


def _walk_folder(root: str, wanted: Callable[[str], bool]) -> Iterator[Folder]:
    for folder, entries in _listings(root):
        if isinstance(entries, OSError):
            yield _unlisted(folder, entries)
            continue
        files: dict[str, os.DirEntry] = {}
        others: dict[str, os.DirEntry] = {}
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                continue
            if wanted(entry.name):
                files[entry.name] = entry  # a link, FIFO, socket or device too: never opened
            elif entry.is_file(follow_symlinks=False):
                others[entry.name] = entry
        stats = []
        for name, entry in files.items():
            try:
                stat = _file_stat(folder, name, entry.stat(follow_symlinks=False))
            except FileNotFoundError:
                continue  # vanished between listing and stat: it is simply not there
            except OSError as error:
                stat = _problem(folder, name, f"cannot be read: {error.strerror or error}")
            stats.append(_with_sidecars(stat, name, others))
        yield Folder(path_text(folder), stats)


def _listings(root: str) -> Iterator[tuple[str, list[os.DirEntry] | OSError]]:
    """Each folder under ``root`` with its entries sorted by name (or the error that kept it from
    being listed), depth first: the traversal both ``walk`` and ``count_images`` follow."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as error:
        yield root, error
        return
    yield root, entries
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not is_hidden(entry.name):
            yield from _listings(entry.path)


def _unlisted(folder: str, error: OSError) -> Folder:
    """A folder that cannot be listed, recorded as a skipped entry ``folder/`` of itself."""
    try:
        stat = os.lstat(folder)
    except OSError:
        problem = _problem(folder, "", "")
    else:
        problem = _file_stat(folder, "", stat)
    reason = f"folder cannot be read: {error.strerror or error}"
    return Folder(path_text(folder), [replace(problem, problem=reason)], False, listed=False)


def count_images(roots: Iterable[Path]) -> int:
    """How many image files the walk will find (names only, no stat): the progress bar's total."""
    total = 0
    for root in roots:
        if not os.path.isdir(root):
            total += 1
            continue
        for _, entries in _listings(os.path.abspath(root)):
            if not isinstance(entries, OSError):
                total += sum(
                    1
                    for e in entries
                    if is_image_name(e.name) and not e.is_dir(follow_symlinks=False)
                )
    return total


def _sidecars_of(folder: str, name: str) -> dict[str, os.DirEntry]:
    """The entries of ``folder`` that are sidecars of ``name`` (none when it cannot be listed)."""
    sidecars = set(sidecar_names(name))
    try:
        return {
            e.name: e
            for e in os.scandir(folder)
            if e.name in sidecars and e.is_file(follow_symlinks=False)
        }
    except OSError:
        return {}


def _with_sidecars(stat: FileStat, name: str, others: dict[str, os.DirEntry]) -> FileStat:
    """``stat`` with the stat values of the sidecars the folder listing shows beside the file
    ``name``."""
    if not others:  # a folder of images only: no name to look for (most folders, most files)
        return stat
    found = []
    for sidecar in sidecar_names(name):
        entry = others.get(sidecar)
        if entry is not None:
            try:
                s = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found.append((path_text(sidecar), s.st_size, s.st_mtime_ns, s.st_ino))
    return replace(stat, sidecars=tuple(found)) if found else stat


def _file_stat(folder: str, name: str, stat: os.stat_result) -> FileStat:
    """The ``FileStat`` of ``folder/name`` (OS strings) from its ``lstat``: anything but a
    regular file carries the reason it is not read."""
    return FileStat(
        path=path_text(os.path.join(folder, name)),
        folder=path_text(folder),
        name=path_text(name),
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        inode=stat.st_ino,
        device=stat.st_dev,
        problem=irregular(stat.st_mode),
        ctime_ns=stat.st_ctime_ns,
    )


def _problem(folder: str, name: str, reason: str) -> FileStat:
    return FileStat(
        path=path_text(os.path.join(folder, name)),
        folder=path_text(folder),
        name=path_text(name),
        size=0,
        mtime_ns=0,
        inode=0,
        device=0,
        problem=reason,
    )
