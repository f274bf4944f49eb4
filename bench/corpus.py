"""Seeded synthetic corpora for benchmarks, cached under ``bench-out/``.

``jpeg_corpus`` makes a folder of large camera-like JPEGs (12 to 24 megapixels, a few MB each) named
by VIRIN, with the metadata a DoD photo carries: EXIF camera settings and GPS, IPTC-IIM with the
UTF-8 marker, and XMP (Dublin Core, Photoshop, IPTC Core, xmpMM), all written by ExifTool in one
process. The same seed gives the same metadata; a finished corpus is marked with a stamp file and
reused by later runs.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

from PIL import Image

#: Pixel sizes of the base images: 12, 16 and 24 megapixels.
SIZES = ((4000, 3000), (4608, 3456), (6000, 4000))
CAMERAS = (
    ("NIKON CORPORATION", "NIKON D5", "AF-S NIKKOR 24-70mm f/2.8E ED VR"),
    ("Canon", "Canon EOS-1D X Mark II", "EF70-200mm f/2.8L IS III USM"),
    ("SONY", "ILCE-9", "FE 24-105mm F4 G OSS"),
)
SERVICES = ("F", "A", "N", "M", "D", "Z")
WORDS = (
    "airmen",
    "soldiers",
    "sailors",
    "marines",
    "load",
    "cargo",
    "aboard",
    "aircraft",
    "during",
    "exercise",
    "training",
    "mission",
    "support",
    "base",
    "deployment",
    "readiness",
    "logistics",
    "security",
    "assistance",
    "partner",
    "nations",
    "flight",
    "line",
    "maintenance",
    "operations",
    "squadron",
    "wing",
    "battalion",
    "brigade",
    "fleet",
    "group",
    "joint",
    "forces",
    "command",
    "allies",
    "rapid",
    "response",
    "night",
    "vehicle",
    "convoy",
    "medical",
    "team",
    "ceremony",
)
PLACES = (
    ("Travis Air Force Base", "Fairfield", "California", "USA", "United States"),
    ("Ramstein Air Base", "Ramstein-Miesenbach", "Rhineland-Palatinate", "DEU", "Germany"),
    ("86th Air Base", "Mihail Kogalniceanu", "Constanta", "ROU", "Romania"),
    ("Camp Lemonnier", "Djibouti", "Djibouti", "DJI", "Djibouti"),
)


def jpeg_corpus(out: Path, count: int, seed: int = 1) -> Path:
    """A folder of ``count`` metadata-rich large JPEGs, built once and cached."""
    folder = out / f"jpeg-corpus-{count}-{seed}"
    stamp = folder / ".complete"
    if stamp.exists():
        return folder / "photos"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "photos").mkdir(parents=True)
    bases = [_base_image(out, size, seed) for size in SIZES]
    rng = random.Random(seed)
    args: list[str] = []
    for index in range(count):
        virin = _virin(rng, index)
        target = folder / "photos" / f"{virin}.jpg"
        shutil.copyfile(rng.choice(bases), target)
        args += [*_metadata_args(rng, virin), "-overwrite_original", str(target), "-execute"]
    argfile = folder / "exiftool.args"
    argfile.write_text("\n".join(args) + "\n", encoding="utf-8")
    # -m: the IIM caption limit cuts some captions; that is realistic, not worth a warning
    command = ["exiftool", "-@", str(argfile), "-common_args", "-q", "-q", "-m"]
    subprocess.run(command, check=True)
    argfile.unlink()
    stamp.write_text(f"{count} files, seed {seed}\n", encoding="utf-8")
    return folder / "photos"


def _base_image(out: Path, size: tuple[int, int], seed: int) -> Path:
    """A photo-sized JPEG whose pixels compress like a photo's (noise on gradients)."""
    path = out / f"base-{size[0]}x{size[1]}-{seed}.jpg"
    if not path.exists():
        width, height = size
        red = Image.effect_noise((width // 8, height // 8), 70).resize(size)
        green = Image.linear_gradient("L").resize(size)
        blue = Image.effect_noise(size, 24)
        Image.merge("RGB", (red, green, blue)).save(path, quality=90)
    return path


def _virin(rng: random.Random, index: int) -> str:
    day = f"2{rng.randint(0, 3)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    originator = f"{rng.choice('ABCDEFGHJK')}{rng.choice('LMNPRSTUVW')}{rng.randint(100, 999)}"
    return f"{day}-{rng.choice(SERVICES)}-{originator}-{1001 + index}"


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _metadata_args(rng: random.Random, virin: str) -> list[str]:
    make, model, lens = rng.choice(CAMERAS)
    sublocation, city, state, code, country = rng.choice(PLACES)
    date = f"20{virin[:2]}:{virin[2:4]}:{virin[4:6]}"
    clock = f"{rng.randint(6, 20):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    photographer = f"Senior Airman {rng.choice(('Karla', 'Ali', 'José', 'Renée'))} Parra"
    caption = ". ".join(_sentence(rng, rng.randint(12, 30)) for _ in range(rng.randint(2, 12)))
    caption += f". (U.S. Air Force photo by {photographer})"
    keywords = sorted({rng.choice(WORDS) for _ in range(rng.randint(3, 8))})
    args = [
        "-charset",
        "iptc=UTF8",
        "-IPTC:CodedCharacterSet=UTF8",
        f"-IPTC:ObjectName={virin}",
        f"-XMP-dc:Title={virin}",
        f"-Headline={_sentence(rng, 4)}",
        f"-Caption-Abstract={caption[:2000]}",
        f"-XMP-dc:Description={caption}",
        f"-By-line={photographer[:32]}",
        f"-XMP-dc:Creator={photographer}",
        "-By-lineTitle=1st Combat Camera Squadron",
        "-AuthorsPosition=1st Combat Camera Squadron",
        "-Credit=U.S. Air Force",
        "-Source=DVIDS",
        f"-IPTC:DateCreated={date}",
        f"-IPTC:TimeCreated={clock}",
        f"-XMP-photoshop:DateCreated={date} {clock}",
        f"-City={city}",
        f"-Sub-location={sublocation}",
        f"-XMP-iptcCore:Location={sublocation}",
        f"-Province-State={state}",
        f"-Country-PrimaryLocationCode={code}",
        f"-XMP-iptcCore:CountryCode={code}",
        f"-Country-PrimaryLocationName={country}",
        "-SpecialInstructions=Released",
        "-Instructions=Released",
        "-SupplementalCategories=Unclassified",
        "-Writer-Editor=SSgt John Doe",
        "-CaptionWriter=SSgt John Doe",
        "-CopyrightNotice=Public Domain",
        "-XMP-dc:Rights=Public Domain",
        "-XMP-xmp:CreatorTool=Adobe Photoshop Lightroom Classic 12.0",
        f"-XMP-xmp:CreateDate={date} {clock}",
        f"-XMP-xmpMM:DocumentID=xmp.did:{rng.getrandbits(64):016x}",
        f"-XMP-xmpMM:InstanceID=xmp.iid:{rng.getrandbits(64):016x}",
        f"-Make={make}",
        f"-Model={model}",
        f"-LensModel={lens}",
        f"-SerialNumber={rng.randint(3000000, 3999999)}",
        f"-Software={model} Ver.1.20",
        f"-Artist={photographer}",
        "-Copyright=Public Domain",
        f"-DateTimeOriginal={date} {clock}",
        f"-CreateDate={date} {clock}",
        "-OffsetTimeOriginal=+01:00",
        f"-SubSecTimeOriginal={rng.randint(10, 99)}",
        f"-ExposureTime=1/{rng.choice((125, 250, 500, 1000))}",
        f"-FNumber={rng.choice((2.8, 4, 5.6, 8))}",
        f"-ISO={rng.choice((100, 400, 1600, 6400))}",
        f"-FocalLength={rng.randint(24, 200)}",
        "-ExposureProgram=Manual",
        "-MeteringMode=Multi-segment",
        "-Flash=No Flash",
        "-WhiteBalance=Auto",
        "-ColorSpace=sRGB",
        "-XResolution=300",
        "-YResolution=300",
        "-ResolutionUnit=inches",
    ]
    keywords_args = [f"-Keywords={k}" for k in keywords] + [
        f"-XMP-dc:Subject={k}" for k in keywords
    ]
    if rng.random() < 0.6:
        args += [
            f"-GPSLatitude={rng.uniform(-60, 60):.6f}",
            f"-GPSLatitudeRef={rng.choice('NS')}",
            f"-GPSLongitude={rng.uniform(-170, 170):.6f}",
            f"-GPSLongitudeRef={rng.choice('EW')}",
            f"-GPSAltitude={rng.randint(0, 2000)}",
            "-GPSAltitudeRef=Above Sea Level",
        ]
    return args + keywords_args
