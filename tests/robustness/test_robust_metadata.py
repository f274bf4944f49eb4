"""Metadata: damaged or crafted EXIF, IPTC and XMP is flagged, never fatal, never obeyed.

Each file carries one crafted block. The file is still cataloged - its other sources and its
pixels are fine - with the finding that names the damage: EXIF rationals with a zero denominator,
a latitude of 123 degrees, IFDs linked in a loop, a count claiming 2 GiB, text that is not UTF-8;
IPTC without its character set, with bytes its declared UTF-8 forbids, with a length claiming 4
GiB; XMP, embedded or in a sidecar, with a billion laughs or an external entity, which defusedxml
refuses before a single entity is expanded or a file is opened.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness import hostile
from tests.robustness.harness import Case, query

FIL = frozenset
SECRET = "SECRET-OF-THE-HOST"


def _secret(tree: Path) -> Path:
    """A file outside the tree holding what an external entity would pull into the catalog."""
    path = tree.parent / "secret.txt"
    path.write_text(SECRET)
    return path


def _xmp_sidecar(packet):
    def build(path: Path) -> None:
        hostile.jpeg(path, len(path.name))
        path.with_suffix(".xmp").write_bytes(packet(path) if callable(packet) else packet)

    return build


CASES = [
    Case("exif-zero-denominator", "zero.jpg",
         lambda p: hostile.exif_jpeg(p, hostile.gps_latitude((38, 0)), 1), codes=FIL({"FIL011"})),
    Case("exif-gps-out-of-range", "lat123.jpg",
         lambda p: hostile.exif_jpeg(p, hostile.gps_latitude((123, 1)), 2), codes=FIL({"FIL011"})),
    Case("exif-ifd-loop", "ifd-loop.jpg",
         lambda p: hostile.exif_jpeg(p, hostile.ifd_loop(), 3), codes=FIL({"FIL004"})),
    Case("exif-giant-count", "giant.jpg",
         lambda p: hostile.exif_jpeg(p, hostile.giant_count(), 4), codes=FIL({"FIL004"})),
    Case("exif-text-not-utf8", "latin1.jpg",
         lambda p: hostile.exif_jpeg(p, hostile.undecodable_artist(), 5), codes=FIL({"FIL004"})),
    Case("iptc-no-charset-marker", "iptc-cp1252.jpg",
         lambda p: hostile.iptc_jpeg(p, hostile.iim((2, 120, "Café".encode("cp1252"))), 6),
         codes=FIL({"FIL006"})),
    Case("iptc-invalid-utf8", "iptc-bad-utf8.jpg",
         lambda p: hostile.iptc_jpeg(
             p, hostile.iim(hostile.UTF8_MARKER, (2, 120, "Café".encode("cp1252"))), 7),
         codes=FIL({"FIL007"})),
    Case("iptc-huge-length", "iptc-huge.jpg",
         lambda p: hostile.iptc_jpeg(p, hostile.huge_dataset_length(), 8), codes=FIL({"FIL004"})),
    Case("xmp-billion-laughs", "laughs.jpg",
         lambda p: hostile.xmp_jpeg(p, hostile.billion_laughs(), 9), codes=FIL({"FIL005"})),
    Case("xmp-external-entity", "xxe.jpg",
         lambda p: hostile.xmp_jpeg(p, hostile.external_entity(_secret(p.parent)), 10),
         codes=FIL({"FIL005"})),
    Case("xmp-sidecar-billion-laughs", "laughs-sidecar.jpg",
         _xmp_sidecar(hostile.billion_laughs()), codes=FIL({"FIL005"})),
    Case("xmp-sidecar-external-entity", "xxe-sidecar.jpg",
         _xmp_sidecar(lambda p: hostile.external_entity(_secret(p.parent))),
         codes=FIL({"FIL005"})),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_file_has_its_documented_outcome(outcome, case):
    outcome.check(case)


def test_no_entity_is_expanded_and_no_external_file_read(outcome):
    """A billion laughs would take gigabytes and minutes; nothing of the secret file is stored."""
    assert outcome.imported.seconds < 20
    rows = query(
        outcome.db, "SELECT value FROM field_values UNION ALL SELECT message FROM findings"
    )
    assert not [text for (text,) in rows if text and (SECRET in text or "lollol" in text)]


def test_text_in_a_guessed_charset_is_decoded_and_kept(outcome):
    """Without the 1:90 marker, bytes that are not UTF-8 are read as Windows Latin-1 - the
    documented fallback - and the finding says so; the caption is not lost."""
    rows = query(
        outcome.db,
        "SELECT value FROM field_values WHERE field = 'caption' AND sha256 = "
        "(SELECT sha256 FROM locations WHERE path = ?)",
        str(outcome.tree / "iptc-cp1252.jpg"),
    )
    assert rows == [("Café",)]


def test_a_value_that_cannot_be_used_is_kept_raw_beside_the_record(outcome):
    """The zero-denominator latitude is not in the record, but its raw value and why it was
    refused are kept with its source."""
    rows = query(
        outcome.db,
        "SELECT a.gps_latitude, v.value, v.error FROM assets a JOIN field_values v "
        "ON v.sha256 = a.sha256 AND v.field = 'gps_latitude' "
        "WHERE a.sha256 = (SELECT sha256 FROM locations WHERE path = ?)",
        str(outcome.tree / "zero.jpg"),
    )
    ((latitude, raw, error),) = rows
    assert latitude is None and "38/0" in raw and "division by zero" in error
