"""An analysed file as catalog rows: record columns, VIRIN and credit parts, findings, values.

Every text value of every row is made storable once, by ``_storable_row``
(``catalog.core.text.storable``): a file name that is not UTF-8 quoted in a message, or a lone
surrogate from a JSON sidecar, must not stop the writer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from catalog.analysis.analyze import FileAnalysis
from catalog.core.findings import Finding
from catalog.core.record import AssetRecord
from catalog.core.text import dump_json, storable
from catalog.store.rows import AssetRows


def asset_rows(analysis: FileAnalysis) -> AssetRows:
    """The catalog rows of an analysed (supported) file."""
    record = analysis.metadata.record
    check = analysis.check
    virin = check.virin.virin if check else None
    credit = check.credit.credit if check else None
    release = check.release if check else None
    asset: dict[str, Any] = {"sha256": analysis.sha256, **record_columns(record)}
    virin_date = virin.date.isoformat() if virin and virin.date else None
    asset.update(
        shot_date=asset["date_created"] or virin_date,
        virin_base=virin.base if virin else None,
        virin_date=virin_date,
        virin_service=virin.service if virin else None,
        virin_service_name=virin.service_meaning if virin else None,
        virin_originator=virin.originator if virin else None,
        virin_originator_kind=virin.originator_kind if virin else None,
        virin_sequence=virin.sequence if virin else None,
        virin_variant=virin.variant if virin else None,
        virin_country=virin.country if virin else None,
        credit_kind=credit.kind if credit else None,
        credit_organization=credit.organization if credit else None,
        credit_service=credit.service if credit else None,
        credit_unit=credit.unit if credit else None,
        photographer_rank=credit.rank if credit else None,
        photographer_name=credit.name if credit else None,
        release_status=release.status if release else None,
        classification_marking=release.classification if release else None,
        publishable=int(bool(release and release.publishable)),
        format=analysis.metadata.format,
        width=analysis.metadata.width,
        height=analysis.metadata.height,
        file_size=analysis.size,
        perceptual_hash=analysis.thumbnail.picture_hash if analysis.thumbnail else None,
    )
    chosen = analysis.metadata.sources
    thumbnail = analysis.thumbnail
    return AssetRows(
        sha256=analysis.sha256,
        asset=_storable_row(asset),
        keywords=[storable(keyword) for keyword in record.keywords],
        findings=[finding_row(f) for f in analysis.findings],
        field_values=[
            _storable_row(
                {
                    "field": v.field,
                    "source": v.source,
                    "value": _text(v.value),
                    "chosen": int(chosen.get(v.field) == v.source and v.error is None),
                    "error": v.error,
                }
            )
            for v in analysis.metadata.values
        ],
        thumbnail=(
            {"width": thumbnail.width, "height": thumbnail.height, "jpeg": thumbnail.jpeg}
            if thumbnail
            else None
        ),
        severities=Counter(f.severity.value for f in analysis.findings),
    )


def record_columns(record: AssetRecord) -> dict[str, Any]:
    """The record's fields as column values, each under its own name (``assets`` has a column
    per record field): dates in ISO form, keywords as a JSON array."""
    return {name: _column(getattr(record, name)) for name in AssetRecord.model_fields}


def finding_row(finding: Finding) -> dict[str, Any]:
    """A finding as a row. Its texts may quote raw values (a rejected sidecar key, a file name
    with undecodable bytes): made ``storable``, and the values as JSON that reads back exactly."""
    return _storable_row(
        {
            "code": finding.code,
            "severity": finding.severity.value,
            "field": finding.field,
            "part": finding.part,
            "message": finding.message,
            "values_json": dump_json(finding.values),
        }
    )


def _storable_row(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with every text value made ``storable`` (the column names are the catalog's own).
    A row holds only scalars, so this is ``storable_value`` without its walk of keys and
    containers: it runs on every row of every file."""
    return {name: storable(v) if isinstance(v, str) else v for name, v in row.items()}


def _column(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False) if value else None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _text(value: Any) -> str | None:
    """A source value as text: strings as they are, anything else as JSON."""
    if value is None or isinstance(value, str):
        return value
    return dump_json(value)
