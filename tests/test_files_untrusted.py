"""``open_untrusted``: the one way every image, sidecar, manifest and article is opened.

Whatever an attacker placed under a name - a link to a secret, a FIFO that never ends, a sparse
file of terabytes - the open hands back a regular file within its size limit, or refuses with a
reason worded to follow the file's name.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog.analysis.companions import read_articles
from catalog.files.untrusted import (
    NotRegular,
    TooLarge,
    open_untrusted,
    read_regular,
)
from catalog.pool import Limits
from catalog.readers import ReadError, read_asset


def test_a_regular_file_within_its_limit_is_opened(tmp_path):
    path = tmp_path / "caption.txt"
    path.write_bytes(b"Airmen load cargo")
    with open_untrusted(path, 17) as handle:
        assert handle.read() == b"Airmen load cargo"
    assert read_regular(path, 17) == b"Airmen load cargo"


def test_a_link_is_refused_not_followed(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text('{"caption": "SECRET"}')
    (tmp_path / "IMG.json").symlink_to(secret)
    with pytest.raises(NotRegular, match=r"^not a regular file \(symbolic link\): not read$"):
        read_regular(tmp_path / "IMG.json", 1024)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    with pytest.raises(NotRegular, match=r"\(FIFO\)"):
        open_untrusted(tmp_path / "pipe.jpg", None)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(NotRegular, match=r"\(folder\)"):
        open_untrusted(tmp_path, None)


def test_a_file_over_its_limit_is_refused_from_its_size_and_the_size_is_kept(tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.truncate(2 << 40)  # 2 TiB, sparse: no byte on disk, none read
    with pytest.raises(TooLarge) as refused:
        open_untrusted(path, 1 << 30)
    assert str(refused.value) == f"larger than 1024 MiB ({2 << 40} bytes): not read"
    assert refused.value.status.st_size == 2 << 40  # the importer records what it refused


def test_a_limit_that_is_not_whole_mebibytes_is_given_in_bytes(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_bytes(b"file\n" * 100)
    with pytest.raises(TooLarge, match=r"^larger than 100 bytes \(500 bytes\): not read$"):
        read_regular(path, 100)


def test_a_missing_file_is_an_os_error_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"gone\.jpg"):
        open_untrusted(tmp_path / "gone.jpg", None)


def test_read_asset_opens_its_file_the_same_way(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    with pytest.raises(ReadError, match=r"pipe\.jpg: not a regular file \(FIFO\)"):
        read_asset(Path(tmp_path / "pipe.jpg"))


def test_an_article_that_is_a_link_is_a_finding_and_its_target_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Caption SECRET\nCredit: Someone\nVIRIN: 220215-F-DU706-1241\n")
    (tmp_path / "article.txt").symlink_to(secret)
    (article,) = read_articles([tmp_path / "article.txt"], Limits())
    assert article.records == ()
    (finding,) = article.findings
    assert finding.code == "FIL018"
    assert finding.message == "article.txt not a regular file (symbolic link): not read"
