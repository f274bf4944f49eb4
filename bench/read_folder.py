"""``python -m bench.read_folder DIR``: read every image under DIR with ``read_asset``.

The candidate side of the read-metadata benchmark: one process, every file's record, sources and
findings written as one JSON line, as a user of the readers would get them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from catalog.files.walk import is_image_name
from catalog.readers import read_asset


def main(folder: Path) -> None:
    write = sys.stdout.write
    for path in sorted(folder.rglob("*")):
        if is_image_name(path.name):
            metadata = read_asset(path)
            line = {
                "file": str(path),
                "record": metadata.record.model_dump(mode="json", exclude_defaults=True),
                "sources": metadata.sources,
                "findings": [f.to_dict() for f in metadata.findings],
            }
            write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
