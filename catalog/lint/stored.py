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
from collections.abc import Iterable, Sequence
from pathlib import Path

from catalog.core.collection import Member, check_collection
from catalog.core.file_rules import FILE_NOT_ANALYZED
from catalog.core.findings import Finding, Severity
from catalog.core.rules import get_rule
from catalog.lint.config import Config
from catalog.lint.discover import shown_path


def stored_findings(
    locations: Sequence[tuple], rows: Iterable[tuple], config: Config, paths: Iterable[Path] = ()
) -> dict[str, list[Finding]]:
    """The findings a catalog stored, by shown path, with the SET findings; only the locations
    under ``paths`` when any are given. ``locations`` and ``rows`` are what the catalog's
    ``reported_locations`` and ``present_findings`` give: the command reads them, so the linter
    itself never opens a database."""
    within = [Path(p).absolute() for p in paths]
    wanted = [loc for loc in locations if not within or _under(Path(loc[0]), within)]
    shown = {loc[0]: shown_path(Path(loc[0]), config.root) for loc in wanted}
    raw: dict[str, list[Finding]] = {name: [] for name in shown.values()}
    for path, _, status, code, reason, *_ in wanted:
        if status == "skipped":
            raw[shown[path]].append(_skipped(Path(path), code, reason or ""))
    for path, code, severity, message, field, part, values in rows:
        if path in shown:
            raw[shown[path]].append(
                Finding(code, Severity(severity), message, field, part, json.loads(values or "{}"))
            )
    members = [
        Member(shown[path], sha, virin, picture)
        for path, sha, status, _, _, virin, picture in wanted
        if status == "present"
    ]
    for shown, findings in check_collection(members).items():
        raw[shown].extend(findings)
    return raw


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
