"""Writing a report as it is read: JSON lists item by item, and a spool for rows whose totals
come first.

A report is read once (``catalog.lint.report``). Most formats put their totals last (the text and
GitHub summary line) or need none (JSON lines, SARIF), and write each row as it comes. JSON's
``summary`` and JUnit's ``<testsuite tests= failures=>`` come before the rows: those formats write
the rows to a ``spool`` (in memory up to ``SPOOL_MEMORY``, then a temporary file) and copy them
out after the head. Reading the report twice instead would analyse every file again for
``validate DIR``, and run the catalog's query again for ``--db`` (the whole pass, several seconds
at a million files), where the spool costs one sequential write and read of the rows.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from catalog.core.text import dump_json

#: Rows kept in memory before the spool moves to a temporary file.
SPOOL_MEMORY = 8 << 20
COPY_CHUNK = 1 << 20
#: Stands for the list written item by item (no report text can hold a NUL: JSON escapes it).
MARK = "\0rows\0"


@contextmanager
def spool() -> Iterator[TextIO]:
    """A text file for rows, copied out later with ``copy``; gone when the block ends. Lone
    surrogates (file names with undecodable bytes) pass through unchanged."""
    with tempfile.SpooledTemporaryFile(
        max_size=SPOOL_MEMORY, mode="w+", encoding="utf-8", errors="surrogatepass", newline=""
    ) as handle:
        yield handle  # type: ignore[misc]


def copy(rows: TextIO, out: TextIO) -> None:
    """Everything written to the spool ``rows``, to ``out``."""
    rows.seek(0)
    shutil.copyfileobj(rows, out, COPY_CHUNK)


class JsonList:
    """A JSON document as ``dump_json(document, indent=2)`` writes it, with the one list holding
    ``[MARK]`` written item by item: ``head``, then each item (``items``), then ``tail``."""

    def __init__(self, document: dict[str, Any]) -> None:
        text = dump_json(document, indent=2)
        mark = dump_json(MARK)
        at = text.index(mark)
        line = text.rindex("\n", 0, at)
        self.head = text[:line]  # ends with the list's "["
        self.indent = text[line:at]  # "\n" and the items' indentation
        rest = text[at + len(mark) :]
        self._tail = rest[rest.index("]") :]  # after the items' closing newline and indentation
        self._closing = rest[: rest.index("]")]

    def items(self, items: Iterable[Any]) -> Iterator[str]:
        """The text of each item, with the separator before it (none before the first)."""
        for number, item in enumerate(items):
            yield self.item(item, first=number == 0)

    def item(self, item: Any, *, first: bool) -> str:
        """The text of one item, with the separator before it unless it is the ``first``."""
        separator = "" if first else ","
        return separator + self.indent + dump_json(item, indent=2).replace("\n", self.indent)

    def tail(self, empty: bool) -> str:
        """What follows the items: an empty list closes on its own line's ``[]``."""
        return self._tail if empty else self._closing + self._tail
