"""VIRIN parsing and finding, against bare regular expressions doing the least possible work.

The ratios say what the full validation (every rule of spec section 1, code-table lookups,
findings) and the boundary-checked finder cost over merely recognizing the shape.
"""

from __future__ import annotations

import datetime as dt
import re

from bench.registry import Call, Comparison, Context, benchmark
from catalog.core.virin import find_virins, parse_virin
from catalog.schemas import default_tables

SAMPLES = [
    "220215-F-DU706-1241",
    "180515-O-AB123-1001-BE",
    "220224-F-FW957-2001Y",
    "160414-N-YW238-031A",
    "060515-M-1234S-001",
    "220230-F-DU706-1241",
    "20220215-F-DU706-1241",
    "220215_F_DU706_1241",
] * 125  # 1,000 values
CAPTION = (
    "170518-N-MD297-201 WASHINGTON (May 18, 2017) Sailors man the rails aboard the ship. "
    "Tail number 86-0123 landed at 0900; call 703-555-0123. (U.S. Navy photo/Released) "
    "VIRIN: 220224-F-FW957-2001Y. "
) * 100
_SHAPE = re.compile(r"\d{6}-[A-Z]-[A-Z0-9]{5}-\d{3,4}")
TODAY = dt.date(2025, 6, 1)


@benchmark("parse_virin (1,000 values)")
def parse_1000(context: Context) -> Comparison:
    tables = default_tables()
    return Comparison(
        baseline=Call("a bare shape regex", lambda: [_SHAPE.fullmatch(v) for v in SAMPLES]),
        candidate=Call(
            "parse_virin", lambda: [parse_virin(v, tables=tables, today=TODAY) for v in SAMPLES]
        ),
    )


@benchmark("find_virins (22 kB of captions)")
def find_in_captions(context: Context) -> Comparison:
    return Comparison(
        baseline=Call("a bare shape regex", lambda: list(_SHAPE.finditer(CAPTION))),
        candidate=Call("find_virins", lambda: find_virins(CAPTION)),
    )
