"""``catalog.core.text`` and the CSV rewriter of the Datasette plugin, property by property.

The end-to-end checks (payloads planted in real files, every output) are in test_text_safety.py;
here each helper's promise is checked on arbitrary text.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from catalog.core.text import (
    FORMULA_START,
    printable,
    spreadsheet_safe,
    storable,
    unusual_characters,
)
from catalog.web.csv_safe import CsvRewriter, database_of

UNSAFE_SAMPLES = "\x00\x07\x1b\x7f\x85\x9b\u061c\u200e\u2028\u202a\u202e\u2066\u2069\ud800\ufffe"


@given(st.text(), st.sampled_from(["", "\n\r\t"]))
def test_printable_text_keeps_only_what_was_asked_and_hides_nothing(text, keep):
    shown = printable(text, keep=keep)
    assert not any(c in shown for c in UNSAFE_SAMPLES)
    assert all(c in keep for c in shown if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)
    assert printable(shown, keep=keep) == shown  # nothing left to escape


def test_printable_spells_each_character_so_it_can_be_recognized():
    assert printable("a\x1b[2Jb\u202ec\x00\n\t") == "a\\x1b[2Jb\\u202ec\\x00\\n\\t"
    assert printable("line\nnext\x07", keep="\n") == "line\nnext\\x07"


@pytest.mark.fuzz
@given(st.text())
@example("=1+1")
@example("  =cmd|' /C calc'!A0")
@example("\t-2")
@example("-12.5e3")
def test_a_neutralized_cell_never_starts_a_formula_and_loses_nothing(cell):
    safe = spreadsheet_safe(cell)
    assert safe in (cell, "'" + cell)  # the value itself follows the apostrophe
    formula = safe[:1] in ("\t", "\r") or safe.lstrip(" \t\r\n")[:1] in FORMULA_START
    assert not formula or _is_number(safe)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell and cell.lower().lstrip("+-")[:1] not in ("i", "n")  # inf, nan


def test_numbers_and_plain_text_are_left_alone():
    assert [spreadsheet_safe(v) for v in ("-77.5", "+1", "-1e5", 3, None, "Travis")] == [
        "-77.5",
        "+1",
        "-1e5",
        3,
        None,
        "Travis",
    ]
    assert spreadsheet_safe("-1+cmd") == "'-1+cmd"


@given(st.text())
def test_storable_text_encodes_as_utf8_and_changes_nothing_else(text):
    stored = storable(text)
    stored.encode("utf-8")
    if not any("\ud800" <= c <= "\udfff" for c in text):
        assert stored == text


@given(st.text())
def test_unusual_characters_are_listed_once_each_and_never_ordinary_white_space(text):
    found = unusual_characters(text)
    assert len(found) == len(set(found)) and all(c in text for c in found)
    assert not set(found) & {"\n", "\r", "\t", " ", "\u200e", "\u200f"}


# --- the Datasette CSV rewriter -----------------------------------------------------------------

cells = st.one_of(st.text(st.characters(exclude_categories=("Cs",))), st.sampled_from(
    ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(1)", "\t=1", '"', '"\r\n"', "a,b", "\r", "\n"]
))  # fmt: skip
tables = st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5)


@pytest.mark.fuzz
@given(tables, st.lists(st.integers(0, 400), max_size=6))
def test_csv_rewritten_in_any_chunks_is_the_same_table_neutralized(table, cuts):
    """Datasette streams CSV in chunks; wherever they are cut (inside a quoted cell, inside a
    UTF-8 character), the result is the table with each cell neutralized."""
    out = io.StringIO()
    csv.writer(out).writerows(table)
    data = out.getvalue().encode("utf-8")
    rewriter = CsvRewriter()
    pieces, start = [], 0
    for cut in sorted(cuts):
        pieces.append(rewriter.feed(data[start:cut]))
        start = max(start, cut)
    pieces.append(rewriter.feed(data[start:], final=True))
    rewritten = b"".join(pieces).decode("utf-8")
    read = list(csv.reader(io.StringIO(rewritten, newline="")))
    assert read == [[spreadsheet_safe(cell) for cell in row] for row in _as_read(table)]


def _as_read(table: list[list[str]]) -> list[list[str]]:
    """What csv.reader gives back for ``table`` written by csv.writer (a row of one empty cell
    is written as an empty line, which reads back as no cells)."""
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return list(csv.reader(io.StringIO(out.getvalue(), newline="")))


@pytest.mark.parametrize(
    ("path", "database"),
    [
        ("/catalog/assets.csv", "catalog"),
        ("/catalog.csv", "catalog"),
        ("/catalog/assets/12.csv", "catalog"),
        ("/my~2Ddb/assets.csv", "my-db"),
        ("/catalog/assets.json", None),
        ("/catalog/assets", None),
    ],
)
def test_the_database_of_a_csv_url(path, database):
    assert database_of(path) == database
