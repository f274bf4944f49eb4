"""Sidecars: XMP and JSON files beside an image, which override what the image carries."""

from __future__ import annotations

import json

import pytest
from imagefiles import blank, image_with

from catalog.readers import read_asset
from catalog.readers.sidecar import MAX_JSON_BYTES, read_json_sidecar, xmp_sidecars

XMP_SIDECAR = """<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'>
 <rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
  <rdf:Description rdf:about='' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'
    xmlns:dc='http://purl.org/dc/elements/1.1/' photoshop:Credit='{credit}'>
   <dc:subject><rdf:Bag><rdf:li>C-17</rdf:li><rdf:li>Travis AFB</rdf:li></rdf:Bag></dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>"""


def test_both_xmp_sidecar_conventions_are_found_adobe_first(tmp_path):
    image = blank(tmp_path / "IMG_0001.jpg")
    (tmp_path / "IMG_0001.jpg.xmp").write_text(XMP_SIDECAR.format(credit="darktable"))
    (tmp_path / "IMG_0001.XMP").write_text(XMP_SIDECAR.format(credit="Bridge"))
    assert [p.name for p in xmp_sidecars(image)] == ["IMG_0001.XMP", "IMG_0001.jpg.xmp"]
    metadata = read_asset(image)
    assert metadata.record.credit == "Bridge"
    assert metadata.sources["credit"] == "sidecar-xmp:IMG_0001.XMP"
    assert [f.code for f in metadata.findings] == ["SRC001"]  # the two sidecars disagree


def test_an_xmp_sidecar_overrides_the_embedded_xmp_and_says_so(tmp_path):
    image = image_with(tmp_path, "IMG_0002", "JPEG", "-XMP-photoshop:Credit=U.S. Army")
    (tmp_path / "IMG_0002.xmp").write_text(XMP_SIDECAR.format(credit="U.S. Air Force"))
    metadata = read_asset(image)
    assert metadata.record.credit == "U.S. Air Force"
    assert metadata.record.keywords == ["C-17", "Travis AFB"]
    (finding,) = metadata.findings
    assert finding.values["other_source"] == "xmp" and finding.values["other"] == "U.S. Army"


def test_a_json_sidecar_is_validated_field_by_field_and_wins(tmp_path):
    image = image_with(tmp_path, "IMG_0003", "JPEG", "-IPTC:Credit=U.S. Army")
    sidecar = {
        "credit": "U.S. Air Force",
        "date_created": "2022-02-15",
        "gps_latitude": 123.0,
        "colour": "red",
        "caption": None,
    }
    (tmp_path / "IMG_0003.json").write_text(json.dumps(sidecar))
    metadata = read_asset(image)
    assert metadata.record.credit == "U.S. Air Force"
    assert metadata.record.date_created.isoformat() == "2022-02-15"
    assert metadata.record.gps_latitude is None
    rejected = {(f.code, f.field) for f in metadata.findings if f.code == "FIL013"}
    assert rejected == {("FIL013", "gps_latitude"), ("FIL013", "colour")}
    assert [v.value for v in metadata.values if v.field == "gps_latitude"] == [123.0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"credit": "a", "credit": "b"}', "duplicate key 'credit'"),
        ('{"gps_latitude": NaN}', "NaN is not a JSON value"),
        ('{"gps_latitude": Infinity}', "Infinity is not a JSON value"),
        ('["not", "an", "object"]', "one JSON object"),
        ('{"credit": ', "Expecting value"),
        ('{"keywords": [[[[[[[[["deep"]]]]]]]]]}', "nested deeper"),
        ("[" * 100_000 + "]" * 100_000, "nesting too deep"),
    ],
)
def test_a_json_sidecar_that_is_not_a_plain_record_is_refused_whole(tmp_path, text, reason):
    path = tmp_path / "IMG.json"
    path.write_text(text)
    source = read_json_sidecar(path)
    assert source.values == {}
    (finding,) = source.findings
    assert finding.code == "FIL013" and reason in finding.message and "IMG.json" in finding.message


def test_an_oversized_json_sidecar_is_refused_without_being_parsed(tmp_path):
    path = tmp_path / "IMG.json"
    path.write_text('{"caption": "' + "x" * MAX_JSON_BYTES + '"}')
    (finding,) = read_json_sidecar(path).findings
    assert "larger than" in finding.message
