"""CSV manifests: one row per file, columns named like the record's fields.

Format: UTF-8 (a byte-order mark is allowed), any line ends, quoted fields may span lines. The
header has a ``file`` column and record field names (matched case-insensitively); any other name
makes the whole manifest unusable rather than silently dropping a column with a typo.

Each row names a file relative to the manifest's folder (``/`` or ``\\`` as separators); a path
that leaves that folder - ``..``, an absolute path, a symbolic link pointing out - is rejected,
since manifests are attacker-controlled. Cells convert to the record's types: text as is,
``keywords`` split on ``;``, dates ``YYYY-MM-DD``, date-times ISO 8601, numbers with a dot. An empty
cell means "not given". A bad cell drops that value only, a bad path or a second row for the same
file drops the row; each finding names the manifest and the row. For release nothing is dropped
silently: a dropped row that names a file, and every row of a manifest refused for its header,
leave that file a release value that could not be used (the asset is held back), and a second
row's release values are weighed with the first row's (a conflict when they differ).

A manifest that cannot be tied to its files - unreadable, not UTF-8, without a ``file`` column,
broken CSV partway (the files after the break are unknown), lost with its worker - fails closed
for its whole folder tree: every image in the manifest's folder or below gets a release value
that could not be used (``Manifest.untied`` says why), so none is published until the manifest is
fixed. And two manifests of one run describing the same file are weighed together for release
as two rows of one manifest are (``combine``): a conflict when they differ, never "the second
wins".

Rows are numbered as a spreadsheet shows them: the header is row 1, so the first file is row 2
(a quoted multi-line cell still counts as one row). A row's source label is
``manifest:photos.csv#2``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from catalog.core.file_rules import MANIFEST_INVALID, MANIFEST_ROW_INVALID
from catalog.core.findings import Finding, shorten
from catalog.core.merge import SourcedValue, SourceValues
from catalog.core.record import AssetRecord
from catalog.core.release import RELEASE_FIELDS
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
    """A manifest's rows by resolved file path, and the findings about rows that were dropped.

    ``untied`` says why the manifest cannot be tied to all the files it describes (None when it
    can): its folder tree is then held back for release (``ManifestRows``).
    """

    path: Path
    rows: dict[Path, ManifestRow] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    untied: str | None = None

    def row_for(self, image: Path) -> ManifestRow | None:
        return self.rows.get(image.resolve())


def read_manifest(path: Path) -> Manifest:
    """Read a CSV manifest. Raises OSError only when the file cannot be opened at all."""
    findings: list[Finding] = []
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES)
    except NotReadable as error:
        return Manifest(path, findings=(_invalid(path, str(error)),), untied=str(error))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        where = f"line {line}, byte {error.start}: {error.reason}"
        findings.append(_invalid(path, f"is not UTF-8 ({where}); save it as UTF-8"))
        return Manifest(path, findings=tuple(findings), untied="is not UTF-8")
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    result: dict[Path, ManifestRow] = {}
    untied = None
    try:
        header = next(rows, None)
        columns, refused = _columns(path, header, findings)
        if columns is not None:
            _rows(path, columns, rows, findings, result, refused)
        elif header:
            untied = f"has no {FILE_COLUMN!r} column"
    except csv.Error as error:  # broken quoting: where the next row starts is unknown
        message = f"is not valid CSV at line {rows.line_num}: {error}"
        kept = f"; the rows before it ({len(result)}) were read" if result else ""
        findings.append(_invalid(path, f"{message}; the rest was ignored{kept}"))
        untied = f"is not valid CSV from line {rows.line_num}"
    return Manifest(path, result, tuple(findings), untied)


@dataclass(frozen=True)
class ManifestRows(Mapping[Path, ManifestRow]):
    """The rows of a run's manifests by resolved file path (what ``read_asset`` looks up).

    ``held`` are (folder, source label, reason) of manifests that cannot be tied to their files:
    a file in such a folder or below gets, with its own row if it has one, release values that
    could not be used, so its release fails closed with a finding naming the manifest.
    """

    rows: dict[Path, ManifestRow] = field(default_factory=dict)
    held: tuple[tuple[Path, str, str], ...] = ()

    def __getitem__(self, path: Path) -> ManifestRow:
        row = self.rows.get(path)
        lost = [
            value
            for folder, label, reason in self.held
            if path.is_relative_to(folder)
            for value in _unusable(label, reason)
        ]
        if not lost:
            if row is None:
                raise KeyError(path)
            return row
        return _with_extra(row, path, 0, lost)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows or self.held)


def combine(manifests: Sequence[Manifest]) -> tuple[ManifestRows, list[Finding]]:
    """The rows of all of a run's manifests, and the findings the combination adds to each
    manifest's own (``Manifest.findings``).

    A file a second manifest describes keeps the first one's row, with the second row's release
    values weighed with it (a conflict when they differ) and a finding; a manifest that cannot be
    tied to its files holds back its folder tree (``ManifestRows.held``).
    """
    rows: dict[Path, ManifestRow] = {}
    held: list[tuple[Path, str, str]] = []
    findings: list[Finding] = []
    for manifest in manifests:
        name = manifest.path.name
        if manifest.untied is not None:
            reason = f"manifest {name} {manifest.untied}: which files it describes is unknown"
            held.append((manifest.path.parent.resolve(), f"manifest:{name}", reason))
        for target, row in manifest.rows.items():
            first = rows.get(target)
            if first is None:
                rows[target] = row
                continue
            rows[target] = _with_extra(first, target, first.row, release_values_of(row.source))
            findings.append(
                MANIFEST_ROW_INVALID.finding(
                    f"manifest {name} row {row.row} describes {target.name}, which "
                    f"{first.source.label} describes too; its release values are weighed with "
                    "that row's, its other values were ignored",
                    field="*",
                    file=str(manifest.path),
                    row=row.row,
                )
            )
    return ManifestRows(rows, tuple(held)), findings


def _invalid(path: Path, message: str) -> Finding:
    return MANIFEST_INVALID.finding(f"manifest {path.name} {message}", field="*", file=str(path))


def _columns(
    path: Path, header: list[str] | None, findings: list[Finding]
) -> tuple[list[str] | None, str | None]:
    """The column names, and why the manifest is refused when it is (None: it is not).

    A header with a ``file`` column but unknown or repeated names refuses the manifest's values,
    yet its rows still say which files it was about: those files are held back for release.
    """
    if not header:
        findings.append(_invalid(path, "is empty"))
        return None, None
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
        refused = f"manifest {path.name} was refused: {'; '.join(problems)}"
        return (columns if FILE_COLUMN in columns else None), refused
    return columns, None


def _rows(
    path: Path,
    columns: list[str],
    rows,
    findings: list[Finding],
    result: dict[Path, ManifestRow],
    refused: str | None,
) -> None:
    """Add the usable rows to ``result`` as they are read (a CSV error keeps those before it).

    Fail closed for release: a row that names a file but is dropped (or every row of a refused
    manifest) leaves that file a release value that could not be used; a second row for a file
    adds its release values to the first row's, to be weighed (a conflict when they differ).
    """
    root = path.parent.resolve()
    lost: dict[Path, list[SourcedValue]] = {}
    try:
        for number, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            label = f"manifest:{path.name}#{number}"
            target, problem = _target(root, columns, cells)
            if refused is not None:
                if target != root:
                    lost.setdefault(target, []).extend(_unusable(label, refused))
                continue
            if problem is None and target in result:
                first = result[target]
                problem = (
                    f"describes the same file as row {first.row}; its release values are "
                    "weighed with that row's, its other values"
                )
                lost.setdefault(target, []).extend(
                    release_values_of(_values(label, columns, cells))
                )
            elif problem is not None and target != root:
                lost.setdefault(target, []).extend(_unusable(label, f"row {number} {problem}"))
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
    finally:
        _attach(path, result, lost)


def _unusable(label: str, reason: str) -> list[SourcedValue]:
    return [SourcedValue(name, label, None, reason) for name in RELEASE_FIELDS]


def release_values_of(source: SourceValues) -> list[SourcedValue]:
    """The release values a row gives (usable or not), labelled with the row."""
    label = source.label
    given = [SourcedValue(n, label, v) for n, v in source.values.items() if n in RELEASE_FIELDS]
    return given + [v for v in source.extra if v.field in RELEASE_FIELDS]


def _attach(
    path: Path, result: dict[Path, ManifestRow], lost: dict[Path, list[SourcedValue]]
) -> None:
    """Give each file the release values of its dropped rows: with its usable row when it has
    one, else as a row of its own that gives nothing but them."""
    for target, values in lost.items():
        row = result.get(target)
        number = row.row if row else int(values[0].source.rsplit("#", 1)[1])
        result[target] = _with_extra(row, target, number, values)


def _with_extra(
    row: ManifestRow | None, path: Path, number: int, values: Sequence[SourcedValue]
) -> ManifestRow:
    """``row`` with ``values`` added to what it gives; without a row, a row ``number`` of its
    own (labelled as the first value) that gives nothing but them."""
    if row is None:
        row = ManifestRow(path, number, SourceValues("manifest", values[0].source, {}))
    return replace(row, source=replace(row.source, extra=(*row.source.extra, *values)))


def _target(root: Path, columns: list[str], cells: list[str]) -> tuple[Path, str | None]:
    """The file a row names (``root`` when it names none that exists) and what is wrong."""
    index = columns.index(FILE_COLUMN)
    name = cells[index].strip() if index < len(cells) else ""
    if not name:
        return root, "names no file"
    try:
        target = (root / name.replace("\\", "/")).resolve()
        if not target.is_relative_to(root):
            return root, f"names {name!r}, which is outside the manifest's folder"
        if not target.is_file():
            return root, f"names {name!r}, which does not exist"
    except (OSError, ValueError) as error:  # a NUL in the name, a name too long for the system
        return root, f"names {shorten(repr(name))}, which cannot be a file's name: {error}"
    if len(cells) > len(columns):
        return target, f"has {len(cells)} cells for {len(columns)} columns"
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
