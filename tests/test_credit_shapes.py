"""The credit shapes DoD desks publish beyond the tidy ones (issue 15, spec section 5).

Every example is written for this file in the shape of real credits; none is copied from the
development corpus. Each test names the shape it documents.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.core.credit import check_credit, parse_credit
from catalog.schemas import load_tables

TABLES = load_tables()


def parts(text, *names):
    credit = parse_credit(text, tables=TABLES)
    assert credit is not None, text
    return tuple(getattr(credit, name) for name in names)


@pytest.mark.parametrize(
    "text",
    [
        "(U.S. Army photo by Sgt. Jane Roe/Released)",
        "(U.S. Army photo by Sgt. Jane Roe/released)",
        "(U.S. Army photo by Sgt. Jane Roe) (RELEASED)",
        "(U.S. Army photo by Sgt. Jane Roe)(Released)",
        "(U.S. Army photo by Sgt. Jane Roe, Released)",
        "U.S. Army photo by Sgt. Jane RoeReleased",
        "U.S. Army photo by Sgt. Jane Roe/Released.",
    ],
)
def test_every_release_tail_is_a_release_marker_not_part_of_the_name(text):
    assert parts(text, "released", "name", "disclosure", "unit") == (True, "Jane Roe", None, None)


@pytest.mark.parametrize(
    ("text", "kind", "rank", "name"),
    [
        ("by SSgt Pat Lee", None, "SSgt", "Pat Lee"),
        ("by SGT Pat Lee", None, "SGT", "Pat Lee"),
        ("Photo by: Lt. Col. Pat Lee", "photo", "Lt. Col.", "Pat Lee"),
        ("PHOTO BY: Spc. Pat Lee", "photo", "Spc.", "Pat Lee"),
        ("Photo credit: Pfc. Pat Lee", None, "Pfc.", "Pat Lee"),
        ("Photo by: Story by Pat Lee", "photo", None, "Pat Lee"),
        ("Produced by Spc. Pat Lee", "video", "Spc.", "Pat Lee"),
    ],
)
def test_labels_and_a_leading_by(text, kind, rank, name):
    assert parts(text, "kind", "rank_as_written", "name") == (kind, rank, name)


@pytest.mark.parametrize(
    ("text", "rank", "title", "name"),
    [
        ("U.S. Navy photo by Photographer's Mate 2nd Class Ray Ortiz", None, None, None),
        ("PH2 Ray Ortiz", "PH2", "Photographer's Mate 2nd Class", "Ray Ortiz"),
        ("JO1 (SW) Ray Ortiz", "JO1", "Journalist 1st Class", "Ray Ortiz"),
        ("MC1(AW) Ray Ortiz", "MC1", "Mass Communication Specialist 1st Class", "Ray Ortiz"),
        ("MC2 (SW/AW) Ray Ortiz", "MC2", "Mass Communication Specialist 2nd Class", "Ray Ortiz"),
        ("PA3 Ray Ortiz", "PA3", "Public Affairs Specialist 3rd Class", "Ray Ortiz"),
        ("AW2 Ray Ortiz", "AW2", "Naval Aircrewman 2nd Class", "Ray Ortiz"),
        ("Chief Musician Ray Ortiz", "Chief Musician", "Chief Musician", "Ray Ortiz"),
        ("SrA Ray Ortiz", "SrA", "Senior Airman", "Ray Ortiz"),
        ("LCpl Ray Ortiz", "LCpl", "Lance Cpl.", "Ray Ortiz"),
        ("Mr. Ray Ortiz", "Mr.", "Mr.", "Ray Ortiz"),
    ],
)
def test_navy_ratings_of_every_era_and_service_abbreviations(text, rank, title, name):
    if rank is None:  # the full rating, in a credit line
        assert parts(text, "rank", "name") == ("Photographer's Mate 2nd Class", "Ray Ortiz")
        return
    assert parts(f"Credit: {text}", "rank_as_written", "rank", "name") == (rank, title, name)


def test_the_years_of_a_retired_rating_are_in_the_table():
    (rating,) = TABLES.ranks_named("PH1")
    assert rating.years == "1942-2006"


@pytest.mark.parametrize(
    ("text", "organization", "service"),
    [
        ("U. S. Air Force photo by Airman 1st Class Kim Vu", "U. S. Air Force", "F"),
        ("USCG photo by Petty Officer 1st Class Kim Vu", "USCG", "G"),
        ("Official USMC photo by Cpl. Kim Vu", "USMC", "M"),
        ("Ohio National Guard photo by Sgt. Kim Vu", "Ohio National Guard", "Z"),
        ("Texas Air National Guard photo by Tech. Sgt. Kim Vu", "Texas Air National Guard", "Z"),
        ("Defense Dept. photo by Kim Vu", "Defense Dept.", "D"),
        ("DOD photo by Kim Vu", "DOD", "D"),
        ("Kim Vu (U.S. Navy)", "U.S. Navy", "N"),
    ],
)
def test_organizations_in_every_spelling(text, organization, service):
    assert parts(text, "organization", "service") == (organization, service)


@pytest.mark.parametrize(
    ("text", "organization", "rank", "name", "unit"),
    [
        ("Kim Vu / U.S. Navy", "U.S. Navy", None, "Kim Vu", None),
        ("U.S. Navy / Lt. Cmdr. Kim Vu", "U.S. Navy", "Lt. Cmdr.", "Kim Vu", None),
        ("[PO2 Kim Vu/U.S. Navy/DoD]", "U.S. Navy", "PO2", "Kim Vu", None),
        ("Photo credit: Kim Vu / U.S. Air Force", "U.S. Air Force", None, "Kim Vu", None),
        (
            "U.S. Army photo by Kim Vu / Fort Example / released",
            "U.S. Army",
            None,
            "Kim Vu",
            "Fort Example",
        ),
    ],
)
def test_reversed_forms_and_a_place_after_a_slash(text, organization, rank, name, unit):
    assert parts(text, "organization", "rank_as_written", "name", "unit") == (
        organization,
        rank,
        name,
        unit,
    )


@pytest.mark.parametrize(
    ("text", "organization"),
    [
        ("Photo by: DoD Photo", "DoD"),
        ("Photo by: U.S. Coast Guard", "U.S. Coast Guard"),
        ("Photo by: Unknown", None),
    ],
)
def test_an_organization_or_unknown_instead_of_a_name_is_photographer_unknown(text, organization):
    check = check_credit(text, tables=TABLES)
    assert (check.credit.organization, check.credit.name) == (organization, None)
    assert check.credit.photographer_unknown
    assert [f.code for f in check.findings] == ["CRD006"]


@pytest.mark.parametrize(
    ("text", "kind", "organization", "name"),
    [
        ("U.S. Coast Guard photo.", "photo", "U.S. Coast Guard", None),
        ("Photo by Ens. Kim Vu.", "photo", None, "Kim Vu"),
        ("(Photo taken by U.S. Navy photo by MC3 Kim Vu)", "photo", "U.S. Navy", "Kim Vu"),
        (
            "(Photo illustration -- original Army photo by Kim Vu)",
            "photo illustration",
            "Army",
            "Kim Vu",
        ),
        ("(U.S. Army photos by PFC Kim Vu)", "photo", "U.S. Army", "Kim Vu"),
        ("(U.S. Army photo Staff Sgt. Kim Vu)", "photo", "U.S. Army", "Kim Vu"),
        ("(U.S. Army photo by/Staff Sgt. Kim Vu)", "photo", "U.S. Army", "Kim Vu"),
        ("Kim Vu, watercolor, 11 x 14", "artwork", None, "Kim Vu"),
    ],
)
def test_final_full_stops_doubled_kinds_and_missing_by(text, kind, organization, name):
    assert parts(text, "kind", "organization", "name") == (kind, organization, name)


@pytest.mark.parametrize(
    ("text", "organization", "rank", "name"),
    [
        ("(Photo courtesy of retired Col. Kim Vu)", None, "Col.", "Kim Vu"),
        ("(Photo courtesy of Maj. Kim Vu and Lee Vu)", None, "Maj.", "Kim Vu"),
        ("(Photo courtesy of the Vu family)", None, None, "the Vu family"),
        ("(Photo courtesy of Kim A. Vu)", None, None, "Kim A. Vu"),
        ("(Courtesy photo from Capt. Kim Vu)", None, "Capt.", "Kim Vu"),
        ("(Courtesy photo/Example Space Systems)", "Example Space Systems", None, None),
        ("(Photo courtesy of the Example Aviation Museum)", "Example Aviation Museum", None, None),
    ],
)
def test_courtesy_sources_people_and_organizations(text, organization, rank, name):
    assert parts(text, "kind", "organization", "rank_as_written", "name", "service") == (
        "courtesy photo",
        organization,
        rank,
        name,
        None,
    )


@pytest.mark.parametrize(
    ("text", "affiliation"),
    [
        ("DoD photo by Army Sgt. Kim Vu", "Army"),
        ("DoD photo by Sgt. 1st Class Kim Vu", None),
        ("U.S. Army photo by ROK Army Capt. Kim Vu", "ROK Army"),
    ],
)
def test_no_service_code_when_the_photographers_own_service_conflicts(text, affiliation):
    assert parts(text, "service", "affiliation", "name") == (None, affiliation, "Kim Vu")


def test_a_guard_organization_with_an_air_force_photographer_keeps_the_guard_code():
    text = "(Idaho National Guard photo/Air Force Maj. Kim Vu)"
    assert parts(text, "organization", "service", "rank_as_written") == (
        "Idaho National Guard",
        "Z",
        "Maj.",
    )


def test_graphics_and_artwork_are_stills_but_video_is_not():
    assert check_credit("DoD graphic by Kim Vu", tables=TABLES).findings == ()
    video = check_credit("U.S. Army video by Sgt. Kim Vu", tables=TABLES)
    assert [f.code for f in video.findings] == ["CRD003"]


surnames = st.sampled_from(["Roe", "Vu", "Ortiz", "O'Neil", "Garcia-Lopez"])
tails = st.sampled_from(["/Released", "/released", ", Released", " (RELEASED)", "Released"])


@given(surnames, tails, st.booleans())
def test_any_release_tail_on_any_credit_is_recognised_and_kept_out_of_the_name(
    surname, tail, bracketed
):
    text = f"U.S. Navy photo by MC2 Kim {surname}{tail}"
    if bracketed and not tail.startswith(" ("):
        text = f"({text})"
    credit = parse_credit(text, tables=TABLES)
    assert (credit.released, credit.name) == (True, f"Kim {surname}")


@given(st.text(max_size=200))
def test_any_text_parses_or_gives_none_and_checks_to_findings(text):
    credit = parse_credit(text, tables=TABLES)
    assert credit is None or credit.text == text.strip()
    check_credit(text, tables=TABLES)
