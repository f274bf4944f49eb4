"""Score one corpus record: the parsed credit and caption date against the expected answer.

Scoring follows the corpus README: fields are compared as printed; an expected null in a record
whose note says the answer is in doubt is "unsure" when the parser gives a value, never a miss.
Error-level findings count against the parsers only where the corpus marks the part fine: a VIRIN
it calls valid, a caption date it calls consistent with the VIRIN, a credit it could read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.core.caption import find_caption_date
from catalog.core.codes import CodeTables
from catalog.core.credit import KIND_NOT_STILL, UNPARSEABLE, Credit, parse_credit
from catalog.core.findings import Severity
from catalog.core.record import AssetRecord
from catalog.core.record_checks import check_record

#: Expected credit field -> attribute of the parsed ``Credit``.
CREDIT_FIELDS = {
    "kind": "kind",
    "organization": "organization",
    "service_code": "service",
    "rank": "rank_as_written",
    "name": "name",
    "unit": "unit",
    "released": "released",
}
_DOUBT = re.compile(r"\b(?:doubt|unsure|uncertain)", re.IGNORECASE)
#: Rule code prefixes and the part of the expected answer that says the part is fine.
_VIRIN_RULES = "VIR"
_CREDIT_RULES = "CRD"
_CAPTION_DATE_RULES = frozenset({"CAP002", "CAP006"})


@dataclass(frozen=True, slots=True)
class Miss:
    """One field the parser got wrong: which record, what was expected, what came out."""

    index: int
    field: str
    expected: Any
    got: Any
    text: str | None


@dataclass(slots=True)
class RecordScore:
    """What one record scored: per field ok / miss / unsure, and the false errors."""

    index: int
    credit_fields: dict[str, str] = field(default_factory=dict)  # field -> ok | miss | unsure
    caption_date: str | None = None  # ok | miss
    misses: list[Miss] = field(default_factory=list)
    release_expected: bool = False
    release_found: bool = False
    person_unparseable: bool = False
    false_errors: list[str] = field(default_factory=list)  # "CODE: message"

    @property
    def credit_all_right(self) -> bool | None:
        """Every expected credit field right (unsure counts as right), or None: nothing expected."""
        if not self.credit_fields:
            return None
        return all(verdict != "miss" for verdict in self.credit_fields.values())


def read_corpus(folder: Path) -> Iterator[dict[str, Any]]:
    """The records of ``folder/records.jsonl``, in order."""
    with (folder / "records.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def score_record(index: int, record: dict[str, Any], *, tables: CodeTables) -> RecordScore:
    """Parse and check one record and compare with its expected answer."""
    expected = record["expected"]
    score = RecordScore(index)
    doubt = bool(_DOUBT.search(expected.get("notes") or ""))
    _score_credit(score, record, expected.get("credit"), doubt, tables)
    _score_caption_date(score, record, expected.get("caption_date"), tables)
    _score_false_errors(score, record, expected, tables)
    return score


def _score_credit(
    score: RecordScore,
    record: dict[str, Any],
    expected: dict[str, Any] | None,
    doubt: bool,
    tables: CodeTables,
) -> None:
    text = record.get("credit")
    credit = parse_credit(text, tables=tables)
    if expected is None:
        if credit is not None and credit.name:
            score.misses.append(Miss(score.index, "credit", None, credit.name, text))
        return
    for name, attribute in CREDIT_FIELDS.items():
        want = expected.get(name)
        got = getattr(credit, attribute) if credit else None
        if got == want or (name == "released" and bool(got) == bool(want)):
            score.credit_fields[name] = "ok"
        elif want is None and doubt:
            score.credit_fields[name] = "unsure"
        else:
            score.credit_fields[name] = "miss"
            score.misses.append(Miss(score.index, name, want, got, text))
    score.release_expected = bool(expected.get("released"))
    score.release_found = bool(credit and credit.released)
    if expected.get("name"):
        score.person_unparseable = _unparseable(text, credit, tables)


def _unparseable(text: str | None, credit: Credit | None, tables: CodeTables) -> bool:
    findings = check_record(AssetRecord(credit=text), tables=tables, today=dt.date.max).findings
    return credit is None or any(f.code == UNPARSEABLE.code for f in findings)


def _score_caption_date(
    score: RecordScore, record: dict[str, Any], expected: str | None, tables: CodeTables
) -> None:
    caption = record.get("caption")
    if not caption:
        return
    found = find_caption_date(caption, tables=tables)
    got = found.date.isoformat() if found else None
    score.caption_date = "ok" if got == expected else "miss"
    if got != expected:
        score.misses.append(Miss(score.index, "caption_date", expected, got, found and found.text))


def _score_false_errors(
    score: RecordScore, record: dict[str, Any], expected: dict[str, Any], tables: CodeTables
) -> None:
    """Error-level findings on a part the corpus marks fine."""
    asset = AssetRecord(
        virin=_virin_text(record.get("virin")),
        caption=record.get("caption") or None,
        credit=record.get("credit") or None,
    )
    video = "/video/" in (record.get("source_url") or "")  # the still-only kind rule is moot
    fine = {
        _VIRIN_RULES: expected.get("virin_ok") is True,
        _CREDIT_RULES: expected.get("credit") is not None,
    }
    date_fine = expected.get("caption_date_vs_virin") in {"same", "no date"}
    today = dt.date(2100, 1, 1)  # the century rule must not depend on the day the corpus is run
    for finding in check_record(asset, tables=tables, today=today).findings:
        if finding.severity is not Severity.ERROR or (
            video and finding.code == KIND_NOT_STILL.code
        ):
            continue
        if fine.get(finding.code[:3]) or (date_fine and finding.code in _CAPTION_DATE_RULES):
            score.false_errors.append(f"{finding.code}: {finding.message}")


def _virin_text(printed: str | None) -> str | None:
    """The VIRIN as printed, without the file extension pages print with it."""
    if not printed:
        return None
    return re.sub(r"\.(?:jpe?g|tiff?|png|mp4)$", "", printed, flags=re.IGNORECASE)
