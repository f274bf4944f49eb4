"""The release decision fails closed: only unanimous, known, unclassified Released is public."""

import pytest
from shipped import TABLES

from catalog.core.release import decide_release


def codes(decision):
    return sorted(f.code for f in decision.findings)


def test_released_and_unclassified_is_publishable():
    decision = decide_release(["Released"], ["Unclassified"], tables=TABLES)
    assert decision.publishable
    assert (decision.status, decision.classification) == ("Released", "Unclassified")
    assert decision.findings == ()


def test_normalized_spelling_is_still_released():
    assert decide_release(["  RELEASED. "], ["unclassified"], tables=TABLES).publishable


@pytest.mark.parametrize(
    ("statuses", "classifications", "expected_codes"),
    [
        ([], ["Unclassified"], ["REL001"]),  # missing status
        ([None, "  "], ["Unclassified"], ["REL001"]),  # blank is missing
        (["Released"], [], ["REL005"]),  # missing classification
        (["Releasd"], ["Unclassified"], ["REL002"]),  # typo: unparseable
        (["Released"], ["Unclassfied"], ["REL006"]),
        (["Released", "Not Released"], ["Unclassified"], ["REL003"]),  # sources conflict
        (["Released"], ["Unclassified", "FOUO"], ["REL003", "REL004"]),
        (["Released"], ["FOUO"], ["REL004"]),  # restrictive classification wins
        (["Not Reviewed"], ["Unclassified"], []),
        (["FOUO"], ["Unclassified"], []),
    ],
)
def test_anything_else_is_not_publishable(statuses, classifications, expected_codes):
    decision = decide_release(statuses, classifications, tables=TABLES)
    assert not decision.publishable
    assert codes(decision) == expected_codes


def test_conflicting_sources_report_the_most_restrictive_status():
    decision = decide_release(["Released", "Not Released"], ["Unclassified"], tables=TABLES)
    assert decision.status == "Not Released"


def test_gps_on_a_released_image_is_an_opsec_warning_but_not_on_others():
    assert codes(decide_release(["Released"], ["Unclassified"], has_gps=True, tables=TABLES)) == [
        "REL007"
    ]
    assert (
        codes(decide_release(["Not Released"], ["Unclassified"], has_gps=True, tables=TABLES)) == []
    )


def test_configured_vocabulary_is_used():
    from catalog.schemas import load_tables

    tables = load_tables({"release": {"Released": {"public": True, "aliases": ["Cleared"]}}})
    assert decide_release(["Cleared"], ["Unclassified"], tables=tables).publishable
