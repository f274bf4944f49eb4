"""Credit lines and captions, against bare regular expressions doing the least possible work.

The ratios say what the full grammar (label, tails, disclosure, kind table, service and rank
lookups, longest-first rank matching) and the caption rules (first-sentence detection, date
reading, closing credit) cost over merely splitting the text once.
"""

from __future__ import annotations

import datetime as dt
import re

from bench.registry import Call, Comparison, Context, benchmark
from catalog.core.caption import check_caption
from catalog.core.credit import check_credit, parse_byline
from catalog.schemas import default_tables

CREDITS = [
    "Credit: Air Force Senior Airman Karla Parra",
    "(U.S. Air Force photo by Senior Airman Karla Parra)",
    "(U.S. Army photo by Sgt. Trey Martin, 55th Signal Company/Released)",
    "Navy photo by Seaman Apprentice Connor Loessin",
    "DoD photo by Marvin Lynchard",
    "(U.S. Army photo/Sgt. Trey Martin)",
    "(U.S. Air Force photo illustration by Staff Sgt. Jane Doe) (Background blurred)",
    "(Photo courtesy of the Royal Australian Air Force)",
] * 125  # 1,000 values
BYLINES = ["SrA Karla Parra", "MC2 John Doe", "Spc. Jane Roe", "Karla Parra"] * 250
CAPTIONS = [
    "Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III at Travis "
    "Air Force Base, Calif., Feb. 14, 2022. The wing first flew the C-17 on Aug. 5, 1993. "
    "(U.S. Air Force photo by Senior Airman Karla Parra)",
    "170518-N-MD297-201 WASHINGTON (May 18, 2017) Chief of Naval Operations Adm. John Richardson "
    "speaks. (U.S. Navy photo by Mass Communication Specialist 1st Class Nathan Laird/Released)",
] * 500  # 1,000 values
VIRIN_DATE = dt.date(2022, 2, 15)
_SPLIT = re.compile(r"(?P<org>.*?)\s*photo\s+by\s+(?P<maker>.*)", re.IGNORECASE)
_DATE = re.compile(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}")


@benchmark("check_credit (1,000 values)")
def credits_1000(context: Context) -> Comparison:
    tables = default_tables()
    return Comparison(
        baseline=Call("one bare split regex", lambda: [_SPLIT.fullmatch(c) for c in CREDITS]),
        candidate=Call(
            "check_credit",
            lambda: [check_credit(c, virin_service="F", tables=tables) for c in CREDITS],
        ),
    )


@benchmark("parse_byline (1,000 values)")
def bylines_1000(context: Context) -> Comparison:
    tables = default_tables()
    return Comparison(
        baseline=Call("str.split", lambda: [b.split(maxsplit=1) for b in BYLINES]),
        candidate=Call("parse_byline", lambda: [parse_byline(b, tables=tables) for b in BYLINES]),
    )


@benchmark("check_caption (1,000 captions)")
def captions_1000(context: Context) -> Comparison:
    tables = default_tables()
    return Comparison(
        baseline=Call("one bare date regex", lambda: [_DATE.search(c) for c in CAPTIONS]),
        candidate=Call(
            "check_caption",
            lambda: [check_caption(c, virin_date=VIRIN_DATE, tables=tables) for c in CAPTIONS],
        ),
    )
