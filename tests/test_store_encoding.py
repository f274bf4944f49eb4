"""Paths that are not UTF-8, stored as text: lossless, one-to-one, and unchanged when ordinary."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from catalog.files.paths import os_path, path_text, storable, storable_value

#: A file name as POSIX allows it: any bytes but NUL and the separator.
names = st.binary(min_size=1, max_size=30).filter(lambda b: b"\0" not in b and b"/" not in b)


@given(st.lists(names, min_size=1, max_size=4))
def test_every_path_comes_back_byte_for_byte(parts):
    raw = b"/" + b"/".join(parts)
    text = path_text(os.fsdecode(raw))
    text.encode("utf-8")  # storable as SQLite text
    assert os.fsencode(os_path(text)) == raw


@given(names, names)
def test_two_different_names_never_share_a_text(first, second):
    if first != second:
        assert path_text(os.fsdecode(first)) != path_text(os.fsdecode(second))


@given(st.text().filter(lambda t: "\\" not in t and "\0" not in t))
def test_an_ordinary_path_is_stored_as_it_is(text):
    assert path_text(text) == text and os_path(text) == text


def test_the_escapes_are_readable():
    assert path_text(os.fsdecode(b"/photos/caf\xe9.jpg")) == "/photos/caf\\xe9.jpg"
    assert path_text("/photos/caf\\xe9.jpg") == "/photos/caf\\\\xe9.jpg"


@given(st.text(alphabet=st.characters() | st.characters(categories=["Cs"])))  # surrogates too
def test_any_text_becomes_storable_and_ordinary_text_stays(text):
    stored = storable(text)
    stored.encode("utf-8")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        assert "\\ud" in stored
    else:
        assert stored == text


def test_storable_value_reaches_every_string_of_a_structure():
    value = {"caption": "bad \ud800", "keywords": ["ok", "\udce9"], "count": 3}
    assert storable_value(value) == {
        "caption": "bad \\ud800",
        "keywords": ["ok", "\\udce9"],
        "count": 3,
    }
