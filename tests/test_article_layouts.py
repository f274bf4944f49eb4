"""Photo blocks in every layout DoD sites publish, read from pages written for these tests.

Each fixture imitates one layout of ../shared/corpus/pages/ (named in its SOURCES.tsv) with
invented captions, names and VIRINs: the structure is the published one, the text is ours.
"""

from __future__ import annotations

from pathlib import Path

from catalog.readers.article import parse_article, read_article


def values(text: str, name: str = "page.txt") -> list[dict[str, str]]:
    return [record.source.values for record in parse_article(text, name=name).records]


def test_gallery_page_with_the_caption_twice_and_a_photo_by_footer():
    """defense.gov igphoto: caption, title, caption again, bullet footer with the file name."""
    caption = (
        "Soldiers practice a river crossing at Fort Example, Ky., March 3, 2019. "
        "Army photo by Spc. Jane Doe"
    )
    page = (
        f"Photos\n\nA boat on a river.\n\n{caption}\n\nRiver Crossing\n\n{caption}\n\n"
        "  • Download Image: Full Size (2.1 MB)\n"
        "  • Photo By: Spc. Jane Doe VIRIN: 190303-A-AB123-045C.JPG\n"
        "Photo Gallery\n"
    )
    assert values(page) == [
        {
            "title": "River Crossing",
            "caption": caption,
            "credit": "Spc. Jane Doe",
            "virin": "190303-A-AB123-045C",
        }
    ]


def test_war_gov_credit_and_virin_on_one_bullet_line():
    page = (
        "Airmen load a pallet at Example Air Base, Feb. 2, 2016.\n\nPallet Load\n\n"
        "Airmen load a pallet at Example Air Base, Feb. 2, 2016.\n\n"
        "  • Download: Full Size (1.9 MB)\n"
        "  • Credit: Air Force Tech. Sgt. John Roe VIRIN: 160202-F-CD456-023A.JPG\n"
    )
    (block,) = values(page)
    assert block["credit"] == "Air Force Tech. Sgt. John Roe"
    assert block["virin"] == "160202-F-CD456-023A"
    assert block["title"] == "Pallet Load"


def test_dvids_image_info_on_one_line_with_the_licence_credit():
    page = (
        "Marines fire a mortar during a range on Camp Example, Japan, May 9, 2024. The range is "
        "part of annual training.\n\n"
        "IMAGE INFO Date Taken: 05.09.2024 Date Posted: 05.16.2024 01:07 Photo ID: 1234567 "
        "VIRIN: 240509-M-EF789-1198 Resolution: 6720x4480 Size: 16.55 MB Location: CAMP "
        "EXAMPLE, JP Web Views: 4 Downloads: 0 PUBLIC DOMAIN This work, Mortar Range [Image 1 "
        "of 9], by LCpl Jane Doe, identified by DVIDS, must comply with the restrictions.\n"
    )
    (block,) = values(page)
    assert block == {
        "caption": "Marines fire a mortar during a range on Camp Example, Japan, May 9, 2024. "
        "The range is part of annual training.",
        "credit": "LCpl Jane Doe",
        "virin": "240509-M-EF789-1198",
    }


def test_dvids_pipe_rows_and_one_field_a_line():
    rows = (
        "Aircraft sit in storage at Example Air Force Base, Ariz., June 2.\n"
        "Date Taken: | 06.02.2016 |\nPhoto ID: | 2702864 |\nVIRIN: | 160602-F-GH321-346 |\n"
        "Location: | EXAMPLE AIR FORCE BASE, US |\n"
        "This work, Storage [Image 2 of 9], by John Doe, identified by DVIDS, must comply.\n"
    )
    assert values(rows)[0]["virin"] == "160602-F-GH321-346"
    assert values(rows)[0]["credit"] == "John Doe"
    header = (
        "    Range Day [Image 3 of 9]\n\n    POLAND\n\n    09.26.2017\n\n"
        "    Photo by Capt. John Roe \n\n    Battle Group Example\n\n"
        "    Soldiers fire at the Example Training Area, Poland, Sept. 26, 2017.\n\n"
        "    Date Taken: 09.26.2017\n    Photo ID: 3811404\n    VIRIN: 170926-A-JK654-0046\n"
        "    Resolution: 4606x2682\n"
    )
    assert values(header) == [
        {
            "caption": "Soldiers fire at the Example Training Area, Poland, Sept. 26, 2017.",
            "credit": "Capt. John Roe",
            "virin": "170926-A-JK654-0046",
        }
    ]


def test_empty_label_rows_anchor_nothing():
    """DVIDS 2026 prints Content Credentials labels with no values above the real IMAGE INFO."""
    page = (
        "    Issued by: on\n\n    VIRIN:\n    Date Created:\n    City:\n\n"
        "    260108-N-LM987-1010 GREAT LAKES, Ill. (Jan. 8, 2026) Recruits salute.\n\n"
        "    IMAGE INFO\n\n    Date Taken: 01.08.2026\n    VIRIN: 260108-N-LM987-1010\n"
    )
    (block,) = values(page)
    assert block["virin"] == "260108-N-LM987-1010"
    assert block["caption"].startswith("260108-N-LM987-1010 GREAT LAKES")


def test_guard_footer_split_one_field_per_line():
    page = (
        "Guard Prepares for Floods\n"
        "                Guardsmen fill sandbags in Example County, W.Va., Aug. 28, 2023.\n"
        "                \n"
        "                        PHOTO BY:\n"
        "                        John Q. Doe\n"
        "                    \n"
        "                        VIRIN:\n"
        "                        230828-Z-NP135-1006.JPG\n"
        "                        FULL SIZE:\n"
        "                        4.18 MB\n"
    )
    assert values(page) == [
        {
            "title": "Guard Prepares for Floods",
            "caption": "Guardsmen fill sandbags in Example County, W.Va., Aug. 28, 2023.",
            "credit": "John Q. Doe",
            "virin": "230828-Z-NP135-1006",
        }
    ]


def test_coast_guard_and_army_reserve_footers():
    coast_guard = (
        "A cutter sails past the Example Light, July 23, 2008.\n\nTags: CGVI\n"
        "Photo by: PA3 Jane Doe |  VIRIN: 080723-G-QR246-1000.JPG\n"
    )
    assert values(coast_guard) == [
        {
            "caption": "A cutter sails past the Example Light, July 23, 2008.",
            "credit": "PA3 Jane Doe",
            "virin": "080723-G-QR246-1000",
        }
    ]
    reserve = (
        "Soldiers honor the Army Reserve at Fort Example, N.C., April 20, 2016\n"
        "160420-A-ST864-005.JPG Photo By: John Doe\n\n"
        "Fort Example - Soldiers honor the Army Reserve at Fort Example, N.C., April 20, 2016\n"
    )
    (block,) = values(reserve)
    assert block["virin"] == "160420-A-ST864-005" and block["credit"] == "John Doe"


def test_blocks_without_a_virin_are_records_and_findings_with_their_line():
    """marines.mil "Photo Information" and old defense.gov "Click photo" blocks print no VIRIN:
    the block is kept (search finds it) and the reader says it can match no image."""
    page = (
        "Photo Information\n\n"
        "Marines fire a mortar at Example Range, Kuwait, May 2, 2007. (Official USMC photo by "
        "Cpl. John Doe) (Released)\n\nPhoto by Cpl. John Doe\n\nStory text follows.\n\n"
        "Click photo for screen-resolution image\n"
        "Lt. Jane Roe poses at her home in Example, Va. Courtesy photo\n\n"
    )
    article = parse_article(page, name="story.txt")
    assert [r.source.values.get("credit") for r in article.records] == ["Cpl. John Doe", None]
    assert [r.virin for r in article.records] == [None, None]
    assert [(f.code, f.values["line"]) for f in article.findings] == [
        ("FIL016", 1),
        ("FIL016", 9),
    ]


def test_multi_line_caption_and_credit_lower_case_and_glued_virins():
    page = (
        "Soldiers load a truck at Fort Example,\n"
        "Ky., March 3, 2019, during a logistics exercise\n"
        "that tests the brigade.\n"
        "Credit: Army Staff Sgt.\n"
        "Jane Doe\n"
        "VIRIN: 190303-a-ab123-1001.jpgPhoto\n"
    )
    (block,) = values(page)
    assert block["caption"] == (
        "Soldiers load a truck at Fort Example, Ky., March 3, 2019, during a logistics exercise "
        "that tests the brigade."
    )
    assert block["credit"] == "Army Staff Sgt. Jane Doe"
    assert block["virin"] == "190303-a-ab123-1001"


def test_a_windows_1252_page_is_read_with_a_finding_never_replacement_characters(tmp_path):
    page = tmp_path / "old.txt"
    page.write_bytes(
        "Loading Cargo\nAirmen load the aircraft\u2019s cargo at Example Air Force Base, "
        "Calif., Feb. 15, 2022.\nCredit: Air Force Senior Airman Jane Doe\n"
        "VIRIN: 220215-F-UV975-1241\n".encode("cp1252")
    )
    article = read_article(page)
    (record,) = article.records
    assert "aircraft\u2019s cargo" in record.source.values["caption"]
    assert "\ufffd" not in record.source.values["caption"]
    assert [(f.code, f.values["line"]) for f in article.findings] == [("FIL025", 2)]


def test_an_html_page_gives_the_same_blocks_with_source_lines(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html>\n<html><head><title>Story</title>\n"
        "<script>var credit = 'Credit: nobody';</script></head>\n<body>\n"
        "<p>Officials spoke on Monday.</p>\n"
        '<figure><img alt="A jet on a runway.">\n'
        "<figcaption><h3>Jet Ready</h3>\n"
        "<p>An F-35 waits at Example Air Base, Feb. 24, 2022.</p>\n"
        "<p>Credit: Air Force Senior Airman John Doe</p>\n"
        "<p>VIRIN: <b>220224-F-WX864-2001</b></p></figcaption></figure>\n"
        "</body></html>\n",
        encoding="utf-8",
    )
    article = read_article(page)
    (record,) = article.records
    assert record.source.values == {
        "title": "Jet Ready",
        "caption": "An F-35 waits at Example Air Base, Feb. 24, 2022.",
        "credit": "Air Force Senior Airman John Doe",
        "virin": "220224-F-WX864-2001",
    }
    assert (record.line, record.end_line) == (7, 10)
    assert article.findings == ()


def test_the_seed_layout_still_reads_exactly(tmp_path: Path):
    page = (
        "Paragraph of the story.\n\nA jet on a runway.\nJet Ready\n"
        "An F-35 waits at Example Air Base, Feb. 24, 2022.\n"
        "Credit: Air Force Senior Airman John Doe\nVIRIN: 220224-F-WX864-2001\n\nMore story.\n"
    )
    (record,) = parse_article(page, name="p.txt").records
    assert (record.line, record.end_line) == (4, 7)
    assert record.complete


def test_a_crafted_page_of_endless_rows_is_read_in_linear_time():
    """Every line a VIRIN row, a label or a marker: each line is looked at a bounded number of
    times (a quadratic reader took a minute on 5,000 rows)."""
    import time

    page = "| 220215-F-DU706-1241 |\nPhoto Information\nCredit: A\nword\n" * 5000
    started = time.perf_counter()
    article = parse_article(page, name="crafted.txt")
    assert len(article.records) >= 5000
    assert time.perf_counter() - started < 15
