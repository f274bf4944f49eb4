"""``Positioned``: a read-only file object over ``size`` bytes that keeps its own position.

The readers need a seekable file; the content may come from ``pread`` of an open file
(``analysis.digest.HashingReader``) or from ranged requests to object storage
(``files.remote``). Both read at an offset they are given, so the position is kept here, once.
"""

from __future__ import annotations

import io


class Positioned(io.RawIOBase):
    """Seeking and telling over ``size`` bytes; the subclass reads at ``self._position``."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = (0, self._position, self.size)[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._position = base + offset
        return self._position
