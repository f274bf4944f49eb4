"""The code tables and the date the tests check with, passed explicitly as the commands pass theirs.

The core takes both as arguments and never defaults them (no reading of files, no clock below the
commands), so the tests name them too: the shipped tables, and a fixed "today" so that the VIRIN
date rules give the same findings whenever the tests run.
"""

from __future__ import annotations

import datetime as dt

from catalog.schemas import default_tables

TABLES = default_tables()
TODAY = dt.date(2025, 6, 1)
