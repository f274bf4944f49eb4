"""The rule table: every code has an example that makes it fire, and lifecycles decide what runs.

``EXAMPLES`` holds, for every rule code, the smallest input that produces it - a record, a file
written with Pillow and ExifTool or as raw bytes, a sidecar, a manifest, an article, a collection
- run through the layer that reports it (``check_record``, the reader, the per-file analysis, the
linter's file check). A rule added to the table without an example fails
``test_every_rule_has_an_example_that_makes_it_fire``, so no code goes unexercised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import os
import pkgutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from imagefiles import blank, exiftool_write, image_with, replace_app13, resource, xmp_packet
from lintfiles import CAPTION, VIRIN, catalog, good_image, located
from PIL import Image
from shipped import TABLES, TODAY

from catalog.analysis.analyze import AnalysisContext, analyze_file, check_metadata
from catalog.analysis.check import check_file
from catalog.analysis.digest import HashingReader
from catalog.core import virin as virin_rules
from catalog.core.collection import Member, check_collection
from catalog.core.merge import SourceValues, merge
from catalog.core.record import AssetRecord
from catalog.core.record_checks import check_record
from catalog.core.rule import Lifecycle, Rule, define
from catalog.core.rules import RULE_TABLE, RuleTable, all_rules, default_selection, get_rule
from catalog.importer.worker import MAX_FILE_BYTES
from catalog.lint.config import Config, ConfigError
from catalog.lint.policy import Policy
from catalog.readers.article import parse_article, read_article
from catalog.readers.containers import PHOTOSHOP_HEADER
from catalog.readers.manifest import read_manifest

#: A record that breaks no rule; each record example changes one thing.
GOOD = AssetRecord(
    virin=VIRIN,
    caption=CAPTION,
    credit="U.S. Air Force",
    photographer="SrA Karla Parra",
    date_created=dt.date(2022, 2, 15),
    date_time_original=dt.datetime(2022, 2, 15, 10, 0),
    keywords=["C-17", "cargo"],
    city="Travis Air Force Base",
    country="United States",
    release_instructions="Released",
    classification="Unclassified",
)
#: The caption without its closing credit line.
BARE_CAPTION = CAPTION[: CAPTION.index(" (U.S.")]
CONTEXT = AnalysisContext(tables=TABLES, today=TODAY, selected=default_selection())

Example = Callable[[Path], list[str]]


def record(profile: str = "default", release_statuses=None, **changes) -> Example:
    """The codes ``check_record`` reports for ``GOOD`` with ``changes``."""

    def run(_tmp: Path) -> list[str]:
        changed = GOOD.model_copy(update=changes)
        check = check_record(
            changed, profile=profile, release_statuses=release_statuses, tables=TABLES, today=TODAY
        )
        return [f.code for f in check.findings]

    return run


def merged(*sources: tuple[str, dict], iim_edited: bool = False) -> Example:
    """The codes the merge of ``(kind, values)`` sources reports."""

    def run(_tmp: Path) -> list[str]:
        values = [SourceValues(kind, kind, fields) for kind, fields in sources]
        return [f.code for f in merge(values, iim_edited=iim_edited, tables=TABLES).findings]

    return run


def analysed(make: Callable[[Path], Path], **read) -> Example:
    """The codes the per-file analysis (read, merge, check) reports for the file ``make`` writes."""

    def run(tmp: Path) -> list[str]:
        _, _, findings = check_metadata(make(tmp), CONTEXT, **read)
        return [f.code for f in findings]

    return run


def iim(*datasets: tuple[int, int, bytes]) -> bytes:
    """An IPTC-IIM stream of ``(record, dataset, value)`` datasets."""
    return b"".join(
        b"\x1c" + bytes([rec, number]) + struct.pack(">H", len(value)) + value
        for rec, number, value in datasets
    )


def jpeg_with_iptc(tmp: Path, *streams: bytes) -> Path:
    """A JPEG whose one APP13 segment holds each IIM stream in its own 8BIM resource."""
    payload = PHOTOSHOP_HEADER + b"".join(resource(0x0404, stream) for stream in streams)
    return replace_app13(blank(tmp / "iptc.jpg"), [payload])


def png_declaring(tmp: Path, width: int, height: int) -> Path:
    """A PNG whose header declares ``width`` x ``height`` pixels, with no pixel data at all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path = tmp / "bomb.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    return path


def text_named(name: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        (tmp / name).write_text("not an image at all\n")
        return tmp / name

    return make


def cut_inside_xmp(tmp: Path) -> Path:
    path = image_with(tmp, "cut", "JPEG", "-Artist=SrA Karla Parra", "-XMP-dc:Title=Cargo")
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"http://ns.adobe.com/xap/1.0/") + 200])
    return path


def beside(name: str, content: str | bytes) -> Callable[[Path], Path]:
    """An image with no metadata and, beside it, the sidecar ``name`` holding ``content``."""

    def make(tmp: Path) -> Path:
        sidecar = tmp / name
        sidecar.write_bytes(content if isinstance(content, bytes) else content.encode())
        return blank(tmp / "IMG.jpg")

    return make


def manifest_codes(text: str) -> Example:
    """The codes of reading a manifest ``m.csv`` holding ``text``, and of the image it names."""

    def run(tmp: Path) -> list[str]:
        image = blank(tmp / "a.jpg")
        (tmp / "m.csv").write_text(text, encoding="utf-8")
        manifest = read_manifest(tmp / "m.csv")
        context = dataclasses.replace(CONTEXT, manifest_rows=manifest.rows)
        _, _, findings = check_metadata(image, context)
        return [f.code for f in (*manifest.findings, *findings)]

    return run


def truncated_pixels(tmp: Path) -> list[str]:
    """The import's analysis of a JPEG whose image data is cut short: no thumbnail."""
    path = tmp / "noise.jpg"
    Image.effect_noise((64, 48), 50).convert("RGB").save(path, "JPEG")
    exiftool_write(path, f"-IPTC:ObjectName={VIRIN}")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    fd = os.open(path, os.O_RDONLY)
    try:
        analysis = analyze_file(path, HashingReader.of_file(fd, path.stat().st_size), CONTEXT)
    finally:
        os.close(fd)
    return [f.code for f in analysis.findings]


def linted(make: Callable[[Path], Path]) -> Example:
    """The codes the linter's per-file check reports for the path ``make`` gives."""
    return lambda tmp: [f.code for f in check_file(make(tmp), CONTEXT).findings]


def sparse(tmp: Path) -> Path:
    """A file larger than the import reads, taking no disk space."""
    path = tmp / "huge.jpg"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    return path


def fotostation_trailer(tmp: Path) -> Path:
    """A JPEG whose IPTC lies after its end, in one FotoStation trailer record (data, type 1,
    size with the 10-byte footer, signature)."""
    path = blank(tmp / "IMG.jpg")
    stream = iim((2, 5, VIRIN.encode()))
    footer = struct.pack(">HII", 1, len(stream) + 10, 0xA1B2C3D4)
    path.write_bytes(path.read_bytes() + stream + footer)
    return path


def cp1252_page(tmp: Path) -> Path:
    """A web page saved in Windows-1252: its curly apostrophe is the byte 0x92, not UTF-8."""
    page = tmp / "page.txt"
    page.write_bytes(
        "The Navy\u2019s newest ship.\nCredit: Navy Petty Officer 2nd Class Jane Roe\n"
        "VIRIN: 220215-N-AB123-1001\n".encode("cp1252")
    )
    return page


def collection(*members: tuple[str, ...]) -> Example:
    """The codes ``check_collection`` reports for ``(path, content, virin)`` members."""
    return lambda _tmp: [
        f.code for found in check_collection(Member(*m) for m in members).values() for f in found
    ]


EXAMPLES: dict[str, Example] = {
    "VIR001": record(virin=None),
    "VIR002": record(virin="20220215-F-DU706-1241"),
    "VIR003": record(virin="220230-F-DU706-1241"),
    "VIR004": record(virin="220215-P-JD123-1001"),
    "VIR005": record(virin="230101-X-AB123-1001"),
    "VIR006": record(virin="060515-M-ZZ999-1001"),
    "VIR007": record(virin="060515-M-1234S-001"),
    "VIR008": record(virin="180515-A-B0987-1001"),
    "VIR009": record(virin="220215-F-DU706-0000"),
    "VIR010": record(virin="210311-D-PA656-0001"),
    "VIR011": record(virin="160414-N-YW238-031"),
    "VIR012": record(virin="220224-F-FW957-2001Y"),
    "VIR013": record(virin="180515-F-AB123-1001-BE"),
    "VIR014": record(virin="180515-O-AB123-1001-UK"),
    "VIR015": record(virin="220215-f-du706-1241"),
    "VIR016": record(virin="é" * 33),
    "VIR017": record(virin="260101-N-AB123-1001"),  # 1926 on TODAY (2025): too early
    "CRD001": record(credit=None, caption=BARE_CAPTION),
    "CRD002": record(credit="Travis public affairs archive", caption=BARE_CAPTION),
    "CRD003": record(credit="U.S. Air Force video by Senior Airman Karla Parra"),
    "CRD004": record(credit="U.S. Navy photo by Senior Airman Karla Parra"),
    "CRD005": record(credit="U.S. Air Force photo by Lance Cpl. Karla Parra"),
    "CRD006": record(credit="Photo by: Unknown", caption=BARE_CAPTION),
    "CAP001": record(caption=None),
    "CAP002": record(caption=CAPTION.replace("Feb. 15", "Feb. 16")),
    "CAP003": record(caption=CAPTION.replace(", Feb. 15, 2022", "")),
    "CAP004": record(caption=BARE_CAPTION),
    "CAP005": record(caption=BARE_CAPTION + " More." * 400),
    "CAP006": record(caption=CAPTION.replace("Feb. 15, 2022", "Feb. 16")),
    "CAP007": record(credit="U.S. Air Force photo by Staff Sgt. Jane Roe"),
    "CAP008": record(
        credit="U.S. Air Force photo by Senior Airman Karla Parra",
        caption=BARE_CAPTION + " (U.S. Air Force video by Senior Airman Karla Parra)",
    ),
    "REC001": record(profile="dvids", city=None),
    "REC002": record(photographer="Mass Communication Specialist 2nd Class Jonathan Doe"),
    "REC003": record(keywords=["a", "b", "c", "d", "e", "f", "g"]),
    "REC004": record(keywords=["C-17", "Karla Parra"]),
    "REC005": record(date_created=dt.date(2022, 2, 14)),
    "REC006": record(date_time_original=dt.datetime(2021, 2, 15, 10, 0)),
    "REC007": record(caption=CAPTION + "\x1b[2J"),
    "REC008": record(title="The Navy\u00e2\u20ac\u2122s newest ship"),
    "REL001": record(release_instructions=None),
    "REL002": record(release_instructions="Releasd"),
    "REL003": record(release_statuses=["Released", "Not Released"]),
    "REL004": record(classification="FOUO"),
    "REL005": record(classification=None),
    "REL006": record(classification="Unclassfied"),
    "REL007": record(gps_latitude=38.2627, gps_longitude=-121.9275),
    "REL008": analysed(
        beside("IMG.json", '{"release_instructions": "Released", "release_instructions": "No"}')
    ),
    "REL009": record(title="SECRET//NOFORN"),
    "SRC001": merged(("iptc", {"credit": "U.S. Army"}), ("xmp", {"credit": "U.S. Air Force"})),
    "SRC002": merged(
        ("xmp", {"photographer": "Mass Communication Specialist 2nd Class Jane Doe"}),
        ("iptc", {"photographer": "Mass Communication Specialist 2n"}),
    ),
    "SRC003": merged(("iptc", {"city": "Fairfield"}), iim_edited=True),
    "SRC004": analysed(lambda tmp: good_image(tmp, "220215-F-DU706-1242.jpg")),
    "FIL001": analysed(text_named("notes.jpg")),
    "FIL002": analysed(lambda tmp: blank(tmp / "IMG.jpg", "PNG")),
    "FIL003": analysed(cut_inside_xmp),
    "FIL004": analysed(beside("IMG.xmp", "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF>")),
    "FIL005": analysed(
        beside(
            "IMG.xmp",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            "<x:xmpmeta xmlns:x='adobe:ns:meta/'>&a;</x:xmpmeta>",
        )
    ),
    "FIL006": analysed(lambda tmp: jpeg_with_iptc(tmp, iim((2, 90, "Café".encode())))),
    "FIL007": analysed(
        lambda tmp: jpeg_with_iptc(tmp, iim((1, 90, b"\x1b%G"), (2, 90, b"Caf\xe9")))
    ),
    "FIL008": analysed(
        lambda tmp: jpeg_with_iptc(
            tmp, iim((1, 90, b"\x1b%G"), (2, 80, b"Mass Communication Specialist J\xc3"))
        )
    ),
    "FIL009": analysed(
        lambda tmp: jpeg_with_iptc(tmp, iim((2, 5, VIRIN.encode()), (2, 5, b"220215-F-DU706-1242")))
    ),
    "FIL010": analysed(
        lambda tmp: jpeg_with_iptc(tmp, iim((2, 5, VIRIN.encode())), iim((2, 90, b"Fairfield")))
    ),
    "FIL011": analysed(beside("IMG.xmp", xmp_packet(attributes="exif:GPSLatitude='123,0.0N'"))),
    "FIL012": analysed(
        lambda tmp: exiftool_write(
            blank(tmp / "IMG.jpg"), "-By-line=SrA Karla Parra", "-By-line=Bob"
        )
    ),
    "FIL013": analysed(beside("IMG.json", "{not json")),
    "FIL014": manifest_codes("filename,caption\na.jpg,x\n"),
    "FIL015": manifest_codes("file,date_created\na.jpg,15/02/2022\n"),
    "FIL016": lambda _tmp: [
        f.code for f in parse_article("A caption.\nCredit: Navy Jane Roe\n", name="a.txt").findings
    ],
    "FIL017": truncated_pixels,
    "FIL018": linted(lambda tmp: tmp / "gone.jpg"),
    "FIL019": linted(sparse),
    "FIL020": analysed(lambda tmp: png_declaring(tmp, 65_000, 65_000)),
    "FIL021": analysed(fotostation_trailer),
    "FIL025": lambda tmp: [f.code for f in read_article(cp1252_page(tmp)).findings],
    "SET001": collection(("a.jpg", "sha-a", VIRIN), ("b.jpg", "sha-b", VIRIN)),
    "SET002": collection(("a.jpg", "sha-a", VIRIN), ("b.jpg", "sha-a", "220215-F-DU706-1242")),
    "SET003": collection(
        ("a.jpg", "sha-a", VIRIN, "3c7e1e0f8f0e1c38"), ("a.png", "sha-b", VIRIN, "3c7e1e0f8f0e1c39")
    ),
}


@pytest.mark.parametrize(
    "code", [r.code for r in all_rules() if r.lifecycle is not Lifecycle.REMOVED]
)
def test_every_rule_has_an_example_that_makes_it_fire(code, tmp_path):
    assert code in EXAMPLES, f"{code} has no example in tests/test_rule_table.py"
    assert code in EXAMPLES[code](tmp_path)


def test_the_good_record_breaks_no_rule_even_for_dvids(tmp_path):
    """So each record example's finding comes from the one thing it changes."""
    assert record(profile="dvids")(tmp_path) == []


def test_every_example_names_a_rule_of_the_table():
    assert set(EXAMPLES) <= {rule.code for rule in all_rules()}


def test_every_rule_a_module_declares_is_in_the_table():
    """A rule defined next to its check but left out of the table would never be selected."""
    core = importlib.import_module("catalog.core")
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.iter_modules(core.__path__, "catalog.core.")
    ]
    declared = {value for m in modules for value in vars(m).values() if isinstance(value, Rule)}
    assert declared == set(RULE_TABLE)


def test_codes_are_unique_and_found_in_any_case():
    codes = [rule.code for rule in RULE_TABLE]
    assert len(codes) == len(set(codes))
    assert [get_rule(code.lower()) for code in codes] == list(RULE_TABLE)


# -- lifecycles ----------------------------------------------------------------------------------

PREVIEW = define(
    "TST001",
    "preview-example",
    virin_rules.MISSING.severity,
    "A rule in preview.",
    explanation="Only for this test.",
    good="-",
    bad="-",
    fix="-",
    lifecycle=Lifecycle.PREVIEW,
)


def test_every_stable_rule_runs_when_nothing_is_selected():
    stable = {rule.code for rule in all_rules() if rule.lifecycle is Lifecycle.STABLE}
    assert stable and stable <= default_selection()


def test_a_preview_rule_runs_only_when_its_code_is_selected():
    table = RuleTable((*RULE_TABLE, PREVIEW))
    assert "TST001" not in table.named_by("ALL", selecting=True)
    assert "TST001" not in table.named_by("TST", selecting=True)
    assert table.named_by("TST001", selecting=True) == {"TST001"}
    assert table.named_by("TST", selecting=False) == {"TST001"}  # ignoring a prefix covers it


def test_a_removed_rule_never_runs_and_selecting_it_is_an_error(monkeypatch, tmp_path):
    """The catalog has no removed rule yet: the table is swapped for one where VIR017 is."""
    removed = dataclasses.replace(virin_rules.DATE_EARLY, lifecycle=Lifecycle.REMOVED)
    table = RuleTable(tuple(removed if r.code == "VIR017" else r for r in RULE_TABLE))
    assert "VIR017" not in table.named_by("ALL", selecting=True) | table.named_by(
        "VIR", selecting=False
    )
    assert table.named_by("VIR017", selecting=True) == frozenset()
    monkeypatch.setattr("catalog.core.rules.TABLE", table)
    config = Config(root=tmp_path, tables=TABLES)
    with pytest.raises(ConfigError, match="VIR017 was removed"):
        Policy.from_config(config, select=["VIR017"])
    assert "VIR017" not in Policy.from_config(config, ignore=["VIR017"]).selected


# -- an unselected rule costs nothing ------------------------------------------------------------


def test_check_record_runs_only_the_selected_checks():
    """The photographer as a keyword and a missing caption: only what is selected is reported."""
    broken = GOOD.model_copy(update={"keywords": ["Karla Parra"], "caption": None})
    everything = check_record(broken, tables=TABLES, today=TODAY)
    assert {"REC004", "CAP001"} <= {f.code for f in everything.findings}
    only_keywords = check_record(broken, tables=TABLES, today=TODAY, selected={"REC004"})
    assert [f.code for f in only_keywords.findings] == ["REC004"]
    nothing = check_record(broken, tables=TABLES, today=TODAY, selected=frozenset())
    assert nothing.findings == ()
    assert nothing.release.publishable == everything.release.publishable  # still decided


def test_a_skipped_check_is_not_run_at_all():
    """A profile the tables do not know makes the required-fields check fail: when REC001 is not
    selected, that check is never called."""
    with pytest.raises(ValueError, match="unknown profile"):
        check_record(GOOD, profile="nope", tables=TABLES, today=TODAY)
    selected = default_selection() - {"REC001"}
    check = check_record(GOOD, profile="nope", tables=TABLES, today=TODAY, selected=selected)
    assert check.findings == ()


def test_validate_select_reports_only_the_selected_rules(tmp_path):
    name = "220215-F-DU706-1242.jpg"  # a file name with another VIRIN: SRC004
    good_image(tmp_path, name, "-Keywords=Karla Parra")  # the photographer as a keyword: REC004
    everything = catalog("validate", "--format", "jsonl", "--fail-on", "never", cwd=tmp_path)
    assert located(everything) == {(name, "REC004"), (name, "SRC004")}
    selected = catalog("validate", "--format", "jsonl", "--select", "REC004", cwd=tmp_path)
    assert located(selected) == {(name, "REC004")}


def test_catalog_rules_shows_each_rules_lifecycle(tmp_path):
    listing = catalog("rules", cwd=tmp_path).stdout.splitlines()
    assert all(line.split()[2] == "stable" for line in listing)
    page = catalog("rules", "FIL009", cwd=tmp_path).stdout
    assert "Lifecycle: stable" in page
