"""A validation report is a stream: each format writes a file's rows as the file comes, and the
totals (counts, summary, exit status) are gathered in that one pass - so a catalog of a million
files is reported in the memory of one file. JSON and JUnit, whose totals come first, spool their
rows and still write the same document."""

import gc
import io
import json
import subprocess
import sys
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.core.findings import Finding, Severity
from catalog.lint.formats import FORMATS, stream
from catalog.lint.report import FileResult, Report

STREAMED = ["text", "github", "jsonl", "sarif"]


def date_error(n: int) -> Finding:
    return Finding("CAP002", Severity.ERROR, f"caption date {n} differs", "caption", "date")


def keywords_warning() -> Finding:
    return Finding("REC003", Severity.WARNING, "too many keywords", "keywords")


def results(count: int, pulled: list[int] | None = None) -> Iterator[FileResult]:
    """``count`` files: every third with an error, every fifth with a warning; ``pulled`` counts
    the files taken so far."""
    for n in range(count):
        if pulled is not None:
            pulled.append(n)
        findings = [date_error(n)] * (n % 3 == 0) + [keywords_warning()] * (n % 5 == 0)
        yield FileResult(f"photos/{n:07d}.jpg", tuple(findings), ignored=n % 2)


def report(files) -> Report:
    return Report(files, selected=frozenset({"CAP002", "REC003"}))


class FirstWrite(io.StringIO):
    """Output that notes how many files had been taken when the first row arrived."""

    def __init__(self, pulled: list[int]) -> None:
        super().__init__()
        self.pulled, self.files_at_first_write = pulled, None

    def write(self, text: str) -> int:
        if self.files_at_first_write is None and "0000003.jpg" in text:
            self.files_at_first_write = len(self.pulled)
        return super().write(text)


def test_the_totals_are_gathered_in_the_one_pass():
    checked = report(results(30))
    with pytest.raises(RuntimeError, match="known once"):
        checked.summary()
    assert len(list(checked.files())) == 30
    assert checked.counts() == {Severity.ERROR: 10, Severity.WARNING: 6}
    assert (checked.checked, checked.ignored, checked.exit_status) == (30, 15, 1)
    assert checked.summary().startswith(
        "30 files checked: 10 errors, 6 warnings, 0 info in 14 files"
    )
    with pytest.raises(RuntimeError, match="read once"):
        next(checked.files())


@pytest.mark.parametrize("name", STREAMED)
def test_formats_without_leading_totals_write_each_file_as_it_comes(name):
    pulled: list[int] = []
    out = FirstWrite(pulled)
    FORMATS[name](report(results(5_000, pulled)), out)
    assert out.files_at_first_write is not None and out.files_at_first_write < 10


def test_json_puts_the_totals_first_and_every_file_after():
    out = io.StringIO()
    FORMATS["json"](report(results(1_000)), out)
    document = json.loads(out.getvalue())
    assert list(document) == ["version", "summary", "files", "stale_baseline"]
    assert document["summary"]["files"] == 1_000 and document["summary"]["errors"] == 334
    assert [f["path"] for f in document["files"]] == [f"photos/{n:07d}.jpg" for n in range(1_000)]
    assert document["files"][3]["findings"][0]["message"] == "caption date 3 differs"


def test_junit_counts_come_first_and_every_file_is_a_test_case():
    out = io.StringIO()
    FORMATS["junit"](report(results(1_000)), out)
    suites = ET.fromstring(out.getvalue().encode())
    (suite,) = suites
    assert suites.get("tests") == suite.get("tests") == "1000"
    assert suites.get("failures") == suite.get("failures") == "334"
    assert [case.get("name") for case in suite][:2] == ["photos/0000000.jpg", "photos/0000001.jpg"]


@pytest.mark.parametrize("name", ["json", "junit", "sarif"])
def test_an_empty_report_is_still_a_document(name):
    out = io.StringIO()
    FORMATS[name](report(iter(())), out)
    if name == "junit":
        assert ET.fromstring(out.getvalue().encode()).get("tests") == "0"
    else:
        document = json.loads(out.getvalue())
        assert document.get("files", document.get("runs", [{}])[0].get("results")) == []


def peak_memory(name: str, count: int, spool_memory: int) -> int:
    """The peak of memory allocated while the ``name`` format writes a report of ``count`` files,
    measured in a process of its own: threads other tests leave running (servers, clusters)
    allocate too, and would be counted."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_lint_report_stream as t; "
        "print(t.measured_peak(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))"
    )
    tests = str(Path(__file__).parent)
    run = subprocess.run(
        [sys.executable, "-c", script, tests, name, str(count), str(spool_memory)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(run.stdout)


def measured_peak(name: str, count: int, spool_memory: int) -> int:
    stream.SPOOL_MEMORY = spool_memory
    FORMATS[name](report(results(1_000)), Discard())  # caches and lazy imports filled
    tracemalloc.start()
    try:
        FORMATS[name](report(results(count)), Discard())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class Discard(io.TextIOBase):
    """Output thrown away, with the cyclic garbage of ``json``'s indenting encoder (its closures)
    collected every 1,000 writes: when the collector runs depends on the whole process, and what
    is measured is what the report holds."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes % 1_000 == 0:
            gc.collect()
        return len(text)


@pytest.mark.parametrize("name", list(FORMATS))
def test_memory_does_not_grow_with_the_number_of_files(name):
    early = 64 << 10  # the spool goes to disk early
    small, large = peak_memory(name, 10_000, early), peak_memory(name, 40_000, early)
    assert large < small + (512 << 10), (small, large)
