"""The SQL that writes ``catalog export``'s JSON lines and CSV lines inside SQLite, and the reading
of the CSV records it makes.

At a million assets, a Python object for each of the 60 values of every row costs more than the
target of the whole export (100,000 rows a second). So SQLite writes the text: JSON with
``json_object``, CSV as one *record* per asset: its values as text joined by ``SEPARATOR``, in
one ``printf``. Python then looks at the record as a whole, at C speed: when nothing in it needs
quoting or neutralizing, its separators become commas and it is the CSV line; otherwise it is
split and written by Python's ``csv`` module, as the values would have been. Values SQLite cannot
spell as Python does (a real number in exponent notation, a list with an escaped character, a
value holding a separator) make the record ``ELSEWHERE``: its row is read as values instead. So the
fast path never writes anything the ``csv`` module would write differently;
``tests/test_export_sql.py`` compares the two on hostile values.
"""

from __future__ import annotations

import re
from typing import Any

from catalog.core.text import FORMULA_START, spreadsheet_safe

#: Between the values of a record (ASCII unit separator).
SEPARATOR = "\x1f"
#: Before a text value that ``spreadsheet_safe`` may have to neutralize (ASCII group separator).
MARK = "\x1d"
#: In a record whose row must be read as values (ASCII record separator).
ELSEWHERE = "\x1e"

#: What makes Python's ``csv`` writer (the "excel" dialect, minimal quoting) quote a field.
_QUOTED = re.compile('[",\r\n]')
#: First characters of the text values that get ``MARK``: those that can start a formula, the
#: white space ``spreadsheet_safe`` looks past, and the three control characters above (so a
#: value that starts with ``MARK`` itself is told apart from a marked one).
_MARKED_FIRST = ", ".join(
    str(ord(c)) for c in (*FORMULA_START, " ", "\n", SEPARATOR, MARK, ELSEWHERE)
)


def json_real(x: str) -> str:
    """A real column as JSON, spelled as Python's ``json`` spells it (``_shortest``); a value it
    cannot spell so (``json_elsewhere``) is left to Python."""
    spelled = f"typeof({x}) = 'real' AND NOT ({_unspelled(x)})"
    return f"CASE WHEN {spelled} THEN json({_shortest(x)}) ELSE {x} END"


def json_elsewhere(reals: list[str]) -> str:
    """Whether a row must be written as JSON by Python: one of its ``reals`` columns holds a
    value ``json_real`` cannot spell as Python does (an infinity, which JSON has no number for,
    or a number in exponent notation)."""
    return " OR ".join(f"(typeof({x}) = 'real' AND ({_unspelled(x)}))" for x in reals) or "0"


def csv_record(columns: dict[str, str], *, raw: bool) -> str:
    """The SQL of the CSV record of a row: ``columns`` maps each value's SQL (a column, read
    several times) to its kind: ``text``, ``integer``, ``real``, or ``pylist`` (text that should
    be a JSON array of strings made by Python's ``json.dumps``)."""
    cells = [_CELLS[kind](value, raw) for value, kind in columns.items()]
    return f"printf('{SEPARATOR.join(['%s'] * len(cells))}', {', '.join(cells)})"


def csv_fields(record: str, count: int, *, raw: bool) -> str | list[Any] | None:
    """What to write for ``record`` (of ``count`` values): its CSV line (with its end), the
    fields that hold what makes Python's ``csv`` writer quote one (a quote, a comma, a line
    end) quoted as it quotes them; the values for the ``csv`` module when one is to be
    neutralized for spreadsheets (unless ``raw``); None when the row must be read as values."""
    if ELSEWHERE in record or record.count(SEPARATOR) != count - 1:
        return None
    if not (MARK in record or '"' in record or "," in record or "\n" in record or "\r" in record):
        return record.replace(SEPARATOR, ",") + "\r\n"
    if MARK in record and not raw:
        return [spreadsheet_safe(f[1:]) if f[:1] == MARK else f for f in record.split(SEPARATOR)]
    return _quoted(record).replace(SEPARATOR, ",") + "\r\n"


def _quoted(record: str) -> str:
    """``record`` with each value that holds what makes Python's ``csv`` writer quote a field
    (a quote, a comma, a line end) quoted as it quotes it (its quotes doubled): each found from
    the first such character after the last one quoted, so only the few values that need it (a
    caption) are looked at, not each of the 60."""
    parts, done = [], 0
    while (found := _QUOTED.search(record, done)) is not None:
        start = record.rfind(SEPARATOR, 0, found.start()) + 1
        end = record.find(SEPARATOR, found.start())
        end = len(record) if end < 0 else end
        parts += (record[done:start], '"', record[start:end].replace('"', '""'), '"')
        done = end
    parts.append(record[done:])
    return "".join(parts)


def _text(x: str, raw: bool) -> str:
    """Text as it is (NULL prints as nothing), ``MARK`` before a value to neutralize (every
    character that gets it is below ``A``: most values are passed by the first comparison)."""
    if raw:
        return x
    return f"""CASE WHEN {x} IS NULL THEN NULL
        WHEN unicode({x}) < 65 AND unicode({x}) IN ({_MARKED_FIRST}) THEN char(29) || {x}
        ELSE {x} END"""


def _integer(x: str, raw: bool) -> str:
    """Digits; any other kind of value (SQLite does not enforce the declared type) elsewhere."""
    return f"CASE typeof({x}) WHEN 'integer' THEN {x} WHEN 'null' THEN NULL ELSE char(30) END"


def _real(x: str, raw: bool) -> str:
    """A real as Python's ``repr`` spells it (``_shortest``); elsewhere when it cannot, and for
    any value that is not a real (SQLite does not enforce the declared type)."""
    return f"""CASE WHEN {x} IS NULL THEN NULL
        WHEN typeof({x}) != 'real' OR {_unspelled(x)} THEN char(30) ELSE {_shortest(x)} END"""


def _unspelled(x: str) -> str:
    """The reals ``_shortest`` does not spell as ``repr``: those ``repr`` writes in exponent
    notation (``1e-05``, ``1e+16``), which the two spell differently, and the infinities."""
    return f"abs({x}) >= 1e15 OR ({x} != 0 AND abs({x}) < 1e-4)"


def _shortest(x: str) -> str:
    """A real as the fewest significant digits that read back as the same number, as ``repr``
    writes it: 15 do for most; ``%!`` keeps the ``.0`` of a whole number."""
    tries = " ".join(
        f"WHEN CAST(printf('%!.{p}g', {x}) AS REAL) = {x} THEN printf('%!.{p}g', {x})"
        for p in (15, 16)
    )
    return f"CASE {tries} ELSE printf('%!.17g', {x}) END"


def _pylist(x: str, raw: bool) -> str:
    """Text that should be a JSON array of strings as Python's ``json.dumps`` writes it (items
    separated by ``", "``), as its items joined by "; " (what the CSV export writes for a list):
    the text between the brackets with each separator made ``; ``; NULL prints as nothing.
    Elsewhere when an item holds an escape (``\\``), which only a JSON parser reads right, when
    the text is no such array, and unless ``raw`` when the first item starts with a character
    ``_text`` marks."""
    tests = [f"instr({x}, '\\')", f"substr({x}, 1, 2) != '[\"' OR substr({x}, -2) != '\"]'"]
    if not raw:
        tests.append(f"unicode(substr({x}, 3, 1)) IN ({_MARKED_FIRST})")
    return f"""CASE WHEN {x} = '[]' THEN NULL WHEN {" OR ".join(tests)} THEN char(30)
        ELSE replace(substr({x}, 3, length({x}) - 4), '", "', '; ') END"""


_CELLS = {"text": _text, "integer": _integer, "real": _real, "pylist": _pylist}
