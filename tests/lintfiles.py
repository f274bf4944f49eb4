"""Image folders for the linter tests: real JPEGs whose metadata ExifTool writes.

``good_image`` makes a photo that passes every rule, even the dvids profile; each test then breaks
one thing with extra ExifTool arguments, so the finding it expects has one cause.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from imagefiles import SIZE, blank, exiftool_write
from PIL import Image

VIRIN = "220215-F-DU706-1241"
CAPTION = (
    "Airmen load cargo aboard a C-17 Globemaster III at Travis Air Force Base, Calif., "
    "Feb. 15, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)"
)
CATALOG = str(Path(sys.executable).with_name("catalog"))


def good_args(virin: str = VIRIN) -> list[str]:
    """ExifTool arguments for a record that passes every rule and the dvids profile."""
    date = f"20{virin[:2]}:{virin[2:4]}:{virin[4:6]}"
    return [
        "-charset",
        "iptc=UTF8",
        "-IPTC:CodedCharacterSet=UTF8",
        f"-IPTC:ObjectName={virin}",
        f"-Caption-Abstract={CAPTION.replace('Feb. 15', _ap_date(virin))}",
        "-By-line=SrA Karla Parra",
        "-Credit=U.S. Air Force",
        f"-IPTC:DateCreated={date}",
        "-Keywords=C-17",
        "-Keywords=cargo",
        "-City=Travis Air Force Base",
        "-Country-PrimaryLocationName=United States",
        "-SpecialInstructions=Released",
        "-SupplementalCategories=Unclassified",
        f"-DateTimeOriginal={date} 10:00:00",
    ]


def _ap_date(virin: str) -> str:
    months = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct."]
    months += ["Nov.", "Dec."]
    return f"{months[int(virin[2:4]) - 1]} {int(virin[4:6])}"


def good_image(folder: Path, name: str | None = None, *extra: str, virin: str = VIRIN) -> Path:
    """A JPEG in ``folder`` named ``name`` (default: the VIRIN) with a good record, then ``extra``
    ExifTool arguments applied (to break one rule)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = blank(folder / (name or f"{virin}.jpg"))
    exiftool_write(path, *good_args(virin), *extra)
    return path


def sidecar(image: Path, **values) -> Path:
    """A JSON sidecar beside ``image`` with ``values``."""
    path = image.with_suffix(".json")
    path.write_text(json.dumps(values), encoding="utf-8")
    return path


def reported(result: subprocess.CompletedProcess) -> list[dict]:
    """The findings of a ``catalog validate --format jsonl`` run."""
    return [json.loads(line) for line in result.stdout.splitlines()]


def located(result: subprocess.CompletedProcess) -> set[tuple[str, str]]:
    """(path, code) of each finding of a ``--format jsonl`` run."""
    return {(f["path"], f["code"]) for f in reported(result)}


def catalog(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``catalog`` command as CI would, in ``cwd``."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [CATALOG, *args], cwd=cwd, capture_output=True, text=True, env=environment, check=False
    )


def other_picture(path: Path, virin: str = VIRIN) -> Path:
    """A different picture under ``virin``: with ``good_image``'s, one VIRIN on two pictures."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.effect_mandelbrot(SIZE, (-2.0, -1.2, 0.8, 1.2), 100).convert("RGB").save(path)
    exiftool_write(path, *good_args(virin), "-Headline=another picture")
    return path
