"""Report formats of ``catalog validate``: one module per format, each ``render(report) -> str``.

``MACHINE`` formats are documents for a program; the closing summary line then goes to standard
error so that standard output stays parseable.
"""

from __future__ import annotations

from collections.abc import Callable

from catalog.lint.formats import github, junit, sarif, text
from catalog.lint.formats import json as json_format
from catalog.lint.report import Report

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_format.render,
    "jsonl": json_format.render_lines,
    "github": github.render,
    "junit": junit.render,
    "sarif": sarif.render,
}
MACHINE = frozenset({"json", "jsonl", "junit", "sarif"})
