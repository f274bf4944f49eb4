"""Neutralize attacker-controlled text before it reaches a terminal, a CI log or an XML file.

Captions, file names and sidecar values come from the files checked. A caption holding an escape
sequence could recolour or rewrite a terminal; one holding a newline followed by ``::error`` or
``::add-mask`` could inject a GitHub workflow command; a bidirectional override can make text read
differently from what it is; XML 1.0 cannot carry most control characters at all. Every such
character is shown as a visible escape instead (``\\x1b``, ``\\n``, ``\\u202e``), so the reader
sees that it is there and nothing acts on it.
"""

from __future__ import annotations

import json
import re
from typing import Any

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls, surrogates
#: (undecodable bytes of a file name), and the two XML non-characters.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
#: What JSON encoders leave raw but a terminal or a log viewer may act on.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every unsafe character replaced by a visible escape."""
    return _UNSAFE.sub(_escape, text)


def dump_json(value: Any, *, indent: int | None = None) -> str:
    """JSON text, readable (non-ASCII kept) yet safe to print: unsafe characters as ``\\uXXXX``.

    The escapes are JSON's own, so a parser reads back exactly the original strings; file names
    with undecodable bytes (surrogates) are kept as escapes too.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent, default=str)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
