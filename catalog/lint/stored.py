"""``catalog validate --db FILE``: validate a catalog built by ``catalog import``, not the files.

The report is made of the findings the catalog *stored*, not of a re-check of its records. The
import ran the same per-file analysis as the linter (the readers, the merge and every record rule),
per location: a file's own sidecars, its file name and the IPTC/XMP copies it held are only known
to those stored findings - the merged record kept per content cannot bring them back. So the
stored findings are what the files said when they were read, and everything that is a question of
policy is applied now, as for files: select and ignore, per-path ignores, severity overrides,
``fail-on`` and the baseline. The whole-set rules run on the catalog's locations (path, content,
VIRIN). What the import decided stays decided: its profile and code tables (re-import to change
them, as for any stored result). The catalog file is opened read-only; no file it names is read.

Locations the import skipped are reported too, with the rule the import stored for the skip
(``FIL001`` not an image, ``FIL018`` could not be read, ``FIL019`` not analysed) and its reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from catalog.core.collection import Member, check_collection
from catalog.core.file_rules import FILE_NOT_ANALYZED
from catalog.core.findings import Finding, Severity
from catalog.core.rules import get_rule
from catalog.lint.config import Config
from catalog.lint.discover import shown_path


def stored_findings(
    locations: Iterable[tuple],
    rows: Iterable[tuple],
    members: Iterable[tuple],
    config: Config,
    paths: Iterable[Path] = (),
) -> Iterator[tuple[str, list[Finding]]]:
    """The findings a catalog stored, file by file (shown path, findings), with the SET findings;
    only the locations under ``paths`` when any are given. ``locations``, ``rows`` and
    ``members`` are what the catalog's ``reported_locations``, ``findings_by_path`` and
    ``collection_members`` give: the command reads them, so the linter itself never opens a
    database.

    One sorted pass: locations and findings both come in path order and are merged as they
    arrive, so nothing but the file at hand is held. The whole-set rules need only the
    locations whose VIRIN another content shares (``members``, grouped by SQL), a handful."""
    within = [Path(p).absolute() for p in paths]
    shown = _ShownPaths(config.root)
    collection = check_collection(
        Member(path, sha, virin, picture)
        for path, sha, virin, picture in members
        if not within or _under(Path(path), within)
    )
    found = iter(rows)
    pending = next(found, None)
    for path, sha256, status, code, reason in locations:
        wanted = not within or _under(Path(path), within)
        here: list[Finding] = []
        while pending is not None and pending[0] <= path:
            # A finding counts where its location is present with the content it was found in
            # (a missing file's findings, or the previous content's, are not the file's now);
            # only a location under ``paths`` has its findings decoded.
            if wanted and pending[0] == path and pending[1] == sha256 and status == "present":
                here.append(_stored(pending))
            pending = next(found, None)
        if not wanted:
            continue
        if status == "skipped":
            here.insert(0, _skipped(Path(path), code, reason or ""))
        if collection:
            here += collection.get(path, ())
        yield shown(path), here


class _ShownPaths:
    """``shown_path`` of locations in path order, worked out once per folder (the path
    arithmetic costs more than everything else ``validate --db`` does with a location)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder: str | None = None
        self.prefix = ""

    def __call__(self, path: str) -> str:
        folder, _, name = path.rpartition("/")
        if folder != self.folder:
            self.folder = folder
            self.prefix = shown_path(Path(folder or "/"), self.root) + "/"
            self.prefix = "" if self.prefix == "./" else self.prefix.replace("//", "/")
        return self.prefix + name


#: The severities by their stored names (a dictionary look-up, not an enum call per finding).
_SEVERITIES = {severity.value: severity for severity in Severity}


def _stored(row: tuple) -> Finding:
    _, _, code, severity, message, field, part, values = row
    decoded = json.loads(values) if values and values != "{}" else {}
    return Finding(code, _SEVERITIES[severity], message, field, part, decoded)


def _under(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def _skipped(path: Path, code: str, reason: str) -> Finding:
    """The finding ``validate`` gives for a location the import skipped: the rule it stored (a
    code this release does not know is still reported, as not analysed)."""
    try:
        rule = get_rule(code or "")
    except KeyError:
        rule = FILE_NOT_ANALYZED
    return rule.finding(f"{path.name} was skipped by the import: {reason}", field="*")
