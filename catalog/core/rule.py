"""What a rule is: a stable code, a default severity, its documentation and its lifecycle.

Rules are declared next to the check that emits them (``VIR003`` lives in ``core/virin.py``)
with ``define(...)``, and collected in one table, ``core/rules.py``. A check never builds a
``Finding`` by hand: it calls ``RULE.finding(...)``, so a code, its default severity and its
documentation cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from catalog.core.findings import Finding, Severity

_CODE = re.compile(r"^[A-Z]{3}\d{3}$")


class Lifecycle(Enum):
    """Where a rule stands, as ruff's rule groups do.

    ``stable`` and ``deprecated`` rules run unless deselected (a deprecated one is on its way out
    and says so in ``catalog rules``); a ``preview`` rule runs only when its full code is selected
    (``--select VIR018``), never through a prefix or ``ALL``; a ``removed`` rule keeps its code
    reserved and never runs.
    """

    STABLE = "stable"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Rule:
    """A validation rule: stable code, default severity, documentation and lifecycle."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    good: str
    bad: str
    fix: str
    lifecycle: Lifecycle = Lifecycle.STABLE

    @property
    def runs_by_default(self) -> bool:
        """Whether ``ALL`` or a prefix selects the rule (stable and deprecated rules)."""
        return self.lifecycle in (Lifecycle.STABLE, Lifecycle.DEPRECATED)

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
    lifecycle: Lifecycle = Lifecycle.STABLE,
) -> Rule:
    """Declare a rule; the module that owns the check keeps it, ``core/rules.py`` lists it."""
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must be three capitals and three digits")
    return Rule(code, name, severity, summary, explanation.strip(), good, bad, fix, lifecycle)
