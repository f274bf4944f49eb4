"""The merge: one precedence applied field by field, every value kept, every disagreement named."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shipped import TABLES

from catalog.core.merge import PRECEDENCE, SourceValues, merge, normalize_text, precedence

VIRIN = "220215-F-DU706-1241"


def source(kind: str, label: str | None = None, **values) -> SourceValues:
    return SourceValues(kind, label or kind, values)


def test_precedence_is_sidecar_then_manifest_then_embedded_then_article():
    assert PRECEDENCE == (
        "sidecar-json",
        "manifest",
        "sidecar-xmp",
        "exif",
        "xmp",
        "iptc",
        "article",
    )


def test_an_edited_iim_moves_ahead_of_xmp_and_nothing_else_moves():
    order = precedence(iim_edited=True)
    assert order.index("iptc") < order.index("xmp")
    assert [k for k in order if k not in ("xmp", "iptc")] == [
        k for k in PRECEDENCE if k not in ("xmp", "iptc")
    ]


def test_each_field_comes_from_the_best_source_that_has_it_whatever_the_input_order():
    merged = merge(
        [
            source("article", "article:seed.txt#1", title="Loading Cargo", virin=VIRIN),
            source("iptc", virin=VIRIN, credit="U.S. Air Force"),
            source("sidecar-json", "sidecar-json:IMG.json", credit="U.S. Air Force"),
        ],
        tables=TABLES,
    )
    assert merged.record.virin == VIRIN
    assert merged.sources == {
        "virin": "iptc",
        "title": "article:seed.txt#1",
        "credit": "sidecar-json:IMG.json",
    }
    assert not merged.findings


def test_every_value_of_every_source_is_kept_with_its_source():
    merged = merge([source("xmp", caption="A"), source("iptc", caption="B")], tables=TABLES)
    assert [(v.source, v.value) for v in merged.values if v.field == "caption"] == [
        ("xmp", "A"),
        ("iptc", "B"),
    ]


def test_a_disagreement_names_both_values_and_both_sources():
    merged = merge(
        [source("iptc", credit="U.S. Army"), source("xmp", credit="U.S. Air Force")], tables=TABLES
    )
    (finding,) = merged.findings
    assert finding.code == "SRC001"
    assert finding.field == "credit"
    assert finding.values == {
        "kept_source": "xmp",
        "kept": "U.S. Air Force",
        "other_source": "iptc",
        "other": "U.S. Army",
    }
    assert "U.S. Army" in finding.message and "U.S. Air Force" in finding.message
    assert merged.record.credit == "U.S. Air Force"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Air  Force\nphoto ", "Air Force photo"),  # white space
        ("caf\u00e9", "cafe\u0301"),  # composed and decomposed é (NFC)
        ("x\u00a0y", "x y"),  # no-break space
    ],
)
def test_text_that_differs_only_in_white_space_or_unicode_form_agrees(a, b):
    assert not merge([source("xmp", caption=a), source("iptc", caption=b)], tables=TABLES).findings


def test_case_is_a_real_difference():
    merged = merge([source("xmp", virin=VIRIN), source("iptc", virin=VIRIN.lower())], tables=TABLES)
    assert [f.code for f in merged.findings] == ["SRC001"]


def test_keywords_are_a_bag_order_and_repeats_do_not_matter():
    merged = merge(
        [
            source("xmp", keywords=["C-17", "Ukraine"]),
            source("iptc", keywords=["Ukraine", "C-17", "C-17"]),
        ],
        tables=TABLES,
    )
    assert not merged.findings
    assert merged.record.keywords == ["C-17", "Ukraine"]


def test_a_missing_keyword_is_a_disagreement():
    merged = merge(
        [source("xmp", keywords=["C-17", "Ukraine"]), source("iptc", keywords=["C-17"])],
        tables=TABLES,
    )
    assert [f.code for f in merged.findings] == ["SRC001"]


def test_an_iim_copy_cut_at_its_byte_limit_is_a_truncation_not_a_disagreement():
    full = "Mass Communication Specialist 2nd Class Jane Doe"
    merged = merge(
        [source("xmp", photographer=full), source("iptc", photographer=full[:32])], tables=TABLES
    )
    (finding,) = merged.findings
    assert (finding.code, finding.values["limit"]) == ("SRC002", 32)
    assert merged.record.photographer == full


def test_the_full_value_wins_over_a_cut_iim_copy_even_when_iim_has_precedence():
    """MWG: when the IIM is preferred (stale digest) but is only the other value cut at the
    limit, the full value is taken."""
    full = "Mass Communication Specialist 2nd Class Jane Doe"
    merged = merge(
        [source("xmp", photographer=full), source("iptc", photographer=full[:32])],
        iim_edited=True,
        tables=TABLES,
    )
    assert merged.record.photographer == full
    assert merged.sources["photographer"] == "xmp"
    assert [f.code for f in merged.findings] == ["SRC003", "SRC002"]


def test_a_short_iim_prefix_far_below_the_limit_is_a_disagreement():
    merged = merge(
        [source("xmp", photographer="SrA Karla Parra"), source("iptc", photographer="SrA")],
        tables=TABLES,
    )
    assert [f.code for f in merged.findings] == ["SRC001"]


def test_keywords_cut_at_64_bytes_are_truncations():
    long = "Operation " + "Allied Resolve " * 5
    merged = merge(
        [source("xmp", keywords=[long, "C-17"]), source("iptc", keywords=[long[:64], "C-17"])],
        tables=TABLES,
    )
    assert [f.code for f in merged.findings] == ["SRC002"]


def test_date_times_agree_to_the_second_and_offsets_only_when_both_have_one():
    stamp = dt.datetime(2022, 2, 14, 16, 20, 5)
    zoned = stamp.replace(microsecond=500_000, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    assert not merge(
        [source("exif", date_time_original=stamp), source("xmp", date_time_original=zoned)],
        tables=TABLES,
    ).findings
    other_zone = stamp.replace(tzinfo=dt.UTC)
    assert merge(
        [source("exif", date_time_original=zoned), source("xmp", date_time_original=other_zone)],
        tables=TABLES,
    ).findings


def test_coordinates_agree_within_a_millionth_of_a_degree():
    assert not merge(
        [source("exif", gps_latitude=38.2627), source("xmp", gps_latitude=38.2627004)],
        tables=TABLES,
    ).findings
    assert merge(
        [source("exif", gps_latitude=38.2627), source("xmp", gps_latitude=38.2637)], tables=TABLES
    ).findings


def test_blank_values_count_as_absent():
    merged = merge(
        [source("xmp", caption="  ", keywords=[]), source("iptc", caption="Real caption")],
        tables=TABLES,
    )
    assert merged.record.caption == "Real caption"
    assert merged.sources == {"caption": "iptc"}
    assert merged.record.keywords == []


def test_reader_findings_are_passed_through():
    from catalog.core.findings import Finding, Severity

    finding = Finding("FIL006", Severity.WARNING, "guessed", field="city")
    merged = merge(
        [SourceValues("iptc", "iptc", {"city": "X"}, findings=(finding,))], tables=TABLES
    )
    assert merged.findings == (finding,)


def test_an_unknown_source_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown metadata source kind"):
        merge([source("exiftool", caption="x")], tables=TABLES)


@given(st.text(), st.text())
def test_normalization_is_idempotent_and_agreement_symmetric(a, b):
    assert normalize_text(normalize_text(a)) == normalize_text(a)
    forward = merge([source("xmp", caption=a), source("iptc", caption=b)], tables=TABLES).findings
    backward = merge([source("xmp", caption=b), source("iptc", caption=a)], tables=TABLES).findings
    assert bool(forward) == bool(backward)
