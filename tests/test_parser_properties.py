"""Properties of the parsers of untrusted text that have no other home: JSON sidecars, CSV
manifests, article text, raw IPTC and XMP blocks, release vocabulary.

Two kinds of property, as for the VIRIN, credit and caption parsers in their own test files:
whatever the input, the parser returns (findings, never an exception); and what is built from
known parts reads back to exactly those parts. All are marked ``fuzz``: ``make fuzz`` runs them
with many more examples.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import annotated_types
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from shipped import TABLES

from catalog.core.record import AssetRecord
from catalog.core.release import decide_release
from catalog.readers.article import parse_article
from catalog.readers.fields import kind
from catalog.readers.iptc import read_iptc
from catalog.readers.manifest import read_manifest
from catalog.readers.sidecar import read_json_sidecar
from catalog.readers.xmp import read_xmp

pytestmark = pytest.mark.fuzz
FIELDS = list(AssetRecord.model_fields)

#: Text a source can deliver: any character but a lone surrogate (no decoder produces one).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def _bounds(name: str) -> dict[str, float]:
    """The range constraints the record model declares for a float field."""
    bounds = {}
    for item in AssetRecord.model_fields[name].metadata:
        if isinstance(item, annotated_types.Ge):
            bounds["min_value"] = item.ge
        if isinstance(item, annotated_types.Le):
            bounds["max_value"] = item.le
    return bounds


def valid_value(name: str) -> st.SearchStrategy[Any]:
    """A value that fits record field ``name``."""
    return {
        "text": lambda: text,
        "list": lambda: st.lists(text, max_size=5),
        "date": lambda: st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
        "datetime": lambda: st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)),
        "float": lambda: st.floats(allow_nan=False, allow_infinity=False, **_bounds(name)),
    }[kind(name)]()


records = st.fixed_dictionaries({}, optional={name: valid_value(name) for name in FIELDS})


def _in_folder(files: dict[str, bytes], read):
    """``read(folder)`` with ``files`` written into a new temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            (Path(folder) / name).write_bytes(data)
        return read(Path(folder))


# --- JSON sidecars ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.one_of(st.binary(), json_values.map(lambda v: json.dumps(v).encode())))
@example(b'{"caption": "x\\udc80y", "\\ud800": 1}')
@example(b'{"caption": NaN}')
@example(b"[" * 10_000)
def test_a_json_sidecar_of_any_bytes_gives_findings_never_an_exception(raw):
    source = _in_folder({"a.json": raw}, lambda folder: read_json_sidecar(folder / "a.json"))
    assert all(f.code == "FIL013" for f in source.findings)
    for name, value in source.values.items():
        assert AssetRecord.model_validate({name: value}, strict=False)


@given(records)
def test_a_json_sidecar_built_from_a_record_reads_back_to_it(record):
    raw = AssetRecord(**record).model_dump_json(exclude_unset=True).encode()
    source = _in_folder({"a.json": raw}, lambda folder: read_json_sidecar(folder / "a.json"))
    assert source.findings == ()
    assert source.values == record


# --- CSV manifests ------------------------------------------------------------------------------


@given(st.one_of(st.binary(), st.text().map(str.encode)), st.sampled_from(["file", "FILE,virin"]))
@example(b'file,caption\na.jpg,"unterminated\n', "")
@example(b"file\n../../etc/passwd\n/etc/passwd\na.jpg\na.jpg\n", "")
@example(b"a\x00.jpg\n" + b"x" * 5000 + b".jpg\n", "file")  # no file can have these names
def test_a_manifest_of_any_bytes_gives_findings_never_an_exception(raw, header):
    manifest = _in_folder(
        {"m.csv": header.encode() + b"\n" + raw, "a.jpg": b""},
        lambda folder: read_manifest(folder / "m.csv"),
    )
    assert all(f.code in ("FIL014", "FIL015") for f in manifest.findings)
    for row in manifest.rows.values():
        assert all(f.code == "FIL015" for f in row.source.findings)


def _cell(name: str, value: Any) -> str:
    """How a manifest spells a value: text as is, keywords joined with ';', dates ISO."""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value if isinstance(value, str) else repr(value)


manifest_text = text.filter(lambda t: t.strip())
keyword = text.map(str.strip).filter(lambda t: t and ";" not in t)
manifest_records = st.fixed_dictionaries(
    {},
    optional={
        name: (
            manifest_text
            if kind(name) == "text"
            else st.lists(keyword, min_size=1, max_size=5)
            if kind(name) == "list"
            else valid_value(name)
        )
        for name in FIELDS
    },
)


@given(st.lists(manifest_records, min_size=1, max_size=4), st.permutations(FIELDS))
def test_a_manifest_built_from_rows_reads_back_to_them(records, order):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["file", *order])
    for number, record in enumerate(records):
        writer.writerow([f"{number}.jpg", *(_cell(n, record.get(n, "")) for n in order)])
    files = {f"{n}.jpg": b"" for n in range(len(records))} | {"m.csv": out.getvalue().encode()}

    def read(folder: Path) -> list[dict[str, Any]]:
        manifest = read_manifest(folder / "m.csv")
        assert manifest.findings == ()
        rows = [manifest.row_for(folder / f"{n}.jpg") for n in range(len(records))]
        assert all(row.source.findings == () for row in rows)
        return [row.source.values for row in rows]

    assert _in_folder(files, read) == records


# --- article text -------------------------------------------------------------------------------

ARTICLE_FRAGMENTS = [
    "Credit:", "VIRIN:", "Credit: Air Force Senior Airman Karla Parra",
    "VIRIN: 220215-F-DU706-1241", "Loading Cargo", "Airmen load cargo, Feb. 14, 2022.",
    "", "\n", "\r\n", "\u2028", " ", "\x00",
]  # fmt: skip
article_like = st.lists(st.sampled_from(ARTICLE_FRAGMENTS), max_size=30).map("\n".join)


@given(st.one_of(st.text(), article_like))
def test_article_text_of_any_shape_gives_records_and_findings_never_an_exception(text_):
    article = parse_article(text_, name="page.txt")
    assert all(f.code == "FIL016" for f in article.findings)
    assert len(article.findings) == sum(1 for r in article.records if not r.virin)
    for number, record in enumerate(article.records, start=1):
        assert record.number == number and record.source.label == f"article:page.txt#{number}"
        assert record.line <= record.end_line


#: Blocks as DoD pages print them: a capitalised title, a caption sentence ending with its date,
#: a credit naming a person, a VIRIN; prose paragraphs between them end their sentences.
_WORD = r"[a-z]{2,10}"
_ENDS_NO_TITLE = {"a", "an", "and", "at", "by", "during", "for", "from", "in", "of", "on", "the",
                  "to", "with", "as", "into", "over", "near"}  # fmt: skip
titles = st.from_regex(r"[A-Z][a-z]{2,10}( [A-Z][a-z]{2,10}){0,3}", fullmatch=True).filter(
    lambda t: t.split()[-1].lower() not in _ENDS_NO_TITLE
)
captions = st.from_regex(
    rf"[A-Z]{_WORD}( {_WORD}){{1,8}}, [A-Z][a-z]{{2,8}}\. [0-9]{{1,2}}, 20[0-9]{{2}}\.",
    fullmatch=True,
)
credits = st.from_regex(r"[A-Z][a-z]{2,8}( [A-Z][a-z]{1,8}\.?){1,4}", fullmatch=True)
virins = st.from_regex(r"[0-9]{6}-[A-Z]-[A-Z]{2}[0-9]{3}-[0-9]{4}", fullmatch=True)
line = st.from_regex(rf"[A-Z]{_WORD}( {_WORD}){{2,10}}\.", fullmatch=True)
blocks = st.fixed_dictionaries(
    {"caption": captions, "credit": credits, "virin": virins}, optional={"title": titles}
)


@given(st.lists(blocks, max_size=4), st.lists(line, max_size=3))
def test_an_article_built_from_image_blocks_parses_back_to_them(blocks_, prose):
    paragraphs = [*prose]
    for block in blocks_:
        lines = [block["caption"], f"Credit: {block['credit']}", f"VIRIN: {block['virin']}"]
        paragraphs.append("\n".join([block["title"], *lines] if "title" in block else lines))
    article = parse_article("\n\n".join(paragraphs), name="page.txt")
    assert article.findings == ()
    assert [record.source.values for record in article.records] == blocks_


# --- embedded blocks and vocabularies -----------------------------------------------------------

iim_datasets = st.lists(
    st.tuples(st.sampled_from([1, 2]), st.integers(0, 255), st.binary(max_size=40)), max_size=8
).map(
    lambda datasets: b"".join(
        b"\x1c" + bytes([record, number]) + len(value).to_bytes(2, "big") + value
        for record, number, value in datasets
    )
)


@given(st.lists(st.one_of(st.binary(max_size=200), iim_datasets), max_size=3))
def test_an_iptc_block_of_any_bytes_gives_findings_never_an_exception(streams):
    source = read_iptc(streams, tables=TABLES)
    for name, value in source.values.items():
        assert AssetRecord.model_validate({name: value}, strict=False)


@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
@example(b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta")
@example(b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>")
def test_an_xmp_packet_of_any_bytes_gives_findings_never_an_exception(packet):
    source = read_xmp(packet)
    assert all(f.code.startswith("FIL") for f in source.findings)


@given(st.lists(st.none() | text, max_size=3), st.lists(st.none() | text, max_size=3))
def test_release_values_of_any_text_give_a_decision_that_fails_closed(statuses, markings):
    decision = decide_release(statuses, markings, tables=TABLES)
    if decision.publishable:
        assert decision.status == "Released"
        assert TABLES.classification_term(decision.classification).public
