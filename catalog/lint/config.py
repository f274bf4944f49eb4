"""Linter configuration: ``catalog.toml`` or ``[tool.catalog]`` in ``pyproject.toml``.

Found as ruff finds its own: an explicit ``--config FILE`` wins; otherwise the current folder and
then each parent is searched, and in the first folder that has one, ``catalog.toml`` wins over a
``pyproject.toml`` with a ``[tool.catalog]`` table (a ``pyproject.toml`` without one is passed
over). ``catalog.toml`` holds the keys at its top level. The folder of the file found is the
project *root*: report paths, per-path ignores, ``exclude`` and baseline entries are relative to
it. Without a file the root is the current folder and the defaults apply.

Keys (kebab-case, as in ruff)::

    select = ["VIR", "CAP002"]       # codes or prefixes to check (default: every rule)
    ignore = ["VIR010"]              # codes or prefixes never reported
    fail-on = "warning"              # error (default) | warning | info | never
    profile = "dvids"                # default | dvids (schemas/tables/profiles.toml)
    exclude = ["scratch/"]           # gitignore-style patterns of files never checked
    default-exclude = []             # replaces DEFAULT_EXCLUDE (below: outputs, venvs)
    baseline = "catalog-baseline.json"

    [per-path-ignores]               # gitignore-style pattern -> codes or prefixes
    "legacy/" = ["VIR007", "VIR011"]

    [severity]                       # code or prefix -> error | warning | info
    VIR012 = "info"

    [tables.services.X]              # code tables, as catalog.schemas.load_tables takes them
    meaning = "Space Force"
    status = "current"

``ALL`` stands for every code. An unknown key, code, severity, profile or table is a
``ConfigError`` naming the file and the key: a typo must not silently turn a check off.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.core.codes import CodeTables
from catalog.core.findings import Severity
from catalog.core.rules import ALL
from catalog.schemas import load_tables

CONFIG_FILE = "catalog.toml"
PYPROJECT = "pyproject.toml"
#: fail-on value that never fails (report only).
NEVER = "never"


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the file and the key."""


#: What a folder's walk passes over unless the configuration's ``default-exclude`` says otherwise.
DEFAULT_EXCLUDE = (
    "test-artifacts/",  # screenshots of the browser tests
    ".venv*/",  # virtual environments (hidden folders are skipped anyway; named for clarity)
    "fuzz-out/",  # make fuzz
    "bench-out/",  # make bench's generated images
    "/catalog.csv",  # catalog export -o catalog.csv, as the README writes it
)


@dataclass(frozen=True)
class Config:
    """The linter settings in force, with defaults for everything not configured."""

    root: Path
    tables: CodeTables
    path: Path | None = None
    select: tuple[str, ...] = (ALL,)
    ignore: tuple[str, ...] = ()
    per_path_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = Severity.ERROR
    profile: str = "default"
    exclude: tuple[str, ...] = ()
    default_exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    baseline: Path | None = None

    @property
    def source(self) -> str:
        """Where the settings come from, for messages."""
        return str(self.path) if self.path else "defaults"


def find_config(start: Path) -> Path | None:
    """The configuration file that applies in ``start``: the nearest one up the folder tree."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and "catalog" in _read(candidate).get("tool", {}):
            return candidate
    return None


def load_config(explicit: Path | None = None, *, start: Path | None = None) -> Config:
    """The configuration from ``explicit``, or the one found from ``start`` (the current folder)."""
    start = (start or Path.cwd()).resolve()
    path = explicit.resolve() if explicit else find_config(start)
    if path is None:
        return Config(root=start, tables=load_tables())
    document = _read(path)
    settings = document.get("tool", {}).get("catalog", {}) if path.name == PYPROJECT else document
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: [tool.catalog] must be a table")
    return parse_settings(settings, path)


def parse_settings(settings: Mapping[str, Any], path: Path) -> Config:
    """Check and convert the settings of the file ``path`` (already parsed TOML)."""
    unknown = sorted(set(settings) - set(_KEYS))
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known keys: {known})")
    values: dict[str, Any] = {}
    for key, value in settings.items():
        attribute, convert = _KEYS[key]
        try:
            values[attribute] = convert(value, path.parent)
        except (TypeError, ValueError, KeyError) as error:
            raise ConfigError(f"{path}: key {key!r}: {error}") from None
    values.setdefault("tables", load_tables())  # the shipped tables, unless configured
    config = Config(root=path.parent, path=path, **values)
    if config.profile not in config.tables.profiles:
        known = ", ".join(sorted(config.tables.profiles))
        raise ConfigError(f"{path}: key 'profile': unknown profile {config.profile!r} ({known})")
    return config


def parse_fail_on(value: str) -> Severity | None:
    """``error``, ``warning``, ``info`` or ``never`` (None: nothing fails)."""
    if value == NEVER:
        return None
    return parse_severity(value)


def parse_severity(value: Any) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ValueError(f"{value!r} is not error, warning or info") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _strings(value: Any, _root: Path | None = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("must be a list of strings")
    return tuple(value)


def _string(value: Any, _root: Path | None = None) -> str:
    if not isinstance(value, str):
        raise TypeError("must be a string")
    return value


def _table(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("must be a table")
    return value


def _per_path(value: Any, _root: Path) -> dict[str, tuple[str, ...]]:
    return {pattern: _strings(codes) for pattern, codes in _table(value).items()}


def _severities(value: Any, _root: Path) -> dict[str, Severity]:
    return {code: parse_severity(level) for code, level in _table(value).items()}


def _fail_on(value: Any, _root: Path) -> Severity | None:
    return parse_fail_on(_string(value))


def _baseline(value: Any, root: Path) -> Path:
    return root / _string(value)


def _tables(value: Any, _root: Path) -> CodeTables:
    try:
        return load_tables(_table(value))
    except KeyError as error:
        raise ValueError(f"an entry lacks the field {error}") from None


_KEYS = {
    "select": ("select", _strings),
    "ignore": ("ignore", _strings),
    "per-path-ignores": ("per_path_ignores", _per_path),
    "severity": ("severity", _severities),
    "fail-on": ("fail_on", _fail_on),
    "profile": ("profile", _string),
    "exclude": ("exclude", _strings),
    "default-exclude": ("default_exclude", _strings),
    "baseline": ("baseline", _baseline),
    "tables": ("tables", _tables),
}
