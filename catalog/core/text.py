"""Untrusted text, made safe to show: on a terminal, in a log, in JSON, in a spreadsheet.

Captions, credits, keywords, file names and sidecar values come from files anyone can write. The
catalog keeps them exactly as given; these helpers decide how they are *shown*, so every output
makes the same choices:

* ``printable``: a caption holding an escape sequence could recolour or rewrite a terminal; one
  holding a newline followed by ``::error`` could inject a GitHub workflow command; a
  bidirectional override can make text read differently from what it is; XML 1.0 cannot carry
  most control characters at all. Every such character is shown as a visible escape instead
  (``\\x1b``, ``\\n``, ``\\u202e``), so the reader sees that it is there and nothing acts on it.
* ``dump_json``: JSON whose strings read back exactly, yet safe to print, and valid even when a
  value holds a lone surrogate (a file name with undecodable bytes).
* ``spreadsheet_safe``: a CSV cell a spreadsheet will not run as a formula (CSV injection).
* ``storable``: text SQLite can store (UTF-8 cannot encode a lone surrogate).
* ``unusual_characters``: the control and bidirectional-override characters of a value, which
  the record check reports (``REC007``): they are never needed in a caption or a credit.

Pure functions of their arguments, like the rest of ``catalog.core``.
"""

from __future__ import annotations

import json
import re
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls (marks,
#: embeddings, overrides, isolates), surrogates (undecodable bytes of a file name), and the two
#: XML non-characters.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
#: What JSON encoders leave raw but a terminal or a log viewer may act on.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Characters no caption, credit or keyword needs: controls other than tab and line ends, and the
#: bidirectional embeddings, overrides and isolates (right-to-left text needs only the marks).
_UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: ``dump_json``'s encoders, made once (``json.dumps`` with options builds one per call, and the
#: reports and exports dump JSON per finding and per row).
_ENCODERS = {
    indent: json.JSONEncoder(ensure_ascii=False, indent=indent, default=str) for indent in (None, 2)
}

#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP, "CSV
#: Injection"): = + - @, and tab and carriage return, which some programs strip before looking.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A plain number ("-77.5", "+1e3") is left alone: it evaluates to itself, never to a formula.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with every unsafe character replaced by a visible escape.

    ``keep`` lists characters left as they are where they are harmless: a web page keeps the
    line ends of a multi-line caption (``keep="\\n\\r\\t"``), a terminal line does not.
    """
    if text.isascii() and text.isprintable():  # the common case, tested at C speed
        return text
    if keep:
        return _UNSAFE.sub(lambda m: m[0] if m[0] in keep else _escape(m), text)
    return _UNSAFE.sub(_escape, text)


def dump_json(value: Any, *, indent: int | None = None) -> str:
    """JSON text, readable (non-ASCII kept) yet safe to print: unsafe characters as ``\\uXXXX``.

    The escapes are JSON's own, so a parser reads back exactly the original strings; file names
    with undecodable bytes (surrogates) are kept as escapes too.
    """
    encoder = _ENCODERS.get(indent) or json.JSONEncoder(
        ensure_ascii=False, indent=indent, default=str
    )
    text = encoder.encode(value)
    if not text.isascii():
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return printable_json(text)


def printable_json(text: str) -> str:
    """JSON text (made by ``dump_json`` or by SQLite) with the characters unsafe to print
    written as their JSON escapes ``\\uXXXX``: the same value, safe on a terminal."""
    if text.isascii() and "\x7f" not in text:  # the common case, tested at C speed
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def spreadsheet_safe(cell: Any) -> Any:
    """``cell`` as a spreadsheet will show it, never run it: text that a spreadsheet would read
    as a formula gets a leading apostrophe (``'=HYPERLINK(...)``), the neutralization OWASP
    recommends; the apostrophe is what spreadsheets themselves use to mark text. Numbers and
    other text are returned unchanged."""
    if not isinstance(cell, str):
        return cell
    starts = cell[:1] in ("\t", "\r") or cell.lstrip(" \t\r\n")[:1] in FORMULA_START
    if starts and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def storable(text: str) -> str:
    """``text`` as SQLite can store it: a lone surrogate (which UTF-8 cannot encode, so the
    driver would raise) becomes its visible escape ``\\udcff``; any other text is unchanged."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def unusual_characters(text: str) -> list[str]:
    """The distinct control and bidirectional-override characters in ``text``, in order."""
    return list(dict.fromkeys(_UNUSUAL.findall(text)))
