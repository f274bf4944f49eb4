"""The SHA-256 of a file's content, computed while the thumbnail decoder reads it.

Hashing a photo costs about a tenth of decoding its thumbnail, and half of that is memory traffic:
hashed on its own, every byte of a 5 MB JPEG comes from RAM a second time after the decoder
streamed it through the cache. ``HashingReader`` is the file object the decoder reads from; it
hashes each chunk the moment it is copied out, while the chunk is still in the CPU cache, so the
hash costs only its arithmetic. Any read pattern gives the right digest: the hash covers the
bytes from offset 0 up to the furthest point read in order, and ``hexdigest`` adds what nobody
read (the header bytes skipped by a seek, the data after the image's end marker).
"""

from __future__ import annotations

import hashlib
import io
import mmap


class HashingReader(io.RawIOBase):
    """A read-only, seekable file object over ``data`` that hashes what is read, in order."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        super().__init__()
        self._data = data
        self._position = 0
        self._hashed = 0  # the hash covers data[:_hashed]
        self._sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = (0, self._position, len(self._data))[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._position = base + offset
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = len(self._data) if size is None or size < 0 else min(start + size, len(self._data))
        chunk = self._data[start:end] if end > start else b""
        self._position = max(start, end)
        if start <= self._hashed < end:
            self._sha256.update(chunk[self._hashed - start :] if self._hashed > start else chunk)
            self._hashed = end
        return chunk

    def readinto(self, buffer) -> int:  # io.RawIOBase's readline and friends build on it
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def hexdigest(self) -> str:
        """The SHA-256 of the whole content, whatever was read of it."""
        if self._hashed < len(self._data):
            with memoryview(self._data) as view:  # no copy; released, so a map can close
                self._sha256.update(view[self._hashed :])
            self._hashed = len(self._data)
        return self._sha256.hexdigest()
