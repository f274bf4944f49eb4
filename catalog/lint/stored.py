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

Locations the import skipped are reported too: ``FIL001`` for a file that is not an image,
``FIL018`` for one that could not be read, with the import's reason.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from catalog.core.collection import Member, check_collection
from catalog.core.file_rules import FILE_NOT_ANALYZED, FILE_UNREADABLE, FILE_UNSUPPORTED
from catalog.core.findings import Finding, Severity
from catalog.lint.config import Config
from catalog.lint.discover import shown_path


class CatalogError(ValueError):
    """A catalog file that cannot be validated; the message names it."""


def stored_findings(
    db_path: Path, config: Config, paths: Iterable[Path] = ()
) -> dict[str, list[Finding]]:
    """The findings of the catalog at ``db_path`` by shown path, with the SET findings; only the
    locations under ``paths`` when any are given."""
    with closing(_connect(db_path)) as conn:
        locations = conn.execute(
            "SELECT l.path, l.sha256, l.status, l.skip_reason, a.virin FROM locations l "
            "LEFT JOIN assets a ON a.sha256 = l.sha256 "
            "WHERE l.status IN ('present', 'skipped') ORDER BY l.path"
        ).fetchall()
        rows = conn.execute(
            "SELECT f.path, f.code, f.severity, f.message, f.field, f.part, f.values_json "
            "FROM findings f JOIN locations l ON l.path = f.path AND l.sha256 = f.sha256 "
            "WHERE l.status = 'present' ORDER BY f.path, f.id"
        ).fetchall()
    within = [Path(p).absolute() for p in paths]
    wanted = [loc for loc in locations if not within or _under(Path(loc[0]), within)]
    shown = {loc[0]: shown_path(Path(loc[0]), config.root) for loc in wanted}
    raw: dict[str, list[Finding]] = {name: [] for name in shown.values()}
    for path, _, status, reason, _ in wanted:
        if status == "skipped":
            raw[shown[path]].append(_skipped(Path(path), reason or ""))
    for path, code, severity, message, field, part, values in rows:
        if path in shown:
            raw[shown[path]].append(
                Finding(code, Severity(severity), message, field, part, json.loads(values or "{}"))
            )
    members = [
        Member(shown[path], sha, virin)
        for path, sha, status, _, virin in wanted
        if status == "present"
    ]
    for shown, findings in check_collection(members).items():
        raw[shown].extend(findings)
    return raw


def _connect(db_path: Path) -> sqlite3.Connection:
    """A read-only connection; a file that is no catalog is a ``CatalogError``."""
    if not db_path.is_file():
        raise CatalogError(f"{db_path}: no catalog here (create one with `catalog import`)")
    try:
        conn = sqlite3.connect(f"{db_path.absolute().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM locations, findings, assets LIMIT 0")
    except sqlite3.Error as error:
        raise CatalogError(f"{db_path}: not a catalog made by `catalog import` ({error})") from None
    return conn


def _under(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or path.is_relative_to(folder) for folder in folders)


def _skipped(path: Path, reason: str) -> Finding:
    """The finding ``validate`` gives for what the import's skip ``reason`` says."""
    if reason.startswith(("not a JPEG", "not an image")):
        rule = FILE_UNSUPPORTED
    elif reason.startswith(("cannot be read", "folder cannot be read", "not a regular file")):
        rule = FILE_UNREADABLE
    else:  # stopped in its worker, too large, an internal error
        rule = FILE_NOT_ANALYZED
    return rule.finding(f"{path.name} was skipped by the import: {reason}", field="*")
