"""Datasette's CSV of a catalog, made safe to open in a spreadsheet.

A caption reading ``=HYPERLINK("http://evil", "click")`` is data in the catalog but a formula in
the spreadsheet a desk editor (or, on the public server, anyone) opens a CSV download in. Datasette
writes its CSV itself (``.csv`` of a table, a row, a query) with no hook for the values, so the
plugin rewrites the response on its way out: every cell a spreadsheet would run as a formula gets
the leading apostrophe of ``catalog.core.text.spreadsheet_safe``, the same neutralization as
``catalog export``. Only databases the plugin recognized as catalogs are touched; the JSON API and
the database download keep every value as stored, for programs that need it exact.

Datasette streams CSV (``_stream=1`` sends a whole table), so the rewrite works record by record
as the chunks pass, never holding more than one unfinished record: a record ends at a line end
outside double quotes, which is how RFC 4180 quotes line ends inside a cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Awaitable, Callable
from typing import Any

from datasette.utils import tilde_decode

from catalog.core.text import spreadsheet_safe

Scope = dict[str, Any]
Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Any, Send], Awaitable[None]]

_QUOTE_OR_LINE_END = re.compile('["\n]')
#: Content types Datasette gives CSV: text/csv with ``_dl=1``, text/plain to show in the browser.
_CSV_TYPES = (b"text/csv", b"text/plain")


class CsvRewriter:
    """Neutralizes the cells of a CSV text fed in arbitrary chunks of UTF-8 bytes."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""

    def feed(self, chunk: bytes, *, final: bool = False) -> bytes:
        """The rewritten complete records of what was fed so far (all of it when ``final``)."""
        self._pending += self._decoder.decode(chunk, final=final)
        end = len(self._pending) if final else self._complete_records_end()
        records, self._pending = self._pending[:end], self._pending[end:]
        return _rewrite(records).encode("utf-8") if records else b""

    def _complete_records_end(self) -> int:
        inside, end = False, 0
        for match in _QUOTE_OR_LINE_END.finditer(self._pending):
            if match[0] == '"':
                inside = not inside
            elif not inside:
                end = match.end()
        return end


def _rewrite(records: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(records, newline="")):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()


def database_of(path: str) -> str | None:
    """The database a ``.csv`` URL path belongs to (``/db/table.csv``, ``/db.csv?sql=``)."""
    if not path.endswith(".csv"):
        return None
    first = path.lstrip("/").split("/", 1)[0]
    return tilde_decode(first.removesuffix(".csv")) if first else None


def spreadsheet_safe_csv(app: App, is_catalog: Callable[[str], Awaitable[bool]]) -> App:
    """``app`` with the CSV responses of catalog databases (``await is_catalog(name)``)
    rewritten."""

    async def wrapped(scope: Scope, receive: Any, send: Send) -> None:
        database = database_of(scope["path"]) if scope["type"] == "http" else None
        if database is None or not await is_catalog(database):
            await app(scope, receive, send)
            return
        rewriter: CsvRewriter | None = None

        async def send_rewritten(message: Message) -> None:
            nonlocal rewriter
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if kind.startswith(_CSV_TYPES):
                    rewriter = CsvRewriter()  # the rewritten body has another length
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and rewriter is not None:
                final = not message.get("more_body", False)
                body = rewriter.feed(message.get("body", b""), final=final)
                message = {**message, "body": body}
            await send(message)

        await app(scope, receive, send_rewritten)

    return wrapped
