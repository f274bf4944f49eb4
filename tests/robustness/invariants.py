"""What "a half-written asset" means in this schema, as queries - and a reader that polls them.

An asset is written whole or not at all: its row, its location, its keywords, its findings with
the counts the row keeps of them, its field values and its thumbnail are one transaction. Any
committed state of a catalog, whenever it is looked at, must therefore satisfy every query below
(each lists what breaks it, so an empty result is a pass).

``python -m tests.robustness.invariants DB STOP`` polls ``DB`` read-only, each poll one read
transaction, until the file ``STOP`` exists, then prints ``{"polls": N, "violations": [...]}``: the
concurrent reader of the crash-safety tests.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

INVARIANTS = {
    "asset without a location": """
        SELECT sha256 FROM assets a
        WHERE NOT EXISTS (SELECT 1 FROM locations l WHERE l.sha256 = a.sha256)""",
    "present location without its asset": """
        SELECT path FROM locations
        WHERE status = 'present' AND sha256 NOT IN (SELECT sha256 FROM assets)""",
    "finding counts differ from the findings": """
        SELECT sha256 FROM assets a WHERE
            error_count != (SELECT count(*) FROM findings f
                            WHERE f.sha256 = a.sha256 AND severity = 'error')
         OR warning_count != (SELECT count(*) FROM findings f
                              WHERE f.sha256 = a.sha256 AND severity = 'warning')
         OR info_count != (SELECT count(*) FROM findings f
                           WHERE f.sha256 = a.sha256 AND severity = 'info')""",
    "keywords differ from the keyword rows": """
        SELECT sha256 FROM assets a
        WHERE json_array_length(coalesce(a.keywords, '[]'))
           != (SELECT count(*) FROM keywords k WHERE k.sha256 = a.sha256)""",
    "VIRIN without the value it was chosen from": """
        SELECT sha256 FROM assets a WHERE virin IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM field_values v
             WHERE v.sha256 = a.sha256 AND v.field = 'virin' AND v.chosen = 1)""",
    "decodable image without its thumbnail": """
        SELECT sha256 FROM assets a
        WHERE NOT EXISTS (SELECT 1 FROM thumbnails t WHERE t.sha256 = a.sha256)
          AND NOT EXISTS (SELECT 1 FROM findings f
                          WHERE f.sha256 = a.sha256 AND f.code IN ('FIL017', 'FIL020'))""",
    "search index out of step with the assets": """
        SELECT 'cargo' WHERE
            (SELECT count(*) FROM assets WHERE keywords LIKE '%"cargo"%')
         != (SELECT count(*) FROM assets_fts WHERE assets_fts MATCH 'keywords:cargo')""",
}


def violations(conn: sqlite3.Connection) -> list[str]:
    """Every broken invariant of the catalog as ``conn`` sees it, with an example."""
    found = []
    for name, sql in INVARIANTS.items():
        rows = conn.execute(sql).fetchall()
        if rows:
            found.append(f"{name}: {rows[:3]}")
    return found


def poll(db: Path, stop: Path) -> dict:
    """Check every invariant in one read transaction after another until ``stop`` exists."""
    polls, found = 0, []
    conn = None
    while True:
        stopping = stop.exists()
        try:
            conn = conn or sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            conn.execute("BEGIN")
            found += violations(conn)
            conn.execute("COMMIT")
            polls += 1
        except sqlite3.OperationalError:  # not created yet, or the schema is being made
            conn = None
        if stopping:
            return {"polls": polls, "violations": found}
        time.sleep(0.005)


if __name__ == "__main__":
    print(json.dumps(poll(Path(sys.argv[1]), Path(sys.argv[2]))))
