"""Sidecars and manifests: strict about what they say, and never a way out of the tree.

A JSON sidecar with duplicate keys, NaN, Infinity, a misspelled field, absurd nesting or size is
refused with a finding naming it; one that is a link is not followed (its target could be any file
on the machine) and one that is a FIFO is not opened (it would never end). A YAML sidecar is not a
sidecar: the catalog reads no YAML at all, so aliases cannot bite. A manifest row naming a path
outside the manifest's folder - by ``..``, as an absolute path or through a link - is rejected;
byte-order marks, CRLF and quoted multi-line cells are read correctly; a manifest in Windows
Latin-1 is refused with the line to fix, one with a quote never closed keeps the rows before it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.robustness import hostile
from tests.robustness.harness import (
    Case,
    catalog,
    check_catalog,
    query,
    snapshot,
    validate_tree,
)

FIL = frozenset
SECRET = "SECRET-SIDECAR-OUTSIDE"


def _with_json(text: str):
    """An image whose JSON sidecar holds ``text``."""

    def build(path: Path) -> None:
        hostile.jpeg(path, len(path.name))
        hostile.json_text(path.with_suffix(".json"), text)

    return build


def _with_sidecar(make):
    """An image whose sidecar ``IMG.json`` is made by ``make(path)``."""

    def build(path: Path) -> None:
        hostile.jpeg(path, len(path.name))
        make(path.with_suffix(".json"))

    return build


def _link_out(sidecar: Path) -> None:
    outside = sidecar.parent.parent / "outside.json"
    outside.write_text(json.dumps({"caption": SECRET}))
    sidecar.symlink_to(outside)


YAML_BOMB = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\ncaption: *c\n'

CASES = [
    Case("json-duplicate-keys", "dup.jpg", _with_json('{"caption": "a", "caption": "b"}'),
         codes=FIL({"FIL013"})),
    Case("json-nan", "nan.jpg", _with_json('{"gps_latitude": NaN}'), codes=FIL({"FIL013"})),
    Case("json-infinity", "inf.jpg", _with_json('{"gps_altitude": -Infinity}'),
         codes=FIL({"FIL013"})),
    Case("json-misspelled-field", "typo.jpg", _with_json('{"captoin": "Airmen load cargo"}'),
         codes=FIL({"FIL013"})),
    Case("json-too-deep", "deep.jpg", _with_json(hostile.deep_json()), codes=FIL({"FIL013"})),
    Case("json-too-large", "large.jpg", _with_json(hostile.large_json()), codes=FIL({"FIL013"})),
    Case("json-lone-surrogate", "surrogate.jpg", _with_json('{"caption": "bad \\ud800 half"}')),
    Case("json-sidecar-link-out", "link.jpg", _with_sidecar(_link_out), codes=FIL({"FIL013"})),
    Case("json-sidecar-fifo", "fifo.jpg", _with_sidecar(hostile.fifo), codes=FIL({"FIL013"})),
    Case("yaml-sidecar-ignored", "yaml.jpg",
         lambda p: (hostile.jpeg(p, 99), p.with_suffix(".yaml").write_text(YAML_BOMB))),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_sidecar_has_its_documented_outcome(outcome, case):
    outcome.check(case)


def _values_of(outcome, name: str) -> list[tuple]:
    return query(
        outcome.db,
        "SELECT field, source, value FROM field_values WHERE sha256 = "
        "(SELECT sha256 FROM locations WHERE path = ?)",
        str(outcome.tree / name),
    )


def test_a_refused_sidecar_gives_no_value_and_a_linked_one_leaks_nothing(outcome):
    for name in ("dup.jpg", "nan.jpg", "inf.jpg", "deep.jpg", "large.jpg", "link.jpg", "fifo.jpg"):
        given = [v for v in _values_of(outcome, name) if v[1].startswith("sidecar-json")]
        # only the mark that release could not be read from it: no value at all
        assert sorted((field, value) for field, _, value in given) == [
            ("classification", None),
            ("release_instructions", None),
        ]
    rows = query(
        outcome.db, "SELECT value FROM field_values UNION ALL SELECT message FROM findings"
    )
    assert not [text for (text,) in rows if text and SECRET in text]


def test_a_misspelled_field_is_refused_alone_and_named(outcome):
    (message,) = query(
        outcome.db, "SELECT message FROM findings WHERE code = 'FIL013' AND path = ?",
        str(outcome.tree / "typo.jpg"),
    )  # fmt: skip
    assert "'captoin'" in message[0] and "not a record field" in message[0]


def test_a_lone_surrogate_is_stored_as_an_escape_not_a_crash(outcome):
    """JSON may spell half a UTF-16 pair (``\\ud800``), which no UTF-8 text can hold: the value is
    kept with the surrogate written as an escape."""
    assert ("caption", "sidecar-json:surrogate.json", "bad \\ud800 half") in _values_of(
        outcome, "surrogate.jpg"
    )


def test_yaml_is_never_read(outcome):
    assert not [v for v in _values_of(outcome, "yaml.jpg") if "yaml" in v[1]]


# --- manifests -----------------------------------------------------------------------------------

GOOD_MANIFEST = (
    "\ufefffile,caption\r\n"
    'a.jpg,"Airmen load cargo.\r\nSecond line of the caption."\r\n'
    "../outside.jpg,escaped by dot-dot\r\n"
    "/etc/passwd,escaped by an absolute path\r\n"
    "link.jpg,escaped through a link\r\n"
)


@pytest.fixture(scope="module")
def manifests(workspace):
    """A tree with three manifests: one good but with hostile rows, one in Windows Latin-1, one
    with a quote never closed; imported with all three and validated."""
    tree = workspace / "manifests"
    tree.mkdir()
    for index, name in enumerate(("a.jpg", "b.jpg", "c.jpg")):
        hostile.jpeg(tree / name, 40 + index)
    hostile.jpeg(workspace / "outside.jpg", 50)
    (tree / "link.jpg").symlink_to(workspace / "outside.jpg")
    (tree / "good.csv").write_text(GOOD_MANIFEST, encoding="utf-8", newline="")
    (tree / "latin1.csv").write_bytes("file,caption\nb.jpg,ok\nc.jpg,Café\n".encode("cp1252"))
    (tree / "quote.csv").write_text('file,caption\nb.jpg,kept\nc.jpg,"never closed\n')
    before = snapshot(tree)
    db = workspace / "manifests.db"
    paths = [str(tree / name) for name in ("good.csv", "latin1.csv", "quote.csv")]
    run = catalog("import", str(tree), "--db", str(db), "--json", "-q",
                  *(f"--manifest={p}" for p in paths))  # fmt: skip
    assert run.returncode == 0, run.stderr
    return tree, db, run.json(), validate_tree(tree), before


def _input_messages(summary: dict, code: str) -> list[str]:
    return [f["message"] for f in summary["input_findings"] if f["code"] == code]


def test_a_row_naming_a_path_outside_the_manifests_folder_is_rejected(manifests):
    _, _, summary, validated, _ = manifests
    rejected = _input_messages(summary, "FIL015")
    for name in ("../outside.jpg", "/etc/passwd", "link.jpg"):
        assert any(f"'{name}'" in m and "outside the manifest's folder" in m for m in rejected)
    assert "FIL015" in validated["good.csv"]


def test_bom_crlf_and_a_quoted_multiline_cell_are_read_exactly(manifests):
    tree, db, *_ = manifests
    rows = query(db, "SELECT a.caption FROM assets a JOIN locations l ON l.sha256 = a.sha256 "
                 "WHERE l.path = ?", str(tree / "a.jpg"))  # fmt: skip
    assert rows == [("Airmen load cargo.\r\nSecond line of the caption.",)]


def test_a_manifest_in_windows_latin1_is_refused_with_the_line_to_fix(manifests):
    _, _, summary, validated, _ = manifests
    (message,) = [m for m in _input_messages(summary, "FIL014") if "latin1.csv" in m]
    assert "not UTF-8" in message and "line 3" in message
    assert "FIL014" in validated["latin1.csv"]


def test_a_quote_never_closed_keeps_the_rows_before_it(manifests):
    tree, db, summary, validated, _ = manifests
    (message,) = [m for m in _input_messages(summary, "FIL014") if "quote.csv" in m]
    assert "not valid CSV" in message and "the rows before it (1) were read" in message
    rows = query(db, "SELECT a.caption FROM assets a JOIN locations l ON l.sha256 = a.sha256 "
                 "WHERE l.path = ?", str(tree / "b.jpg"))  # fmt: skip
    assert rows == [("kept",)]
    assert "FIL014" in validated["quote.csv"]


def test_manifests_leave_the_tree_unchanged_and_the_catalog_intact(manifests):
    tree, db, *_, before = manifests
    assert snapshot(tree) == before
    check_catalog(db)
