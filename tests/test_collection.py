"""Collection rules: one VIRIN names one image, one image has one VIRIN."""

from hypothesis import given
from hypothesis import strategies as st

from catalog.core.collection import Member, check_collection
from catalog.lint.run import HEAD_BYTES, content_keys


def codes(findings: dict, path: str) -> list[str]:
    return sorted(f.code for f in findings.get(path, []))


def test_two_different_images_under_one_virin_are_both_reported_naming_each_other():
    findings = check_collection(
        [
            Member("a.jpg", "sha-a", "220215-F-DU706-1241"),
            Member("b.jpg", "sha-b", "220215-f-du706-1241"),  # lower case: the same VIRIN
            Member("c.jpg", "sha-c", "220215-F-DU706-1242"),
        ]
    )
    assert codes(findings, "a.jpg") == ["SET001"]
    assert codes(findings, "b.jpg") == ["SET001"]
    assert "c.jpg" not in findings
    assert findings["a.jpg"][0].values["others"] == ["b.jpg"]
    assert findings["b.jpg"][0].values["virin"] == "220215-F-DU706-1241"


def test_an_exact_copy_under_the_same_virin_is_the_same_record():
    findings = check_collection(
        [
            Member("a.jpg", "sha-a", "220215-F-DU706-1241"),
            Member("backup/a.jpg", "sha-a", "220215-F-DU706-1241"),
        ]
    )
    assert findings == {}


def test_one_image_under_two_virins_is_reported_on_both_files():
    findings = check_collection(
        [
            Member("a.jpg", "sha-a", "220215-F-DU706-1241"),
            Member("b.jpg", "sha-a", "220215-F-DU706-1250"),
        ]
    )
    assert codes(findings, "a.jpg") == ["SET002"]
    assert findings["a.jpg"][0].values["other_virins"] == ["220215-F-DU706-1250"]
    assert findings["b.jpg"][0].values["others"] == ["a.jpg"]


def test_files_without_a_virin_take_no_part():
    findings = check_collection(
        [Member("a.jpg", "sha-a", None), Member("b.jpg", "sha-a", "  "), Member("c.jpg", "x", None)]
    )
    assert findings == {}


members = st.lists(
    st.builds(
        Member,
        path=st.text("abc", min_size=1, max_size=4).map(lambda s: s + ".jpg"),
        content=st.sampled_from(["h1", "h2", "h3"]),
        virin=st.sampled_from(["220215-F-DU706-1241", "220215-F-DU706-1242", None]),
    ),
    max_size=8,
    unique_by=lambda m: m.path,
)


@given(members)
def test_set001_exactly_when_another_file_shares_the_virin_with_other_content(items):
    findings = check_collection(items)
    for m in items:
        expected = any(o.virin == m.virin and o.content != m.content for o in items if m.virin)
        assert ("SET001" in codes(findings, m.path)) == expected


@given(members)
def test_set002_exactly_when_another_file_has_the_content_under_another_virin(items):
    findings = check_collection(items)
    for m in items:
        expected = m.virin is not None and any(
            o.content == m.content and o.virin not in (None, m.virin) for o in items
        )
        assert ("SET002" in codes(findings, m.path)) == expected


def test_content_keys_are_equal_exactly_for_equal_files(tmp_path):
    """Size, then the head, then the whole file: equal keys only for byte-equal files."""
    head = b"h" * HEAD_BYTES
    files = {
        "a": head + b"tail-1",
        "copy-of-a": head + b"tail-1",
        "same-head": head + b"tail-2",  # same size and head, other image data
        "other-head": b"x" * HEAD_BYTES + b"tail-1",
        "shorter": b"short",
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    keys = dict(zip(files, content_keys(paths, [len(d) for d in files.values()]), strict=True))
    assert keys["a"] == keys["copy-of-a"]
    assert len({keys[n] for n in ("a", "same-head", "other-head", "shorter")}) == 4


def test_object_names_that_are_not_virins_are_not_duplicate_virins():
    """Titles typed into Object Name (real files have "Sunset" on many photos): VIR002 reports
    each on its file; they are no shared identifier, so neither SET001 nor SET002 follows."""
    findings = check_collection(
        [
            Member("a.jpg", "sha-a", "Sunset"),
            Member("b.jpg", "sha-b", "sunset"),
            Member("c.jpg", "sha-c", "20220215-F-DU706-1241"),  # 8-digit date: malformed
            Member("d.jpg", "sha-d", "20220215-F-DU706-1241"),
            Member("e.jpg", "sha-e", "Sunset"),
            Member("f.jpg", "sha-e", "Dawn"),
        ]
    )
    assert findings == {}


def test_a_virin_with_findings_of_its_own_still_takes_part():
    """Shaped like a VIRIN but wrong (a placeholder originator): still an identifier they share."""
    findings = check_collection(
        [
            Member("a.jpg", "sha-a", "220215-F-ZZ999-1241"),
            Member("b.jpg", "sha-b", "220215-F-ZZ999-1241"),
        ]
    )
    assert codes(findings, "a.jpg") == codes(findings, "b.jpg") == ["SET001"]


def test_one_picture_in_several_forms_is_a_derivative_and_another_picture_a_conflict():
    """JPEG, TIFF and a half-size copy of one photo (hashes a few bits apart) are one picture:
    SET003, information. A different photo under the same VIRIN stays the error SET001."""
    picture, resized, other = "c3d4e5f60718293a", "c3d4e5f60718293b", "3c4d5e6f70819203"
    findings = check_collection(
        [
            Member("a.tif", "sha-a", "220215-F-DU706-1241", picture),
            Member("a.jpg", "sha-b", "220215-F-DU706-1241", picture),
            Member("a-small.jpg", "sha-c", "220215-F-DU706-1241", resized),
            Member("b.jpg", "sha-d", "220215-F-DU706-1241", other),
        ]
    )
    assert codes(findings, "a.tif") == ["SET001", "SET003"]
    derivative = next(f for f in findings["a.tif"] if f.code == "SET003")
    assert (derivative.severity.value, derivative.values["others"]) == (
        "info",
        ["a-small.jpg", "a.jpg"],
    )
    conflict = next(f for f in findings["a.tif"] if f.code == "SET001")
    assert conflict.values["others"] == ["b.jpg"]
    assert codes(findings, "b.jpg") == ["SET001"]
    assert findings["b.jpg"][0].values["others"] == ["a-small.jpg", "a.jpg", "a.tif"]


def test_without_pixels_different_content_under_one_virin_stays_a_conflict():
    """Fails closed: a file whose pixels were not decoded (validate, --no-thumbnails, a damaged
    image) cannot be shown to be the same picture."""
    findings = check_collection(
        [
            Member("a.tif", "sha-a", "220215-F-DU706-1241", "c3d4e5f60718293a"),
            Member("a.jpg", "sha-b", "220215-F-DU706-1241", None),
        ]
    )
    assert codes(findings, "a.tif") == codes(findings, "a.jpg") == ["SET001"]


def test_pictures_without_detail_are_no_evidence_of_one_picture():
    """A flat colour (or a plain gradient) hashes to all zeros or all ones whatever it shows: two
    such files under one VIRIN stay a conflict."""
    for flat in ("0000000000000000", "ffffffffffffffff"):
        findings = check_collection(
            [
                Member("a.jpg", "sha-a", "220215-F-DU706-1241", flat),
                Member("b.jpg", "sha-b", "220215-F-DU706-1241", flat),
            ]
        )
        assert codes(findings, "a.jpg") == ["SET001"]
