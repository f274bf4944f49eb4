"""The content hash taken while the thumbnail decoder reads: right whatever the read pattern."""

from __future__ import annotations

import hashlib
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image

from catalog.analysis.digest import BLOCK, HashingReader
from catalog.analysis.thumbnails import make_thumbnail

#: What a reader is asked to do: read N bytes (-1: to the end), or seek to an offset.
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(min_value=-1, max_value=300)),
        st.tuples(st.just("seek"), st.integers(min_value=0, max_value=400)),
    ),
    max_size=30,
)


def reader_over(data: bytes, block: int = BLOCK) -> HashingReader:
    """A reader of bytes in memory, as ``of_file`` is of a file."""

    def read_at(count: int, offset: int) -> bytes:
        return data[offset : offset + count]

    return HashingReader(read_at, len(data), block=block)


@given(data=st.binary(max_size=1000), operations=OPERATIONS, block=st.sampled_from([1, 7, 64]))
@example(data=bytes(range(100)), operations=[("read", 10), ("seek", 5), ("read", 10)], block=1)
@example(data=bytes(range(100)), operations=[("seek", 20), ("read", 10), ("seek", 0)], block=1)
def test_reads_like_a_file_and_digests_the_whole_content_whatever_was_read(data, operations, block):
    reader, reference = reader_over(data, block), io.BytesIO(data)
    for operation, value in operations:
        if operation == "read":
            assert reader.read(value) == reference.read(value)
        else:
            assert reader.seek(value) == reference.seek(value)
        assert reader.tell() == reference.tell()
    assert reader.hexdigest() == hashlib.sha256(data).hexdigest()


def test_seeks_relative_to_the_current_position_and_the_end():
    reader = reader_over(b"0123456789")
    assert reader.seek(-3, io.SEEK_END) == 7
    assert reader.read() == b"789"
    assert reader.seek(-5, io.SEEK_CUR) == 5
    assert reader.read(2) == b"56"
    with pytest.raises(ValueError, match="negative seek"):
        reader.seek(-1)


def test_a_file_is_read_at_the_readers_own_position_and_digested_whole(tmp_path):
    path = tmp_path / "content.bin"
    path.write_bytes(bytes(range(256)) * 5000)
    with path.open("rb") as handle:
        reader = HashingReader.of_file(handle.fileno(), path.stat().st_size)
        reader.seek(1000)
        assert reader.read(3) == bytes([1000 % 256, 1001 % 256, 1002 % 256])
        assert reader.read(2) == bytes([1003 % 256, 1004 % 256])  # from the block read before
        assert reader.hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
        assert handle.tell() == 0  # the descriptor's own offset is never moved


def test_a_file_that_shrinks_while_it_is_read_is_an_error_not_a_wrong_digest(tmp_path):
    path = tmp_path / "content.bin"
    path.write_bytes(b"x" * 1_000_000)
    with path.open("rb") as handle:
        reader = HashingReader.of_file(handle.fileno(), 1_000_000)
        reader.read(100)
        with path.open("r+b") as writer:
            writer.truncate(500_000)
        with pytest.raises(OSError, match="changed while it was read"):
            reader.hexdigest()


@pytest.mark.parametrize("file_format", ["JPEG", "PNG", "TIFF"])
def test_a_thumbnail_read_through_the_reader_leaves_the_digest_of_the_file(file_format):
    out = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(out, file_format)
    data = out.getvalue() + b"bytes after the image that no decoder reads"
    reader = reader_over(data)
    thumbnail = make_thumbnail(reader, file_format, 64)
    assert max(thumbnail.width, thumbnail.height) == 64
    assert reader.hexdigest() == hashlib.sha256(data).hexdigest()
