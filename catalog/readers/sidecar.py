"""Sidecars: metadata files beside an image, which override what the image carries.

* XMP sidecars, under the two naming conventions in use: ``IMG.xmp`` (Adobe Bridge, Lightroom,
  Photo Mechanic) and ``IMG.jpg.xmp`` (darktable, digiKam); an upper-case ``.XMP`` is accepted.
  When both exist both are read, ``IMG.xmp`` first.
* JSON sidecars, ``IMG.json``: one object whose keys are record fields, validated by the record
  model's strict rules field by field, so one bad value does not discard the others. Duplicate
  keys, NaN and Infinity (which Python's json module would accept), files over ``MAX_JSON_BYTES``
  and nesting deeper than ``MAX_JSON_DEPTH`` are refused, since sidecars are attacker-controlled.
  A null value means "not given".

A sidecar that is a symbolic link, a FIFO or another special file is reported, never read
(``catalog.files.untrusted.read_regular``); an XMP sidecar over ``MAX_XMP_BYTES`` likewise.

A sidecar that is refused, or a JSON key that is not a record field, may have said "Not
Released": the source is then recorded as unusable for the release fields
(``Collector.unusable``), which keeps the asset out of a public catalog.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from catalog.core.file_rules import SIDECAR_INVALID
from catalog.core.findings import shorten
from catalog.core.merge import SourceValues
from catalog.core.record import AssetRecord
from catalog.files.sidecars import json_sidecar_name, xmp_sidecar_names
from catalog.files.untrusted import NotReadable, read_regular
from catalog.readers.fields import Collector
from catalog.readers.xmp import read_xmp

MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 8
MAX_XMP_BYTES = 64 * 1024 * 1024


def xmp_sidecars(image: Path) -> list[Path]:
    """The XMP sidecars of ``image`` that exist, ``IMG.xmp`` before ``IMG.jpg.xmp``."""
    # os.path on strings: this runs for every file of an import, pathlib is several times slower
    name = os.fspath(image)
    found = []
    for names in xmp_sidecar_names(name):
        existing = next((n for n in names if os.path.lexists(n)), None)
        if existing:
            found.append(Path(existing))
    return found


def json_sidecar(image: Path) -> Path | None:
    """``IMG.json`` beside ``IMG.jpg``, if it exists."""
    candidate = json_sidecar_name(os.fspath(image))
    return Path(candidate) if os.path.lexists(candidate) else None


def read_xmp_sidecar(path: Path) -> SourceValues:
    """Record values from an XMP sidecar; an unreadable file is a finding in ``SourceValues``."""
    label = f"sidecar-xmp:{path.name}"
    try:
        packet = read_regular(path, MAX_XMP_BYTES)
    except OSError as error:  # NotReadable too: a link, a FIFO, an oversized file
        return _unreadable("sidecar-xmp", label, path, error)
    return read_xmp(packet, source_kind="sidecar-xmp", label=label)


def read_json_sidecar(path: Path) -> SourceValues:
    """Record values from a JSON sidecar, with the findings about it."""
    collector = Collector("sidecar-json", f"sidecar-json:{path.name}", invalid=SIDECAR_INVALID)
    try:
        data = _load(path)
    except (OSError, ValueError, RecursionError) as error:
        reason = "nesting too deep" if isinstance(error, RecursionError) else str(error)
        collector.findings.append(
            SIDECAR_INVALID.finding(f"{path.name}: {reason}", field="*", file=str(path))
        )
        collector.unusable(f"refused: {reason}")
        return collector.result()
    for name, value in data.items():
        if name not in AssetRecord.model_fields:
            collector.reject(name, value, "not a record field", where=f"key {name!r}")
            collector.unusable(f"key {shorten(repr(name))} is not a record field and was not read")
        elif value is not None:
            collector.put(name, value, where=f"key {name!r}", mode="json")
    return collector.result()


def _load(path: Path) -> dict[str, Any]:
    text = read_regular(path, MAX_JSON_BYTES).decode("utf-8-sig")
    data = json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    if not isinstance(data, dict):
        raise ValueError("the sidecar must be one JSON object")
    if _depth(data) > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return data


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {key!r}")
        data[key] = value
    return data


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _unreadable(kind: str, label: str, path: Path, error: Exception) -> SourceValues:
    collector = Collector(kind, label, invalid=SIDECAR_INVALID)
    reason = error if isinstance(error, NotReadable) else f"cannot be read: {error}"
    collector.findings.append(
        SIDECAR_INVALID.finding(f"{path.name} {reason}", field="*", file=str(path))
    )
    collector.unusable(f"not read: {reason}")
    return collector.result()
