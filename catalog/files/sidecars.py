"""The names a sidecar of an image may have: what travels with an image file.

The walker needs them to notice a changed sidecar without reading it, the readers to find what to
read; both take them from here, so the two can never look for different files.
"""

from __future__ import annotations

import os

XMP_SUFFIXES = (".xmp", ".XMP")


def xmp_sidecar_names(image_name: str) -> tuple[tuple[str, ...], ...]:
    """The names an XMP sidecar of ``image_name`` may have: per convention (``IMG.xmp``, then
    ``IMG.jpg.xmp``), the spellings in the order they are tried (the first that exists wins)."""
    return tuple(
        tuple(base + suffix for suffix in XMP_SUFFIXES)
        for base in (os.path.splitext(image_name)[0], image_name)
    )


def json_sidecar_name(image_name: str) -> str:
    """The name of the JSON sidecar of ``image_name``: ``IMG.json`` beside ``IMG.jpg``."""
    return os.path.splitext(image_name)[0] + ".json"


def sidecar_names(image_name: str) -> tuple[str, ...]:
    """Every name a sidecar of ``image_name`` may have: what the importer watches for changes."""
    return (
        *(n for names in xmp_sidecar_names(image_name) for n in names),
        json_sidecar_name(image_name),
    )
