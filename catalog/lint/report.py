"""The outcome of a validation run: findings by file, counts, the exit status and the summary.

Every file checked has a ``FileResult``, with or without findings (JUnit shows a passing test case
for a clean file). Collection findings (``SET``) are already attached to each file they concern, so
every finding has a file - which every CI format needs. The formatters in ``catalog.lint.formats``
only read a ``Report``.

A report is a stream, read once: ``files()`` yields each file's result as the check (or the
catalog's query) produces it, and the totals - counts, files with findings, what was hidden, the
stale baseline entries, the exit status - are gathered in that same pass, so they are known once
it has ended. A catalog of a million files would need gigabytes to hold every result; the totals
are a few numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from catalog.core.findings import Finding, Severity
from catalog.core.rules import Rule, all_rules
from catalog.lint.baseline import Entry

#: Exit statuses, as linters use them.
EXIT_OK, EXIT_FAILED = 0, 1  # 2, a command that could not do its job: cli.options.CommandError

T = TypeVar("T")


@dataclass(frozen=True)
class FileResult:
    """One file checked and the findings reported about it (path relative to the root, ``/``),
    with how many the policy ignored and the baseline hid."""

    path: str
    findings: tuple[Finding, ...] = ()
    ignored: int = 0
    baselined: int = 0


class Report:
    """Everything a formatter shows: the results of ``files()``, then the totals."""

    def __init__(
        self,
        results: Iterable[FileResult],
        *,
        fail_on: Severity | None = Severity.ERROR,
        selected: frozenset[str] = frozenset(),
        severities: dict[str, Severity] | None = None,
        stale: Callable[[], list[Entry]] = list,
    ) -> None:
        self.fail_on = fail_on
        #: The severities at or above ``fail_on``: a set test per finding, not a comparison.
        self._failing = frozenset(s for s in Severity if fail_on is not None and s >= fail_on)
        self.selected = selected
        self.severities = severities or {}  # rule severities in force
        self._results = results
        self._stale = stale
        self._read = False
        self._ended = False
        self._counts: Counter[Severity] = Counter()
        self._checked = self._with_findings = self._ignored = self._baselined = 0
        self._failed = False
        self._stale_entries: list[Entry] = []

    def files(self) -> Iterator[FileResult]:
        """Every file's result, in the order checked; a report is read once."""
        if self._read:
            raise RuntimeError("a report's files are read once")
        self._read = True
        for result in self._results:
            self._count(result)
            yield result
        self._stale_entries = self._stale()
        self._ended = True

    def findings(self) -> Iterator[tuple[FileResult, Finding]]:
        for result in self.files():
            for finding in result.findings:
                yield result, finding

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` is at or above the failure threshold."""
        return finding.severity in self._failing

    def rules(self) -> list[Rule]:
        """The rules selected, in code order (for SARIF's rule table and documentation)."""
        return [rule for rule in all_rules() if rule.code in self.selected]

    def rule_severity(self, rule: Rule) -> Severity:
        return self.severities.get(rule.code, rule.severity)

    # The totals: known once ``files()`` has been read to its end.

    @property
    def checked(self) -> int:
        """How many files were checked."""
        return self._total(self._checked)

    @property
    def ignored(self) -> int:
        return self._total(self._ignored)

    @property
    def baselined(self) -> int:
        return self._total(self._baselined)

    @property
    def stale(self) -> list[Entry]:
        """The baseline entries of the files checked that match nothing any more."""
        return self._total(self._stale_entries)

    @property
    def exit_status(self) -> int:
        return EXIT_FAILED if self._total(self._failed) else EXIT_OK

    def counts(self) -> Counter[Severity]:
        return self._total(self._counts)

    def summary(self) -> str:
        """The closing line: files, findings by severity, what was hidden, the threshold."""
        counts = self.counts()
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
            f"{_plural(self.checked, 'file')} checked: {', '.join(parts)} "
            f"in {_plural(self._with_findings, 'file')}"
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

    def _count(self, result: FileResult) -> None:
        self._checked += 1
        self._ignored += result.ignored
        self._baselined += result.baselined
        if result.findings:
            self._with_findings += 1
            counts, failing = self._counts, self._failing
            for finding in result.findings:
                counts[finding.severity] += 1
                self._failed = self._failed or finding.severity in failing

    def _total(self, value: T) -> T:
        if not self._ended:
            raise RuntimeError("a report's totals are known once its files have been read")
        return value


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
