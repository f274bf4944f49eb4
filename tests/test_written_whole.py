"""A report a command writes to a file appears whole or not at all (``written_whole``): a
command that fails halfway through its output leaves the file that was there before."""

from __future__ import annotations

import pytest

from catalog.cli.options import written_whole


def test_the_file_appears_only_when_everything_was_written(tmp_path):
    path = tmp_path / "report.txt"
    with written_whole(path) as out:
        out.write("first half\n")
        assert not path.exists()
        out.write("second half\n")
    assert path.read_text() == "first half\nsecond half\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_failure_halfway_keeps_the_earlier_file_and_leaves_no_partial_one(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("the earlier report\n")
    with pytest.raises(RuntimeError), written_whole(path) as out:
        out.write("first half\n")
        raise RuntimeError("the check failed")
    assert path.read_text() == "the earlier report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
