"""The rule registry: every finding the catalog can emit has exactly one ``Rule`` here.

Rules are declared next to the check that emits them (``VIR003`` lives in ``core/virin.py``)
with ``define(...)``; this module only collects them. A check never builds a ``Finding`` by hand:
it calls ``RULE.finding(...)``, so a code, its default severity and its documentation cannot drift
apart.

Codes are stable: a code is never reused for a different meaning, and a retired rule keeps its code
reserved. The prefix names the family, as in ruff:

=======  ===============================================
prefix   family
=======  ===============================================
VIR      VIRIN grammar and parts (spec section 1)
CRD      credit lines and By-line (spec section 3)
CAP      captions (spec section 4)
REC      the record as a whole (schema, mandatory fields, byte limits, keywords)
REL      release, classification and OPSEC
SRC      disagreement between metadata sources (IPTC vs XMP, sidecar vs embedded, file name)
FIL      the file itself (unreadable, wrong format, skipped)
SET      the collection (one VIRIN on several contents, one content under several VIRINs)
=======  ===============================================
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from catalog.core.findings import Finding, Severity

_CODE = re.compile(r"^[A-Z]{3}\d{3}$")

#: Modules that declare rules; importing them fills the registry.
RULE_MODULES = (
    "catalog.core.virin",
    "catalog.core.credit",
    "catalog.core.caption",
    "catalog.core.release",
    "catalog.core.record_checks",
    "catalog.core.merge",
    "catalog.core.file_rules",
    "catalog.core.collection",
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A validation rule: stable code, default severity and its documentation."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    good: str
    bad: str
    fix: str

    def finding(
        self,
        message: str,
        *,
        field: str,
        part: str | None = None,
        severity: Severity | None = None,
        **values: Any,
    ) -> Finding:
        """A finding of this rule, at its default severity unless the check knows better."""
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            field=field,
            part=part,
            values=values,
        )


_REGISTRY: dict[str, Rule] = {}


def define(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    explanation: str,
    good: str,
    bad: str,
    fix: str,
) -> Rule:
    """Declare a rule. Called at import time by the module that owns the check."""
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must be three capitals and three digits")
    rule = Rule(code, name, severity, summary, explanation.strip(), good, bad, fix)
    existing = _REGISTRY.get(code)
    if existing is not None and existing != rule:
        raise ValueError(f"rule code {code} is declared twice ({existing.name}, {name})")
    _REGISTRY[code] = rule
    return rule


def _load_all() -> None:
    for module in RULE_MODULES:
        importlib.import_module(module)


def all_rules() -> list[Rule]:
    """Every rule the catalog knows, sorted by code."""
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule:
    """The rule with this code (case-insensitive); KeyError when there is none."""
    _load_all()
    return _REGISTRY[code.upper()]


def iter_codes(prefix: str) -> Iterator[str]:
    """Codes starting with ``prefix`` (``VIR``, ``VIR0`` ...), for select/ignore configuration."""
    prefix = prefix.upper()
    return (r.code for r in all_rules() if r.code.startswith(prefix))
