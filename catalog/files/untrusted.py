"""The one way to open a file an attacker may have placed: image, sidecar, manifest or article.

``open_untrusted`` opens without following a symbolic link (a sidecar linked to ``/etc/shadow``
or a photo linked to another user's files is not read through the link) and without blocking on
a FIFO (which would wait forever for a writer), and hands back the open file only when it is a
regular file of at most ``limit`` bytes - both judged on the open file, so the file cannot be
swapped between the check and the read. A file of two terabytes is refused from its size alone.
``read_regular`` reads a whole small file (sidecar, manifest, article) through it, and never more
than ``limit`` bytes, even from a file that grows while it is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class NotReadable(OSError):
    """The file is there but is refused unread: not a regular file, or larger than the limit.

    Its text is the reason, worded to follow the file's name (``pipe.jpg not a regular file
    (FIFO): not read``); ``status`` is the ``stat`` of the refused file when it was opened.
    """

    def __init__(self, reason: str, status: os.stat_result | None = None) -> None:
        super().__init__(reason)
        self.status = status

    def __str__(self) -> str:
        return self.args[0]


class NotRegular(NotReadable):
    """A symbolic link, a FIFO, a socket, a device or a folder where a file was expected."""


class TooLarge(NotReadable):
    """A regular file over the size limit of what it was opened as."""


def open_untrusted(path: str | os.PathLike, limit: int | None) -> BinaryIO:
    """``path`` opened for reading: a regular file of at most ``limit`` bytes (None: any size).

    ``NotRegular`` for a link or a special file, ``TooLarge`` for a file over ``limit``, and
    ``OSError`` when it cannot be opened at all.
    """
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        if os.path.islink(path):  # O_NOFOLLOW refused it: say so, not "too many levels of links"
            raise NotRegular(irregular(stat.S_IFLNK)) from None
        raise
    try:
        status = os.fstat(fd)
        problem = irregular(status.st_mode)
        if problem is not None:
            raise NotRegular(problem, status)
        if limit is not None and status.st_size > limit:
            raise TooLarge(larger_than(limit, status.st_size), status)
    except BaseException:
        os.close(fd)
        raise
    return open(fd, "rb")  # handed to the caller, who closes it


def read_regular(path: Path, limit: int) -> bytes:
    """The content of the regular file ``path`` (see ``open_untrusted``)."""
    with open_untrusted(path, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew after it was opened
        raise TooLarge(larger_than(limit))
    return data


def larger_than(limit: int, size: int | None = None) -> str:
    """Why a file of ``size`` bytes (when known) is refused under ``limit``, in MiB when the
    limit is a whole number of them."""
    amount = f"{limit >> 20} MiB" if limit and limit % (1 << 20) == 0 else f"{limit} bytes"
    return f"larger than {amount}{'' if size is None else f' ({size} bytes)'}: not read"


#: What each kind of file system entry that is not a regular file is called in a reason.
_IRREGULAR = (
    (stat.S_ISLNK, "symbolic link"),
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISDIR, "folder"),
)


def irregular(mode: int) -> str | None:
    """Why an entry of ``mode`` is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _IRREGULAR if test(mode)), "special file")
    return f"not a regular file ({kind}): not read"
