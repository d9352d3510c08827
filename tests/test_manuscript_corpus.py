"""The corpus of manuscripts shaped like the books authors really keep (tests/books), built whole:
each habit that once stopped a build or spoiled a page is honoured. The gates (EPUBCheck, Ace) run
over every one of them in test_gates.py, the page-fill measure in test_pages_without_holes.py."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from conftest import BOOKS, FIXTURE_BOOKS, NS
from pdfinspect import outline

from octavo.read.load import load_book

pytestmark = pytest.mark.slow


def pdf_text(built) -> list[str]:
    with pdfplumber.open(built.pdf) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_a_book_whose_files_all_open_with_its_title_gets_one_chapter_per_file(fixture_books):
    built = fixture_books["js-notebook"]
    titles = [entry.title for entry in outline(built.pdf)]
    chapters = ["About This Book", "Values and Types", "Functions", "Scope", "Objects and Prototypes"]
    assert titles == ["Contents", *chapters, "Arrays", "Asynchronous Code"]  # the title: no chapter, no entry
    # The logo above the first chapter's heading joins that chapter instead of making one of its own.
    about = built.epub_file("EPUB/about-this-book.xhtml").decode()
    assert "logo: a dark circle on yellow" in about


def test_the_habits_of_a_github_book_are_links_that_work(fixture_books):
    built = fixture_books["js-notebook"]
    about = built.epub_xml("EPUB/about-this-book.xhtml")
    links = {"".join(a.itertext()): a.get("href") for a in about.iter(f"{{{NS['x']}}}a")}
    assert links["@rafa_writes"] == "https://twitter.com/rafa_writes"  # a handle, not a citation
    repository = "https://github.com/example/little-script-notebook/blob/main/"
    assert links["CONTRIBUTING.md"] == repository + "CONTRIBUTING.md"  # a file of the repository, no chapter
    assert links["README.ja.md"] == repository + "README.ja.md"
    functions = built.epub_xml("EPUB/functions.xhtml")
    hrefs = {"".join(a.itertext()): a.get("href") for a in functions.iter(f"{{{NS['x']}}}a")}
    assert hrefs["the list of closures\npitfalls"] == "#closures"  # GitHub's #user-content-closures
    # <a name="closures"> under "### Closures" names the same place: the heading keeps the name.
    assert functions.find(".//x:h2[@id='closures']", NS) is not None
    problems = load_book(BOOKS / "js-notebook").warnings
    assert sorted(p.line for p in problems) == [14, 15]  # the two links to files that are no chapters


def test_an_mdbook_shaped_book_continues_chapters_across_files_and_includes_its_listings(fixture_books):
    built = fixture_books["rust-chapters"]
    titles = [entry.title for entry in outline(built.pdf)]
    assert "Getting Started" in titles and "Programming a Guessing Game" in titles
    assert "Installation" not in titles[: titles.index("Getting Started")]
    start = built.epub_file("EPUB/getting-started.xhtml").decode()
    assert "Installation" in start and "Hello, World!" in start  # sections of the chapter
    assert "println!" in start and "{{#include" not in start
    game = "".join(built.epub_xml("EPUB/programming-a-guessing-game.xhtml").itertext())
    assert "fn secret_number" in game and "wrapping_mul" in game  # the regions {{#include}} names
    assert "ANCHOR" not in game  # and not the lines that mark them


def test_a_long_listing_and_a_long_table_split_with_the_header_repeated(fixture_books):
    built = fixture_books["db-manual"]
    pages = pdf_text(built)
    inserts = [i for i, text in enumerate(pages) if "INSERT INTO orders" in text]
    assert len(inserts) >= 2  # sixty lines of SQL run on over the page
    table = [i for i, text in enumerate(pages) if "display_name" in text]
    assert len(table) >= 2
    assert all(re.search(r"Column\s+Type\s+Notes", pages[i]) for i in table)  # the header row on each page


def test_a_narrow_figure_floated_right_in_raw_html_prints_narrow_and_at_the_right(fixture_books):
    built = fixture_books["js-notebook"]
    with pdfplumber.open(built.pdf) as pdf:
        page = next(p for p in pdf.pages if any(image["width"] < 60 for image in p.images))
        body = [c for c in page.chars if 0.1 * page.height < c["top"] < 0.9 * page.height]
        left, right = min(c["x0"] for c in body), max(c["x1"] for c in body)
        (mark,) = [image for image in page.images if image["width"] < 60]
        assert abs(mark["width"] - 0.09 * (right - left)) < 2  # width="9%" of the text block, not its full width
        assert abs(mark["x1"] - right) < 2  # align="right": at the text block's right edge, the text beside it


OUR_FONTS = re.compile(r"(Charis-SIL|Gentium|Inter|Noto-|STIX|Symbola)")


@pytest.mark.parametrize("name", ["sample", *FIXTURE_BOOKS])
def test_no_glyph_outside_the_page_and_none_from_the_machines_fonts(name, sample, fixture_books):
    built = sample if name == "sample" else fixture_books[name]
    with pdfplumber.open(built.pdf) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert char["x0"] >= 0 and char["x1"] <= page.width, (page.page_number, char["text"])
                assert char["top"] >= 0 and char["bottom"] <= page.height, (page.page_number, char["text"])
                # A font Octavo ships or chose by path: never DejaVu or whatever else fontconfig had.
                assert OUR_FONTS.search(char["fontname"]), (page.page_number, char["text"], char["fontname"])
