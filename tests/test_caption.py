"""Captions (spec section 4): the shot date is the first date of the first sentence or dateline,
the closing credit line is the parenthesized group at the end, and the caption rules fire exactly
when they should - including on the seed article's real date mismatch."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shipped import TABLES

from catalog.core.caption import check_caption, closing_credit, find_caption_date
from catalog.core.findings import Severity
from catalog.core.rules import all_rules
from catalog.schemas import load_tables

SEED_1 = (
    "Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III at Travis "
    "Air Force Base, Calif., Feb. 14, 2022."
)
SEED_2 = (
    "Two Air Force F-35 Lightning II aircraft assigned to the 34th Fighter Squadron fly over the "
    "86th Air Base in Romania, Feb. 24, 2022."
)
CREDIT = "(U.S. Air Force photo by Senior Airman Karla Parra)"
#: AP style as the DoD Visual Information Style Guide writes it: March to July spelled out.
AP_MONTHS = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]


def codes(findings):
    return [finding.code for finding in findings]


# -- the seed article ---------------------------------------------------------------------------


def test_the_seeds_first_image_dates_its_caption_a_day_before_its_virin():
    """Caption "Feb. 14, 2022", VIRIN 220215-F-DU706-1241: a real inconsistency to flag."""
    findings = check_caption(f"{SEED_1} {CREDIT}", virin_date=dt.date(2022, 2, 15), tables=TABLES)
    [mismatch] = [f for f in findings if f.code == "CAP002"]
    assert mismatch.severity is Severity.ERROR
    assert (mismatch.values["caption_date"], mismatch.values["virin_date"]) == (
        "2022-02-14",
        "2022-02-15",
    )
    assert "Feb. 14, 2022" in mismatch.message and "2022-02-15" in mismatch.message


def test_the_seeds_second_image_agrees_with_its_virin():
    """Caption "Feb. 24, 2022", VIRIN 220224-F-FW957-2001Y."""
    assert check_caption(f"{SEED_2} {CREDIT}", virin_date=dt.date(2022, 2, 24), tables=TABLES) == ()


def test_the_seed_captions_as_published_lack_a_closing_credit():
    """On the web page the credit is a separate "Credit:" line, not part of the caption."""
    assert codes(check_caption(SEED_2, virin_date=dt.date(2022, 2, 24), tables=TABLES)) == [
        "CAP004"
    ]


# -- finding the shot date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "date", "text"),
    [
        (SEED_1, dt.date(2022, 2, 14), "Feb. 14, 2022"),
        ("Soldiers train in Poland, Sept. 3, 2021.", dt.date(2021, 9, 3), "Sept. 3, 2021"),
        ("Soldiers train in Poland, March 3, 2021.", dt.date(2021, 3, 3), "March 3, 2021"),
        # common non-AP forms are read too (flagging them is not this function's job)
        ("Soldiers train in Poland, Sep. 3, 2021.", dt.date(2021, 9, 3), "Sep. 3, 2021"),
        ("Soldiers train, February 14, 2022.", dt.date(2022, 2, 14), "February 14, 2022"),
        ("Soldiers train, 14 February 2022.", dt.date(2022, 2, 14), "14 February 2022"),
        ("Soldiers train, 14 Feb. 2022.", dt.date(2022, 2, 14), "14 Feb. 2022"),
        ("Soldiers train, Feb. 14 2022.", dt.date(2022, 2, 14), "Feb. 14 2022"),
        ("Soldiers train, Feb 14, 2022.", dt.date(2022, 2, 14), "Feb 14, 2022"),
        ("Soldiers train, Feb. 14th, 2022.", dt.date(2022, 2, 14), "Feb. 14th, 2022"),
        ("SOLDIERS TRAIN, FEB. 14, 2022.", dt.date(2022, 2, 14), "FEB. 14, 2022"),
        ("Leap day drill, Feb. 29, 2020.", dt.date(2020, 2, 29), "Feb. 29, 2020"),
        (
            "170518-N-MD297-201 WASHINGTON (May 18, 2017) Chief of Naval Operations Adm. John "
            "Richardson speaks at the Pentagon.",
            dt.date(2017, 5, 18),
            "May 18, 2017",
        ),
        (
            "NORFOLK, Va. (May 18, 2017) Sailors man the rails.",
            dt.date(2017, 5, 18),
            "May 18, 2017",
        ),
        (
            "WASHINGTON (May 18, 2017) -- Sailors man the rails.",
            dt.date(2017, 5, 18),
            "May 18, 2017",
        ),
    ],
)
def test_the_shot_date_is_read_in_ap_and_common_forms(caption, date, text):
    found = find_caption_date(caption, tables=TABLES)
    assert (found.date, found.text) == (date, text)
    assert caption[found.start : found.end] == text


def test_abbreviations_do_not_end_the_first_sentence():
    """ "Staff Sgt. John Doe" and "U.S. Air Force" are inside the first sentence, whose date is
    at its end."""
    caption = (
        "U.S. Air Force Staff Sgt. John Doe, 60th Air Mobility Wing, and Lt. Col. Jane Roe, "
        "commander, inspect cargo at Travis Air Force Base, Calif., Feb. 14, 2022."
    )
    assert find_caption_date(caption, tables=TABLES).date == dt.date(2022, 2, 14)


def test_a_later_sentences_date_is_background_not_the_shot_date():
    caption = (
        "Airmen load cargo aboard a C-17 at Dover Air Force Base, Del., Feb. 14, 2022. The wing "
        "first flew the C-17 on Aug. 5, 1993. (U.S. Air Force photo by Senior Airman Jane Doe)"
    )
    assert find_caption_date(caption, tables=TABLES).date == dt.date(2022, 2, 14)
    assert check_caption(caption, virin_date=dt.date(2022, 2, 14), tables=TABLES) == ()


def test_a_date_only_in_a_later_sentence_is_not_taken_for_the_shot_date():
    caption = (
        "Airmen load cargo aboard a C-17 at Dover Air Force Base. The wing first flew the C-17 "
        "on Aug. 5, 1993. (U.S. Air Force photo by Senior Airman Jane Doe)"
    )
    assert find_caption_date(caption, tables=TABLES) is None
    [finding] = check_caption(caption, virin_date=dt.date(2022, 2, 14), tables=TABLES)
    assert (finding.code, finding.values["later_date"]) == ("CAP003", "Aug. 5, 1993")


def test_a_date_that_is_no_calendar_date_is_no_shot_date():
    caption = "Soldiers train, Feb. 30, 2022, and again March 1, 2022."
    assert find_caption_date(caption, tables=TABLES) is None
    [finding] = [f for f in check_caption(caption, tables=TABLES) if f.code == "CAP003"]
    assert finding.values["invalid_date"] == "Feb. 30, 2022"


@pytest.mark.parametrize(
    "caption",
    [
        "Soldiers train in Poland.",
        "Soldiers train in Poland in February 2022.",  # no day
        "Tail number 86-0123 landed; VIRIN 220215-F-DU706-1241.",
        "",
    ],
)
def test_no_date_gives_none(caption):
    assert find_caption_date(caption, tables=TABLES) is None


# -- the closing credit line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        (f"{SEED_1} {CREDIT}", CREDIT),
        (f"{SEED_1} {CREDIT}.", CREDIT),
        (f"{SEED_1}\n{CREDIT}\n", CREDIT),
        (
            f"{SEED_1} (U.S. Navy photo by MC2 John Doe/Released)",
            "(U.S. Navy photo by MC2 John Doe/Released)",
        ),
        (
            f"{SEED_1} (U.S. Air Force photo illustration by Staff Sgt. Jane Doe) (Background "
            "blurred for security purposes)",
            "(U.S. Air Force photo illustration by Staff Sgt. Jane Doe) (Background blurred for "
            "security purposes)",
        ),
        (
            "Soldiers train at Fort Liberty (N.C.) (U.S. Army photo/Sgt. Trey Martin)",
            "(U.S. Army photo/Sgt. Trey Martin)",
        ),
        (f"{SEED_1} (Courtesy photo)", "(Courtesy photo)"),
    ],
)
def test_the_closing_credit_is_the_parenthesized_credit_at_the_end(caption, credit):
    assert closing_credit(caption, tables=TABLES) == credit


@pytest.mark.parametrize(
    "caption",
    [
        SEED_1,
        f"{SEED_1} U.S. Air Force photo by Senior Airman Karla Parra",  # not in parentheses
        "Airmen load cargo at Travis Air Force Base (Calif.)",  # a group, but no credit
        f"{CREDIT} {SEED_1}",  # a credit at the start does not close the caption
        "unbalanced)",
        "",
    ],
)
def test_no_closing_credit_gives_none(caption):
    assert closing_credit(caption, tables=TABLES) is None


# -- the rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("caption", [None, "", " \n "])
def test_a_missing_caption_is_an_error(caption):
    assert [(f.code, f.severity) for f in check_caption(caption, tables=TABLES)] == [
        ("CAP001", Severity.ERROR)
    ]


def test_a_caption_without_a_date_is_a_warning():
    findings = check_caption(f"Airmen load cargo aboard a C-17. {CREDIT}", tables=TABLES)
    assert [(f.code, f.severity, f.values) for f in findings] == [
        ("CAP003", Severity.WARNING, {"invalid_date": None, "later_date": None})
    ]


def test_without_a_virin_date_there_is_nothing_to_compare():
    assert check_caption(f"{SEED_1} {CREDIT}", tables=TABLES) == ()


def test_a_caption_without_closing_credit_is_a_warning():
    [finding] = check_caption(SEED_1, virin_date=dt.date(2022, 2, 14), tables=TABLES)
    assert (finding.code, finding.severity) == ("CAP004", Severity.WARNING)


def padded(size, letter="a"):
    """A caption of exactly ``size`` bytes in UTF-8 (``letter`` is 1 or 2 bytes)."""
    head = f"{SEED_2} {CREDIT}"
    width = len(letter.encode("utf-8"))
    assert (size - len(head)) % width == 0
    return letter * ((size - len(head)) // width) + head


@pytest.mark.parametrize(("size", "letter"), [(2000, "a"), (2000, "é"), (150, "a")])
def test_a_caption_within_the_iim_limit_passes(size, letter):
    assert "CAP005" not in codes(check_caption(padded(size, letter), tables=TABLES))


@pytest.mark.parametrize(("size", "letter"), [(2001, "a"), (2002, "é")])
def test_a_caption_over_2000_bytes_in_utf8_is_an_error(size, letter):
    """1,001 "é" are 1,001 characters but 2,002 bytes: the limit is in bytes."""
    [finding] = [
        f for f in check_caption(padded(size, letter), tables=TABLES) if f.code == "CAP005"
    ]
    assert finding.severity is Severity.ERROR
    assert (finding.values["bytes"], finding.values["limit"]) == (size, 2000)


def test_the_caption_limit_comes_from_the_iim_table():
    tables = load_tables({"datasets": {"2:120": {"name": "Caption/Abstract", "max_bytes": 150}}})
    assert "CAP005" in codes(check_caption(padded(151), tables=tables))
    assert "CAP005" not in codes(check_caption(padded(151), tables=TABLES))


def test_every_caption_rule_is_documented():
    rules = [rule for rule in all_rules() if rule.code.startswith("CAP")]
    assert [rule.code for rule in rules] == [
        "CAP001",
        "CAP002",
        "CAP003",
        "CAP004",
        "CAP005",
        "CAP006",
        "CAP007",
        "CAP008",
    ]
    for rule in rules:
        assert all([rule.explanation, rule.good, rule.bad, rule.fix]), rule.code


# -- properties ---------------------------------------------------------------------------------

CAPTION_FRAGMENTS = [
    "Feb.", "14,", "2022", "2022.", "May", "18", "(", ")", "Sgt.", "The", "soldiers", ".", "!",
    "U.S.", "Army", "photo", "by", "/Released", "170518-N-MD297-201", "WASHINGTON", "é", "\n",
]  # fmt: skip
caption_like = st.lists(st.sampled_from(CAPTION_FRAGMENTS), max_size=40).map(" ".join)


@pytest.mark.fuzz
@given(st.one_of(st.text(), caption_like))
def test_caption_functions_never_raise(caption):
    found = find_caption_date(caption, tables=TABLES)
    assert found is None or caption[found.start : found.end] == found.text
    credit = closing_credit(caption, tables=TABLES)
    assert credit is None or caption.rstrip().rstrip(".").rstrip().endswith(credit)
    assert isinstance(check_caption(caption, virin_date=dt.date(2022, 2, 15), tables=TABLES), tuple)


def ap_date(date):
    return f"{AP_MONTHS[date.month - 1]} {date.day}, {date.year}"


dates = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))


@pytest.mark.fuzz
@given(dates, st.booleans())
def test_an_ap_date_written_into_a_caption_is_read_back(date, dateline):
    if dateline:
        caption = (
            f"{date:%y%m%d}-N-MD297-1001 NORFOLK, Va. ({ap_date(date)}) Sailors man the rails."
        )
    else:
        caption = f"Sailors man the rails in Norfolk, Va., {ap_date(date)}. The ship left {CREDIT}"
    assert find_caption_date(caption, tables=TABLES).date == date


@pytest.mark.fuzz
@given(dates, dates)
def test_the_mismatch_error_fires_exactly_when_the_dates_differ(caption_date, virin_date):
    findings = check_caption(
        f"Sailors train, {ap_date(caption_date)}. {CREDIT}", virin_date=virin_date, tables=TABLES
    )
    assert ("CAP002" in codes(findings)) == (caption_date != virin_date)
