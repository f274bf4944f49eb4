"""Captions as desks print them, and the record rules of issue 15: dates without a year, dates in
desks' slips, the closing credit against the credit field, and mojibake.

All examples are written for this file in the shape of real captions, not copied from the corpus.
"""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shipped import TABLES

from catalog.core.caption import check_caption, find_caption_date
from catalog.core.mojibake import find_mojibake, repaired
from catalog.core.record import AssetRecord
from catalog.core.record_checks import check_record
from catalog.core.rules import all_rules

TODAY = dt.date(2026, 11, 25)
VIRIN_DAY = dt.date(2019, 3, 12)


def codes(findings):
    return [f.code for f in findings]


@pytest.mark.parametrize(
    ("caption", "date"),
    [
        ("Sailors stand watch aboard USS Example, Sept. 3, 2019.", dt.date(2019, 9, 3)),
        ("Sailors stand watch aboard USS Example, Sep. 3, 2019.", dt.date(2019, 9, 3)),
        ("Sailors stand watch aboard USS Example, Jul. 3, 2019.", dt.date(2019, 7, 3)),
        ("Sailors stand watch aboard USS Example, May. 3, 2019.", dt.date(2019, 5, 3)),
        ("Sailors stand watch aboard USS Example (3 Oct. 2019).", dt.date(2019, 10, 3)),
        ("Sailors stand watch aboard USS Example on July, 3, 2019.", dt.date(2019, 7, 3)),
        (
            "Sailors stand watch aboard USS Example on Dec. 3. 2019. Later text.",
            dt.date(2019, 12, 3),
        ),
        ("Sailors train at Camp Example, Ga. Jan. 8, 2019. The unit deploys.", dt.date(2019, 1, 8)),
        # "Conn." ends no sentence: the date after it is still the first sentence's
        (
            "Soldiers march in Hartford, Conn. National Guard units lead, May 3, 2019.",
            dt.date(2019, 5, 3),
        ),
        ("Soldiers march through Hartford, Conn., on May 3, 2019.", dt.date(2019, 5, 3)),
    ],
)
def test_caption_dates_in_every_spelling_desks_print(caption, date):
    found = find_caption_date(caption, tables=TABLES)
    assert (found.date if found else None) == date


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Airmen refuel a KC-135 at Example Air Base, March 12.", []),
        ("Airmen refuel a KC-135 at Example Air Base, Mar. 12.", []),
        ("Airmen refuel a KC-135 at Example Air Base, March 13.", ["CAP006"]),
        ("Airmen refuel a KC-135 at Example Air Base, May 02, during an exercise.", ["CAP006"]),
    ],
)
def test_a_date_without_a_year_is_compared_by_month_and_day(caption, expected):
    findings = check_caption(
        f"{caption} (U.S. Air Force photo by Kim Vu)", virin_date=VIRIN_DAY, tables=TABLES
    )
    assert codes(findings) == expected


def test_the_month_day_warning_names_both_dates():
    (finding,) = check_caption(
        "Airmen refuel a KC-135, March 13. (U.S. Air Force photo by Kim Vu)",
        virin_date=VIRIN_DAY,
        tables=TABLES,
    )
    assert "'March 13'" in finding.message and "2019-03-12" in finding.message


def record(**values):
    base = {
        "virin": "190312-F-AB123-1001",
        "caption": "Airmen refuel a KC-135 at Example Air Base, March 12, 2019. "
        "(U.S. Air Force photo by Staff Sgt. Kim Vu)",
        "release_instructions": "Released",
        "classification": "Unclassified",
    }
    return AssetRecord(**(base | values))


def new_codes(asset):
    found = check_record(asset, tables=TABLES, today=TODAY).findings
    return [c for c in codes(found) if c in {"CAP007", "CAP008", "REC008", "CRD006"}]


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("Photo by: Staff Sgt. Kim Vu", []),
        ("Photo by: Staff Sgt. Kim A. Vu", []),  # a middle initial is the same person
        ("Photo by: Kim Vu and Lee Roe", []),  # one of two names is this photographer
        ("Photo by: Spc. Lee Roe", ["CAP007"]),
        ("U.S. Navy photo by Staff Sgt. Kim Vu", ["CAP007"]),
        ("Photo by: Unknown", ["CRD006"]),
    ],
)
def test_the_closing_credit_is_compared_with_the_credit_field(credit, expected):
    assert new_codes(record(credit=credit)) == expected


def test_a_video_credit_closing_the_caption_of_a_still_is_a_warning():
    caption = "Airmen refuel a KC-135, March 12, 2019. (U.S. Air Force video by Staff Sgt. Kim Vu)"
    assert new_codes(record(caption=caption, credit="Photo by: Staff Sgt. Kim Vu")) == ["CAP008"]


@pytest.mark.parametrize(
    ("text", "intended"),
    [
        ("the world?s largest exercise", "the world’s largest exercise"),
        ("the Navyís newest ship", "the Navy’s newest ship"),
        ("todayÕs ceremony", "today’s ceremony"),
        ("CafÃ© Example", "Café Example"),
        ("the Soldierâ€™s rifle", "the Soldier’s rifle"),
    ],
)
def test_mojibake_is_found_with_its_likely_intended_text(text, intended):
    assert repaired(text, find_mojibake(text)) == intended
    finding = next(
        f
        for f in check_record(record(title=text), tables=TABLES, today=TODAY).findings
        if f.code == "REC008"
    )
    assert intended in finding.message and finding.field == "title"


@pytest.mark.parametrize(
    "text",
    ["el país de origen", "Is it ready? Sure.", "Feldjäger and résumé", "Why? Soldiers know."],
)
def test_correct_text_in_any_language_is_no_mojibake(text):
    assert find_mojibake(text) == []


@pytest.mark.parametrize("code", ["CAP006", "CAP007", "CAP008", "CRD006", "REC008"])
def test_every_new_rule_is_documented_with_good_and_bad_examples(code):
    (rule,) = [rule for rule in all_rules() if rule.code == code]
    assert all([rule.explanation, rule.good, rule.bad, rule.fix])


@given(st.text(max_size=300))
def test_any_caption_gives_findings_never_an_exception(caption):
    check_caption(caption, virin_date=VIRIN_DAY, tables=TABLES)
    assert all(0 <= run.start < run.end <= len(caption) for run in find_mojibake(caption))


months = st.sampled_from(
    [
        ("Jan.", 1),
        ("Feb.", 2),
        ("March", 3),
        ("April", 4),
        ("May", 5),
        ("June", 6),
        ("July", 7),
        ("Aug.", 8),
        ("Sept.", 9),
        ("Sep.", 9),
        ("Oct.", 10),
        ("Nov.", 11),
        ("Dec.", 12),
    ]
)


@given(months, st.integers(1, 28), st.integers(1996, 2030))
def test_a_date_written_in_the_first_sentence_reads_back(month, day, year):
    spelling, number = month
    caption = f"Sailors train at Example, Va., {spelling} {day}, {year}. The drill ran on Aug. 1."
    assert find_caption_date(caption, tables=TABLES).date == dt.date(year, number, day)


@given(months, st.integers(1, 28))
def test_a_date_without_a_year_matching_the_virin_gives_no_date_finding(month, day):
    spelling, number = month
    caption = f"Sailors train at Example, Va., {spelling} {day}. (U.S. Navy photo by Kim Vu)"
    findings = check_caption(caption, virin_date=dt.date(2020, number, day), tables=TABLES)
    assert codes(findings) == []
