"""Findings: what a rule says about one value.

A finding is plain data (a frozen dataclass, cheap to create by the thousand in an import) so that
every layer - the CLI, the SQLite store, the linter's report formats - can carry it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How serious a finding is; ordered so that ``max()`` gives the worst."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def colour(self) -> str:
        """The colour every terminal output gives this severity (a ``click.style`` name)."""
        return _COLOURS[self]

    # str's own comparisons are alphabetical ("warning" > "error"); compare by rank instead.
    def __lt__(self, other: object) -> bool:
        return self.rank < Severity(other).rank

    def __le__(self, other: object) -> bool:
        return self.rank <= Severity(other).rank

    def __gt__(self, other: object) -> bool:
        return self.rank > Severity(other).rank

    def __ge__(self, other: object) -> bool:
        return self.rank >= Severity(other).rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_COLOURS = {Severity.INFO: "blue", Severity.WARNING: "yellow", Severity.ERROR: "red"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One deviation from the rules.

    ``field`` is the record field concerned (``virin``, ``credit``, ``caption`` ...); ``part``
    narrows it down where the value has structure (the ``date`` part of a VIRIN, the ``rank`` of a
    credit).
    ``values`` holds the values involved, so a report can show them without re-parsing the message.
    """

    code: str
    severity: Severity
    message: str
    field: str
    part: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "field": self.field,
            "part": self.part,
            "values": dict(self.values),
        }


def worst(findings: list[Finding] | tuple[Finding, ...]) -> Severity | None:
    """The most serious severity among ``findings``, or None when there are none."""
    return max((f.severity for f in findings), default=None)


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters for quoting in a finding's message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
