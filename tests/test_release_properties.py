"""The release decision over generated combinations of sources.

Each generated source either says nothing, gives a release status and a classification (exactly
Released / Unclassified in some spelling, or something else), or could not be used (refused, cut
short, repeated or dropped). The property is the promise of the public catalog: an asset is
admitted only when every source that speaks about release says exactly Released and unclassified,
at least one does, and none is unusable - and then it is admitted.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from catalog.core.merge import SourcedValue
from catalog.core.release import Unusable, decide_release
from catalog.schemas import default_tables

TABLES = default_tables()
RELEASED = st.sampled_from(["Released", " released. ", "RELEASED"])
UNCLASSIFIED = st.sampled_from(["Unclassified", "UNCLAS", "unclassified."])
OTHER_STATUS = st.sampled_from(["Not Released", "FOUO", "Not Reviewed", "Released?", "Releasd"])
OTHER_MARKING = st.sampled_from(["FOUO", "CUI", "Secret", "U//FOUO", "Unclassfied"])
REASONS = st.sampled_from(
    ["refused: duplicate key 'title'", "the IPTC block is cut short", "row 3 was dropped"]
)


@st.composite
def sources(draw):
    """One source: (kind, status, classification); kind is silent, speaks or unusable."""
    kind = draw(st.sampled_from(["silent", "speaks", "unusable"]))
    if kind == "silent":
        return kind, None, None
    if kind == "unusable":
        reason = draw(REASONS)
        return (
            kind,
            Unusable("sidecar-json:a.json", reason),
            Unusable("sidecar-json:a.json", reason),
        )
    status = draw(st.none() | RELEASED | OTHER_STATUS)
    marking = draw(st.none() | UNCLASSIFIED | OTHER_MARKING)
    return kind, status, marking


def admissible(combination) -> bool:
    """The rule, written from the README rather than from the code."""
    if any(kind == "unusable" for kind, _, _ in combination):
        return False
    statuses = [s for _, s, _ in combination if s is not None]
    markings = [m for _, _, m in combination if m is not None]
    released = all(TABLES.release_term(s) and TABLES.release_term(s).public for s in statuses)
    unclassified = all(
        TABLES.classification_term(m) and TABLES.classification_term(m).public for m in markings
    )
    return bool(statuses) and bool(markings) and released and unclassified


@given(st.lists(sources(), max_size=5))
def test_an_asset_is_admitted_exactly_when_every_source_says_released_and_unclassified(
    combination,
):
    decision = decide_release(
        [status for _, status, _ in combination],
        [marking for _, _, marking in combination],
        tables=TABLES,
    )
    assert decision.publishable == admissible(combination)


@given(st.lists(sources(), min_size=1, max_size=5))
def test_an_unusable_source_is_always_named_in_a_finding(combination):
    decision = decide_release(
        [status for _, status, _ in combination],
        [marking for _, _, marking in combination],
        tables=TABLES,
    )
    unusable = [s for kind, s, _ in combination if kind == "unusable"]
    named = [f for f in decision.findings if f.code == "REL008"]
    assert len(named) == 2 * len(unusable)  # one per release field
    assert all(f.values["source"] == "sidecar-json:a.json" for f in named)


@given(st.lists(sources(), max_size=4), st.sampled_from(["SECRET//NOFORN", "(U//FOUO)", "ORCON"]))
def test_a_marking_in_any_text_keeps_out_whatever_the_sources_say(combination, banner):
    caption = SourcedValue("caption", "xmp", f"{banner}\nAirmen load cargo at Travis.")
    decision = decide_release(
        [status for _, status, _ in combination],
        [marking for _, _, marking in combination],
        texts=[caption],
        tables=TABLES,
    )
    assert not decision.publishable
    assert "REL009" in {f.code for f in decision.findings}
