"""Which files a ``catalog validate PATH...`` run checks.

The folders are walked by the one walker of ``catalog.files.walk``, the import's: the same
folders entered (hidden ones, such as ``.git``, skipped), the same files found, and the same
links, FIFOs, sockets and devices refused - each such entry named like an image or a manifest is a
``problem`` (reported ``FIL018``, never opened), and so is a folder that cannot be listed. What
is chosen here is what each path stands for:

* a folder: every image (by extension) and every CSV manifest below it - images are identified by
  content later, the extension only decides what to open;
* an image, or any other file named explicitly: checked as an image (a file that is none gets
  ``FIL001``, so nothing given on the command line is silently dropped);
* a CSV manifest: read, and the images its rows name are checked with it;
* a DoD web page (``.txt``, ``.html``, ``.htm``), named or in a folder: read as an article, each
  photo block checked with the images it names (``catalog.readers.article``);
* a sidecar (``IMG.xmp``, ``IMG.jpg.xmp``, ``IMG.json``): its image is checked, since the sidecar
  only matters through it. A ``.xmp`` or ``.json`` file beside no image is not a sidecar and is
  passed over (pre-commit hands every changed JSON file to the hook).

``exclude`` patterns (gitignore-style, relative to the project root) apply to every file, also
those named explicitly, so a pre-commit run honours them. ``config.DEFAULT_EXCLUDE`` (the
configuration's ``default-exclude`` replaces it) keeps what is not a collection out of a folder's
walk: the test suite's screenshots, virtual environments, the outputs of this project's own
commands - so a bare ``catalog validate`` in a checkout checks the photos, not
``test-artifacts/`` nor a ``catalog export`` CSV read as a manifest. It applies only below the
paths named: a path named that lies in such a place itself (``catalog validate
test-artifacts/``) is checked. Paths are shown as they are kept in a catalog
(``paths.path_text``), so a name that is not UTF-8 is reported, not a crash.

A URL (``s3://bucket/prefix``, any fsspec protocol installed) is listed by
``catalog.files.remote.walk_url``, the import's object walker, through a ``Mirror``: each file
found becomes a local stand-in (companions copied, images placeholders read in ranged requests),
chosen here exactly as a local file is, and shown, excluded and reported by its URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from catalog.files.paths import path_text
from catalog.files.remote import Mirror, is_url
from catalog.files.walk import IMAGE_SUFFIXES, is_image_name, walk
from catalog.lint.config import DEFAULT_EXCLUDE
from catalog.lint.policy import path_spec
from catalog.readers.article import ARTICLE_SUFFIXES

MANIFEST_SUFFIX = ".csv"
SIDECAR_SUFFIXES = frozenset({".xmp", ".json"})


@dataclass
class Targets:
    """Files to check, each once, in the order found; ``problems``: what cannot be read, why."""

    images: dict[Path, None] = field(default_factory=dict)
    manifests: dict[Path, None] = field(default_factory=dict)
    articles: dict[Path, None] = field(default_factory=dict)
    problems: dict[Path, str] = field(default_factory=dict)


def shown_path(path: Path, root: Path, mirror: Mirror | None = None) -> str:
    """``path`` as reports show it: relative to ``root`` with ``/``, or absolute when outside;
    the URL of a stand-in of ``mirror``."""
    url = mirror.url_of(path) if mirror is not None else None
    if url is not None:
        return path_text(url)
    absolute = Path(os.path.abspath(path))
    try:
        return path_text(absolute.relative_to(root).as_posix())
    except ValueError:
        return path_text(absolute.as_posix())


def discover(
    paths: Iterable[Path | str],
    root: Path,
    exclude: Iterable[str] = (),
    default_exclude: Iterable[str] = DEFAULT_EXCLUDE,
    mirror: Mirror | None = None,
) -> Targets:
    """The images and manifests that ``paths`` stand for (see the module docstring); URLs among
    them are staged in ``mirror``."""
    excluded, defaults = path_spec(exclude), path_spec(default_exclude)

    def left_out(found: Path, named_inside: bool) -> bool:
        shown = shown_path(found, root, mirror)
        return excluded.match_file(shown) or (not named_inside and defaults.match_file(shown))

    targets = Targets()
    for path in _walk_roots(paths):
        if is_url(path):
            if mirror is None:
                raise ValueError(f"{path}: a URL is validated through a Mirror")
            named_inside = defaults.match_file(path.rstrip("/") + "/")
            folders = mirror.stage(path, _wanted, partial(left_out, named_inside=named_inside))
        elif not os.path.lexists(path):  # gone since it was named: the analysis reports it
            targets.images[Path(os.path.abspath(path))] = None
            continue
        else:
            named_inside = _matches(defaults, path, root)
            folders = walk([path], wanted=_wanted)
        for folder in folders:
            for stat in folder.files:
                found = Path(stat.os_path)
                if left_out(found, named_inside):
                    continue
                if stat.problem is not None:
                    targets.problems[found] = stat.problem
                else:
                    getattr(targets, _kind(found.name))[found] = None
    return targets


def _matches(spec, path: Path, root: Path) -> bool:
    """Whether ``path`` (a folder matched with its trailing ``/``) is one ``spec`` names."""
    shown = shown_path(path, root)
    return spec.match_file(shown + "/" if path.is_dir() else shown)


def _walk_roots(paths: Iterable[Path | str]) -> Iterable[Path | str]:
    """What to walk for each of ``paths``: a local sidecar stands for its images, any other path
    or URL for itself."""
    for given in paths:
        if is_url(given):
            yield given
            continue
        path = Path(given)
        if not path.is_dir() and path.suffix.lower() in SIDECAR_SUFFIXES:
            yield from images_of_sidecar(path)
        else:
            yield path


def _wanted(name: str) -> bool:
    """The files of a folder that validate checks: images, manifests and articles."""
    return is_image_name(name) or _kind(name) != "images"


def _kind(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix == MANIFEST_SUFFIX:
        return "manifests"
    return "articles" if suffix in ARTICLE_SUFFIXES else "images"


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
