"""Which files a ``catalog validate PATH...`` run checks.

* a folder: every image (by extension) and every CSV manifest below it, skipping hidden folders
  (``.git``) - images are identified by content later, the extension only decides what to open;
* an image, or any other file named explicitly: checked as an image (a file that is none gets
  ``FIL001``, so nothing given on the command line is silently dropped);
* a CSV manifest: read, and the images its rows name are checked with it;
* a sidecar (``IMG.xmp``, ``IMG.jpg.xmp``, ``IMG.json``): its image is checked, since the sidecar
  only matters through it. A ``.xmp`` or ``.json`` file beside no image is not a sidecar and is
  passed over (pre-commit hands every changed JSON file to the hook).

``exclude`` patterns (gitignore-style, relative to the project root) apply to every file, also
those named explicitly, so a pre-commit run honours them.

As in an import, only regular files are read: a symbolic link, FIFO, socket or device named like
an image or a manifest is a ``problem`` (reported ``FIL018``, never opened), and so is a folder that
cannot be listed. Links below a folder are never followed. Paths are shown as the catalog stores
them (``encoding.path_text``), so a name that is not UTF-8 is reported, not a crash.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalog.files.paths import path_text
from catalog.files.walk import irregular
from catalog.lint.policy import path_spec

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png"})
MANIFEST_SUFFIX = ".csv"
SIDECAR_SUFFIXES = frozenset({".xmp", ".json"})


@dataclass
class Targets:
    """Files to check, each once, in the order found; ``problems``: what cannot be read, why."""

    images: dict[Path, None] = field(default_factory=dict)
    manifests: dict[Path, None] = field(default_factory=dict)
    problems: dict[Path, str] = field(default_factory=dict)


def shown_path(path: Path, root: Path) -> str:
    """``path`` as reports show it: relative to ``root`` with ``/``, or absolute when outside."""
    absolute = Path(os.path.abspath(path))
    try:
        return path_text(absolute.relative_to(root).as_posix())
    except ValueError:
        return path_text(absolute.as_posix())


def discover(paths: Iterable[Path], root: Path, exclude: Iterable[str] = ()) -> Targets:
    """The images and manifests that ``paths`` stand for (see the module docstring)."""
    excluded = path_spec(exclude)
    targets = Targets()
    for path in paths:
        for kind, found, problem in _expand(Path(path)):
            if not excluded.match_file(shown_path(found, root)):
                found = Path(os.path.abspath(found))
                if problem is not None:
                    targets.problems[found] = problem
                else:
                    getattr(targets, kind)[found] = None
    return targets


def _expand(path: Path) -> Iterator[tuple[str, Path, str | None]]:
    """(kind, path, problem) of what ``path`` stands for; ``problem`` says why it is not read."""
    if path.is_dir():
        yield from _walk(path)
        return
    suffix = path.suffix.lower()
    if suffix in SIDECAR_SUFFIXES:
        yield from (("images", image, _problem(image)) for image in images_of_sidecar(path))
    else:
        yield "manifests" if suffix == MANIFEST_SUFFIX else "images", path, _problem(path)


def _walk(folder: Path) -> Iterator[tuple[str, Path, str | None]]:
    """Depth first, in name order, hidden folders skipped, nothing followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        yield "images", folder, f"folder cannot be read: {error.strerror or error}"
        return
    subfolders = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith("."):
                subfolders.append(Path(entry.path))
            continue
        suffix = os.path.splitext(entry.name)[1].lower()
        kind = "manifests" if suffix == MANIFEST_SUFFIX else "images"
        if suffix in IMAGE_SUFFIXES or suffix == MANIFEST_SUFFIX:
            path = Path(entry.path)
            regular = entry.is_file(follow_symlinks=False)
            yield kind, path, None if regular else _problem(path)
    for subfolder in subfolders:
        yield from _walk(subfolder)


def _problem(path: Path) -> str | None:
    """Why the file at ``path`` is not read (not a regular file), or None."""
    try:
        return irregular(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None  # the analysis reports it as unreadable
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"


def images_of_sidecar(sidecar: Path) -> list[Path]:
    """The images ``sidecar`` belongs to: ``IMG.jpg`` for ``IMG.jpg.xmp``, else any image whose
    name is the sidecar's stem plus an image extension (``IMG.xmp`` -> ``IMG.JPG``)."""
    stem = sidecar.with_suffix("")
    if stem.suffix.lower() in IMAGE_SUFFIXES and sidecar.suffix.lower() == ".xmp":
        return [stem] if stem.is_file() else []
    try:
        names = os.listdir(sidecar.parent)
    except OSError:
        return []
    return sorted(
        sidecar.parent / name
        for name in names
        if os.path.splitext(name)[0] == stem.name
        and os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES
    )
