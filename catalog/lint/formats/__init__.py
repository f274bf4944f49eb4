"""Report formats of ``catalog validate``: one module per format, each ``write(report, out)``,
which reads the report once and writes the format to ``out`` as it goes (``stream``).

``MACHINE`` formats are documents for a program; the closing summary line then goes to standard
error so that standard output stays parseable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from catalog.lint.formats import github, junit, sarif, text
from catalog.lint.formats import json as json_format
from catalog.lint.report import Report

FORMATS: dict[str, Callable[[Report, TextIO], None]] = {
    "text": text.write,
    "json": json_format.write,
    "jsonl": json_format.write_lines,
    "github": github.write,
    "junit": junit.write,
    "sarif": sarif.write,
}
MACHINE = frozenset({"json", "jsonl", "junit", "sarif"})
