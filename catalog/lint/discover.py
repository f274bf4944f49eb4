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
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalog.lint.policy import path_spec

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png"})
MANIFEST_SUFFIX = ".csv"
SIDECAR_SUFFIXES = frozenset({".xmp", ".json"})


@dataclass
class Targets:
    """Files to check, each once, in the order found."""

    images: dict[Path, None] = field(default_factory=dict)
    manifests: dict[Path, None] = field(default_factory=dict)


def shown_path(path: Path, root: Path) -> str:
    """``path`` as reports show it: relative to ``root`` with ``/``, or absolute when outside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def discover(paths: Iterable[Path], root: Path, exclude: Iterable[str] = ()) -> Targets:
    """The images and manifests that ``paths`` stand for (see the module docstring)."""
    excluded = path_spec(exclude)
    targets = Targets()
    for path in paths:
        for kind, found in _expand(Path(path)):
            if not excluded.match_file(shown_path(found, root)):
                getattr(targets, kind)[Path(os.path.abspath(found))] = None
    return targets


def is_excluded(path: Path, root: Path, exclude: Iterable[str]) -> bool:
    return path_spec(exclude).match_file(shown_path(path, root))


def _expand(path: Path) -> Iterator[tuple[str, Path]]:
    if path.is_dir():
        yield from _walk(path)
        return
    suffix = path.suffix.lower()
    if suffix == MANIFEST_SUFFIX:
        yield "manifests", path
    elif suffix in SIDECAR_SUFFIXES:
        yield from (("images", image) for image in images_of_sidecar(path))
    else:
        yield "images", path


def _walk(folder: Path) -> Iterator[tuple[str, Path]]:
    for directory, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            suffix = os.path.splitext(name)[1].lower()
            if suffix in IMAGE_SUFFIXES:
                yield "images", Path(directory, name)
            elif suffix == MANIFEST_SUFFIX:
                yield "manifests", Path(directory, name)


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
