"""``validate``: check files and build the report - discovery, per-file analysis, collection
rules, then selection, severity overrides and the baseline, in that order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from catalog.analysis.analyze import MAX_FILE_BYTES, AnalysisContext
from catalog.analysis.check import FileCheck, check_files, pictures, unreadable
from catalog.analysis.companions import check_article_record, read_articles, read_manifests
from catalog.analysis.digest import HEAD_BYTES
from catalog.core.collection import Member, check_collection, needs_pictures
from catalog.core.findings import Finding
from catalog.core.merge import virin_key
from catalog.core.rules import get_rule
from catalog.files.untrusted import open_untrusted
from catalog.lint.baseline import Baseline
from catalog.lint.config import Config
from catalog.lint.discover import Targets, discover, shown_path
from catalog.lint.policy import Policy, path_spec
from catalog.lint.report import FileResult, Report
from catalog.pool import Limits
from catalog.readers.article import Article, index_by_virin


def validate(
    paths: Iterable[Path],
    config: Config,
    policy: Policy,
    *,
    today: dt.date,
    baseline: Baseline | None = None,
    limits: Limits | None = None,
    jobs: int | None = None,
    whole_set_from: Iterable[Path] = (),
) -> Report:
    """Check the files ``paths`` stand for and report what ``policy`` selects.

    ``today`` is the date the rules check against (the command reads the clock); only the rules
    ``policy`` selects are run. Every manifest and image is analysed in an isolated worker within
    ``limits``, on ``jobs`` workers (all cores when None). The images ``whole_set_from`` stands
    for join the whole-set rules only (a pre-commit hook hands over the staged files, and a VIRIN
    reused from an earlier commit is still one VIRIN on two pictures); only findings on the files
    of ``paths`` are reported.
    """
    limits = limits or Limits()
    targets = discover(paths, config.root, config.exclude, config.default_exclude)
    manifests = read_manifests(list(targets.manifests), limits)
    articles = read_articles(list(targets.articles), limits)
    excluded = path_spec(config.exclude)
    rows = {}
    for manifest in manifests:
        for image, row in manifest.rows.items():
            rows.setdefault(image, row)
            if not excluded.match_file(shown_path(image, config.root)):
                targets.images.setdefault(image, None)
    context = AnalysisContext(
        tables=config.tables,
        today=today,
        selected=policy.selected,
        profile=config.profile,
        manifest_rows=rows,
        article_records=index_by_virin(r for a in articles for r in a.records),
        thumbnail_size=None,
    )
    checks = list(check_files(targets.images, context, limits, jobs))
    checks += [unreadable(path, reason) for path, reason in targets.problems.items()]
    raw: dict[str, list[Finding]] = {
        shown_path(m.path, config.root): list(m.findings) for m in manifests
    }
    for check in checks:
        raw[shown_path(check.path, config.root)] = list(check.findings)
    carried = {virin_key(check.virin) for check in checks if check.virin}
    for path, article in zip(targets.articles, articles, strict=True):
        if article.records or article.findings:  # a text file without photo blocks is no page
            raw[shown_path(path, config.root)] = _article_findings(article, carried, context)
    others = _set_members(whole_set_from, targets, config, context, limits, jobs)
    for path, findings in _collection_findings(checks + others, config, limits, jobs).items():
        if path in raw:  # a file of ``whole_set_from`` only: its own findings are not asked for
            raw[path].extend(findings)
    return build_report(raw.items(), config, policy, baseline)


def _article_findings(
    article: Article, carried: set[str], context: AnalysisContext
) -> list[Finding]:
    """The article's own findings, and the rules on each photo block no image checked carries
    (an image with the block's VIRIN was checked with the block merged into its record)."""
    findings = list(article.findings)
    for record in article.records:
        if not record.virin or virin_key(record.virin) not in carried:
            findings.extend(check_article_record(record, context))
    return findings


def _set_members(
    paths: Iterable[Path],
    checked: Targets,
    config: Config,
    context: AnalysisContext,
    limits: Limits,
    jobs: int | None,
) -> list[FileCheck]:
    """The images of ``paths`` not checked already, read for their VIRIN only (no rule runs on
    them), so the whole-set rules compare the checked files with them too."""
    paths = list(paths)
    if not paths:
        return []
    found = discover(paths, config.root, config.exclude, config.default_exclude).images
    others = [image for image in found if image not in checked.images]
    virin_only = replace(context, selected=frozenset())
    return list(check_files(others, virin_only, limits, jobs))


def _collection_findings(
    checks: list[FileCheck], config: Config, limits: Limits, jobs: int | None
) -> dict[str, list[Finding]]:
    """SET findings over the files that carry a VIRIN. The pixels of the files that share a VIRIN
    with different content are decoded (and only those): one picture in several forms is a
    derivative, not a conflict."""
    named = [check for check in checks if check.virin and check.size is not None]
    keys = content_keys([check.path for check in named], [check.size for check in named])
    members = [
        Member(str(check.path), key, check.virin) for check, key in zip(named, keys, strict=True)
    ]
    decoded = pictures([Path(path) for path in needs_pictures(members)], limits, jobs)
    return check_collection(
        Member(shown_path(Path(m.path), config.root), m.content, m.virin, decoded.get(Path(m.path)))
        for m in members
    )


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
    """The SHA-256 of the first ``HEAD_BYTES``: the same head the import stores per location."""
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
    """The report of the findings ``raw`` ((shown path, findings) file by file), after the policy
    and the baseline. Nothing is read yet: ``raw`` is read once, as the report is."""
    return Report(
        _kept(raw, policy, baseline),
        fail_on=config.fail_on,
        selected=policy.selected,
        severities={c: policy.severity(c, get_rule(c).severity) for c in policy.selected},
        stale=baseline.stale if baseline is not None else list,
    )


def _kept(
    raw: Iterable[tuple[str, list[Finding]]], policy: Policy, baseline: Baseline | None
) -> Iterator[FileResult]:
    """Each file's findings the policy keeps and the baseline does not hide, with how many of
    each were dropped."""
    for path, found in raw:
        kept, ignored = policy.apply(path, found)
        baselined = 0
        if baseline is not None:
            kept, baselined = baseline.filter(path, kept)
        yield FileResult(path, tuple(kept), ignored=ignored, baselined=baselined)
