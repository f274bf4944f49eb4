"""``python -m bench.pillow_thumbs DIR JOBS``: the floor of an import's work - thumbnails only.

The bare Pillow loop: every JPEG under DIR opened, decoded in draft mode (the JPEG decoder scales
by 1/8 while decoding), thumbnailed to 256 px and encoded as JPEG in memory, on JOBS processes. No
hashing, no metadata, no database: what a catalog import can at best approach.
"""

from __future__ import annotations

import io
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

SIZE = (256, 256)


def thumbnail(path: Path) -> int:
    with Image.open(path) as image:
        image.draft("RGB", SIZE)
        image.thumbnail(SIZE)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        return len(out.getvalue())


if __name__ == "__main__":
    files = sorted(Path(sys.argv[1]).rglob("*.jpg"))
    with ProcessPoolExecutor(int(sys.argv[2])) as pool:
        sum(pool.map(thumbnail, files, chunksize=4))
