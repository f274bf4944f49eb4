"""``catalog search`` as people type it: plain words and phrases, ranked by relevance, with the
passage that matched; ``--fts`` for FTS5 syntax and ``--sort date`` for the newest first.

Run against the bundled sample collection (the session's ``sample`` catalog), whose captions are
full of words FTS5 would read as operators: C-17, F-35, U.S. Air Force.
"""

from __future__ import annotations

import json

import pytest
from catalogs import rows
from click.testing import CliRunner

from catalog.cli import cli
from catalog.store.queries import MARK_END, MARK_START, highlighted, plain_words


def search(db, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["search", *args, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def captions_with(db, words: str) -> set[str]:
    """The VIRINs whose title, caption, credit or keywords hold ``words`` as written (any case)."""
    found = rows(
        db,
        "SELECT virin FROM assets WHERE instr(lower(coalesce(title, '') || ' ' || "
        "coalesce(caption, '') || ' ' || coalesce(credit, '') || ' ' || coalesce(keywords, '')), "
        "lower(?))",
        words,
    )
    return {virin for (virin,) in found}


@pytest.mark.parametrize("typed", ["C-17", "F-35", '"U.S. Air Force"', '"Travis Air Force Base"'])
def test_words_people_type_find_the_assets_that_hold_them(sample, typed):
    found = search(sample, typed, "--limit", "500")
    assert found, typed
    assert {r["virin"] for r in found} == captions_with(sample, typed.strip('"'))


def test_words_without_quotes_must_all_appear_but_not_together(sample):
    phrase = {r["virin"] for r in search(sample, '"U.S. Air Force"', "--limit", "500")}
    words = {r["virin"] for r in search(sample, "U.S. Air Force", "--limit", "500")}
    assert phrase < words
    each = (
        captions_with(sample, "u.s") & captions_with(sample, "air") & captions_with(sample, "force")
    )
    assert words <= each


def test_each_result_shows_the_passage_with_the_matched_words_marked(sample):
    found = search(sample, "F-35")
    assert all("[F-35]" in r["snippet"] for r in found)


def test_the_shell_table_prints_the_passage_beneath_each_result(sample):
    result = CliRunner().invoke(cli, ["search", "Globemaster", "--db", str(sample)])
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["sha256", "VIRIN"]
    assert "Globemaster" in lines[2] and lines[2].startswith("    ")


def test_fts_syntax_only_with_the_fts_option(sample):
    either = search(sample, "lightning OR Globemaster", "--fts", "--limit", "500")
    assert {r["virin"] for r in either} == captions_with(sample, "lightning") | captions_with(
        sample, "globemaster"
    )
    assert search(sample, "lightning OR Globemaster") == []  # plain words: all three required


def test_results_are_best_first_and_newest_first_with_sort_date(sample):
    query = plain_words("cargo")
    best_first = [
        sha
        for (sha,) in rows(
            sample,
            "SELECT a.sha256 FROM assets_fts JOIN assets a ON a.id = assets_fts.rowid "
            "WHERE assets_fts MATCH ? ORDER BY bm25(assets_fts), a.id",
            query,
        )
    ]
    ranked = search(sample, "cargo", "--limit", "500")
    assert len(ranked) == len(best_first) > 1
    assert [r["sha256"] for r in ranked] == best_first
    by_date = search(sample, "cargo", "--sort", "date", "--limit", "500")
    dates = [r["shot_date"] or "" for r in by_date]
    assert dates == sorted(dates, reverse=True) and dates != [r["shot_date"] or "" for r in ranked]
    assert {r["sha256"] for r in by_date} == set(best_first)


def test_plain_words_quote_every_word_and_keep_phrases_together():
    assert plain_words("C-17") == '"C-17"'
    assert plain_words('U.S. "Air Force" say "hi') == '"U.S." "Air Force" "say" """hi"'
    assert plain_words('  "" ') == ""


def test_a_snippet_is_cut_into_plain_and_matched_pieces():
    snippet = f"load a {MARK_START}C-17{MARK_END} at {MARK_START}Travis{MARK_END}"
    assert highlighted(snippet) == [
        ("load a ", False),
        ("C-17", True),
        (" at ", False),
        ("Travis", True),
    ]
