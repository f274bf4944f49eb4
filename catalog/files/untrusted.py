"""Reading a whole small file (sidecar, manifest) that an attacker may have placed.

``read_regular`` opens without following a symbolic link (a sidecar linked to ``/etc/shadow`` or to
another user's metadata is not read through the link) and without blocking on a FIFO (which would
wait forever for a writer), reads only regular files, and never more than ``limit`` bytes, so a
sidecar of ten gigabytes costs nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class NotReadable(ValueError):
    """The file exists but is not read: not a regular file, or larger than the limit."""


def read_regular(path: Path, limit: int) -> bytes:
    """The content of the regular file ``path``; ``NotReadable`` for a link, a special file or a
    file over ``limit`` bytes, ``OSError`` when it cannot be opened."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as error:
        if os.path.islink(path):
            raise NotReadable("is a symbolic link: not followed") from None
        raise error
    with open(fd, "rb") as handle:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotReadable("is not a regular file: not read")
        if status.st_size > limit:  # refused before reading a byte
            raise NotReadable(f"is larger than {limit} bytes: not read")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(f"is larger than {limit} bytes: not read")
    return data
