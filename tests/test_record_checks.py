"""check_record applies every per-record rule; these tests read as the rules' examples."""

import datetime as dt

import pytest
from shipped import TABLES

from catalog.core.record import AssetRecord
from catalog.core.record_checks import check_record
from catalog.schemas import load_tables

TODAY = dt.date(2026, 11, 25)

SEED_FIRST = AssetRecord(
    virin="220215-F-DU706-1241",
    title="Loading Cargo",
    caption="Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III at "
    "Travis Air Force Base, Calif., Feb. 14, 2022.",
    credit="Air Force Senior Airman Karla Parra",
)
SEED_SECOND = AssetRecord(
    virin="220224-F-FW957-2001Y",
    title="Lightning Pair",
    caption="Two Air Force F-35 Lightning II aircraft assigned to the 34th Fighter Squadron fly "
    "over the 86th Air Base in Romania, Feb. 24, 2022.",
    credit="Air Force Senior Airman Ali Stewart",
)

GOOD = AssetRecord(
    virin="220215-F-DU706-1241",
    caption="Airmen load cargo aboard a C-17 Globemaster III at Travis Air Force Base, Calif., "
    "Feb. 15, 2022. (U.S. Air Force photo by Senior Airman Karla Parra)",
    credit="U.S. Air Force",  # IPTC Credit holds 32 bytes: the full line is in the caption
    photographer="SrA Karla Parra",
    date_created=dt.date(2022, 2, 15),
    date_time_original=dt.datetime(2022, 2, 14, 23, 10),
    keywords=["C-17", "cargo", "Ukraine"],
    city="Travis Air Force Base",
    country="United States",
    release_instructions="Released",
    classification="Unclassified",
)


def codes(record, tables=TABLES, **kwargs):
    return sorted(
        f.code for f in check_record(record, tables=tables, today=TODAY, **kwargs).findings
    )


def test_a_complete_record_has_no_findings_and_is_publishable():
    result = check_record(GOOD, today=TODAY, tables=TABLES)
    assert result.findings == ()
    assert result.release.publishable
    assert result.virin.virin.service == "F"
    assert result.credit.credit.name == "Karla Parra"


def test_the_seed_articles_first_image_is_flagged_for_its_caption_date():
    result = check_record(SEED_FIRST, today=TODAY, tables=TABLES)
    mismatch = [f for f in result.findings if f.code == "CAP002"]
    assert len(mismatch) == 1
    assert "2022-02-14" in str(mismatch[0].values) and "2022-02-15" in str(mismatch[0].values)


def test_the_seed_articles_second_image_has_no_date_mismatch():
    assert "CAP002" not in codes(SEED_SECOND)
    assert "VIR012" in codes(SEED_SECOND)  # the trailing Y is a variant letter: a warning


def test_date_created_must_equal_the_virin_date():
    record = GOOD.model_copy(update={"date_created": dt.date(2022, 2, 14)})
    assert codes(record) == ["REC005"]


@pytest.mark.parametrize(
    ("exif", "expected"),
    [
        (dt.datetime(2022, 2, 16, 1, 0), []),  # one day off: time zones
        (dt.datetime(2022, 2, 17, 9, 0), ["REC006"]),
        (dt.datetime(2021, 2, 15, 9, 0), ["REC006"]),
    ],
)
def test_exif_date_may_differ_by_one_day(exif, expected):
    assert codes(GOOD.model_copy(update={"date_time_original": exif})) == expected


def test_values_over_their_iim_byte_limit():
    long_byline = "Mass Communication Specialist 2nd Class Jonathan Doe"
    result = check_record(
        GOOD.model_copy(update={"photographer": long_byline}), today=TODAY, tables=TABLES
    )
    (finding,) = result.findings
    assert finding.code == "REC002" and finding.field == "photographer"
    assert finding.values["limit"] == 32
    assert "Mass Communication Specialist 2n" in finding.message  # where the ingest cuts it


def test_byte_limits_count_encoded_bytes_not_characters():
    city = "Ž" * 20  # 20 characters, 40 bytes in UTF-8; City holds 32
    assert codes(GOOD.model_copy(update={"city": city})) == ["REC002"]


def test_a_caption_over_its_limit_is_reported_once():
    caption = GOOD.caption[:-1] + " " + "x" * 2000 + ")"
    found = codes(GOOD.model_copy(update={"caption": caption}))
    assert found.count("CAP005") == 1 and "REC002" not in found


def test_keywords_at_most_six_and_never_the_photographer():
    many = [f"k{i}" for i in range(7)]
    assert codes(GOOD.model_copy(update={"keywords": many})) == ["REC003"]
    assert codes(GOOD.model_copy(update={"keywords": ["cargo", "karla parra"]})) == ["REC004"]


def test_the_dvids_profile_requires_every_submission_field():
    bare = AssetRecord(
        virin=GOOD.virin, caption=GOOD.caption, credit=GOOD.credit, date_created=GOOD.date_created
    )
    missing = {
        f.field
        for f in check_record(bare, profile="dvids", today=TODAY, tables=TABLES).findings
        if f.code == "REC001"
    }
    assert missing == {"keywords", "sublocation", "country", "release_instructions", "photographer"}
    assert "REC001" not in codes(bare)  # the default profile does not


def test_an_unknown_profile_is_a_usage_error():
    with pytest.raises(ValueError, match="known: default, dvids"):
        check_record(GOOD, profile="dvid", tables=TABLES, today=TODAY)


def test_gps_on_a_released_image_is_reported():
    assert codes(GOOD.model_copy(update={"gps_latitude": 38.2, "gps_longitude": -121.9})) == [
        "REL007"
    ]


def test_a_credit_field_holding_a_unit_gives_way_to_the_caption_credit_line():
    record = GOOD.model_copy(update={"credit": "60th Air Mobility Wing"})
    result = check_record(record, today=TODAY, tables=TABLES)
    assert result.credit.credit.name == "Karla Parra"


def test_a_full_credit_line_in_iptc_credit_would_be_cut():
    record = GOOD.model_copy(update={"credit": "U.S. Air Force photo by Senior Airman Karla Parra"})
    assert codes(record) == ["REC002"]


def test_missing_virin_caption_and_credit_are_errors():
    assert codes(AssetRecord()) == ["CAP001", "CRD001", "REL001", "VIR001"]


def test_most_restrictive_release_source_wins():
    result = check_record(
        GOOD, release_statuses=["Released", "Not Released"], today=TODAY, tables=TABLES
    )
    assert not result.release.publishable


def test_the_credit_line_closing_a_caption_is_read_with_the_configured_tables():
    """A kind the configuration allows ('artwork') is a credit line for the caption check and for
    the credit check alike: the closing line is not missing for one and present for the other."""
    tables = load_tables({"credit_kinds": {"artwork": {"still": True}}})
    record = GOOD.model_copy(
        update={
            "caption": GOOD.caption.replace("U.S. Air Force photo by", "U.S. Air Force artwork by"),
            "credit": None,
        }
    )
    check = check_record(record, tables=tables, today=TODAY)
    codes = {f.code for f in check.findings}
    assert "CRD001" not in codes  # the credit line is found, not reported missing
    assert check.credit.credit is not None and check.credit.credit.kind == "artwork"
