"""The human label of every column the pages show, in one mapping.

A record field's label is its ``title`` in the record model (``catalog.core.record``), written
beside its description; the columns the catalog derives (``virin_service_name``) and those of its
other tables are labelled here. A column named nowhere gets its name in words ("file size"), with
the acronyms people write in capitals. Table headers, facet titles and the asset page all read
``label()``; the descriptions stay the tooltips (``store.schema.COLUMN_DESCRIPTIONS``).
"""

from __future__ import annotations

from catalog.core.record import field_titles

#: Columns whose name says less than a label should: derived asset columns and the other tables'.
_COLUMN_LABELS = {
    "sha256": "SHA-256",
    "shot_date": "Date shot",
    "virin_base": "VIRIN without variant",
    "virin_service": "Service code",
    "virin_service_name": "Service",
    "virin_originator": "Originator",
    "virin_originator_kind": "Originator kind",
    "virin_sequence": "Sequence number",
    "virin_variant": "Variant letter",
    "virin_country": "Photographer's country",
    "credit_organization": "Credited organization",
    "credit_service": "Credited service",
    "credit_unit": "Credited unit",
    "photographer_rank": "Rank",
    "photographer_name": "Photographer",
    "classification_marking": "Classification",
    "perceptual_hash": "Picture hash",
    "error_count": "Errors",
    "warning_count": "Warnings",
    "info_count": "Notes",
    "primary_path": "Path read",
    "first_run_id": "First import",
    "updated_run_id": "Last import",
    "code": "Rule",
    "values_json": "Values involved",
    "mtime_ns": "Modified (ns)",
    "ctime_ns": "Status changed (ns)",
    "head_sha256": "SHA-256 of the first 64 KiB",
    "skip_code": "Skip rule",
    "first_seen_run_id": "First seen by import",
    "read_run_id": "Read by import",
    "missing_since_run_id": "Missing since import",
    "given_run_id": "Given to import",
    "run_id": "Import",
    "infos": "Notes",
    "findings_json": "Findings",
    "virin_key": "VIRIN compared",
    "end_line": "Last line",
}

#: What a facet counts when it is not the column's values themselves (``(name, type)``).
_FACET_TITLES = {("shot_date", "year"): "Year shot"}

#: Words written in capitals in a label made from a column name.
_ACRONYMS = {"id": "ID", "gps": "GPS", "virin": "VIRIN", "json": "JSON", "pid": "PID"}

_LABELS: dict[str, str] = {**field_titles(), **_COLUMN_LABELS}


def label(column: str) -> str:
    """The column's label: its own, else its name in words ("File size")."""
    if column in _LABELS:
        return _LABELS[column]
    words = [_ACRONYMS.get(word, word) for word in column.split("_") if word]
    if not words:
        return column
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def facet_title(column: str, facet_type: str) -> str:
    """A facet's title: "Year shot" for the ``year`` facet of ``shot_date``; a facet of the
    column's values (``column``, ``array``, ``status``) is titled with the column's label."""
    if (column, facet_type) in _FACET_TITLES:
        return _FACET_TITLES[(column, facet_type)]
    if facet_type in ("column", "array", "status"):
        return label(column)
    return f"{label(column)} ({facet_type})"
