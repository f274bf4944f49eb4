"""``validate``: check files and build the report - discovery, per-file analysis, collection
rules, then selection, severity overrides and the baseline, in that order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from catalog.analysis.analyze import MAX_FILE_BYTES, AnalysisContext
from catalog.analysis.check import FileCheck, check_files, unreadable
from catalog.analysis.companions import read_manifests
from catalog.core.collection import Member, check_collection
from catalog.core.findings import Finding
from catalog.core.rules import get_rule
from catalog.files.untrusted import open_untrusted
from catalog.lint.baseline import Baseline
from catalog.lint.config import Config
from catalog.lint.discover import discover, shown_path
from catalog.lint.policy import Policy, path_spec
from catalog.lint.report import FileResult, Report
from catalog.pool import Limits

#: Bytes read to tell apart files of equal size before hashing them whole.
HEAD_BYTES = 64 * 1024


def validate(
    paths: Iterable[Path],
    config: Config,
    policy: Policy,
    *,
    baseline: Baseline | None = None,
    today: dt.date | None = None,
    limits: Limits | None = None,
    jobs: int | None = None,
) -> Report:
    """Check the files ``paths`` stand for and report what ``policy`` selects.

    Every manifest and image is analysed in an isolated worker within ``limits``, on ``jobs``
    workers (all cores when None).
    """
    limits = limits or Limits()
    targets = discover(paths, config.root, config.exclude)
    manifests = read_manifests(list(targets.manifests), limits)
    excluded = path_spec(config.exclude)
    rows = {}
    for manifest in manifests:
        for image, row in manifest.rows.items():
            rows.setdefault(image, row)
            if not excluded.match_file(shown_path(image, config.root)):
                targets.images.setdefault(image, None)
    context = AnalysisContext(
        tables=config.tables,
        profile=config.profile,
        today=today,
        manifest_rows=rows,
        thumbnail_size=None,
    )
    checks = list(check_files(targets.images, context, limits, jobs))
    checks += [unreadable(path, reason) for path, reason in targets.problems.items()]
    raw: dict[str, list[Finding]] = {
        shown_path(m.path, config.root): list(m.findings) for m in manifests
    }
    for check in checks:
        raw[shown_path(check.path, config.root)] = list(check.findings)
    for path, findings in _collection_findings(checks, config).items():
        raw[path].extend(findings)
    return build_report(raw.items(), config, policy, baseline)


def _collection_findings(checks: list[FileCheck], config: Config) -> dict[str, list[Finding]]:
    """SET findings over the files that carry a VIRIN."""
    named = [check for check in checks if check.virin and check.size is not None]
    keys = content_keys([check.path for check in named], [check.size for check in named])
    members = [
        Member(shown_path(check.path, config.root), key, check.virin)
        for check, key in zip(named, keys, strict=True)
    ]
    return check_collection(members)


def content_keys(paths: list[Path], sizes: list[int]) -> list[str]:
    """A key per file, equal exactly when the contents are equal, reading as little as possible.

    As duplicate finders do: the size first (files of different sizes differ), then the SHA-256 of
    the first ``HEAD_BYTES`` (where the metadata is, so edited copies differ there), and the whole
    file's SHA-256 only for files that still collide - true copies. A folder of distinct photos is
    then checked without reading its image data.
    """
    keys = [f"size:{size}" for size in sizes]
    for read in (_head_digest, _digest):
        counts = Counter(keys)
        keys = [
            f"{key}/{read(path)}" if counts[key] > 1 else key
            for key, path in zip(keys, paths, strict=True)
        ]
    return keys


def _head_digest(path: Path) -> str:
    return _hashed(path, lambda handle: hashlib.sha256(handle.read(HEAD_BYTES)))


def _digest(path: Path) -> str:
    return _hashed(path, lambda handle: hashlib.file_digest(handle, "sha256"))


def _hashed(path: Path, digest: Callable[[BinaryIO], Any]) -> str:
    """``digest`` of the file at ``path``, opened as every untrusted file is."""
    try:
        with open_untrusted(path, MAX_FILE_BYTES) as handle:
            return digest(handle).hexdigest()
    except OSError:
        return f"unreadable:{path}"  # equal to no other file; the read error is reported already


def build_report(
    raw: Iterable[tuple[str, list[Finding]]],
    config: Config,
    policy: Policy,
    baseline: Baseline | None,
) -> Report:
    """The report of the findings ``raw`` ((shown path, findings) file by file, read once),
    after the policy and the baseline."""
    report = Report(
        files=[],
        fail_on=config.fail_on,
        selected=policy.selected,
        severities={c: policy.severity(c, get_rule(c).severity) for c in policy.selected},
    )
    for path, found in raw:
        kept, dropped = policy.apply(path, found)
        report.ignored += dropped
        if baseline is not None:
            kept, hidden = baseline.filter(path, kept)
            report.baselined += hidden
        report.files.append(FileResult(path, tuple(kept)))
    report.stale = baseline.stale() if baseline is not None else []
    return report
