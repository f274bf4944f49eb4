"""Build the sample collection in ``assets/``: ``python assets/make_assets.py [FOLDER]``.

Small synthetic images (Pillow pixels) carrying DoD metadata written by ExifTool, as a photo desk
receives them: good records from several services in JPEG, TIFF and PNG; JSON and XMP sidecars; a
CSV manifest; the seed article with its two images; and the mistakes real collections have, one
per file, each named after what is wrong with it. The generated files are committed, so that
``make run`` needs no ExifTool; run this script again (ExifTool installed) after changing it.

Everything is deterministic: the same script gives the same files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
#: The seed article (a real defense.gov page) beside the repository; the committed copy otherwise.
ARTICLE_SOURCES = (
    HERE.parent.parent / "shared" / "seeds" / "000_de3c315fa5525843.txt",
    HERE.parent.parent.parent / "shared" / "seeds" / "000_de3c315fa5525843.txt",
    HERE / "article.txt",
)
SIZE = (320, 240)
SAVE_OPTIONS = {"JPEG": {"quality": 75}, "TIFF": {"compression": "tiff_adobe_deflate"}, "PNG": {}}
GENERATED = ("photos", "mistakes", "article", "manifest.csv")


@dataclass
class Photo:
    """One image: where it goes, its metadata, and the ExifTool arguments beyond the usual."""

    path: str
    virin: str | None
    date: str  # YYYY:MM:DD
    caption: str | None
    byline: str | None = "SrA Karla Parra"
    credit: str | None = "U.S. Air Force"
    headline: str | None = None
    keywords: tuple[str, ...] = ("cargo", "C-17", "airlift")
    city: str = "Fairfield"
    sublocation: str = "Travis Air Force Base"
    state: str = "California"
    country_code: str = "USA"
    country: str = "United States"
    release: str | None = "Released"
    classification: str | None = "Unclassified"
    extra: tuple[str, ...] = ()
    colour: tuple[int, int, int] = (70, 110, 150)
    #: Mirror the picture: another photograph, not another copy of the same one (dHash differs).
    mirrored: bool = False
    sidecar_json: dict | None = None
    sidecar_xmp: tuple[str, ...] = ()

    def arguments(self) -> list[str]:
        tags = {
            "IPTC:ObjectName": self.virin,
            "XMP-dc:Title": self.virin,
            "IPTC:Headline": self.headline,
            "XMP-photoshop:Headline": self.headline,
            "IPTC:Caption-Abstract": self.caption,
            "XMP-dc:Description": self.caption,
            "IPTC:By-line": self.byline,
            "XMP-dc:Creator": self.byline,
            "IPTC:Credit": self.credit,
            "XMP-photoshop:Credit": self.credit,
            "IPTC:DateCreated": self.date,
            "XMP-photoshop:DateCreated": self.date,
            "IPTC:City": self.city,
            "IPTC:Sub-location": self.sublocation,
            "IPTC:Province-State": self.state,
            "IPTC:Country-PrimaryLocationCode": self.country_code,
            "IPTC:Country-PrimaryLocationName": self.country,
            "IPTC:SpecialInstructions": self.release,
            "XMP-photoshop:Instructions": self.release,
            "IPTC:SupplementalCategories": self.classification,
            "XMP-photoshop:SupplementalCategories": self.classification,
            "EXIF:DateTimeOriginal": f"{self.date} 10:30:00",
            "EXIF:Make": "NIKON CORPORATION",
            "EXIF:Model": "NIKON D5",
        }
        args = ["-charset", "iptc=UTF8", "-IPTC:CodedCharacterSet=UTF8"]
        args += [f"-{tag}={value}" for tag, value in tags.items() if value is not None]
        for keyword in self.keywords:
            args += [f"-IPTC:Keywords={keyword}", f"-XMP-dc:Subject={keyword}"]
        return args + list(self.extra)


def air_force(n: int, day: str = "15", **changes) -> Photo:
    """A correct Air Force record (the pattern most of the collection follows), with ``changes``."""
    virin = f"2202{day}-F-DU706-{1000 + n}"
    photo = Photo(
        path=f"photos/{virin}.jpg",
        virin=virin,
        date=f"2022:02:{day}",
        caption=f"Airmen load security assistance cargo aboard a C-17 Globemaster III at Travis "
        f"Air Force Base, Calif., Feb. {int(day)}, 2022. (U.S. Air Force photo by Senior Airman "
        f"Karla Parra)",
        headline="Loading cargo",
        colour=(40 + 9 * n % 200, 90, 160),
    )
    return replace(photo, **changes)


def collection() -> list[Photo]:
    photos = [air_force(n) for n in range(251, 256)]
    photos[1].sidecar_json = {"keywords": ["cargo", "C-17", "Ukraine", "security assistance"]}
    photos[2].sidecar_xmp = ("-XMP-photoshop:Headline=Pallets ready for loading",)
    photos += [
        Photo(
            path="photos/220224-F-FW957-2001.jpg",
            virin="220224-F-FW957-2001",
            date="2022:02:24",
            caption="Two Air Force F-35 Lightning II aircraft assigned to the 34th Fighter "
            "Squadron fly over the 86th Air Base in Romania, Feb. 24, 2022. (U.S. Air Force "
            "photo by Senior Airman Ali Stewart)",
            byline="SrA Ali Stewart",
            headline="Lightning Pair",
            keywords=("F-35", "NATO", "Romania"),
            city="Mihail Kogalniceanu",
            sublocation="86th Air Base",
            state="Constanta",
            country_code="ROU",
            country="Romania",
            colour=(120, 130, 140),
        ),
        Photo(
            path="photos/army/230612-A-AB123-1001.jpg",
            virin="230612-A-AB123-1001",
            date="2023:06:12",
            caption="Soldiers with the 1st Armored Division conduct a live-fire exercise at Fort "
            "Bliss, Texas, June 12, 2023. (U.S. Army photo by Sgt. Trey Martin)",
            byline="Sgt. Trey Martin",
            credit="U.S. Army",
            keywords=("live fire", "Fort Bliss"),
            city="El Paso",
            sublocation="Fort Bliss",
            state="Texas",
            colour=(110, 100, 60),
        ),
        Photo(
            path="photos/navy/170518-N-MD297-2001.jpg",
            virin="170518-N-MD297-2001",
            date="2017:05:18",
            caption="170518-N-MD297-2001 WASHINGTON (May 18, 2017) Sailors man the rails aboard "
            "the USS Constitution. (U.S. Navy photo by Mass Communication Specialist 2nd Class "
            "Jane Doe)",
            byline="MC2 Jane Doe",
            credit="U.S. Navy",
            keywords=("Navy", "Constitution"),
            city="Washington",
            sublocation="Washington Navy Yard",
            state="District of Columbia",
            colour=(20, 40, 110),
        ),
        Photo(
            path="photos/marines/210704-M-KL456-1003.tif",
            virin="210704-M-KL456-1003",
            date="2021:07:04",
            caption="Marines with the Silent Drill Platoon perform at Marine Barracks "
            "Washington, D.C., July 4, 2021. (U.S. Marine Corps photo by Lance Cpl. John "
            "Smith)",
            byline="LCpl John Smith",
            credit="U.S. Marine Corps",
            keywords=("drill", "parade"),
            city="Washington",
            sublocation="Marine Barracks Washington",
            state="District of Columbia",
            colour=(150, 60, 50),
        ),
        Photo(
            path="photos/guard/220301-Z-GU789-1010.png",
            virin="220301-Z-GU789-1010",
            date="2022:03:01",
            caption="Army National Guard Soldiers fill sandbags in Baton Rouge, La., March 1, "
            "2022. (Army National Guard photo by Staff Sgt. Maria Lopez)",
            byline="SSG Maria Lopez",
            credit="Army National Guard",
            keywords=("flood", "sandbags"),
            city="Baton Rouge",
            sublocation="Baton Rouge",
            state="Louisiana",
            colour=(90, 120, 70),
        ),
        Photo(
            path="photos/foreign/180515-O-AB123-1001-BE.jpg",
            virin="180515-O-AB123-1001-BE",
            date="2018:05:15",
            caption="Belgian and U.S. airmen inspect an F-16 at Kleine Brogel Air Base, "
            "Belgium, May 15, 2018. (Belgian Air Force photo by Capt. Luc Peeters)",
            byline="Capt. Luc Peeters",
            credit="Belgian Air Force",
            keywords=("F-16", "Belgium"),
            city="Peer",
            sublocation="Kleine Brogel Air Base",
            state="Limburg",
            country_code="BEL",
            country="Belgium",
            colour=(60, 60, 60),
        ),
    ]
    photos += mistakes()
    photos += article_images()
    return photos


def mistakes() -> list[Photo]:
    """One common mistake per file, each file named after it."""
    return [
        air_force(301, path="mistakes/wrong-virin-8-digit-date.jpg", virin="20220215-F-DU706-1301"),
        air_force(302, path="mistakes/wrong-virin-placeholder.jpg", virin="220215-M-ZZ999-1302"),
        air_force(303, path="mistakes/wrong-virin-no-such-date.jpg", virin="220230-F-DU706-1303"),
        air_force(304, path="mistakes/date-created-differs.jpg", date="2022:02:13"),
        air_force(
            305,
            path="mistakes/caption-date-differs.jpg",
            day="16",
            caption="Airmen load cargo at Travis Air Force Base, Calif., Feb. 12, 2022. "
            "(U.S. Air Force photo by Senior Airman Karla Parra)",
        ),
        air_force(
            306,
            path="mistakes/missing-credit.jpg",
            byline=None,
            credit=None,
            caption="Airmen load cargo at Travis Air Force Base, Calif., Feb. 15, 2022.",
        ),
        air_force(
            307,
            path="mistakes/gps-on-released.jpg",
            extra=(
                "-GPSLatitude=38.2627",
                "-GPSLatitudeRef=N",
                "-GPSLongitude=121.9275",
                "-GPSLongitudeRef=W",
            ),
        ),
        air_force(308, path="mistakes/duplicate-virin-a.jpg", virin="220215-F-DU706-1308"),
        air_force(
            309, path="mistakes/duplicate-virin-b.jpg", virin="220215-F-DU706-1308", mirrored=True
        ),
        air_force(310, path="mistakes/released-but-fouo.jpg", classification="FOUO"),
        air_force(311, path="mistakes/no-release-status.jpg", release=None),
        air_force(
            312,
            path="mistakes/iptc-xmp-disagree.jpg",
            extra=("-XMP-photoshop:Credit=U.S. Space Force",),
        ),
        air_force(
            313,
            path="mistakes/too-many-keywords.jpg",
            keywords=(
                "cargo",
                "C-17",
                "airlift",
                "Travis",
                "Ukraine",
                "NATO",
                "logistics",
                "airmen",
            ),
        ),
        air_force(
            314, path="mistakes/photographer-in-keywords.jpg", keywords=("cargo", "Karla Parra")
        ),
        air_force(
            315, path="mistakes/byline-too-long.jpg", byline="Senior Airman Karla Parra-Montgomery"
        ),
        air_force(316, path="mistakes/filename-differs-220215-F-DU706-1399.jpg"),
        air_force(318, path="mistakes/manifest-says-not-released.jpg"),
        air_force(319, path="mistakes/truncated.jpg"),  # cut short after ExifTool, in extras()
        air_force(
            317,
            path="mistakes/no-metadata.png",
            virin=None,
            caption=None,
            byline=None,
            credit=None,
            keywords=(),
            release=None,
            classification=None,
        ),
    ]


def article_images() -> list[Photo]:
    """The seed article's two images: only pixels and a file name; the article gives the rest."""
    bare = dict(
        caption=None,
        byline=None,
        credit=None,
        keywords=(),
        release="Released",
        classification="Unclassified",
        city="",
        sublocation="",
        state="",
        country_code="",
        country="",
    )
    return [
        Photo(
            path="article/220215-F-DU706-1241.jpg",
            virin=None,
            date="2022:02:15",
            colour=(150, 150, 120),
            **bare,
        ),
        Photo(
            path="article/220224-F-FW957-2001Y.jpg",
            virin=None,
            date="2022:02:24",
            colour=(100, 120, 150),
            **bare,
        ),
    ]


def pixels(colour: tuple[int, int, int], mirrored: bool = False) -> Image.Image:
    """A small picture: a gradient in the photo's colour with a few shapes, never blank."""
    image = Image.linear_gradient("L").resize(SIZE).convert("RGB")
    image = Image.blend(image, Image.new("RGB", SIZE, colour), 0.6)
    draw = ImageDraw.Draw(image)
    r, g, b = colour
    draw.ellipse((40, 60, 150, 170), fill=(255 - r, 255 - g, 255 - b))
    draw.rectangle((180, 40, 290, 200), outline=(g, b, r), width=6)
    return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if mirrored else image


def write(folder: Path) -> None:
    for name in GENERATED:
        target = folder / name
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(True)
    args: list[str] = []
    for photo in collection():
        path = folder / photo.path
        path.parent.mkdir(parents=True, exist_ok=True)
        file_format = {".jpg": "JPEG", ".tif": "TIFF", ".png": "PNG"}[path.suffix]
        pixels(photo.colour, photo.mirrored).save(path, file_format, **SAVE_OPTIONS[file_format])
        args += [*photo.arguments(), "-overwrite_original", str(path), "-execute"]
        if photo.sidecar_json:
            path.with_suffix(".json").write_text(json.dumps(photo.sidecar_json, indent=2) + "\n")
        if photo.sidecar_xmp:
            args += [*photo.sidecar_xmp, "-o", str(path.with_suffix(".xmp")), "-execute"]
    argfile = folder / "exiftool.args"
    argfile.write_text("\n".join(args) + "\n", encoding="utf-8")
    try:
        subprocess.run(
            ["exiftool", "-@", str(argfile), "-common_args", "-q", "-q", "-m"], check=True
        )
    finally:
        argfile.unlink()
    extras(folder)


def extras(folder: Path) -> None:
    """What ExifTool does not make: a copy, a damaged file, a manifest, the article text."""
    shutil.copyfile(folder / "photos/220215-F-DU706-1251.jpg", folder / "mistakes/copy-of-1251.jpg")
    whole = (folder / "mistakes/truncated.jpg").read_bytes()
    (folder / "mistakes/truncated.jpg").write_bytes(whole[: len(whole) * 2 // 3])
    (folder / "mistakes/not-an-image.jpg").write_text("This is a text file named .jpg\n")
    (folder / "manifest.csv").write_text(
        "file,keywords,release_instructions\n"
        "photos/220215-F-DU706-1253.jpg,cargo; C-17; Travis AFB,Released\n"
        "mistakes/manifest-says-not-released.jpg,,Not Released\n"
        "photos/does-not-exist.jpg,cargo,Released\n",
        encoding="utf-8",
    )
    source = next(path for path in ARTICLE_SOURCES if path.exists())
    if source != folder / "article.txt":
        shutil.copyfile(source, folder / "article.txt")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
