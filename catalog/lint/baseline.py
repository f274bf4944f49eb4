"""Baselines: adopt the linter on an archive with legacy findings and fail only on new ones.

``catalog validate --write-baseline FILE`` records every finding reported now;
``catalog validate --baseline FILE`` (or ``baseline = "FILE"`` in the configuration) then hides
the findings the file lists and reports the rest. The file is JSON, sorted, one entry per distinct
finding, so that it diffs well in review::

    {
      "catalog-baseline": 1,
      "findings": [
        {"path": "photos/a.jpg", "code": "VIR010", "field": "virin",
         "fingerprint": "5d0b3c0e9f2a4e71", "count": 1}
      ]
    }

A *fingerprint* is the first 16 hex digits of the SHA-256 of the file path (relative to the
project root), the code, the field, the part and the finding's values (the facts it is about, not
its wording), so it survives a reordering of the files, a reworded message, a severity override and
edits to other fields or files, and changes when the finding itself changes (another wrong date is
a new finding). Values that only repeat where the finding is (``file``: the sidecar or manifest
path, which differs between checkouts) are left out. ``count`` lets one file carry the same finding
several times; only that many are hidden. Entries of the files checked that match nothing any more
are *stale*: the finding was fixed, and ``--write-baseline`` drops them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from catalog.core.findings import Finding

FORMAT_KEY = "catalog-baseline"
VERSION = 1
#: Finding values that locate the finding rather than describe it.
LOCATION_VALUES = frozenset({"file"})
#: What ``json.dumps(identity, sort_keys=True, ensure_ascii=False, default=str)`` uses, made
#: once (``json.dumps`` with options builds an encoder per call: a report fingerprints millions).
_IDENTITY = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message names the file."""


def fingerprint(path: str, finding: Finding) -> str:
    """The stable identity of ``finding`` in the file ``path`` (see the module docstring)."""
    values = {k: v for k, v in finding.values.items() if k not in LOCATION_VALUES}
    identity = [path, finding.code, finding.field, finding.part, values]
    text = _IDENTITY.encode(identity)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, order=True)
class Entry:
    """One baseline line: a distinct finding and how many times the file has it."""

    path: str
    code: str
    field: str
    fingerprint: str
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def entries(findings: Iterable[tuple[str, Finding]]) -> list[Entry]:
    """The baseline entries of ``(path, finding)`` pairs, sorted."""
    counts = Counter((path, f.code, f.field, fingerprint(path, f)) for path, f in findings)
    return sorted(Entry(*key, count=count) for key, count in counts.items())


def write_baseline(path: Path, findings: Iterable[tuple[str, Finding]]) -> int:
    """Write the baseline of ``findings`` to ``path``; the number of entries written."""
    lines = entries(findings)
    document = {FORMAT_KEY: VERSION, "findings": [entry.to_dict() for entry in lines]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(lines)


class Baseline:
    """A loaded baseline, consumed finding by finding as the files are checked."""

    def __init__(self, lines: Iterable[Entry] = ()) -> None:
        self._lines = {(e.path, e.fingerprint): e for e in lines}
        self._left = Counter({key: e.count for key, e in self._lines.items()})
        self._checked: set[str] = set()

    def filter(self, path: str, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings of ``path`` the baseline does not hide, and how many it hid."""
        self._checked.add(path)
        new = []
        hidden = 0
        for finding in findings:
            key = (path, fingerprint(path, finding))
            if self._left[key] > 0:
                self._left[key] -= 1
                hidden += 1
            else:
                new.append(finding)
        return new, hidden

    def stale(self) -> list[Entry]:
        """Entries of the files checked that hid fewer findings than they list (fixed since)."""
        return [
            replace(e, count=self._left[key])
            for key, e in sorted(self._lines.items())
            if e.path in self._checked and self._left[key] > 0
        ]


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file written by ``write_baseline``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {error})") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != VERSION:
        raise BaselineError(f"{path}: not a baseline file (no '{FORMAT_KEY}': {VERSION})")
    try:
        return Baseline(
            Entry(e["path"], e["code"], e["field"], e["fingerprint"], int(e["count"]))
            for e in document.get("findings", [])
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BaselineError(f"{path}: an entry is malformed ({error!r})") from None
