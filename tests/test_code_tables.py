"""The code tables are data files; configuration can extend or replace them."""

import pytest

from catalog.schemas import load_tables, merge_overrides, read_raw_tables


def test_shipped_tables_know_the_current_service_codes():
    tables = load_tables()
    assert {c for c, s in tables.services.items() if s.status == "current"} == set("ADFGHMNOSZ")
    assert tables.services["X"].status == "provisional"
    assert tables.services["P"].status == "invalid"


def test_countries_are_iso_alpha_2():
    tables = load_tables()
    assert len(tables.countries) == 249
    assert tables.countries["BE"] == "Belgium"
    assert all(len(code) == 2 for code in tables.countries)


def test_configuration_can_make_x_an_official_code():
    tables = load_tables({"services": {"X": {"meaning": "Space Force", "status": "current"}}})
    assert tables.services["X"].status == "current"
    assert tables.services["F"].status == "current"  # the rest of the table is kept


def test_configuration_can_replace_a_table():
    tables = load_tables(
        {"replace": ["services"], "services": {"Q": {"meaning": "Q", "status": "current"}}}
    )
    assert set(tables.services) == {"Q"}


def test_unknown_table_in_configuration_is_an_error():
    with pytest.raises(ValueError, match="servics"):
        merge_overrides(read_raw_tables(), {"servics": {}})


@pytest.mark.parametrize(
    ("text", "canonical", "public"),
    [
        ("Released", "Released", True),
        ("  released. ", "Released", True),
        ("NOT RELEASED", "Not Released", False),
        ("For Official Use Only", "FOUO", False),
    ],
)
def test_release_terms_are_normalized_then_looked_up(text, canonical, public):
    term = load_tables().release_term(text)
    assert (term.canonical, term.public) == (canonical, public)


@pytest.mark.parametrize("text", ["Releasd", "Released for internal use", "", "Released; FOUO"])
def test_anything_else_is_not_a_release_term(text):
    assert load_tables().release_term(text) is None


def test_restrictive_classifications():
    tables = load_tables()
    assert tables.classification_term("UNCLASSIFIED").public is True
    assert tables.classification_term("U//FOUO").public is False
    assert tables.classification_term("Secret").public is False
