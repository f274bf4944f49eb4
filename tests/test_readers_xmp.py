"""XMP packets in the RDF forms real writers use, and in shapes no writer should produce."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from imagefiles import xmp_packet

from catalog.readers.fields import kind
from catalog.readers.xmp import read_xmp, xmp_date, xmp_datetime, xmp_gps


def packet(body: str, attributes: str = "") -> bytes:
    """An embedded packet: writers pad it with NUL bytes, which are not XML."""
    return xmp_packet(body, attributes) + b"\x00" * 20


def test_simple_properties_as_attributes_or_elements_and_any_prefix():
    source = read_xmp(
        packet(
            "<photoshop:City>Fairfield</photoshop:City>"
            "<ps2:Credit xmlns:ps2='http://ns.adobe.com/photoshop/1.0/'>"
            "U.S. Air Force</ps2:Credit>",
            attributes="photoshop:Source='DVIDS'",
        )
    )
    assert source.values == {"credit": "U.S. Air Force", "source": "DVIDS", "city": "Fairfield"}


def test_a_language_alternative_without_x_default_takes_the_first_and_keeps_the_others():
    source = read_xmp(
        packet(
            "<dc:description><rdf:Alt><rdf:li xml:lang='en-US'>Cargo</rdf:li>"
            "<rdf:li xml:lang='de'>Fracht</rdf:li></rdf:Alt></dc:description>"
        )
    )
    assert source.values == {"caption": "Cargo"}
    assert [(v.source, v.value) for v in source.extra] == [("xmp[de]", "Fracht")]


def test_extended_xmp_is_read_only_when_the_main_packet_names_its_guid():
    guid = "50917C06F9514217DC11A57CAC773F41"
    main = packet("", attributes=f"xmpNote:HasExtendedXMP='{guid}'")
    extension = packet("<photoshop:Headline>Loading Cargo</photoshop:Headline>")
    assert read_xmp(main, extended={guid: extension}).values == {"title": "Loading Cargo"}
    assert read_xmp(main, extended={"0" * 32: extension}).values == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-02-15", dt.date(2022, 2, 15)),
        ("2022-02-15T10:00:00-05:00", dt.date(2022, 2, 15)),
    ],
)
def test_xmp_dates(text, expected):
    assert xmp_date(text) == expected


@pytest.mark.parametrize("text", ["2022", "2022-02", "2022-02-30", "15/02/2022"])
def test_partial_or_impossible_xmp_dates_are_refused(text):
    with pytest.raises(ValueError):
        xmp_date(text)


def test_xmp_date_times_keep_their_offset_and_need_a_time():
    assert xmp_datetime("2022-02-14T16:20:05-08:00").utcoffset() == dt.timedelta(hours=-8)
    assert xmp_datetime("2022-02-14T16:20").tzinfo is None
    with pytest.raises(ValueError):
        xmp_datetime("2022-02-14")


@pytest.mark.parametrize(
    ("text", "prop", "expected"),
    [
        ("38,15.762N", "exif:GPSLatitude", 38.2627),
        ("121,55,37.92W", "exif:GPSLongitude", -121.9272),
        ("25/2", "exif:GPSAltitude", 12.5),
    ],
)
def test_xmp_gps_forms(text, prop, expected):
    assert xmp_gps(text, prop, {}) == pytest.approx(expected)


def test_gps_altitude_below_sea_level():
    source = read_xmp(packet("", attributes="exif:GPSAltitude='25/2' exif:GPSAltitudeRef='1'"))
    assert source.values == {"gps_altitude": -12.5}


_PROPERTIES = [
    "dc:title",
    "dc:creator",
    "dc:subject",
    "photoshop:DateCreated",
    "exif:GPSLatitude",
    "exif:GPSAltitude",
    "exif:DateTimeOriginal",
    "photoshop:SupplementalCategories",
]
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


_LI = st.one_of(
    _TEXT.map(lambda t: f"<rdf:li>{_escape(t)}</rdf:li>"),
    _TEXT.map(lambda t: f"<rdf:li xml:lang='x-default'>{_escape(t)}</rdf:li>"),
    st.just("<rdf:li><rdf:Description><dc:x>1</dc:x></rdf:Description></rdf:li>"),
)
_VALUE = st.one_of(
    _TEXT.map(_escape),
    st.tuples(st.sampled_from(["Alt", "Bag", "Seq"]), st.lists(_LI, max_size=3)).map(
        lambda c: f"<rdf:{c[0]}>{''.join(c[1])}</rdf:{c[0]}>"
    ),
    st.just("<rdf:Description><dc:x>nested</dc:x></rdf:Description>"),
)


@pytest.mark.fuzz
@given(st.lists(st.tuples(st.sampled_from(_PROPERTIES), _VALUE), max_size=6))
def test_any_rdf_shape_gives_values_of_the_right_type_or_findings_never_an_exception(props):
    body = "".join(f"<{name}>{value}</{name}>" for name, value in props)
    source = read_xmp(packet(body))
    for name, value in source.values.items():
        expected = {"text": str, "list": list, "date": dt.date, "datetime": dt.datetime}
        assert isinstance(value, expected.get(kind(name), float))
    assert all(f.code in ("FIL011", "FIL012") for f in source.findings)
