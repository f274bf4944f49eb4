"""Classification markings in free text: what counts as a banner, and what is only prose."""

from __future__ import annotations

import pytest

from catalog.core.markings import find_markings

CAPTION = "Airmen load cargo at Travis Air Force Base, Calif., Feb. 15, 2022."


@pytest.mark.parametrize(
    ("text", "marking"),
    [
        ("SECRET", "SECRET"),
        ("TOP SECRET//NOFORN", "TOP SECRET//NOFORN"),
        ("CONFIDENTIAL", "CONFIDENTIAL"),
        ("(CUI)", "(CUI)"),
        ("UNCLASSIFIED//FOUO", "UNCLASSIFIED//FOUO"),
        (f"SECRET//REL TO USA, GBR\n{CAPTION}", "SECRET//REL TO USA, GBR"),
        (f"(U//FOUO) {CAPTION}", "(U//FOUO)"),
        (f"(S//NF) {CAPTION}", "(S//NF)"),
        (f"{CAPTION} //NOFORN", "//NOFORN"),
        (f"{CAPTION} Dissemination: ORCON", "ORCON"),
        (f"{CAPTION} REL TO USA, AUS", "REL TO USA, AUS"),
        (f"(S) {CAPTION}", "(S)"),
        (f"(TS) {CAPTION}", "(TS)"),
        (f"SECRET: {CAPTION}", "SECRET:"),
        (f"{CAPTION} SECRET", ". SECRET"),
        (f"CONFIDENTIAL - {CAPTION}", "CONFIDENTIAL -"),
        ("CUI//SP-PRVCY", "CUI//SP-PRVCY"),
    ],
)
def test_a_banner_or_control_marking_is_found(text, marking):
    assert marking in find_markings(text)


@pytest.mark.parametrize(
    "text",
    [
        CAPTION,
        "Police met a confidential informant near the base.",
        "The Secret Service secured the venue.",
        "Secretary of Defense Lloyd J. Austin III speaks to Airmen.",
        "SECRETARY AUSTIN VISITS TRAVIS",  # an all-capitals headline
        "SECRET SERVICE AGENTS ARRIVE AT JOINT BASE ANDREWS",
        "The exercise kept its top secret and secret parts apart.",  # lower case is prose
        "UNCLASSIFIED",  # restricts nothing
        "(U) Airmen load cargo.",  # an unclassified portion
        "(C) 2022 U.S. Air Force",  # a copyright notice
        "(A) Load the pallets.\n(B) Secure them.\n(C) Take off.",  # an enumeration
        "SPC. CUI LEI, 55TH SIGNAL COMPANY",  # a surname in a capitals By-line
        "See https://www.defense.gov/News/ for more.",
        "Airmen and/or Soldiers load cargo.",
    ],
)
def test_prose_is_not_a_marking(text):
    assert find_markings(text) == []
