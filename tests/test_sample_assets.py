"""The committed sample collection is what ``assets/make_assets.py`` makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from catalogs import rows
from webtools import ASSETS, sample_catalog


def findings_by_file(root: Path, db: Path) -> dict[str, list[str]]:
    sample_catalog(db, root)
    found: dict[str, list[str]] = {}
    for path, code in rows(
        db,
        "SELECT l.path, f.code FROM locations l LEFT JOIN findings f "
        "ON f.path = l.path ORDER BY l.path, f.code",
    ):
        found.setdefault(str(Path(path).relative_to(root)), []).extend([code] if code else [])
    return found


def test_the_generator_makes_the_committed_collection(tmp_path):
    """The script runs (with ExifTool) and its output equals the committed files in names, in the
    text files, and in what the catalog finds in each image (image bytes may differ with other
    Pillow or ExifTool versions, the findings may not)."""
    generated = tmp_path / "assets"
    generated.mkdir()
    (generated / "article.txt").write_bytes((ASSETS / "article.txt").read_bytes())
    subprocess.run([sys.executable, str(ASSETS / "make_assets.py"), str(generated)], check=True)
    names = sorted(str(p.relative_to(generated)) for p in generated.rglob("*") if p.is_file())
    committed = sorted(
        str(p.relative_to(ASSETS))
        for p in ASSETS.rglob("*")
        if p.is_file()
        and p.name not in ("make_assets.py", "README.md")
        and "__pycache__" not in p.parts
    )
    assert names == committed
    for text in ("manifest.csv", "article.txt", "photos/220215-F-DU706-1252.json"):
        assert (generated / text).read_bytes() == (ASSETS / text).read_bytes()
    assert findings_by_file(generated, tmp_path / "generated.db") == findings_by_file(
        ASSETS, tmp_path / "committed.db"
    )
