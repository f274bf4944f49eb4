"""The outcome of a validation run: findings by file, counts, the exit status and the summary.

Every file checked has a ``FileResult``, with or without findings (JUnit shows a passing test case
for a clean file). Collection findings (``SET``) are already attached to each file they concern, so
every finding has a file - which every CI format needs. The formatters in ``catalog.lint.formats``
only read a ``Report``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from catalog.core.findings import Finding, Severity
from catalog.core.rules import Rule, all_rules
from catalog.lint.baseline import Entry

#: Exit statuses, as linters use them.
EXIT_OK, EXIT_FAILED = 0, 1  # 2, a command that could not do its job: cli.options.CommandError


@dataclass(frozen=True)
class FileResult:
    """One file checked and the findings reported about it (path relative to the root, ``/``)."""

    path: str
    findings: tuple[Finding, ...] = ()


@dataclass
class Report:
    """Everything a formatter shows."""

    files: list[FileResult]
    fail_on: Severity | None = Severity.ERROR
    selected: frozenset[str] = frozenset()
    severities: dict[str, Severity] = field(default_factory=dict)  # rule severities in force
    ignored: int = 0
    baselined: int = 0
    stale: list[Entry] = field(default_factory=list)

    def findings(self) -> Iterator[tuple[FileResult, Finding]]:
        for result in self.files:
            for finding in result.findings:
                yield result, finding

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` is at or above the failure threshold."""
        return self.fail_on is not None and finding.severity >= self.fail_on

    @property
    def exit_status(self) -> int:
        failed = any(self.fails(finding) for _, finding in self.findings())
        return EXIT_FAILED if failed else EXIT_OK

    def counts(self) -> Counter[Severity]:
        return Counter(finding.severity for _, finding in self.findings())

    def rules(self) -> list[Rule]:
        """The rules selected, in code order (for SARIF's rule table and documentation)."""
        return [rule for rule in all_rules() if rule.code in self.selected]

    def rule_severity(self, rule: Rule) -> Severity:
        return self.severities.get(rule.code, rule.severity)

    def summary(self) -> str:
        """The closing line: files, findings by severity, what was hidden, the threshold."""
        counts = self.counts()
        with_findings = sum(1 for result in self.files if result.findings)
        parts = [
            _plural(counts[Severity.ERROR], "error"),
            _plural(counts[Severity.WARNING], "warning"),
            f"{counts[Severity.INFO]} info",
        ]
        hidden = []
        if self.baselined:
            hidden.append(f"{self.baselined} baselined")
        if self.ignored:
            hidden.append(f"{self.ignored} ignored")
        line = (
            f"{_plural(len(self.files), 'file')} checked: {', '.join(parts)} "
            f"in {_plural(with_findings, 'file')}"
        )
        if hidden:
            line += f" ({', '.join(hidden)})"
        threshold = "never fails" if self.fail_on is None else f"fail-on {self.fail_on.value}"
        verdict = "failed" if self.exit_status == EXIT_FAILED else "passed"
        line += f"; {verdict} ({threshold})."
        if self.stale:
            line += (
                f" {_plural(len(self.stale), 'baseline entry', 'baseline entries')} match"
                " nothing any more: rewrite the baseline with --write-baseline."
            )
        return line


def where(finding: Finding) -> str:
    """The field a finding is about, with its part: ``caption.date``."""
    return finding.field + (f".{finding.part}" if finding.part else "")


def line_of(finding: Finding) -> int | None:
    """The line of a text file (an article) the finding points at, when it has one: the photo
    block's first line. Images have no lines."""
    line = finding.values.get("line")
    return line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None


def located(path: str, finding: Finding) -> str:
    """``path:line`` for a finding with a line, else ``path``."""
    line = line_of(finding)
    return f"{path}:{line}" if line else path


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
