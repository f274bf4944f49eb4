"""Classification and control markings written into free text: a banner in a caption, a title, a
keyword or the instructions holds the asset back whatever its release status says.

A marking is recognised by its *form*, never by a word that prose can use. US markings are
written in capitals (the CAPCO register and DoDM 5200.01 Vol. 2), so every pattern is
case-sensitive: "a confidential informant", "the Secret Service", "Secretary of Defense" and
"top secret" in lower case are prose. Each text value is read line by line; what counts:

1. **A banner line**: a line that is nothing but a marking, optionally in parentheses -
   ``SECRET``, ``TOP SECRET``, ``CONFIDENTIAL``, ``CUI``, ``FOUO``, ``NOFORN``, ``ORCON``,
   ``REL TO USA, GBR``, or any of them joined with ``//`` (``TOP SECRET//NOFORN``,
   ``UNCLASSIFIED//FOUO``). ``UNCLASSIFIED`` alone restricts nothing and is not a finding.
2. **A ``//`` marking anywhere**: a level or portion letter joined to a control by ``//``
   (``SECRET//NOFORN``, ``(U//FOUO)``, ``(S//NF)``, ``CUI//SP-PRVCY``), or ``//`` directly before
   a control (``//NOFORN``, ``//REL TO USA, GBR``). Prose has no use for ``//`` before a capital
   word; a URL's ``//`` is followed by a host name in lower case.
3. **Control markings in capitals anywhere**: ``NOFORN``, ``ORCON``, ``FOUO``, ``NOCONTRACT``,
   ``PROPIN``, ``RELIDO``, and ``REL TO`` followed by a trigraph (``REL TO USA``). None of them is
   an English word, so they cannot be prose. ``CUI`` is *not* in this list (it is a Chinese
   surname, and By-lines come in capitals): it counts only in forms 1, 2 and 4.
4. **A banner at the start or the end of a line**: ``SECRET``, ``TOP SECRET`` or ``CONFIDENTIAL``
   set off from the rest by punctuation (``SECRET: Airmen load ...``, ``... Feb. 15. SECRET``,
   ``CONFIDENTIAL - ...``). Followed by a plain space and a word (``SECRET SERVICE AGENTS ...``,
   an all-capitals headline) it is not a banner.
5. **A portion marking at the start of a line**: ``(TS)``, ``(S)``, ``(C)``, ``(CUI)``,
   ``(FOUO)`` followed by a space and a capital letter (``(S) Airmen load ...``). ``(C)`` followed
   by a year is a copyright notice, and an enumeration that also has ``(A)`` or ``(B)`` at the
   start of a line is a list: neither counts.

This module is pure: text in, the markings found out.
"""

from __future__ import annotations

import re

#: Classification levels that restrict (UNCLASSIFIED does not, alone).
LEVELS = ("TOP SECRET", "SECRET", "CONFIDENTIAL")
#: Control and dissemination markings that are not English words.
CONTROLS = ("NOFORN", "ORCON", "FOUO", "NOCONTRACT", "PROPIN", "RELIDO")
_REL_TO = r"REL TO (?:USA|[A-Z]{3})(?:, ?[A-Z]{3,4})*"
_LEVEL = "|".join(LEVELS)
_WORD_MARKING = rf"(?:{_LEVEL}|UNCLASSIFIED|CUI|{'|'.join(CONTROLS)}|{_REL_TO}|NF)"
_PART = r"[A-Z][A-Z0-9 ,-]*"

_BANNER_LINE = re.compile(rf"\(?\s*(?:{_WORD_MARKING})(?:\s*//\s*{_PART})*\s*\)?", flags=re.ASCII)
_TAIL = r"[A-Z0-9,/-]*(?: [A-Z]{2,}[A-Z0-9,/-]*)*\)?"
_SLASHED = re.compile(
    rf"(?:\b(?:{_LEVEL}|UNCLASSIFIED|CUI)|\((?:TS|S|C|U|CUI))//\s*[A-Z]{_TAIL}"
    rf"|(?<![:/\w])//\s*(?:{'|'.join(CONTROLS)}|NF|{_REL_TO})\b{_TAIL}",
    flags=re.ASCII,
)
_CONTROL_WORD = re.compile(rf"\b(?:{'|'.join(CONTROLS)}|{_REL_TO})\b", flags=re.ASCII)
_LEADING = re.compile(rf"^(?:{_LEVEL})\s*[-–—:|.]", flags=re.ASCII)
_TRAILING = re.compile(rf"[-–—:|.!?)]\s*(?:{_LEVEL})$", flags=re.ASCII)
_PORTION = re.compile(r"^\((?:TS|S|C|CUI|FOUO)\) +[A-Z]", flags=re.ASCII)
_ENUMERATION = re.compile(r"^\([AB]\) ", flags=re.MULTILINE)
#: What every form needs: two capitals in a row, or a one-letter portion marking. Text without it
#: (most keywords, much prose) is passed over with one search.
_POSSIBLE = re.compile(r"[A-Z]{2}|\([SC]\)", flags=re.ASCII)


def find_markings(text: str) -> list[str]:
    """The classification or control markings ``text`` carries, as written (see the module
    docstring for the forms that count); an empty list for prose."""
    if not _POSSIBLE.search(text):
        return []
    found: list[str] = []
    enumeration = bool(_ENUMERATION.search(text))
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _BANNER_LINE.fullmatch(line):
            if line.strip("() ") != "UNCLASSIFIED":
                found.append(line)
            continue
        found += [m.group(0) for m in _SLASHED.finditer(line)]
        found += [m.group(0) for m in _CONTROL_WORD.finditer(line)]
        found += [m.group(0) for m in (_LEADING.search(line), _TRAILING.search(line)) if m]
        portion = _PORTION.match(line)
        if portion and not enumeration:
            found.append(portion.group(0)[:-1].strip())
    unique = list(dict.fromkeys(found))
    return [m for m in unique if not any(m != other and m in other for other in unique)]
