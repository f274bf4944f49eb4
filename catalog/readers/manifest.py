"""CSV manifests: one row per file, columns named like the record's fields.

Format: UTF-8 (a byte-order mark is allowed), any line ends, quoted fields may span lines. The
header has a ``file`` column and record field names (matched case-insensitively); any other name
makes the whole manifest unusable rather than silently dropping a column with a typo.

Each row names a file relative to the manifest's folder (``/`` or ``\\`` as separators); a path
that leaves that folder - ``..``, an absolute path, a symbolic link pointing out - is rejected,
since manifests are attacker-controlled. Cells convert to the record's types: text as is,
``keywords`` split on ``;``, dates ``YYYY-MM-DD``, date-times ISO 8601, numbers with a dot. An empty
cell means "not given". A bad cell drops that value only, a bad path or a second row for the same
file drops the row; each finding names the manifest and the row.

Rows are numbered as a spreadsheet shows them: the header is row 1, so the first file is row 2
(a quoted multi-line cell still counts as one row). A row's source label is
``manifest:photos.csv#2``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from catalog.core.file_rules import MANIFEST_INVALID, MANIFEST_ROW_INVALID
from catalog.core.findings import Finding, shorten
from catalog.core.merge import SourceValues
from catalog.core.record import AssetRecord
from catalog.files.untrusted import NotReadable, read_regular
from catalog.readers.fields import Collector, kind

FILE_COLUMN = "file"
KEYWORD_SEPARATOR = ";"
#: Manifests larger than this are refused unread.
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class ManifestRow:
    """One usable row: the file it describes (resolved) and its values as a source."""

    path: Path
    row: int
    source: SourceValues


@dataclass(frozen=True)
class Manifest:
    """A manifest's rows by resolved file path, and the findings about rows that were dropped."""

    path: Path
    rows: dict[Path, ManifestRow] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def row_for(self, image: Path) -> ManifestRow | None:
        return self.rows.get(image.resolve())


def read_manifest(path: Path) -> Manifest:
    """Read a CSV manifest. Raises OSError only when the file cannot be opened at all."""
    findings: list[Finding] = []
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES)
    except NotReadable as error:
        return Manifest(path, findings=(_invalid(path, str(error)),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        where = f"line {line}, byte {error.start}: {error.reason}"
        findings.append(_invalid(path, f"is not UTF-8 ({where}); save it as UTF-8"))
        return Manifest(path, findings=tuple(findings))
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    result: dict[Path, ManifestRow] = {}
    try:
        header = next(rows, None)
        columns = _columns(path, header, findings)
        if columns is not None:
            _rows(path, columns, rows, findings, result)
    except csv.Error as error:  # broken quoting: where the next row starts is unknown
        message = f"is not valid CSV at line {rows.line_num}: {error}"
        kept = f"; the rows before it ({len(result)}) were read" if result else ""
        findings.append(_invalid(path, f"{message}; the rest was ignored{kept}"))
    return Manifest(path, result, tuple(findings))


def _invalid(path: Path, message: str) -> Finding:
    return MANIFEST_INVALID.finding(f"manifest {path.name} {message}", field="*", file=str(path))


def _columns(path: Path, header: list[str] | None, findings: list[Finding]) -> list[str] | None:
    if not header:
        findings.append(_invalid(path, "is empty"))
        return None
    columns = [name.strip().lower() for name in header]
    unknown = [n for n in columns if n != FILE_COLUMN and n not in AssetRecord.model_fields]
    repeated = sorted({n for n in columns if columns.count(n) > 1})
    problems = []
    if FILE_COLUMN not in columns:
        problems.append(f"has no {FILE_COLUMN!r} column")
    if unknown:
        problems.append(f"has columns that are not record fields: {', '.join(unknown)}")
    if repeated:
        problems.append(f"repeats columns: {', '.join(repeated)}")
    if problems:
        findings.append(_invalid(path, "; ".join(problems)))
        return None
    return columns


def _rows(
    path: Path,
    columns: list[str],
    rows,
    findings: list[Finding],
    result: dict[Path, ManifestRow],
) -> None:
    """Add the usable rows to ``result`` as they are read (a CSV error keeps those before it)."""
    root = path.parent.resolve()
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        label = f"manifest:{path.name}#{number}"
        target, problem = _target(root, columns, cells)
        if problem is None and target in result:
            problem = f"describes the same file as row {result[target].row}"
        if problem is not None:
            findings.append(
                MANIFEST_ROW_INVALID.finding(
                    f"manifest {path.name} row {number} {problem}; the row was ignored",
                    field="*",
                    file=str(path),
                    row=number,
                )
            )
            continue
        result[target] = ManifestRow(target, number, _values(label, columns, cells))


def _target(root: Path, columns: list[str], cells: list[str]) -> tuple[Path, str | None]:
    if len(cells) > len(columns):
        return root, f"has {len(cells)} cells for {len(columns)} columns"
    index = columns.index(FILE_COLUMN)
    name = cells[index].strip() if index < len(cells) else ""
    if not name:
        return root, "names no file"
    try:
        target = (root / name.replace("\\", "/")).resolve()
        if not target.is_relative_to(root):
            return target, f"names {name!r}, which is outside the manifest's folder"
        if not target.is_file():
            return target, f"names {name!r}, which does not exist"
    except (OSError, ValueError) as error:  # a NUL in the name, a name too long for the system
        return root, f"names {shorten(repr(name))}, which cannot be a file's name: {error}"
    return target, None


def _values(label: str, columns: list[str], cells: list[str]) -> SourceValues:
    collector = Collector("manifest", label, invalid=MANIFEST_ROW_INVALID)
    for column, cell in zip(columns, cells, strict=False):
        if column == FILE_COLUMN or not cell.strip():
            continue
        where = f"column {column}"
        if kind(column) == "list":
            items = [item.strip() for item in cell.split(KEYWORD_SEPARATOR) if item.strip()]
            collector.put(column, items, where=where)
        elif kind(column) == "text":
            collector.put(column, cell, where=where)
        else:
            collector.put(column, cell.strip(), where=where, mode="text")
    return collector.result()
