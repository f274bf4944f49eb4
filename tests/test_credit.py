"""Credit lines and By-lines (spec section 3): every shape DoD publishes parses into its parts, the
rank tables know each service's ranks, and the credit rules fire exactly when they should."""

import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from shipped import TABLES

from catalog.core.codes import lookup_key
from catalog.core.credit import Byline, check_credit, parse_byline, parse_credit
from catalog.core.findings import Severity
from catalog.core.rules import all_rules
from catalog.schemas import load_tables

NO_PARTS = {
    "kind": None,
    "organization": None,
    "service": None,
    "rank": None,
    "rank_as_written": None,
    "name": None,
    "unit": None,
    "released": False,
    "disclosure": None,
    "affiliation": None,
    "photographer_unknown": False,
}


def parts(text):
    """Every parsed part of ``text`` but the verbatim text itself."""
    credit = parse_credit(text, tables=TABLES)
    assert credit is not None, f"{text!r} did not parse"
    assert credit.text == text.strip()
    return {key: value for key, value in credit.to_dict().items() if key != "text"}


def codes(check):
    return [finding.code for finding in check.findings]


# -- the shapes of spec section 3 ---------------------------------------------------------------

SHAPES = [
    pytest.param(
        "Credit: Air Force Senior Airman Karla Parra",
        {"organization": "Air Force", "service": "F", "rank": "Senior Airman"}
        | {"rank_as_written": "Senior Airman", "name": "Karla Parra"},
        id="seed-image-1-web-form",
    ),
    pytest.param(
        "Credit: Air Force Senior Airman Ali Stewart",
        {"organization": "Air Force", "service": "F", "rank": "Senior Airman"}
        | {"rank_as_written": "Senior Airman", "name": "Ali Stewart"},
        id="seed-image-2-web-form",
    ),
    pytest.param(
        "Air Force Senior Airman Karla Parra",
        {"organization": "Air Force", "service": "F", "rank": "Senior Airman"}
        | {"rank_as_written": "Senior Airman", "name": "Karla Parra"},
        id="web-form-without-label",
    ),
    pytest.param(
        "Credit: Army National Guard Sgt. 1st Class Jane Roe",
        {"organization": "Army National Guard", "service": "Z", "rank": "Sgt. 1st Class"}
        | {"rank_as_written": "Sgt. 1st Class", "name": "Jane Roe"},
        id="web-form-guard",
    ),
    pytest.param(
        "(U.S. Air Force photo by Senior Airman Karla Parra)",
        {"kind": "photo", "organization": "U.S. Air Force", "service": "F"}
        | {"rank": "Senior Airman", "rank_as_written": "Senior Airman", "name": "Karla Parra"},
        id="caption-closing-line",
    ),
    pytest.param(
        "(U.S. Army photo by Sgt. Trey Martin, 55th Signal Company)",
        {"kind": "photo", "organization": "U.S. Army", "service": "A", "rank": "Sgt."}
        | {"rank_as_written": "Sgt.", "name": "Trey Martin", "unit": "55th Signal Company"},
        id="closing-line-with-unit",
    ),
    pytest.param(
        "(U.S. Navy photo by Mass Communication Specialist 2nd Class John Doe/Released)",
        {"kind": "photo", "organization": "U.S. Navy", "service": "N"}
        | {"rank": "Mass Communication Specialist 2nd Class", "name": "John Doe"}
        | {"rank_as_written": "Mass Communication Specialist 2nd Class", "released": True},
        id="closing-line-released",
    ),
    pytest.param(
        "(U.S. Army photo by Spc. Jane Roe, 55th Signal Company/Released)",
        {"kind": "photo", "organization": "U.S. Army", "service": "A", "rank": "Spc."}
        | {"rank_as_written": "Spc.", "name": "Jane Roe", "unit": "55th Signal Company"}
        | {"released": True},
        id="closing-line-unit-and-released",
    ),
    pytest.param(
        "Navy photo by Seaman Apprentice Connor Loessin",
        {"kind": "photo", "organization": "Navy", "service": "N", "rank": "Seaman Apprentice"}
        | {"rank_as_written": "Seaman Apprentice", "name": "Connor Loessin"},
        id="defense-gov-form",
    ),
    pytest.param(
        "DoD photo by Marvin Lynchard",
        {"kind": "photo", "organization": "DoD", "service": "D", "name": "Marvin Lynchard"},
        id="defense-gov-civilian",
    ),
    pytest.param(
        "DOD photo by Navy Petty Officer 1st Class Carlos M. Vazquez II",
        {"kind": "photo", "organization": "DOD", "service": None, "affiliation": "Navy"}
        | {"rank": "Petty Officer 1st Class", "rank_as_written": "Petty Officer 1st Class"}
        | {"name": "Carlos M. Vazquez II"},
        id="defense-gov-with-photographer-service",
    ),
    pytest.param(
        "(U.S. Army photo/Sgt. Trey Martin)",
        {"kind": "photo", "organization": "U.S. Army", "service": "A", "rank": "Sgt."}
        | {"rank_as_written": "Sgt.", "name": "Trey Martin"},
        id="slash-form",
    ),
    pytest.param(
        "(U.S. Air Force photo illustration by Staff Sgt. Jane Doe) "
        "(Background elements were blurred for security purposes)",
        {"kind": "photo illustration", "organization": "U.S. Air Force", "service": "F"}
        | {"rank": "Staff Sgt.", "rank_as_written": "Staff Sgt.", "name": "Jane Doe"}
        | {"disclosure": "Background elements were blurred for security purposes"},
        id="photo-illustration-with-disclosure",
    ),
    pytest.param(
        "U.S. Air Force photo illustration by Tech. Sgt. John Doe (This image was created by "
        "combining two photographs.)",
        {"kind": "photo illustration", "organization": "U.S. Air Force", "service": "F"}
        | {"rank": "Tech. Sgt.", "rank_as_written": "Tech. Sgt.", "name": "John Doe"}
        | {"disclosure": "This image was created by combining two photographs."},
        id="photo-illustration-unbracketed",
    ),
    pytest.param(
        "(U.S. Air Force photo by Ms. Jane Roe)",
        {"kind": "photo", "organization": "U.S. Air Force", "service": "F", "rank": "Ms."}
        | {"rank_as_written": "Ms.", "name": "Jane Roe"},
        id="civilian-with-title",
    ),
    pytest.param(
        "(U.S. Army photo by Mr. John Doe Jr.)",
        {"kind": "photo", "organization": "U.S. Army", "service": "A", "rank": "Mr."}
        | {"rank_as_written": "Mr.", "name": "John Doe Jr."},
        id="civilian-with-suffix",
    ),
    pytest.param(
        "(U.S. Army photo by John Doe, Jr., Fort Bragg Public Affairs)",
        {"kind": "photo", "organization": "U.S. Army", "service": "A", "name": "John Doe Jr."}
        | {"unit": "Fort Bragg Public Affairs"},
        id="civilian-suffix-after-comma-is-not-a-unit",
    ),
    pytest.param(
        "Photo by Marvin Lynchard, DOD",
        {"kind": "photo", "organization": "DOD", "service": "D", "name": "Marvin Lynchard"},
        id="organization-after-the-name",
    ),
    pytest.param("Courtesy photo", {"kind": "courtesy photo"}, id="courtesy-photo"),
    pytest.param(
        "(Courtesy photo)", {"kind": "courtesy photo"}, id="courtesy-photo-in-parentheses"
    ),
    pytest.param(
        "(Photo courtesy of the Royal Australian Air Force)",
        {"kind": "courtesy photo", "organization": "Royal Australian Air Force"},
        id="photo-courtesy-of-organization",
    ),
    pytest.param(
        "(Photo courtesy of Sgt. John Doe)",
        {"kind": "courtesy photo", "rank": "Sgt.", "rank_as_written": "Sgt.", "name": "John Doe"},
        id="photo-courtesy-of-person",
    ),
    pytest.param(
        "U.S. Army courtesy photo",
        {"kind": "courtesy photo", "organization": "U.S. Army", "service": None},
        id="courtesy-photo-of-a-service",
    ),
    pytest.param(
        "Credit: Courtesy of Lockheed Martin",
        {"kind": "courtesy", "organization": "Lockheed Martin"},
        id="courtesy-of-without-a-kind",
    ),
    pytest.param(
        "Army National Guard photo by Staff Sgt. Jane Doe",
        {"kind": "photo", "organization": "Army National Guard", "service": "Z"}
        | {"rank": "Staff Sgt.", "rank_as_written": "Staff Sgt.", "name": "Jane Doe"},
        id="army-national-guard",
    ),
    pytest.param(
        "(U.S. Air National Guard photo by Master Sgt. John Doe)",
        {"kind": "photo", "organization": "U.S. Air National Guard", "service": "Z"}
        | {"rank": "Master Sgt.", "rank_as_written": "Master Sgt.", "name": "John Doe"},
        id="air-national-guard",
    ),
    pytest.param(
        "U.S. Space Force photo by Spc. 4 Jane Doe",
        {"kind": "photo", "organization": "U.S. Space Force", "service": "X", "rank": "Spc. 4"}
        | {"rank_as_written": "Spc. 4", "name": "Jane Doe"},
        id="space-force-specialist",
    ),
    pytest.param(
        "U.S. Army video by Sgt. Trey Martin",
        {"kind": "video", "organization": "U.S. Army", "service": "A", "rank": "Sgt."}
        | {"rank_as_written": "Sgt.", "name": "Trey Martin"},
        id="video",
    ),
    pytest.param(
        "U.S. Marine Corps graphic by Lance Cpl. John Doe",
        {"kind": "graphic", "organization": "U.S. Marine Corps", "service": "M"}
        | {"rank": "Lance Cpl.", "rank_as_written": "Lance Cpl.", "name": "John Doe"},
        id="graphic",
    ),
    pytest.param(
        "Photo By: SSgt John Doe",
        {"kind": "photo", "rank": "Staff Sgt.", "rank_as_written": "SSgt", "name": "John Doe"},
        id="dvids-photo-by-label",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_every_credit_shape_parses_into_its_parts(text, expected):
    assert parts(text) == NO_PARTS | expected


@pytest.mark.parametrize(
    "text",
    [
        "photographer unknown, see caption",
        "Marvin Lynchard",  # a bare name is no credit line: it needs a rank, a kind or "Credit:"
        "U.S. Army photo by",  # cut off before the photographer
        "Credit: Air Force Senior Airman",  # a rank without a name
        "U.S. Army photo by 12345",
        "55th Signal Company",
        "Photo of the day",  # "of" only introduces a courtesy source
        "Airmen load security assistance cargo for Ukraine aboard a C-17 Globemaster III at "
        "Travis Air Force Base, Calif., Feb. 14, 2022.",
        "",
        "   ",
        None,
        "U.S. Army photo by Sgt. " + "x" * 1_000,
    ],
)
def test_text_that_is_no_credit_line_gives_none(text):
    assert parse_credit(text, tables=TABLES) is None


def test_case_and_full_stops_do_not_matter():
    credit = parse_credit("u.s. army PHOTO BY sgt trey martin", tables=TABLES)
    assert (credit.kind, credit.service, credit.rank, credit.rank_as_written, credit.name) == (
        "photo",
        "A",
        "Sgt.",
        "sgt",
        "trey martin",
    )


def test_a_surname_that_is_a_rank_word_stays_the_name():
    """A rank is read only at the start or after a service name, and it leaves a name."""
    assert parts("DoD photo by Robert Major")["name"] == "Robert Major"
    byline = parse_byline("Sgt. Maj", tables=TABLES)  # not "Sgt. Maj." with no name
    assert (byline.rank, byline.name) == ("Sgt.", "Maj")


# -- By-lines and rank abbreviations ------------------------------------------------------------

BYLINES = [
    # Air Force
    ("AB John Doe", "Airman Basic", "F"),
    ("Amn John Doe", "Airman", "F"),
    ("A1C John Doe", "Airman 1st Class", "F"),
    ("SrA Karla Parra", "Senior Airman", "F"),
    ("SRA Karla Parra", "Senior Airman", "F"),
    ("SSgt John Doe", "Staff Sgt.", "F"),
    ("TSgt John Doe", "Tech. Sgt.", "F"),
    ("MSgt John Doe", "Master Sgt.", "F"),
    ("SMSgt John Doe", "Senior Master Sgt.", "F"),
    ("CMSgt John Doe", "Chief Master Sgt.", "F"),
    # Army
    ("PV2 John Doe", "Pvt.", "A"),
    ("PFC John Doe", "Pfc.", "A"),
    ("Spc. Jane Roe", "Spc.", "A"),
    ("SPC Jane Roe", "Spc.", "A"),
    ("SGT John Doe", "Sgt.", "A"),
    ("SSG John Doe", "Staff Sgt.", "A"),
    ("SFC John Doe", "Sgt. 1st Class", "A"),
    ("Sergeant First Class John Doe", "Sgt. 1st Class", "A"),
    ("Sgt. First Class John Doe", "Sgt. 1st Class", "A"),
    ("1SG John Doe", "1st Sgt.", "A"),
    ("CSM John Doe", "Command Sgt. Maj.", "A"),
    ("CW2 John Doe", "Chief Warrant Officer 2", "A"),
    ("CPT John Doe", "Capt.", "A"),
    ("LTC John Doe", "Lt. Col.", "A"),
    # Marine Corps
    ("LCpl John Doe", "Lance Cpl.", "M"),
    ("Lance Corporal John Doe", "Lance Cpl.", "M"),
    ("Cpl John Doe", "Cpl.", "M"),
    ("GySgt John Doe", "Gunnery Sgt.", "M"),
    ("MGySgt John Doe", "Master Gunnery Sgt.", "M"),
    ("SgtMaj John Doe", "Sgt. Maj.", "M"),
    ("2ndLt John Doe", "2nd Lt.", "M"),
    # Navy
    ("MC2 John Doe", "Mass Communication Specialist 2nd Class", "N"),
    ("MCSN John Doe", "Mass Communication Specialist Seaman", "N"),
    ("MCC John Doe", "Chief Mass Communication Specialist", "N"),
    (
        "Mass Communications Specialist 1st Class John Doe",
        "Mass Communication Specialist 1st Class",
        "N",
    ),
    ("PO2 John Doe", "Petty Officer 2nd Class", "N"),
    ("SA John Doe", "Seaman Apprentice", "N"),
    ("LTJG John Doe", "Lt. j.g.", "N"),
    ("LCDR John Doe", "Lt. Cmdr.", "N"),
    ("CAPT John Doe", "Capt.", "N"),
    # Coast Guard
    ("PA3 John Doe", "Public Affairs Specialist 3rd Class", "G"),
    ("Petty Officer 3rd Class John Doe", "Petty Officer 3rd Class", "G"),
    ("ENS John Doe", "Ensign", "G"),
    # Space Force
    ("Spc1 John Doe", "Spc. 1", "X"),
    ("Spc4 John Doe", "Spc. 4", "X"),
    ("Specialist 3 John Doe", "Spc. 3", "X"),
    ("Sgt. John Doe", "Sgt.", "X"),
    ("Tech. Sgt. John Doe", "Tech. Sgt.", "X"),
]


@pytest.mark.parametrize(("text", "title", "service"), BYLINES)
def test_rank_abbreviations_of_every_service_are_known(text, title, service):
    byline = parse_byline(text, tables=TABLES)
    assert (byline.rank, byline.name) == (title, "John Doe" if "John" in text else byline.name)
    assert byline.rank_as_written == text[: -len(byline.name)].strip()
    assert service in byline.services


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Master Gunnery Sgt. John Doe", "Master Gunnery Sgt."),
        ("Gunnery Sgt. John Doe", "Gunnery Sgt."),
        ("Sgt. John Doe", "Sgt."),
        ("Sgt. Maj. of the Army John Doe", "Sgt. Maj. of the Army"),
        ("Sgt. Maj. John Doe", "Sgt. Maj."),
        (
            "Senior Chief Mass Communication Specialist John Doe",
            "Senior Chief Mass Communication Specialist",
        ),
        ("Spc. 4 John Doe", "Spc. 4"),
        ("Spc. John Doe", "Spc."),
    ],
)
def test_the_longest_rank_spelling_wins(text, title):
    assert parse_byline(text, tables=TABLES).rank == title


def test_ranks_pin_or_share_services_as_the_spec_says():
    def services(spelling):
        return {code for rank in TABLES.ranks_named(spelling) for code in rank.services}

    assert services("Sgt. 1st Class") == {"A", "Z"}
    assert services("Command Sgt. Maj.") == {"A", "Z"}
    assert services("Spc.") == {"A", "Z"}
    assert services("Lance Cpl.") == services("Gunnery Sgt.") == {"M"}
    assert services("Master Gunnery Sgt.") == {"M"}
    assert services("Senior Airman") == services("Airman 1st Class") == {"F", "Z"}
    assert services("Spc1") == services("Spc. 4") == {"X"}
    assert "X" in services("Sgt.")
    assert services("MC2") == {"N"}
    assert services("Petty Officer 2nd Class") == {"N", "G"}
    for shared in ["Capt.", "Lt.", "Maj.", "Col.", "Gen.", "Staff Sgt.", "Master Sgt."]:
        assert len(services(shared) - {"Z"}) > 1, shared
    assert services("Mr.") == services("Ms.") == services("Dr.") == set()


def test_a_rank_spelling_names_one_title():
    """Lookups by spelling may return several grades (Capt. O-3 and O-6), never two titles."""
    spellings = {lookup_key(s) for r in TABLES.ranks for s in (r.title, *r.abbreviations)}
    for spelling in spellings:
        assert len({rank.title for rank in TABLES.ranks_named(spelling)}) == 1, spelling


def test_rank_services_are_service_codes():
    assert {code for rank in TABLES.ranks for code in rank.services} <= set(TABLES.services)


def test_a_credited_name_names_one_service():
    names = [lookup_key(n) for s in TABLES.services.values() for n in s.credit_names]
    assert len(names) == len(set(names)) + 1  # "DoD" and "DOD" are one spelling


@pytest.mark.parametrize("text", ["", "   ", "SrA", "SrA 12345", "Air Force Senior Airman"])
def test_a_byline_without_a_name_gives_none(text):
    assert parse_byline(text, tables=TABLES) is None


def test_a_byline_without_rank_is_just_a_name():
    assert parse_byline("Karla Parra", tables=TABLES) == Byline(None, None, "Karla Parra", ())
    byline = parse_byline(
        "Mass Communications Specialist Jo", tables=TABLES
    )  # DoD's own truncation example
    assert (byline.rank, byline.name, byline.services) == (
        None,
        "Mass Communications Specialist Jo",
        (),
    )


def test_configuration_can_add_a_rank():
    tables = load_tables(
        {
            "ranks": {
                "ssm": {"title": "Space Sgt. Maj.", "abbreviations": ["SSM"], "services": ["X"]}
            }
        }
    )
    assert parse_byline("SSM Jane Doe", tables=tables).rank == "Space Sgt. Maj."
    assert parse_byline("SSM Jane Doe", tables=TABLES).rank is None


# -- the rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "  \n"])
def test_a_missing_credit_is_an_error(text):
    check = check_credit(text, tables=TABLES)
    assert check.credit is None
    assert [(f.code, f.severity) for f in check.findings] == [("CRD001", Severity.ERROR)]


def test_a_credit_that_fits_no_shape_is_a_warning_that_keeps_the_text():
    check = check_credit("photographer unknown, see caption", tables=TABLES)
    assert [(f.code, f.severity) for f in check.findings] == [("CRD002", Severity.WARNING)]
    assert check.findings[0].values["credit"] == "photographer unknown, see caption"


@pytest.mark.parametrize(
    "text",
    [
        "U.S. Air Force photo by Senior Airman Karla Parra",
        "U.S. Air Force photo illustration by Senior Airman Karla Parra (Background blurred)",
        "U.S. Air Force courtesy photo",
        "(Photo courtesy of the Royal Australian Air Force)",
        "U.S. Air Force file photo",
        "Credit: Air Force Senior Airman Karla Parra",  # the web form states no kind
    ],
)
def test_photos_and_photo_illustrations_are_allowed_for_stills(text):
    assert codes(check_credit(text, virin_service="F", tables=TABLES)) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("U.S. Air Force video by Senior Airman Karla Parra", "video"),
        ("U.S. Air Force video still by Senior Airman Karla Parra", "video still"),
    ],
)
def test_other_kinds_on_a_still_are_an_error(text, kind):
    check = check_credit(text, virin_service="F", tables=TABLES)
    assert [(f.code, f.severity, f.values["kind"]) for f in check.findings] == [
        ("CRD003", Severity.ERROR, kind)
    ]
    assert check_credit(text, virin_service="F", still=False, tables=TABLES).findings == ()


def test_configuration_decides_which_kinds_a_still_may_have():
    tables = load_tables({"credit_kinds": {"graphic": {"still": True}}})
    text = "U.S. Air Force graphic by Senior Airman Karla Parra"
    assert check_credit(text, virin_service="F", tables=tables).findings == ()


@pytest.mark.parametrize(
    ("text", "virin_service"),
    [
        ("U.S. Navy photo by Senior Airman Karla Parra", "F"),
        ("DoD photo by Marvin Lynchard", "F"),
        ("Army National Guard photo by Sgt. Jane Roe", "A"),  # Guard photographers are Z
        ("U.S. Space Force photo by Spc. 4 Jane Doe", "F"),
    ],
)
def test_a_credited_service_other_than_the_virin_service_is_a_warning(text, virin_service):
    check = check_credit(text, virin_service=virin_service, tables=TABLES)
    assert [(f.code, f.severity) for f in check.findings if f.code == "CRD004"] == [
        ("CRD004", Severity.WARNING)
    ]
    assert check.findings[0].values["virin_service"] == virin_service


@pytest.mark.parametrize(
    ("text", "virin_service"),
    [
        ("U.S. Air Force photo by Senior Airman Karla Parra", "F"),
        ("U.S. Air Force photo by Senior Airman Karla Parra", "f"),
        ("U.S. Army photo by Sgt. Jane Roe", "Z"),  # a Guard photographer credited "Army"
        ("U.S. Air Force photo by Senior Airman Karla Parra", "Z"),
        ("Air National Guard photo by Master Sgt. John Doe", "Z"),
        ("U.S. Army courtesy photo", "O"),  # courtesy: the Army only distributes it
        ("(Photo courtesy of the Royal Australian Air Force)", "O"),  # unknown organization
        ("U.S. Air Force photo by Senior Airman Karla Parra", None),  # no VIRIN to compare
    ],
)
def test_matching_guard_courtesy_and_unknown_services_give_no_mismatch(text, virin_service):
    assert "CRD004" not in codes(check_credit(text, virin_service=virin_service, tables=TABLES))


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("U.S. Army photo by Senior Airman John Doe", "A"),
        ("U.S. Space Force photo by Senior Airman John Doe", "X"),  # real, and only a warning
        ("U.S. Navy photo by Lance Cpl. John Doe", "N"),
        ("U.S. Air Force photo by Petty Officer 2nd Class John Doe", "F"),
        ("U.S. Coast Guard photo by MC2 John Doe", "G"),
        ("DoD photo by Navy Staff Sgt. John Doe", "N"),  # the photographer's service is compared
    ],
)
def test_a_rank_the_credited_service_does_not_use_is_a_warning(text, service):
    [finding] = [f for f in check_credit(text, tables=TABLES).findings if f.code == "CRD005"]
    assert (finding.severity, finding.part, finding.values["service"]) == (
        Severity.WARNING,
        "rank",
        service,
    )


@pytest.mark.parametrize(
    "text",
    [
        "U.S. Army photo by Sgt. 1st Class John Doe",
        "U.S. Coast Guard photo by Petty Officer 2nd Class John Doe",
        "U.S. Space Force photo by Sgt. John Doe",
        "U.S. Army photo by Mr. John Doe",  # civilian titles belong to no service
        "DoD photo by Navy Petty Officer 2nd Class John Doe",
        "DoD photo by Staff Sgt. John Doe",  # DoD has no ranks of its own
        "Army National Guard photo by Senior Airman John Doe",  # Guard holds Army and Air ranks
        "Royal Australian Air Force photo by Sgt. John Doe",  # an organization not in the tables
    ],
)
def test_a_rank_of_the_credited_service_gives_no_finding(text):
    assert "CRD005" not in codes(check_credit(text, tables=TABLES))


def test_the_seed_credits_pass_against_their_virins():
    for text in ["Air Force Senior Airman Karla Parra", "Air Force Senior Airman Ali Stewart"]:
        check = check_credit(f"Credit: {text}", virin_service="F", tables=TABLES)
        assert check.findings == ()
        assert check.credit.name in text


def test_every_credit_rule_is_documented():
    rules = [rule for rule in all_rules() if rule.code.startswith("CRD")]
    assert [rule.code for rule in rules] == [
        "CRD001",
        "CRD002",
        "CRD003",
        "CRD004",
        "CRD005",
        "CRD006",
    ]
    for rule in rules:
        assert all([rule.explanation, rule.good, rule.bad, rule.fix]), rule.code


@pytest.mark.parametrize(
    ("code", "still"), [("CRD002", True), ("CRD003", True), ("CRD005", True), ("CRD006", True)]
)
def test_the_documented_bad_credit_examples_trigger_their_rule(code, still):
    rule = next(rule for rule in all_rules() if rule.code == code)
    assert code in codes(check_credit(rule.bad, still=still, tables=TABLES))
    assert code not in codes(check_credit(rule.good, still=still, tables=TABLES))


# -- properties ---------------------------------------------------------------------------------

FRAGMENTS = [
    "U.S. Air Force", "Army National Guard", "DoD", "photo", "photo illustration", "courtesy",
    "by", "of", "/", "/Released", "(", ")", ",", "Credit:", "Sgt.", "Staff", "Senior Airman",
    "Spc.", "4", "MC2", "Jane", "Doe", "55th Signal Company", "Jr.", ".", " ", "\n", "é",
]  # fmt: skip
credit_like = st.lists(st.sampled_from(FRAGMENTS), max_size=20).map(" ".join)


@pytest.mark.fuzz
@given(st.one_of(st.text(), credit_like))
@example("(" * 500 + ")" * 500)
@example("U.S. Army photo by " + "Sgt. " * 300)
def test_parsing_never_raises(text):
    credit = parse_credit(text, tables=TABLES)
    assert credit is None or credit.text == text.strip()
    byline = parse_byline(text, tables=TABLES)
    assert byline is None or byline.name
    assert check_credit(text, virin_service="F", tables=TABLES).findings is not None


RANK_WORDS = {
    word
    for r in TABLES.ranks
    for s in (r.title, *r.abbreviations)
    for word in lookup_key(s).split()
}
KIND_WORDS = {word for s in TABLES.credit_kinds for word in s.split()}
name_words = st.text(string.ascii_lowercase, min_size=2, max_size=9).map(str.capitalize)
names = st.lists(
    name_words.filter(lambda w: lookup_key(w) not in RANK_WORDS | KIND_WORDS | {"by", "of"}),
    min_size=1,
    max_size=3,
).map(" ".join)
spellings = st.sampled_from(
    sorted({s for rank in TABLES.ranks for s in (rank.title, *rank.abbreviations)})
)
organizations = st.sampled_from(
    sorted({n for s in TABLES.services.values() for n in s.credit_names})
)
kinds = st.sampled_from(sorted({kind.name for kind in TABLES.credit_kinds.values()}))
units = st.one_of(
    st.none(), st.integers(1, 999).map(lambda n: f"{n}th Signal Company"), st.just("USS Example")
)
disclosures = st.one_of(st.none(), st.just("Background blurred for security purposes"))


def expected_service(organization, kind, spelling):
    """The service code a credit gets: the organization's, except for courtesy imagery (the
    organization only distributes it) and for a service rank under an organization that has no
    ranks of its own ("DoD photo by Sgt. ...": the photographer's service is another)."""
    service = TABLES.service_credited(organization)
    courtesy = TABLES.credit_kinds[lookup_key(kind)].courtesy
    rank_services = {code for rank in TABLES.ranks_named(spelling) for code in rank.services}
    has_ranks = any(service.code in rank.services for rank in TABLES.ranks)
    return None if courtesy or (rank_services and not has_ranks) else service.code


@pytest.mark.fuzz
@given(organizations, kinds, spellings, names, units, st.booleans(), disclosures, st.booleans())
def test_a_credit_built_from_parts_parses_back_to_them(
    organization, kind, spelling, name, unit, released, disclosure, bracketed
):
    maker = f"{spelling} {name}" + (f", {unit}" if unit else "") + ("/Released" if released else "")
    text = f"{organization} {kind} by {maker}"
    text = f"({text})" if bracketed else text
    text = f"{text} ({disclosure})" if disclosure else text
    credit = parse_credit(text, tables=TABLES)
    assert credit.to_dict() == {
        "text": text,
        "kind": kind,
        "organization": organization,
        "service": expected_service(organization, kind, spelling),
        "rank": TABLES.ranks_named(spelling)[0].title,
        "rank_as_written": spelling,
        "name": name,
        "unit": unit,
        "released": released,
        "disclosure": disclosure,
        "affiliation": None,
        "photographer_unknown": False,
    }


@pytest.mark.fuzz
@given(organizations, spellings, names)
def test_a_web_form_credit_built_from_parts_parses_back_to_them(organization, spelling, name):
    credit = parse_credit(f"Credit: {organization} {spelling} {name}", tables=TABLES)
    assert (credit.organization, credit.rank_as_written, credit.name) == (
        organization,
        spelling,
        name,
    )


@pytest.mark.fuzz
@given(spellings, names)
def test_a_byline_built_from_parts_parses_back_to_them(spelling, name):
    byline = parse_byline(f"{spelling} {name}", tables=TABLES)
    assert (byline.rank_as_written, byline.name) == (spelling, name)
    assert byline.services == tuple(
        dict.fromkeys(c for rank in TABLES.ranks_named(spelling) for c in rank.services)
    )
