"""Release safety: a release decision fails closed, through the real import and publish.

Only an image that every source calls Released and Unclassified reaches the public catalog. A
restrictive marking beats a Released status; of several sources the most restrictive wins (an
embedded Released loses to a sidecar's Not Released); a status that is missing, misspelled, padded
with an invisible character or contradicted keeps the image out - and so does a restrictive
sidecar beside one copy of an image whose other copy is clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.robustness import hostile
from tests.robustness.harness import Case, catalog, query

REL = frozenset


def _released(
    status: bytes | None, marking: bytes | None = b"Unclassified", *, xmp=None, sidecar=None
):
    """A photo whose IPTC says ``status`` (2:40) and ``marking`` (2:20); ``xmp`` adds an XMP
    Instructions value, ``sidecar`` a JSON sidecar of those values."""

    def build(path: Path) -> None:
        sequence = 1100 + sum(path.name.encode()) % 900
        datasets = [hostile.UTF8_MARKER, (2, 5, f"220215-F-DU706-{sequence}".encode())]
        datasets += [(2, 40, status)] if status is not None else []
        datasets += [(2, 20, marking)] if marking is not None else []
        hostile.iptc_jpeg(path, hostile.iim(*datasets), len(path.name))
        if xmp is not None:
            packet = hostile.xmp_text({"photoshop:Instructions": xmp}).encode()
            hostile.with_app1(path, b"http://ns.adobe.com/xap/1.0/\x00" + packet)
        if sidecar is not None:
            path.with_suffix(".json").write_text(json.dumps(sidecar))

    return build


CASES = [
    Case("released-unclassified", "public.jpg", _released(b"Released")),
    Case("released-but-fouo", "fouo.jpg", _released(b"Released", b"FOUO"), codes=REL({"REL004"})),
    Case("sources-conflict", "conflict.jpg", _released(b"Released", xmp="Not Released"),
         codes=REL({"REL003"})),
    Case("sidecar-more-restrictive", "sidecar.jpg",
         _released(b"Released", sidecar={"release_instructions": "Not Released"}),
         codes=REL({"REL003"})),
    Case("status-unparseable", "garbled.jpg", _released(b"Released for internal use?"),
         codes=REL({"REL002"})),
    Case("status-with-invisible-character", "zero-width.jpg",
         _released("Re\u200bleased".encode()), codes=REL({"REL002"})),
    Case("status-missing", "missing.jpg", _released(None), codes=REL({"REL001"})),
    Case("marking-missing", "unmarked.jpg", _released(b"Released", None), codes=REL({"REL005"})),
    Case("marking-unknown", "typo.jpg", _released(b"Released", b"Unclassfied"),
         codes=REL({"REL006"})),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_release_case_has_its_documented_outcome(outcome, case):
    outcome.check(case)
    (publishable,) = query(
        outcome.db, "SELECT publishable FROM locations WHERE path = ?", str(case.path(outcome.tree))
    )
    assert publishable == ((1,) if case.id == "released-unclassified" else (0,))


def test_only_the_image_clean_in_every_source_is_published(outcome, tmp_path):
    """Release alone decides here: the quality errors of the bare test photos (no caption, no
    credit) are admitted with --allow-errors."""
    public = tmp_path / "public.db"
    quality = query(outcome.db, "SELECT DISTINCT code FROM findings WHERE severity = 'error'")
    allowed = ",".join(code for (code,) in quality if not code.startswith("REL"))
    run = catalog("publish", str(outcome.db), str(public), "--allow-errors", allowed)
    assert run.returncode == 0, run.stderr
    clean = query(outcome.db, "SELECT virin FROM assets WHERE publishable = 1")
    assert len(clean) == 1 and query(public, "SELECT virin FROM assets") == clean


def test_a_restrictive_sidecar_beside_one_copy_keeps_every_copy_out(workspace, tmp_path):
    """The same bytes in two folders: the copy read first is clean (the asset row says
    publishable), the other carries a Secret sidecar - publish holds the content back."""
    tree = workspace / "copies"
    (tree / "a").mkdir(parents=True)
    (tree / "b").mkdir()
    _released(b"Released")(tree / "a" / "public.jpg")
    _released(b"Released", sidecar={"classification": "Secret"})(tree / "b" / "public.jpg")
    db, public = workspace / "copies.db", tmp_path / "public.db"
    assert catalog("import", str(tree), "--db", str(db), "-q").returncode == 0
    run = catalog("publish", str(db), str(public))
    assert run.returncode == 0, run.stderr
    assert query(public, "SELECT count(*) FROM assets") == [(0,)]
    assert "held back" in run.stdout
