"""Walking the folders to import: one folder at a time, in a stable order, stat only.

The walk never opens a file: ``os.scandir`` lists a folder and one ``stat`` per image file gives
the size, modification time and inode that tell the importer whether it must read the file again.
Folders are yielded one by one, so memory follows the largest folder, not the whole tree.
Symbolic links are not followed (a link can point anywhere, and a loop of links never ends), and
only files with an image suffix are considered; the real format is then read from the content.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from catalog.readers.sidecar import sidecar_names
from catalog.store.rows import FileStat

#: File name suffixes (lower case) of the formats the catalog reads.
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png"})


@dataclass(frozen=True)
class Folder:
    """The image files of one folder, sorted by name.

    ``complete`` is False when only some files of the folder were asked for (a file given as a
    root): files of the folder not listed are then not missing.
    """

    path: str
    files: list[FileStat]
    complete: bool = True


def is_image_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES


def walk(roots: Iterable[Path]) -> Iterator[Folder]:
    """The folders under ``roots`` (folders or single files), depth first, in name order."""
    for root in roots:
        root = Path(os.path.abspath(root))
        if root.is_dir():
            yield from _walk_folder(str(root))
        elif root.is_file():
            stat = _file_stat(str(root.parent), root.name, root.stat())
            others = {
                e.name: e
                for e in os.scandir(root.parent)
                if e.name in sidecar_names(root.name) and e.is_file(follow_symlinks=False)
            }
            yield Folder(str(root.parent), [_with_sidecars(stat, others)], False)
        else:
            raise FileNotFoundError(f"{root}: no such file or folder")


def _walk_folder(folder: str) -> Iterator[Folder]:
    files: dict[str, os.DirEntry] = {}
    subfolders = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        # unreadable: nothing can be said about its files, so none of them is marked missing
        yield Folder(folder, [], complete=False)
        return
    others = {}
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(entry.path)
        elif entry.is_file(follow_symlinks=False):
            (files if is_image_name(entry.name) else others)[entry.name] = entry
    stats = []
    for name, entry in files.items():
        try:
            stat = _file_stat(folder, name, entry.stat(follow_symlinks=False))
        except OSError:
            continue  # vanished between listing and stat: it is simply not there
        stats.append(_with_sidecars(stat, others))
    yield Folder(folder, stats)
    for subfolder in subfolders:
        yield from _walk_folder(subfolder)


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


def _with_sidecars(stat: FileStat, others: dict[str, os.DirEntry]) -> FileStat:
    """``stat`` with the stat values of the sidecars the folder listing shows beside it."""
    found = []
    for name in sidecar_names(stat.name):
        entry = others.get(name)
        if entry is not None:
            try:
                s = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            found.append((name, s.st_size, s.st_mtime_ns, s.st_ino))
    return replace(stat, sidecars=tuple(found)) if found else stat


def _file_stat(folder: str, name: str, stat: os.stat_result) -> FileStat:
    return FileStat(
        path=os.path.join(folder, name),
        folder=folder,
        name=name,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        inode=stat.st_ino,
        device=stat.st_dev,
    )
