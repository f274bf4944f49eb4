"""``validate``: check files and build the report - discovery, per-file analysis, collection
rules, then selection, severity overrides and the baseline, in that order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from catalog.analysis.analyze import MAX_FILE_BYTES, AnalysisContext
from catalog.analysis.check import FileCheck, Opener, check_files, pictures, unreadable
from catalog.analysis.companions import check_article_record, read_articles, read_manifests
from catalog.analysis.digest import HEAD_BYTES
from catalog.core.collection import Member, check_collection, needs_pictures
from catalog.core.findings import Finding
from catalog.core.merge import virin_key
from catalog.core.rules import get_rule
from catalog.files.remote import Mirror
from catalog.files.untrusted import open_untrusted
from catalog.lint.baseline import Baseline
from catalog.lint.config import Config
from catalog.lint.discover import Targets, discover, shown_path
from catalog.lint.policy import Policy, path_spec
from catalog.lint.report import FileResult, Report
from catalog.pool import Limits
from catalog.readers.article import Article, index_by_virin
from catalog.readers.manifest import Manifest, ManifestRows, combine


def validate(
    paths: Iterable[Path | str],
    config: Config,
    policy: Policy,
    *,
    today: dt.date,
    baseline: Baseline | None = None,
    limits: Limits | None = None,
    jobs: int | None = None,
    whole_set_from: Iterable[Path] = (),
    storage: Mapping[str, Any] | None = None,
) -> Report:
    """Check the files ``paths`` stand for and report what ``policy`` selects.

    ``today`` is the date the rules check against (the command reads the clock); only the rules
    ``policy`` selects are run. Every manifest and image is analysed in an isolated worker within
    ``limits``, on ``jobs`` workers (all cores when None). The images ``whole_set_from`` stands
    for join the whole-set rules only (a pre-commit hook hands over the staged files, and a VIRIN
    reused from an earlier commit is still one VIRIN on two pictures); only findings on the files
    of ``paths`` are reported.

    A URL among ``paths`` is read where it is (``storage``: where to connect, ``endpoint_url``):
    its images in ranged requests, the first ``HEAD_BYTES`` and only the blocks a reader seeks to
    beyond them (``catalog.files.remote.Mirror``), and reported by its URL.
    """
    limits = limits or Limits()
    with Mirror(storage, HEAD_BYTES) as mirror:
        show = partial(shown_path, root=config.root, mirror=mirror)
        targets = discover(paths, config.root, config.exclude, config.default_exclude, mirror)
        manifests, rows, combined = read_listed(targets, config, limits, show)
        articles = read_articles(list(targets.articles), limits)
        context = AnalysisContext(
            tables=config.tables,
            today=today,
            selected=policy.selected,
            profile=config.profile,
            manifest_rows=rows,
            article_records=index_by_virin(r for a in articles for r in a.records),
            thumbnail_size=None,
        )
        checks = list(check_files(targets.images, context, limits, jobs, mirror.open))
        checks += [unreadable(path, reason) for path, reason in targets.problems.items()]
        raw: dict[str, list[Finding]] = {show(m.path): list(m.findings) for m in manifests}
        for finding in combined:  # a file two manifests describe: said about the second
            raw[show(Path(str(finding.values["file"])))].append(finding)
        for check in checks:
            raw[show(check.path)] = list(check.findings)
        carried = {virin_key(check.virin) for check in checks if check.virin}
        for path, article in zip(targets.articles, articles, strict=True):
            if article.records or article.findings:  # a text file without photo blocks is no page
                raw[show(path)] = _article_findings(article, carried, context)
        others = _set_members(whole_set_from, targets, config, context, limits, jobs)
        collection = _collection_findings(checks + others, show, limits, jobs, mirror.open)
        for path, findings in collection.items():
            if path in raw:  # a file of ``whole_set_from`` only: its own findings are not asked for
                raw[path].extend(findings)
        if mirror.staged:
            raw = {path: [_with_urls(f, mirror) for f in found] for path, found in raw.items()}
    return build_report(raw.items(), config, policy, baseline)


def read_listed(
    targets: Targets,
    config: Config,
    limits: Limits,
    show: Callable[[Path], str] | None = None,
) -> tuple[list[Manifest], ManifestRows, list[Finding]]:
    """The manifests among ``targets``, read; their rows combined as the import combines them (a
    file two manifests describe weighs both rows' release values, a manifest that cannot be tied
    to its files fails its folder's release closed), so validate, fix and import decide release
    alike; and the findings the combination adds. The images the manifests list are added to
    ``targets`` unless ``exclude`` or the default excludes match them (as ``show`` names them:
    by default their path under the root), as the walk skips them."""
    show = show or partial(shown_path, root=config.root)
    manifests = read_manifests(list(targets.manifests), limits)
    rows, combined = combine(manifests)
    excluded = path_spec([*config.exclude, *config.default_exclude])
    for image in rows:
        if not excluded.match_file(show(image)):
            targets.images.setdefault(image, None)
    return manifests, rows, combined


def _with_urls(finding: Finding, mirror: Mirror) -> Finding:
    """``finding`` with the paths of ``mirror``'s stand-ins in its text written as URLs."""
    values = {k: mirror.to_urls(v) if isinstance(v, str) else v for k, v in finding.values.items()}
    return replace(finding, message=mirror.to_urls(finding.message), values=values)


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
    checks: list[FileCheck],
    show: Callable[[Path], str],
    limits: Limits,
    jobs: int | None,
    open_file: Opener,
) -> dict[str, list[Finding]]:
    """SET findings over the files that carry a VIRIN. The pixels of the files that share a VIRIN
    with different content are decoded (and only those): one picture in several forms is a
    derivative, not a conflict."""
    named = [check for check in checks if check.virin and check.size is not None]
    paths, sizes = [check.path for check in named], [check.size for check in named]
    keys = content_keys(paths, sizes, open_file)
    members = [
        Member(str(check.path), key, check.virin) for check, key in zip(named, keys, strict=True)
    ]
    decoded = pictures([Path(path) for path in needs_pictures(members)], limits, jobs, open_file)
    return check_collection(
        Member(show(Path(m.path)), m.content, m.virin, decoded.get(Path(m.path))) for m in members
    )


def content_keys(
    paths: list[Path], sizes: list[int], open_file: Opener = open_untrusted
) -> list[str]:
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
            f"{key}/{read(path, open_file)}" if counts[key] > 1 else key
            for key, path in zip(keys, paths, strict=True)
        ]
    return keys


def _head_digest(path: Path, open_file: Opener) -> str:
    """The SHA-256 of the first ``HEAD_BYTES``: the same head the import stores per location."""
    return _hashed(path, open_file, lambda handle: hashlib.sha256(handle.read(HEAD_BYTES)))


def _digest(path: Path, open_file: Opener) -> str:
    return _hashed(path, open_file, lambda handle: hashlib.file_digest(handle, "sha256"))


def _hashed(path: Path, open_file: Opener, digest: Callable[[BinaryIO], Any]) -> str:
    """``digest`` of the file at ``path``, opened by ``open_file``."""
    try:
        with open_file(path, MAX_FILE_BYTES) as handle:
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
        # Most files of a catalog have no finding: nothing to select, override or ignore.
        kept, ignored = policy.apply(path, found) if found else ([], 0)
        baselined = 0
        if baseline is not None:
            kept, baselined = baseline.filter(path, kept)
        yield FileResult(path, tuple(kept), ignored=ignored, baselined=baselined)
