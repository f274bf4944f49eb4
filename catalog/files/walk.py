"""Walking the folders to import: one folder at a time, in a stable order, stat only.

The walk never opens a file: ``os.scandir`` lists a folder and one ``lstat`` per image file gives
the size, modification time and inode that tell the importer whether it must read the file again.
Folders are yielded one by one, so memory follows the largest folder, not the whole tree.

Only regular files are read. Below a root nothing is followed: a symbolic link can point anywhere
(out of the root, into ``/proc``, back to its own folder), so an image-named link is recorded as
skipped, like a FIFO, a socket or a device named like an image (opening a FIFO would wait for a
writer forever). A folder that cannot be listed is recorded as skipped too (path ``folder/``),
and nothing below it is marked missing, since nothing can be said about it. Only files with an
image suffix are considered; the real format is then read from the content.

Paths are handed on as the catalog stores them (``catalog.files.paths.path_text``), so a name
with bytes that are not UTF-8 is cataloged too; ``FileStat.os_path`` is the path to open.
"""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from catalog.files.paths import os_path, path_text
from catalog.readers.sidecar import sidecar_names


@dataclass(frozen=True, slots=True)
class FileStat:
    """Where a file is and the stat values that tell whether it changed since it was read.

    ``sidecars`` are the (name, size, mtime_ns, inode) of the sidecars beside it; ``companions``
    a digest of those and of the run's manifests and articles: what travels with the file is part
    of what it says, so a changed sidecar makes the file changed too. ``path``, ``folder`` and
    ``name`` are the catalog's text (``encoding.path_text``); ``problem`` says why the walk
    found the entry unreadable (a link, a FIFO, a folder that cannot be listed ...), if it did.
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

    @property
    def os_path(self) -> str:
        """The path to open (the exact bytes of a name that is not UTF-8)."""
        return os_path(self.path)

    @property
    def signature(self) -> tuple[int, int, int, str]:
        return (self.size, self.mtime_ns, self.inode, self.companions)


#: File name suffixes (lower case) of the formats the catalog reads.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png"})


@dataclass(frozen=True)
class Folder:
    """The image files of one folder, sorted by name.

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


def walk(roots: Iterable[Path]) -> Iterator[Folder]:
    """The folders under ``roots`` (folders or single files), depth first, in name order.

    A root is taken as given, a link to a folder included; below it, nothing is followed.
    """
    for root in roots:
        root = os.path.abspath(root)
        if os.path.isdir(root):
            yield from _walk_folder(root)
        elif os.path.lexists(root):
            folder, name = os.path.split(root)
            stat = _file_stat(folder, name, os.lstat(root))
            sidecars = set(sidecar_names(name))
            others = {
                e.name: e
                for e in os.scandir(folder)
                if e.name in sidecars and e.is_file(follow_symlinks=False)
            }
            yield Folder(path_text(folder), [_with_sidecars(stat, name, others)], False)
        else:
            raise FileNotFoundError(f"{path_text(root)}: no such file or folder")


def _walk_folder(folder: str) -> Iterator[Folder]:
    files: dict[str, os.DirEntry] = {}
    others: dict[str, os.DirEntry] = {}
    subfolders = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        yield _unlisted(folder, error)
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(entry.path)
        elif entry.is_file(follow_symlinks=False):
            (files if is_image_name(entry.name) else others)[entry.name] = entry
        elif is_image_name(entry.name):
            files[entry.name] = entry  # a link, FIFO, socket or device: recorded, never opened
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
    for subfolder in subfolders:
        yield from _walk_folder(subfolder)


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
        if os.path.isfile(root):
            total += 1
            continue
        for top, folders, names in os.walk(root):
            folders[:] = [f for f in folders if not os.path.islink(os.path.join(top, f))]
            total += sum(1 for name in names if is_image_name(name))
    return total


def _with_sidecars(stat: FileStat, name: str, others: dict[str, os.DirEntry]) -> FileStat:
    """``stat`` with the stat values of the sidecars the folder listing shows beside the file
    ``name``."""
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


#: What each kind of file system entry that is not a regular file is called in a skip reason.
_IRREGULAR = (
    (stat_module.S_ISLNK, "symbolic link"),
    (stat_module.S_ISFIFO, "FIFO"),
    (stat_module.S_ISSOCK, "socket"),
    (stat_module.S_ISCHR, "character device"),
    (stat_module.S_ISBLK, "block device"),
    (stat_module.S_ISDIR, "folder"),
)


def irregular(mode: int) -> str | None:
    """Why an entry of ``mode`` is not read (None for a regular file)."""
    if stat_module.S_ISREG(mode):
        return None
    kind = next((name for test, name in _IRREGULAR if test(mode)), "special file")
    return f"not a regular file ({kind}): not read"
