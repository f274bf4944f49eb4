"""Which findings are reported, and at what severity: select, ignore, per-path ignores, overrides.

Codes are given as ruff takes them: a full code (``VIR010``), a prefix (``VIR``, ``VIR0``) or
``ALL``; every pattern must match at least one registered rule, so that a typo in a configuration
is an error instead of a check silently turned off. Path patterns are gitignore-style (pathspec),
matched against the path relative to the project root: ``legacy/`` is that folder at any depth,
``/legacy/`` only at the root, ``*.png`` every PNG, ``photos/**/old-*.jpg`` what it says.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pathspec

from catalog.core.findings import Finding, Severity
from catalog.core.rules import Lifecycle, get_rule, named_by
from catalog.lint.config import Config, ConfigError


def expand(patterns: Iterable[str], where: str, *, selecting: bool = False) -> frozenset[str]:
    """The rule codes ``patterns`` name; ``where`` (file and key) goes into the error message.

    ``selecting``: the patterns choose what runs, so ``ALL`` and prefixes leave preview rules out
    (``rules.named_by``). Selecting a removed rule is an error, as selecting a code that never
    existed is; ignoring one names nothing (it never runs), so an old configuration still loads.
    """
    selected: set[str] = set()
    for pattern in patterns:
        matched = named_by(pattern, selecting=selecting)
        removed = _removed(pattern)
        if not matched and removed is not None and selecting:
            raise ConfigError(
                f"{where}: {removed} was removed and never runs (see `catalog rules {removed}`)"
            )
        if not matched and removed is None:
            raise ConfigError(f"{where}: {pattern!r} matches no rule code (see `catalog rules`)")
        selected.update(matched)
    return frozenset(selected)


def _removed(pattern: str) -> str | None:
    """The code ``pattern`` spells when it is the full code of a removed rule."""
    try:
        rule = get_rule(pattern.strip())
    except KeyError:
        return None
    return rule.code if rule.lifecycle is Lifecycle.REMOVED else None


def path_spec(patterns: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """A gitignore-style matcher for ``patterns``."""
    return pathspec.GitIgnoreSpec.from_lines(patterns)


@dataclass(frozen=True)
class Policy:
    """The selection and severity rules in force, applied to each finding of each file."""

    selected: frozenset[str]
    per_path: tuple[tuple[pathspec.GitIgnoreSpec, frozenset[str]], ...] = ()
    overrides: Mapping[str, Severity] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
    ) -> Policy:
        """The policy of ``config``; ``select`` replaces its selection, ``ignore`` adds to it
        (as ruff's ``--select`` and ``--ignore`` do)."""
        source = config.source
        chosen = (
            expand(select, "--select", selecting=True)
            if select
            else expand(config.select, f"{source}: 'select'", selecting=True)
        )
        dropped = expand(config.ignore, f"{source}: 'ignore'") | expand(ignore, "--ignore")
        per_path = tuple(
            (path_spec([pattern]), expand(codes, f"{source}: 'per-path-ignores' {pattern!r}"))
            for pattern, codes in config.per_path_ignores.items()
        )
        for code in config.severity:
            expand([code], f"{source}: 'severity'")
        overrides = dict(sorted(config.severity.items(), key=lambda item: -len(item[0])))
        return cls(chosen - dropped, per_path, {k.upper(): v for k, v in overrides.items()})

    def severity(self, code: str, default: Severity) -> Severity:
        """The severity of ``code``: the longest matching override, else ``default``."""
        for prefix, severity in self.overrides.items():
            if code.startswith(prefix):
                return severity
        return default

    def ignored_at(self, path: str) -> frozenset[str]:
        """The codes per-path ignores switch off for ``path`` (relative, with ``/``)."""
        codes: set[str] = set()
        for spec, ignored in self.per_path:
            if spec.match_file(path):
                codes |= ignored
        return frozenset(codes)

    def apply(self, path: str, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings of ``path`` that are reported, with their severity in force, and how many
        were dropped by the selection."""
        off = self.ignored_at(path) if self.per_path else frozenset()
        kept = []
        dropped = 0
        for finding in findings:
            if finding.code not in self.selected or finding.code in off:
                dropped += 1
                continue
            if self.overrides:
                severity = self.severity(finding.code, finding.severity)
                if severity is not finding.severity:
                    finding = dataclasses.replace(finding, severity=severity)
            kept.append(finding)
        return kept, dropped
