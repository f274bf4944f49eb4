"""Mojibake: text damaged by decoding it with the wrong character set, and its likely repair.

DoD pages and files carry three kinds (spec section 5): UTF-8 read as Windows-1252 or Latin-1
("Ã©" for "é", "â€™" for "’"), Windows-1252 read as Mac Roman ("Navyís" for "Navy’s") or Mac
Roman read as Latin-1 ("todayÕs"), and a curly apostrophe lost to "?" by a converter that had no
glyph for it ("world?s"). Each is recognised by a shape text in any language does not have: a
repair is proposed only when re-decoding gives valid UTF-8, or when the damaged character sits
where English puts an apostrophe (between a word and "s", "t", "ll", "re", "ve", "d", "m").
Pure: no I/O, never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters that UTF-8 lead and continuation bytes become in Windows-1252 / Latin-1.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_UTF8_AS_CP1252 = re.compile(rf"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_HIGH}]+")
_APOSTROPHE_TAIL = r"(?=(?:s|t|ll|re|ve|d|m)\b)"
#: "world?s", "todayÕs" (Mac Roman ’ read as Latin-1), "Navyís" (Windows-1252 ’ read as Mac
#: Roman; not after a vowel, where "í" is Spanish: "país").
_LOST_APOSTROPHE = re.compile(
    rf"(?<=[A-Za-z])[?\u00d5]{_APOSTROPHE_TAIL}|(?<=[b-df-hj-np-tv-z])\u00ed{_APOSTROPHE_TAIL}"
)


@dataclass(frozen=True, slots=True)
class Mojibake:
    """One damaged run: where it is, what it says, what was most likely meant."""

    start: int
    end: int
    damaged: str
    intended: str


def find_mojibake(text: str) -> list[Mojibake]:
    """Every damaged run of ``text`` with its likely repair, in order."""
    found = [
        Mojibake(m.start(), m.end(), m.group(), "\u2019") for m in _LOST_APOSTROPHE.finditer(text)
    ]
    for match in _UTF8_AS_CP1252.finditer(text):
        intended = _redecode(match.group())
        if intended is not None:
            found.append(Mojibake(match.start(), match.end(), match.group(), intended))
    return sorted(found, key=lambda m: m.start)


def repaired(text: str, damage: list[Mojibake]) -> str:
    """``text`` with every damaged run replaced by its likely intended text."""
    parts, position = [], 0
    for run in damage:
        parts += [text[position : run.start], run.intended]
        position = run.end
    return "".join([*parts, text[position:]])


def _redecode(run: str) -> str | None:
    for charset in ("cp1252", "latin-1"):
        try:
            return run.encode(charset).decode("utf-8")
        except UnicodeError:
            continue
    return None
