"""What ``catalog fix --diff`` prints: per file, each field's old and new value, the rule fixed,
whether the fix is safe, and the tags that change. Text from the files is escaped
(``catalog.core.text.printable``) so a value cannot inject a terminal sequence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from catalog.core.findings import Finding
from catalog.core.text import printable
from catalog.fix.exiftool import tag_names
from catalog.fix.plan import Edit

INDENT = "  "


def render_edits(path: str, edits: Sequence[Edit], left: Sequence[Finding]) -> str:
    """The block of one file: its edits, then the findings that stay for a person."""
    lines = [printable(path)]
    for edit in edits:
        code = edit.code or "copy"
        safety = "safe" if edit.safe else "unsafe"
        lines.append(
            f"{INDENT}{code:<6} {safety:<6} {edit.field}: {_show(edit.old)} -> {_show(edit.new)}"
        )
        lines.append(f"{INDENT * 8}{', '.join(tag_names(edit))} ({printable(edit.why)})")
    for finding in left:
        lines.append(f"{INDENT}left   {finding.code} {printable(finding.message)}")
    return "\n".join(lines)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(printable(repr(item)) for item in value) + "]"
    return printable(repr(value))
