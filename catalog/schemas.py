"""Locate and read the ``schemas/`` folder: code tables and JSON Schemas.

In a source checkout (and an editable install) the folder sits beside the package; a wheel carries a
copy inside the package (``catalog/schemas``, see ``pyproject.toml``). Configuration can extend or
replace any table (``[tool.catalog.tables]``), which is why loading takes overrides.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from catalog.core.codes import CodeTables

_PACKAGE = Path(__file__).resolve().parent


def schemas_dir() -> Path:
    """The folder holding ``tables/`` and the JSON Schemas."""
    for candidate in (_PACKAGE / "schemas", _PACKAGE.parent / "schemas"):
        if (candidate / "tables").is_dir():
            return candidate
    raise FileNotFoundError("the catalog's schemas/ folder is missing from this installation")


def read_raw_tables() -> dict[str, Any]:
    """Every ``schemas/tables/*.toml`` document merged into one mapping of table name -> entries."""
    raw: dict[str, Any] = {}
    for path in sorted((schemas_dir() / "tables").glob("*.toml")):
        with path.open("rb") as handle:
            for name, entries in tomllib.load(handle).items():
                raw.setdefault(name, {}).update(entries)
    return raw


def merge_overrides(raw: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Apply configuration to the raw tables.

    ``overrides`` is the ``[tool.catalog.tables]`` mapping: each key names a table whose entries are
    added to (or replace entries of) the shipped table; ``replace = ["services", ...]`` drops the
    shipped entries of the named tables first, for a unit that maintains its own list.
    """
    replace = set(overrides.get("replace", ()))
    unknown = (set(overrides) - {"replace"} | replace) - set(raw)
    if unknown:
        raise ValueError(f"unknown code table(s) in configuration: {', '.join(sorted(unknown))}")
    merged = {name: dict(entries) for name, entries in raw.items()}
    for name in replace:
        merged[name] = {}
    for name, entries in overrides.items():
        if name != "replace":
            merged[name].update(entries)
    return merged


def load_tables(overrides: Mapping[str, Any] | None = None) -> CodeTables:
    """The code tables, with configuration applied."""
    if not overrides:
        return default_tables()
    return CodeTables.from_raw(merge_overrides(read_raw_tables(), overrides))


@cache
def default_tables() -> CodeTables:
    """The shipped code tables, read once per process."""
    return CodeTables.from_raw(read_raw_tables())
