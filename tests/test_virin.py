"""VIRIN parsing and validation (spec section 1), and finding VIRINs in text and file names.

The expected verdicts come from the spec's reference and severity tables, written out here by
hand: a test never takes its expectation from the code under test.
"""

import datetime as dt
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shipped import TABLES

from catalog.core.findings import Severity
from catalog.core.rules import all_rules, get_rule
from catalog.core.virin import find_virins, parse_virin, virin_in_filename
from catalog.schemas import load_tables

#: A fixed "today", so the century rule does not change the verdicts as years pass.
TODAY = dt.date(2025, 6, 1)


def codes(text, tables=TABLES):
    """The rule codes ``parse_virin`` reports for ``text``, in order."""
    return [f.code for f in parse_virin(text, tables=tables, today=TODAY).findings]


def sole_finding(text, code, severity, part):
    """The one finding ``text`` gets, after checking its code, severity and part."""
    (finding,) = parse_virin(text, today=TODAY, tables=TABLES).findings
    assert (finding.code, finding.severity, finding.field, finding.part) == (
        code,
        severity,
        "virin",
        part,
    )
    return finding


# -- the spec's reference table ----------------------------------------------------------------

REFERENCE = [
    # (VIRIN, ok, the codes expected: exactly these, in the parser's order)
    ("220215-F-DU706-1241", True, []),
    ("180515-O-AB123-1001-BE", True, []),  # foreign photographer
    ("180515-A-A0987-1001", True, []),  # DVIAN
    ("200229-D-XY123-1001", True, []),  # leap day
    ("220224-F-FW957-2001Y", True, ["VIR012"]),  # suffix
    ("160414-N-YW238-031A", True, ["VIR011", "VIR012"]),  # 3-digit + suffix
    ("210311-D-PA656-0001", True, ["VIR010"]),  # leading zero
    ("060515-M-1234S-001", True, ["VIR007", "VIR011"]),  # legacy ID, 3-digit
    ("230101-X-AB123-1001", True, ["VIR005"]),  # provisional code
    ("060515-M-ZZ999-1001", False, ["VIR006"]),  # placeholder ID
    ("220230-F-DU706-1241", False, ["VIR003"]),  # no Feb 30
    ("220215-P-JD123-1001", False, ["VIR004"]),  # P
    ("20220215-F-DU706-1241", False, ["VIR002"]),  # 8-digit date
    ("220215-F-DU706-12410", False, ["VIR002"]),  # 5-digit sequence
    ("220215-F-DU706-1241-USA", False, ["VIR002"]),  # alpha-3
    ("220215_F_DU706_1241", False, ["VIR002"]),  # underscores
]


@pytest.mark.parametrize(("virin", "ok", "expected"), REFERENCE, ids=[r[0] for r in REFERENCE])
def test_reference_examples_get_the_spec_verdict(virin, ok, expected):
    check = parse_virin(virin, today=TODAY, tables=TABLES)
    assert [f.code for f in check.findings] == expected
    assert check.ok is ok


def test_the_seed_articles_virins_parse_into_their_parts():
    """The two VIRINs of the seed article, as DoD published them."""
    first = parse_virin("220215-F-DU706-1241", today=TODAY, tables=TABLES).virin
    assert (first.date, first.service, first.service_meaning) == (
        dt.date(2022, 2, 15),
        "F",
        "Air Force",
    )
    assert (first.originator, first.originator_kind) == ("DU706", "vision_id")
    assert (first.sequence, first.scene, first.item) == ("1241", 1, 241)
    assert first.variant is None and first.country is None and first.base == first.normalized

    second = parse_virin("220224-F-FW957-2001Y", today=TODAY, tables=TABLES).virin
    assert (second.base, second.variant, second.sequence) == ("220224-F-FW957-2001", "Y", "2001")


def test_parts_of_a_foreign_dvian_and_legacy_virin():
    foreign = parse_virin("180515-O-AB123-1001-BE", today=TODAY, tables=TABLES).virin
    assert (foreign.country, foreign.service_meaning) == (
        "BE",
        "Other, including foreign nationals",
    )
    assert (
        parse_virin("180515-A-A0987-1001", today=TODAY, tables=TABLES).virin.originator_kind
        == "dvian"
    )
    legacy = parse_virin("080923-N-4965F-009-001", today=TODAY, tables=TABLES).virin
    assert (legacy.originator_kind, legacy.sequence, legacy.subsequence) == ("legacy", "009", "001")
    assert (legacy.scene, legacy.item) == (None, None)


def test_to_dict_is_json_ready():
    parts = parse_virin("160414-N-YW238-031A", today=TODAY, tables=TABLES).virin.to_dict()
    assert parts["date"] == "2016-04-14"
    assert parts["base"] == "160414-N-YW238-031"
    assert parts["variant"] == "A"
    assert parts["originator_kind"] == "vision_id"


def test_check_to_dict_carries_the_verdict_and_findings():
    report = parse_virin("220230-F-DU706-1241", today=TODAY, tables=TABLES).to_dict()
    assert report["ok"] is False
    assert report["virin"]["date"] is None and report["virin"]["date_text"] == "220230"
    assert [f["code"] for f in report["findings"]] == ["VIR003"]


# -- one test per row of the severity table ------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "   ", "\n"])
def test_empty_or_missing_virin_is_an_error(text):
    sole_finding(text, "VIR001", Severity.ERROR, None)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("220215-F-DU70-1241", "originator"),  # wrong field length
        ("2202150-F-DU706-1241", "date"),
        ("20220215-F-DU706-1241", "date"),  # 8-digit date
        ("220215_F_DU706_1241", None),  # underscores
        ("220215 F DU706 1241", None),  # spaces
        (" 220215-F-DU706-1241", None),
        ("220215-F-DU706-1241-USA", "country"),  # alpha-3 country
        ("220215-F-DU706-1241AB", "variant"),  # two-letter suffix
        ("220215-0-DU706-1241", "service"),  # digit as service code
        ("220215-FF-DU706-1241", "service"),
        ("220215-F-DU706", "sequence"),
        ("220215-F-DU706-1241-", "country"),
        ("220215-F-DU706-1241-001", "country"),  # motion sub-sequence after 4 digits
        ("220215-F-D7U06-1241", "originator"),
        ("VIRIN", "date"),
    ],
)
def test_not_matching_the_lenient_grammar_is_malformed(text, part):
    finding = sole_finding(text, "VIR002", Severity.ERROR, part)
    assert repr(text) in finding.message


def test_malformed_message_names_the_field_that_is_off():
    message = sole_finding("20220215-F-DU706-1241", "VIR002", Severity.ERROR, "date").message
    assert "date" in message and "'20220215'" in message and "YYMMDD" in message


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("220230-F-DU706-1241", "2022-02 has no day 30"),
        ("221301-F-DU706-1241", "no month 13"),
        ("220000-F-DU706-1241", "no month 00"),
        ("220100-F-DU706-1241", "2022-01 has no day 00"),
        ("230229-F-DU706-1241", "2023-02 has no day 29"),  # not a leap year
        ("220431-F-DU706-1241", "2022-04 has no day 31"),
    ],
)
def test_a_date_that_is_not_on_the_calendar_is_an_error(text, why):
    check = parse_virin(text, today=TODAY, tables=TABLES)
    (finding,) = check.findings
    assert (finding.code, finding.severity, finding.part) == ("VIR003", Severity.ERROR, "date")
    assert why in finding.message
    assert check.virin.date is None


@pytest.mark.parametrize("service", ["B", "E", "Q", "R", "T", "V", "W", "Y", "P"])
def test_a_service_code_outside_the_table_or_p_is_an_error(service):
    finding = sole_finding(f"220215-{service}-DU706-1241", "VIR004", Severity.ERROR, "service")
    assert repr(service) in finding.message


def test_a_digit_as_service_code_is_an_error():
    assert codes("220215-7-DU706-1241") == ["VIR002"]


@pytest.mark.parametrize(
    ("service", "why"),
    [("X", "provisional"), ("U", "provisional")] + [(code, "2011 list") for code in "CJL"],
)
def test_provisional_and_2011_only_service_codes_are_warnings(service, why):
    finding = sole_finding(f"230101-{service}-AB123-1001", "VIR005", Severity.WARNING, "service")
    assert why in finding.message


def test_configuration_can_make_a_provisional_code_official():
    tables = load_tables({"services": {"X": {"meaning": "Space Force", "status": "current"}}})
    assert codes("230101-X-AB123-1001", tables=tables) == []


def test_the_placeholder_originator_is_an_error():
    sole_finding("060515-M-ZZ999-1001", "VIR006", Severity.ERROR, "originator")


def test_placeholders_come_from_the_tables():
    tables = load_tables({"originator": {"placeholders": ["AB123"]}})
    assert codes("060515-M-AB123-1001", tables=tables) == ["VIR006"]


def test_a_legacy_ssn_originator_is_a_warning():
    finding = parse_virin("060515-M-1234S-1001", today=TODAY, tables=TABLES).findings[0]
    assert (finding.code, finding.severity, finding.part) == (
        "VIR007",
        Severity.WARNING,
        "originator",
    )
    assert "Nov 2011" not in finding.message


def test_a_legacy_originator_after_nov_2011_says_it_is_unexpected():
    finding = parse_virin("120515-M-1234S-1001", today=TODAY, tables=TABLES).findings[0]
    assert finding.code == "VIR007" and "Nov 2011" in finding.message


@pytest.mark.parametrize("letter", list("ADFGJKMNOSWZ"))
def test_dvian_component_letters_are_accepted(letter):
    assert codes(f"180515-A-{letter}0987-1001") == []


@pytest.mark.parametrize("letter", list("BCEHILPQRTUVXY"))
def test_a_dvian_with_another_letter_is_a_warning(letter):
    sole_finding(f"180515-A-{letter}0987-1001", "VIR008", Severity.WARNING, "originator")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("220215-F-DU706-0000", ["VIR009"]),
        ("160414-N-YW238-000", ["VIR009", "VIR011"]),
    ],
)
def test_a_zero_sequence_is_an_error(text, expected):
    check = parse_virin(text, today=TODAY, tables=TABLES)
    assert [f.code for f in check.findings] == expected
    assert check.findings[0].severity is Severity.ERROR and check.findings[0].part == "sequence"


def test_a_3_digit_sequence_is_a_warning():
    sole_finding("160414-N-YW238-031", "VIR011", Severity.WARNING, "sequence")


def test_a_leading_zero_in_a_4_digit_sequence_is_a_warning():
    sole_finding("210311-D-PA656-0001", "VIR010", Severity.WARNING, "sequence")


def test_a_trailing_letter_is_a_warning_and_kept_apart_from_the_base():
    check = parse_virin("151221-A-AB123-0024L", today=TODAY, tables=TABLES)
    assert [f.code for f in check.findings] == ["VIR010", "VIR012"]
    assert check.findings[1].part == "variant" and check.findings[1].severity is Severity.WARNING
    assert (check.virin.base, check.virin.variant) == ("151221-A-AB123-0024", "L")


@pytest.mark.parametrize(
    "text", ["180515-F-AB123-1001-BE", "180515-O-AB123-1001-US", "180515-N-AB123-1001-US"]
)
def test_a_country_without_service_o_or_the_country_us_is_a_warning(text):
    sole_finding(text, "VIR013", Severity.WARNING, "country")


@pytest.mark.parametrize("country", ["UK", "XX", "EU"])
def test_a_country_that_is_not_iso_alpha_2_is_an_error(country):
    sole_finding(f"180515-O-AB123-1001-{country}", "VIR014", Severity.ERROR, "country")


def test_an_unknown_country_after_another_service_gets_both_findings():
    assert codes("180515-F-AB123-1001-UK") == ["VIR014", "VIR013"]


def test_lower_case_is_a_warning_and_the_upper_case_form_is_stored():
    check = parse_virin("220215-f-du706-1241", today=TODAY, tables=TABLES)
    (finding,) = check.findings
    assert (finding.code, finding.severity, finding.part) == ("VIR015", Severity.WARNING, "case")
    assert check.virin.normalized == "220215-F-DU706-1241"
    assert (check.virin.service, check.virin.originator) == ("F", "DU706")


def test_more_than_64_bytes_is_an_error():
    """Counted in bytes after UTF-8 encoding, as IPTC Object Name stores them."""
    text = "é" * 33  # 33 characters, 66 bytes
    check = parse_virin(text, today=TODAY, tables=TABLES)
    assert [f.code for f in check.findings] == ["VIR016", "VIR002"]
    assert check.findings[0].part == "length" and check.findings[0].values["bytes"] == 66
    assert "VIR016" not in codes("é" * 32)


def test_a_date_before_1995_is_a_warning():
    sole_finding("940101-N-AB123-1001", "VIR017", Severity.WARNING, "date")
    assert codes("950101-N-AB123-1001") == []


# -- the century rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_text", "today", "year"),
    [
        ("250101", dt.date(2025, 6, 1), 2025),  # this year: 20YY
        ("251231", dt.date(2025, 6, 1), 2025),  # later this year is still not after this year
        ("260101", dt.date(2025, 6, 1), 1926),  # next year would be after today: 19YY
        ("260101", dt.date(2026, 1, 1), 2026),
        ("990101", dt.date(2025, 6, 1), 1999),
        ("000101", dt.date(2025, 6, 1), 2000),
    ],
)
def test_century_rule(date_text, today, year):
    virin = parse_virin(f"{date_text}-N-AB123-1001", today=today, tables=TABLES).virin
    assert virin.date.year == year


def test_a_year_read_as_19yy_before_1995_is_warned_about():
    assert [
        f.code for f in parse_virin("260101-N-AB123-1001", today=TODAY, tables=TABLES).findings
    ] == ["VIR017"]


def test_feb_29_2000_is_a_leap_day():
    assert codes("000229-N-AB123-1001") == []


# -- rule documentation --------------------------------------------------------------------


def test_every_vir_rule_is_documented_with_examples_and_a_fix():
    rules = [r for r in all_rules() if r.code.startswith("VIR")]
    assert [r.code for r in rules] == [f"VIR{n:03d}" for n in range(1, 18)]
    for rule in rules:
        assert rule.name.startswith("virin-") and rule.explanation and rule.fix
        assert rule.good != rule.bad


@pytest.mark.parametrize("code", [f"VIR{n:03d}" for n in range(2, 18)])
def test_each_rules_bad_example_triggers_it_and_the_good_one_does_not(code):
    """The examples shown by ``catalog rules`` are real VIRINs that behave as documented."""
    rule = get_rule(code)
    assert code in codes(rule.bad)
    assert code not in codes(rule.good.split()[0])


# -- property tests ----------------------------------------------------------------------------

UPPER = string.ascii_uppercase
DIGITS = string.digits


def _chars(alphabet, n):
    return st.text(alphabet, min_size=n, max_size=n)


current_services = sorted(c for c, s in TABLES.services.items() if s.status == "current")
dates = st.dates(dt.date(1995, 1, 1), TODAY).map(lambda d: d.strftime("%y%m%d"))
vision_ids = st.builds(str.__add__, _chars(UPPER, 2), _chars(DIGITS, 3)).filter(
    lambda v: v not in TABLES.originator_placeholders
)
dvians = st.builds(str.__add__, st.sampled_from(sorted(TABLES.dvian_letters)), _chars(DIGITS, 4))
sequences = st.integers(1, 9).flatmap(
    lambda scene: st.integers(0, 999).map(lambda item: f"{scene}{item:03d}")
)
foreign = st.sampled_from(sorted(set(TABLES.countries) - {"US"}))


@st.composite
def clean_virins(draw):
    """VIRINs built from the code tables that deserve no finding at all."""
    service = draw(st.sampled_from(current_services))
    country = draw(st.none() | foreign) if service == "O" else None
    originator = draw(vision_ids | dvians)
    virin = f"{draw(dates)}-{service}-{originator}-{draw(sequences)}"
    return virin if country is None else f"{virin}-{country}"


legacy_ids = st.builds(str.__add__, _chars(DIGITS, 4), _chars(UPPER, 1))


@st.composite
def acceptable_virins(draw):
    """Clean VIRINs plus the forms that only get warnings: archive, variant letter, lower case."""
    date, service, originator, sequence, *country = draw(clean_virins()).split("-")
    if draw(st.booleans()):  # the archive form: legacy ID and 3-digit sequence
        originator, sequence = draw(legacy_ids), f"{draw(st.integers(1, 999)):03d}"
    sequence += draw(st.just("") | _chars(UPPER, 1))
    virin = "-".join([date, service, originator, sequence, *country])
    return virin.lower() if draw(st.booleans()) else virin


near_virins = st.from_regex(
    r"[0-9]{5,7}-[A-Za-z0-9]-[A-Za-z0-9]{4,6}-[0-9]{2,5}[A-Za-z]{0,2}(-[A-Za-z0-9]{1,3}){0,2}",
    fullmatch=True,
)


@pytest.mark.fuzz
@given(st.one_of(st.none(), st.text(), st.binary(), st.integers(), near_virins))
def test_the_parser_never_raises(value):
    check = parse_virin(value, today=TODAY, tables=TABLES)
    assert check.virin is not None or not check.ok  # no parts: an error says why
    assert all(f.field == "virin" and f.message for f in check.findings)


@pytest.mark.fuzz
@given(clean_virins())
def test_valid_virins_built_from_the_tables_get_no_finding(virin):
    assert codes(virin) == []


@pytest.mark.fuzz
@given(acceptable_virins())
def test_acceptable_virins_have_no_error_and_round_trip(virin):
    check = parse_virin(virin, today=TODAY, tables=TABLES)
    assert check.ok, check.findings
    normalized = check.virin.normalized
    assert normalized == virin.upper()
    assert parse_virin(normalized, today=TODAY, tables=TABLES).virin.normalized == normalized


def _replace_field(virin, index, value):
    """``virin`` with field ``index`` replaced (index 4, the country, is added if absent)."""
    fields = virin.split("-")
    fields[index : index + 1] = [value]
    return "-".join(fields)


invalid_services = st.sampled_from(
    sorted(set(UPPER) - {c for c, s in TABLES.services.items() if s.status != "invalid"})
)
unknown_countries = _chars(UPPER, 2).filter(lambda c: c not in TABLES.countries)
impossible_dates = st.one_of(
    st.tuples(st.integers(0, 99), st.integers(13, 99), st.integers(1, 28)),
    st.tuples(st.integers(0, 99), st.integers(1, 12), st.integers(32, 99)),
    st.tuples(st.integers(0, 99), st.integers(0, 12), st.just(0)),
).map(lambda ymd: "{:02d}{:02d}{:02d}".format(*ymd))


def wrong_length(alphabet, length):
    return st.text(alphabet, min_size=1, max_size=9).filter(lambda v: len(v) != length)


# (field index, strategy of a wrong value, code expected, part expected)
CORRUPTIONS = [
    (0, impossible_dates, "VIR003", "date"),
    (0, wrong_length(DIGITS, 6), "VIR002", "date"),
    (1, invalid_services, "VIR004", "service"),
    (1, _chars(DIGITS, 1), "VIR002", "service"),
    (2, st.sampled_from(sorted(TABLES.originator_placeholders)), "VIR006", "originator"),
    (2, wrong_length(UPPER + DIGITS, 5), "VIR002", "originator"),
    (3, st.just("0000"), "VIR009", "sequence"),
    (3, st.text(DIGITS, min_size=5, max_size=9), "VIR002", "sequence"),
    (3, st.text(DIGITS, min_size=1, max_size=2), "VIR002", "sequence"),
    (4, unknown_countries, "VIR014", "country"),
    (4, _chars(UPPER, 3), "VIR002", "country"),
]


@pytest.mark.fuzz
@given(clean_virins(), st.sampled_from(CORRUPTIONS), st.data())
def test_a_corrupted_field_is_caught_with_its_code(virin, corruption, data):
    index, wrong_values, code, part = corruption
    corrupted = _replace_field(virin, index, data.draw(wrong_values))
    findings = parse_virin(corrupted, today=TODAY, tables=TABLES).findings
    assert (code, part) in [(f.code, f.part) for f in findings]


# -- finding VIRINs in text and file names ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("US_Navy_080923-N-4965F-009_x.jpg", ["080923-N-4965F-009"]),
        ("220215-F-DU706-1241.JPG", ["220215-F-DU706-1241"]),
        ("220224-F-FW957-2001Y.jpg", ["220224-F-FW957-2001Y"]),
        (
            "170518-N-MD297-201 WASHINGTON (May 18, 2017) Sailors man the rails ...",
            ["170518-N-MD297-201"],
        ),
        (
            "Credit: Air Force Senior Airman Karla Parra\nVIRIN: 220215-F-DU706-1241\n",
            ["220215-F-DU706-1241"],
        ),
        (
            "Loading Cargo (220215-F-DU706-1241), then 220224-F-FW957-2001Y.",
            ["220215-F-DU706-1241", "220224-F-FW957-2001Y"],
        ),
        ("foreign: 180515-O-AB123-1001-BE.tif", ["180515-O-AB123-1001-BE"]),
        ("lower 220215-f-du706-1241.jpg", ["220215-f-du706-1241"]),
        ("invalid date but VIRIN-shaped: 220230-F-DU706-1241", ["220230-F-DU706-1241"]),
    ],
)
def test_find_virins_in_file_names_and_text(text, found):
    assert [m.text for m in find_virins(text)] == found


def test_matches_give_their_position():
    text = "US_Navy_080923-N-4965F-009_x.jpg"
    (match,) = find_virins(text)
    assert text[match.start : match.end] == match.text == "080923-N-4965F-009"


@pytest.mark.parametrize(
    "text",
    [
        "20220215-F-DU706-1241",  # 8-digit date
        "IMG20220215-F-DU706-1241.jpg",
        "tail number 86-0123 landed",  # aircraft serials
        "AF 05-5139 and 00-0176 on the ramp",
        "call 703-555-0123 or (703) 697-5131",  # phone numbers
        "Feb. 15, 2022 (2022-02-15T10:00:00Z)",  # ISO dates
        "DVIDS id 7062345 asset 1234567890123",  # long numeric ids
        "220215-F-DU706-12410",  # 5-digit sequence
        "220215-F-DU706-1241-USA",  # alpha-3 would otherwise leave a wrong VIRIN behind
        "X220215-F-DU706-1241",  # a letter glued before
        "220215-F-DU706-1241AB",  # two-letter suffix
        "220215_F_DU706_1241.jpg",
    ],
)
def test_look_alikes_are_not_taken(text):
    assert find_virins(text) == []


@pytest.mark.parametrize(
    ("name", "virin"),
    [
        ("220215-F-DU706-1241.JPG", "220215-F-DU706-1241"),
        ("photos/2022/US_Navy_080923-N-4965F-009_x.jpg", "080923-N-4965F-009"),
        ("C:\\imports\\220224-F-FW957-2001Y.jpg", "220224-F-FW957-2001Y"),
        ("220215-F-DU706-1241_220215-f-du706-1241.jpg", "220215-F-DU706-1241"),  # same twice
        ("IMG_0042.JPG", None),
        ("220215-F-DU706-1241_220224-F-FW957-2001Y.jpg", None),  # ambiguous
        ("220215-F-DU706-1241/IMG_0042.JPG", None),  # the folder is not the file
    ],
)
def test_virin_in_filename(name, virin):
    assert virin_in_filename(name) == virin
