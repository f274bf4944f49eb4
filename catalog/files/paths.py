"""Text the operating system hands over, made storable: file paths and stray surrogates.

A POSIX file name is bytes, not text: it may hold bytes that are not UTF-8 (a name written in
Latin-1 by an old camera or a crafted archive), which Python carries as lone surrogates
(``surrogateescape``) and which SQLite, JSON and terminals cannot take. Such a name must still be
cataloged - nothing is lost - and must never be confused with another file's name.

**Paths** are stored as text by ``path_text``: the bytes decoded as UTF-8, except that a byte that
is not part of valid UTF-8 is written ``\\xNN`` and a backslash is written ``\\\\``. Every path
that is valid UTF-8 without a backslash - all of them in practice - is stored exactly as it is.
The mapping is one-to-one (only escaped paths contain a backslash, and the escape is reversible),
so two names never share a catalog row and ``os_path`` gives back the exact bytes. Names that
differ only by Unicode normalization (``é`` as one code point or as ``e`` and a combining accent)
are different bytes and stay different paths: nothing here normalizes.

**Other text** that may carry such surrogates (a message quoting a file name, a value from a JSON
sidecar written with ``\\ud800``) goes through ``catalog.core.text.storable``, which writes each
lone surrogate as a ``\\udcNN`` escape - the same spelling JSON uses, so JSON text stays valid
JSON.
"""

from __future__ import annotations

import os
import re
from typing import Any

from catalog.core.text import storable

_ESCAPE = re.compile(rb"\\(\\|x[0-9a-f]{2})")


def path_text(path: str | bytes | os.PathLike) -> str:
    """The catalog's text for the OS path ``path`` (see the module docstring)."""
    raw = os.fsencode(path)
    if b"\\" not in raw:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def os_path(text: str) -> str:
    """The OS path (a ``str`` as ``os`` functions take it) that ``path_text`` wrote as ``text``."""
    if "\\" not in text:
        return text
    raw = _ESCAPE.sub(_unescape, text.encode("utf-8"))
    return os.fsdecode(raw)


def _unescape(match: re.Match[bytes]) -> bytes:
    escape = match.group(1)
    return b"\\" if escape == b"\\" else bytes([int(escape[1:], 16)])


def storable_value(value: Any) -> Any:
    """``value`` with ``storable`` applied to every string in it (dicts, lists and tuples)."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable_value(k): storable_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(storable_value(v) for v in value)
    return value
