"""DoD article text: the seed article's two image blocks, exactly as printed, and nothing else."""

from __future__ import annotations

from pathlib import Path

from imagefiles import blank

from catalog.readers import read_asset
from catalog.readers.article import index_by_virin, parse_article, read_article

ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = "000_de3c315fa5525843.txt"


def seed() -> Path:
    """The seed article: ``shared/`` sits beside the repository (CI, main checkout) or at /work."""
    for folder in (ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")):
        if (folder / SEED_NAME).is_file():
            return folder / SEED_NAME
    raise FileNotFoundError(f"seed article {SEED_NAME} not found beside the repository")


def test_the_seed_article_gives_exactly_its_two_image_blocks_as_printed():
    article = read_article(seed())
    assert [record.source.values for record in article.records] == [
        {
            "title": "Loading Cargo",
            "caption": "Airmen load security assistance cargo for Ukraine aboard a C-17 "
            "Globemaster III at Travis Air Force Base, Calif., Feb. 14, 2022.",
            "credit": "Air Force Senior Airman Karla Parra",
            "virin": "220215-F-DU706-1241",
        },
        {
            "title": "Lightning Pair",
            "caption": "Two Air Force F-35 Lightning II aircraft assigned to the 34th Fighter "
            "Squadron fly over the 86th Air Base in Romania, Feb. 24, 2022.",
            "credit": "Air Force Senior Airman Ali Stewart",
            "virin": "220224-F-FW957-2001Y",
        },
    ]
    assert [r.source.label for r in article.records] == [
        f"article:{SEED_NAME}#1",
        f"article:{SEED_NAME}#2",
    ]
    assert [r.line for r in article.records] == [28, 40]
    assert article.findings == ()


def test_prose_gives_no_record():
    text = (
        "Kirby said the department has placed units on prepare-to-deploy orders.\n\n"
        "The credit for that goes to the NATO allies.\nRelated Stories\n"
    )
    article = parse_article(text, name="prose.txt")
    assert article.records == () and article.findings == ()


def test_a_block_without_a_title_line_keeps_caption_credit_and_virin():
    text = (
        "Paragraph ending with a sentence.\n"
        "Marines train at Camp Lejeune, N.C., May 3, 2021.\n"
        "Credit: Marine Corps Lance Cpl. John Doe\n"
        "VIRIN: 210503-M-AB123-1001\n"
    )
    (record,) = parse_article(text, name="a.txt").records
    assert record.source.values == {
        "caption": "Marines train at Camp Lejeune, N.C., May 3, 2021.",
        "credit": "Marine Corps Lance Cpl. John Doe",
        "virin": "210503-M-AB123-1001",
    }


def test_a_credit_without_a_virin_is_a_record_and_a_finding_at_its_line():
    """A block the reader cannot complete is never dropped: it is kept (it can match no image)
    and reported at its first line."""
    text = "Story.\n\nSailors stand watch, Jan. 1, 2022.\nCredit: Navy Petty Officer Jane Roe\n"
    article = parse_article(text, name="broken.txt")
    assert [r.source.values for r in article.records] == [
        {"caption": "Sailors stand watch, Jan. 1, 2022.", "credit": "Navy Petty Officer Jane Roe"}
    ]
    assert [(f.code, f.values["line"]) for f in article.findings] == [("FIL016", 3)]


def test_an_image_file_without_metadata_takes_the_article_block_with_its_virin(tmp_path):
    """The article fills what the file lacks; it is matched by the VIRIN another source gives."""
    image = blank(tmp_path / "download.jpg")
    (tmp_path / "download.json").write_text('{"virin": "220224-F-FW957-2001Y"}')
    records = index_by_virin(read_article(seed()).records)
    metadata = read_asset(image, article_records=records)
    assert metadata.record.title == "Lightning Pair"
    assert metadata.record.credit == "Air Force Senior Airman Ali Stewart"
    assert metadata.sources["title"] == f"article:{SEED_NAME}#2"
    assert metadata.sources["virin"] == "sidecar-json:download.json"


def test_an_image_named_after_its_virin_is_matched_with_the_article_block(tmp_path):
    """An image saved from the page is named after its VIRIN: the name selects the block, and the
    VIRIN value comes from the article text, never from the name."""
    image = blank(tmp_path / "220215-f-du706-1241.jpg")
    metadata = read_asset(image, article_records=index_by_virin(read_article(seed()).records))
    assert metadata.record.title == "Loading Cargo"
    assert metadata.record.virin == "220215-F-DU706-1241"
    assert metadata.sources["virin"] == f"article:{SEED_NAME}#1"
    assert metadata.findings == ()
