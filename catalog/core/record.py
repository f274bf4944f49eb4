"""The record model: the metadata of one asset, as every source must deliver it.

One pydantic model serves four purposes, so the field list exists once:

* validation of JSON sidecars and manifest rows (strict: unknown fields rejected, no NaN or
  infinity, coordinates range-checked);
* the JSON Schema in ``schemas/record.schema.json`` (``make schemas``);
* the column labels (each field's ``title``) and descriptions shown in Datasette;
* the map of where each field lives in a file (IPTC-IIM dataset, XMP property, EXIF tag - spec
  section 2), which the metadata readers follow.

Release status and classification default to *unknown* (None), never to something permissive: a
record that does not say it is released is not released.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: Hard ceiling for any text value. The IIM limits (2,000 bytes for a caption) are findings, not
#: schema errors; this ceiling only refuses absurd input before it reaches the rules or the store.
MAX_TEXT = 65_536
MAX_KEYWORDS = 1_000

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a record field is stored inside an image file."""

    iptc: tuple[str, ...] = ()  # IIM dataset tags, e.g. ("2:05",)
    xmp: tuple[str, ...] = ()  # XMP properties, prefix:name
    exif: tuple[str, ...] = ()  # EXIF tags as exifread names them ("EXIF DateTimeOriginal")


def _field(
    title: str,
    description: str,
    *,
    iptc: tuple[str, ...] = (),
    xmp: tuple[str, ...] = (),
    exif: tuple[str, ...] = (),
    default: Any = None,
    **constraints: Any,
) -> Any:
    extra = {k: list(v) for k, v in (("iptc", iptc), ("xmp", xmp), ("exif", exif)) if v}
    return Field(
        default,
        title=title,
        description=description,
        json_schema_extra=extra or None,
        **constraints,
    )


class AssetRecord(BaseModel):
    """The descriptive metadata of one still image (spec section 2)."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        strict=True,
        validate_assignment=True,
        title="Asset record",
    )

    virin: Text | None = _field(
        "VIRIN",
        "Visual Information Record Identification Number, e.g. 220215-F-DU706-1241. DoD stores it "
        "in the IPTC Object Name, not the title.",
        iptc=("2:05",),
        xmp=("dc:title",),
    )
    title: Text | None = _field(
        "Headline",
        "Headline: a short title for the image (optional).",
        iptc=("2:105",),
        xmp=("photoshop:Headline",),
    )
    caption: Text | None = _field(
        "Caption",
        "Caption (Caption-Abstract): who, what, when, where, why, ending with the credit line.",
        iptc=("2:120",),
        xmp=("dc:description",),
    )
    photographer: Text | None = _field(
        "By-line",
        "Photographer rank and name as written in the By-line (at most 32 bytes in IPTC).",
        iptc=("2:80",),
        xmp=("dc:creator",),
    )
    photographer_unit: Text | None = _field(
        "Photographer's unit",
        "Photographer's home unit (By-line Title).",
        iptc=("2:85",),
        xmp=("photoshop:AuthorsPosition",),
    )
    credit: Text | None = _field(
        "Credit line",
        "Credit line, e.g. 'U.S. Air Force photo by Senior Airman Karla Parra'. For DoD video it "
        "can name the temporary-duty unit: never assume it is a person.",
        iptc=("2:110",),
        xmp=("photoshop:Credit",),
    )
    source: Text | None = _field(
        "Source",
        "Source: the organization that holds the original.",
        iptc=("2:115",),
        xmp=("photoshop:Source",),
    )
    date_created: dt.date | None = _field(
        "Date created",
        "Date the image was shot (IPTC Date Created); must equal the VIRIN date.",
        iptc=("2:55",),
        xmp=("photoshop:DateCreated",),
    )
    keywords: list[Annotated[str, StringConstraints(max_length=MAX_TEXT)]] = _field(
        "Keywords",
        "Keywords, at most 6 for DVIDS, never the photographer's name.",
        iptc=("2:25",),
        xmp=("dc:subject",),
        default=[],
        max_length=MAX_KEYWORDS,
    )
    city: Text | None = _field(
        "City", "City where the image was shot.", iptc=("2:90",), xmp=("photoshop:City",)
    )
    sublocation: Text | None = _field(
        "Sub-location",
        "Sub-location: base, installation or place within the city.",
        iptc=("2:92",),
        xmp=("Iptc4xmpCore:Location",),
    )
    state: Text | None = _field(
        "Province or state", "Province or state.", iptc=("2:95",), xmp=("photoshop:State",)
    )
    country_code: Text | None = _field(
        "Country code",
        "Country code (ISO 3166-1).",
        iptc=("2:100",),
        xmp=("Iptc4xmpCore:CountryCode",),
    )
    country: Text | None = _field(
        "Country", "Country name.", iptc=("2:101",), xmp=("photoshop:Country",)
    )
    release_instructions: Text | None = _field(
        "Release instructions",
        "Release status as written in Special Instructions: Released, Not Released, Not Reviewed, "
        "FOUO or CUI. Missing means not released.",
        iptc=("2:40",),
        xmp=("photoshop:Instructions",),
    )
    service_shown: Text | None = _field(
        "Service shown",
        "Service of the people shown (not of the photographer): IPTC Urgency in the 2011 guide, "
        "Category in older ones.",
        iptc=("2:10", "2:15"),
        xmp=("photoshop:Urgency", "photoshop:Category"),
    )
    classification: Text | None = _field(
        "Classification marking",
        "Classification marking (Supplemental Category #1): Unclassified, FOUO, CUI or a "
        "classification. Missing means unknown, which is never public.",
        iptc=("2:20",),
        xmp=("photoshop:SupplementalCategories",),
    )
    caption_writer: Text | None = _field(
        "Caption writer",
        "Writer/Editor of the caption.",
        iptc=("2:122",),
        xmp=("photoshop:CaptionWriter",),
    )
    date_time_original: dt.datetime | None = _field(
        "Camera date and time",
        "EXIF DateTimeOriginal: when the camera took the picture (camera clock, may be a day off "
        "the shot date because of time zones).",
        xmp=("exif:DateTimeOriginal",),
        exif=("EXIF DateTimeOriginal",),
    )
    camera_make: Text | None = _field(
        "Camera make", "Camera maker (EXIF Make).", xmp=("tiff:Make",), exif=("Image Make",)
    )
    camera_model: Text | None = _field(
        "Camera model", "Camera model (EXIF Model).", xmp=("tiff:Model",), exif=("Image Model",)
    )
    artist: Text | None = _field("EXIF artist", "EXIF Artist.", exif=("Image Artist",))
    copyright: Text | None = _field(
        "Copyright",
        "Copyright notice (EXIF Copyright, XMP dc:rights).",
        xmp=("dc:rights",),
        exif=("Image Copyright",),
    )
    gps_latitude: float | None = _field(
        "GPS latitude",
        "GPS latitude in decimal degrees (north positive). An OPSEC concern on released imagery.",
        xmp=("exif:GPSLatitude",),
        exif=("GPS GPSLatitude",),
        ge=-90,
        le=90,
    )
    gps_longitude: float | None = _field(
        "GPS longitude",
        "GPS longitude in decimal degrees (east positive).",
        xmp=("exif:GPSLongitude",),
        exif=("GPS GPSLongitude",),
        ge=-180,
        le=180,
    )
    gps_altitude: float | None = _field(
        "GPS altitude",
        "GPS altitude in metres above sea level.",
        xmp=("exif:GPSAltitude",),
        exif=("GPS GPSAltitude",),
        ge=-20_000,
        le=1_000_000,
    )

    @property
    def has_gps(self) -> bool:
        return self.gps_latitude is not None or self.gps_longitude is not None


def field_descriptions() -> dict[str, str]:
    """Record field -> description, for Datasette column docs and ``catalog show``."""
    return {name: info.description or "" for name, info in AssetRecord.model_fields.items()}


def field_titles() -> dict[str, str]:
    """Record field -> its short human label ("Photographer's unit"), for headers and facets."""
    return {name: info.title or name for name, info in AssetRecord.model_fields.items()}


def field_locations() -> dict[str, Location]:
    """Record field -> where it is stored in a file, for the metadata readers."""
    locations = {}
    for name, info in AssetRecord.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        locations[name] = Location(
            iptc=tuple(extra.get("iptc", ())),
            xmp=tuple(extra.get("xmp", ())),
            exif=tuple(extra.get("exif", ())),
        )
    return locations


#: What each kind of source is to IPTC-IIM. ``read``: its values come from an IIM dataset;
#: ``written``: ``catalog fix`` writes them to IIM (XMP is the copy the IIM mirrors, as the
#: Metadata Working Group recommends). Every other source - a web page (``article``: its
#: ``Credit:`` line is the page's display credit, whose parts fill the photographer and the
#: organisation, never IPTC Credit 2:110), a CSV manifest, a JSON sidecar, EXIF - neither comes
#: from IIM nor goes to it, so the IIM byte limits (REC002) do not apply to its text.
IIM_ROLE_BY_SOURCE = {"iptc": "read", "xmp": "written", "sidecar-xmp": "written"}


def iim_dataset(field: str, source: str) -> str | None:
    """The IIM dataset (``2:110``) the value of ``field`` given by ``source`` (a source kind or
    label: ``iptc``, ``article:page.txt#1``) was read from or will be written to, else None."""
    kind = source.split(":", 1)[0]
    datasets = _IIM_DATASETS.get(field, ())
    return datasets[0] if datasets and kind in IIM_ROLE_BY_SOURCE else None


_IIM_DATASETS = {name: location.iptc for name, location in field_locations().items()}
