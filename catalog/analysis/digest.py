"""The SHA-256 of a file's content, computed while the metadata readers and the thumbnail decoder
read it.

Hashing a photo costs about a tenth of decoding its thumbnail, and nearly half of that was memory
traffic: hashed on its own, every byte of a 5 MB JPEG comes from RAM a second time after the
decoder streamed it through the cache. ``HashingReader`` is the one file object through which an
import reads a file; it reads the file in blocks and hashes each block the moment it is read,
while it is still in the CPU cache, so the hash costs only its arithmetic. Any read pattern gives
the right digest: the hash covers the bytes from offset 0 up to the furthest block read in order,
and ``hexdigest`` adds what nobody read (segments the readers skipped, the data after the image's
end marker).

The file is read with ``pread`` at the reader's own position: no memory map, whose page faults
cost more than the copies, and no ``SIGBUS`` when the file shrinks under it - a short read is an
``OSError`` that names the change instead.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import partial

from catalog.files.positioned import Positioned

#: Reads are served from blocks of at least this many bytes, each read from the file once and
#: hashed then: a JPEG header is read in dozens of reads of a few bytes.
BLOCK = 64 * 1024
#: How much of a file's start ``head_hexdigest`` covers: ``publish`` reads it again to tell a
#: file edited in place (same size and mtime) from the one that was imported.
HEAD_BYTES = 64 * 1024
#: How much ``hexdigest`` reads at a time of what nobody read.
_REST_CHUNK = 1 << 20


class HashingReader(Positioned):
    """A read-only, seekable file object over ``size`` bytes that hashes what is read, in order.

    ``read_at(count, offset)`` returns the content's bytes at ``offset`` (``os.pread`` of an open
    file: ``of_file``); ``block`` is the least it is asked for.
    """

    def __init__(
        self, read_at: Callable[[int, int], bytes], size: int, *, block: int = BLOCK
    ) -> None:
        super().__init__(size)
        self._read_at = read_at
        self.block = block
        self._block_start, self._block = 0, b""  # the bytes last read from the file
        self._hashed = 0  # the hash covers the content's first _hashed bytes
        self._sha256 = hashlib.sha256()
        self._head: str | None = None  # the hash as it passed HEAD_BYTES (or the end)

    @classmethod
    def of_file(cls, fd: int, size: int) -> HashingReader:
        """The ``size`` bytes of the open file ``fd`` (its own position is left alone)."""
        return cls(partial(os.pread, fd), size)

    def head_hexdigest(self) -> str:
        """The SHA-256 of the content's first ``HEAD_BYTES`` (``head_digest``): taken as the hash
        of the whole content passed them, so the head is not read or hashed a second time."""
        self.hexdigest()
        return self._head or head_digest(b"")

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        end = self.size if size is None or size < 0 else min(start + size, self.size)
        if end <= start:
            return b""
        if not self._block_start <= start <= end <= self._block_start + len(self._block):
            self._fetch(start, max(end, min(start + self.block, self.size)))
        self._position = end
        offset = start - self._block_start
        return self._block[offset : offset + end - start]

    def hexdigest(self) -> str:
        """The SHA-256 of the whole content, whatever was read of it."""
        while self._hashed < self.size:
            self._fetch(self._hashed, min(self._hashed + _REST_CHUNK, self.size))
        return self._sha256.hexdigest()

    def _fetch(self, start: int, end: int) -> None:
        """Read the block ``start:end`` from the file and hash what it adds in order."""
        block = self._read_at(end - start, start)
        if len(block) != end - start:
            raise OSError(f"the file changed while it was read: {self.size} bytes, now shorter")
        if start <= self._hashed < end:
            new = memoryview(block)[self._hashed - start :]  # a view: the block is not copied
            head = min(HEAD_BYTES, self.size) - self._hashed
            if 0 < head <= len(new):  # this block ends the head: its digest is taken on the way
                self._sha256.update(new[:head])
                self._head, new = self._sha256.hexdigest(), new[head:]
            self._sha256.update(new)
            self._hashed = end
        self._block_start, self._block = start, block


def head_digest(head: bytes) -> str:
    """The SHA-256 of a file's first bytes (at most ``HEAD_BYTES``), as the import stores it."""
    return hashlib.sha256(head[:HEAD_BYTES]).hexdigest()
