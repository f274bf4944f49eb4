"""``validate``: check files and build the report - discovery, per-file analysis, collection
rules, then selection, severity overrides and the baseline, in that order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from catalog.core.collection import Member, check_collection
from catalog.core.findings import Finding
from catalog.core.rules import get_rule
from catalog.lint.analysis import FileCheck, check_file
from catalog.lint.baseline import Baseline
from catalog.lint.config import Config
from catalog.lint.discover import discover, is_excluded, shown_path
from catalog.lint.policy import Policy
from catalog.lint.report import FileResult, Report
from catalog.readers.manifest import read_manifest


def validate(
    paths: Iterable[Path],
    config: Config,
    policy: Policy,
    *,
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> Report:
    """Check the files ``paths`` stand for and report what ``policy`` selects."""
    targets = discover(paths, config.root, config.exclude)
    manifests = [read_manifest(path) for path in targets.manifests]
    rows = {}
    for manifest in manifests:
        for image, row in manifest.rows.items():
            rows.setdefault(image, row)
            if not is_excluded(image, config.root, config.exclude):
                targets.images.setdefault(image, None)
    checks = [
        check_file(
            path, manifest_rows=rows, tables=config.tables, profile=config.profile, today=today
        )
        for path in targets.images
    ]
    raw: dict[str, list[Finding]] = {
        shown_path(m.path, config.root): list(m.findings) for m in manifests
    }
    for check in checks:
        raw[shown_path(check.path, config.root)] = list(check.findings)
    for path, findings in _collection_findings(checks, config).items():
        raw[path].extend(findings)
    return _report(raw, config, policy, baseline)


def _collection_findings(checks: list[FileCheck], config: Config) -> dict[str, list[Finding]]:
    """SET findings. Only files whose size another VIRIN-bearing file shares are hashed: files of
    different sizes cannot have equal content, so their size alone is a correct content key."""
    named = [check for check in checks if check.virin and check.size is not None]
    sizes = Counter(check.size for check in named)
    members = [
        Member(
            shown_path(check.path, config.root),
            _digest(check.path) if sizes[check.size] > 1 else f"size:{check.size}",
            check.virin,
        )
        for check in named
    ]
    return check_collection(members, tables=config.tables)


def _digest(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return f"unreadable:{path}"  # equal to no other file; the read error is reported already


def _report(
    raw: dict[str, list[Finding]], config: Config, policy: Policy, baseline: Baseline | None
) -> Report:
    report = Report(
        files=[],
        fail_on=config.fail_on,
        selected=policy.selected,
        severities={c: policy.severity(c, get_rule(c).severity) for c in policy.selected},
    )
    for path, found in raw.items():
        kept, dropped = policy.apply(path, found)
        report.ignored += dropped
        if baseline is not None:
            kept, hidden = baseline.filter(path, kept)
            report.baselined += hidden
        report.files.append(FileResult(path, tuple(kept)))
    report.stale = baseline.stale() if baseline is not None else []
    return report
