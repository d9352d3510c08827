"""The Markdown technical books are written in, on the built kitchen-sink book: highlighted code,
GitHub's habits, callouts, math, numbered tables and listings, includes, in the PDF, the EPUB and
the web edition, and in every built-in theme. (EPUBCheck and Ace run on it in test_gates.py.)"""

from __future__ import annotations

import re
import shutil

import pdfplumber
import pytest
from conftest import BOOKS, NS, build_book, write_book
from pdfinspect import page_texts

CHAPTER = "EPUB/everything-markdown-can-say.xhtml"
MATHML = "http://www.w3.org/1998/Math/MathML"
LITERALS = ("[!NOTE]", "[!TIP]", "[!WARNING]", "~~", "$$", "\\frac", "\\[", "\\(", "{#", "--8<--", "{{#include", "!!!")


def page_of(texts: list[str], needle: str) -> int:
    """The 1-based number of the first PDF page that holds `needle` (not its printed folio)."""
    return next(number for number, text in enumerate(texts, 1) if needle in text)


def test_the_epub_has_highlighted_code_mathml_callouts_and_captions(kitchen_sink):
    chapter = kitchen_sink.epub_xml(CHAPTER)
    keywords = chapter.xpath("//x:div[contains(@class, 'language-python')]//x:span[@class='k']/text()", namespaces=NS)
    assert {"def", "return", "for"} <= set(keywords)
    maths = chapter.findall(f".//{{{MATHML}}}math")
    assert len(maths) == 5 and all(m.get("alttext") for m in maths)
    assert maths[0].get("alttext") == "x^2 + y^2 = r^2" and maths[0].get("display") == "inline"
    assert chapter.find(f".//{{{MATHML}}}math[@display='block']//{{{MATHML}}}mfrac") is not None
    callouts = chapter.xpath("//x:aside[contains(@class, 'callout')]", namespaces=NS)
    assert [a.get("role") for a in callouts] == ["note", "doc-tip", "note", "note", "note", "note", "doc-tip"]
    assert chapter.xpath("string(//x:table/x:caption)", namespaces=NS) == "Table 1. Prices at the market"
    assert chapter.xpath("//x:span[@role='img'][contains(@class, 'task-box')]/@aria-label", namespaces=NS) == [
        "Done",
        "Not done",
    ]
    text = kitchen_sink.epub_text()
    assert 'return f"Hello, {name}!"' in text and 'return f"Goodbye, {name}."' in text  # both includes
    assert not [literal for literal in LITERALS if literal in text]


def test_the_epub_declares_its_mathml(kitchen_sink):
    opf = kitchen_sink.epub_xml("EPUB/content.opf")
    item = opf.find(".//opf:item[@href='everything-markdown-can-say.xhtml']", NS)
    assert "mathml" in item.get("properties").split()
    features = opf.xpath("//opf:meta[@property='schema:accessibilityFeature']/text()", namespaces=NS)
    assert "MathML" in features


def test_the_pdf_has_no_markup_left_and_references_name_number_and_page(kitchen_sink):
    texts = [" ".join(text.split()) for text in page_texts(kitchen_sink.pdf)]
    whole = " ".join(texts)
    assert not [literal for literal in LITERALS if literal in whole]
    table_page = page_of(texts, "Table 1. Prices at the market")
    listing_page = page_of(texts, "Listing 1. src/greet.py")
    equation_page = page_of(texts, "(1)")
    with pdfplumber.open(kitchen_sink.pdf) as pdf:
        folio = {n: pdf.pages[n - 1].extract_text().split("\n")[0] for n in (table_page, listing_page, equation_page)}

    def printed(number: int) -> str:
        return re.search(r"\b(\d+)\b", folio[number]).group(1)

    assert f"table 1, page {printed(table_page)} lists the prices" in whole
    assert f"listing 1, page {printed(listing_page)} is included" in whole
    assert f"equation 1, page {printed(equation_page)} is a third" in whole
    assert "it cost $5 and $10" in whole


def test_formulas_are_drawn_where_they_stand_and_sit_on_the_line(kitchen_sink):
    texts = page_texts(kitchen_sink.pdf)
    number = page_of(texts, "Inline math such as")
    with pdfplumber.open(kitchen_sink.pdf) as pdf:
        page = pdf.pages[number - 1]
        assert not [c for c in page.chars if "STIX" in c["fontname"]]  # drawn, not set in a font
        words = page.extract_words()
        line = next(w for w in words if w["text"] == "such")
        on_the_line = [c for c in page.curves if line["top"] - 4 <= c["top"] and c["bottom"] <= line["bottom"] + 4]
        assert on_the_line, "no drawn formula in the line of text that holds it"
        area = next(w for w in words if w["text"] == "area")
        display = [c for c in page.curves if c["bottom"] < area["top"] and c["top"] > line["bottom"]]
        assert len(display) > 10  # the integral and the matrices between the paragraph and the reference


def test_long_code_lines_wrap_inside_the_page_under_their_own_indent(kitchen_sink):
    with pdfplumber.open(kitchen_sink.pdf) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert char["x0"] >= 0 and char["x1"] <= page.width and 0 <= char["top"] <= page.height
        number = page_of(page_texts(kitchen_sink.pdf), "# a comment long enough")
        page = pdf.pages[number - 1]
        words = page.extract_words(keep_blank_chars=False)
        comment = next(w for w in words if w["text"] == "#")
        wrapped = next(w for w in words if w["text"] == "page" and w["top"] > comment["top"])
        returned = next(w for w in words if w["text"] == "return")
        assert wrapped["x0"] > returned["x0"]  # the continuation stands in past the line's own indent
        assert not [c for c in page.chars if c["text"] == "↪"]  # the mark is drawn, not copied with the code


def test_the_web_edition_shows_mathml_and_collapsible_details(kitchen_sink):
    page = (kitchen_sink.out / "html" / "everything-markdown-can-say.html").read_text()
    assert page.count("<math") == 5 and "<details>" in page and "<details open" not in page
    assert 'class="callout callout-warning"' in page


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["classic", "modern", "compact"])
def test_every_theme_prints_the_constructs_with_the_books_own_fonts(theme, tmp_path):
    folder = tmp_path / "book"
    shutil.copytree(BOOKS / "kitchen-sink", folder)
    toml = (folder / "book.toml").read_text() + f'\n[theme]\nname = "{theme}"\n'
    write_book(folder, {"book.toml": toml})
    built = build_book(folder, tmp_path / "out")
    with pdfplumber.open(built.pdf) as pdf:
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
        for page in pdf.pages:
            assert all(c["x0"] >= 0 and c["x1"] <= page.width for c in page.chars), (theme, page.page_number)
        assert sum(len(page.curves) for page in pdf.pages) > 20
    assert not [font for font in fonts if "DejaVu" in font or "Liberation" in font], fonts
    whole = " ".join(page_texts(built.pdf))
    assert "NOTE" in whole.upper() and "CAUTION" in whole.upper()


def test_only_books_with_math_carry_the_math_font(kitchen_sink, sample):
    def stix(built) -> list[str]:
        return [name for name in built.epub_names() if "stix-two-math" in name.lower()]

    assert stix(kitchen_sink) == ["EPUB/styles/fonts/stix-two-math/STIXTwoMath-Regular.ttf"]
    assert "STIX Two Math" in kitchen_sink.epub_file("EPUB/styles/book.css").decode()
    assert stix(sample) == [] and "STIX" not in sample.epub_file("EPUB/styles/book.css").decode()
    assert (kitchen_sink.out / "html" / "styles" / "fonts" / "stix-two-math" / "STIXTwoMath-Regular.ttf").is_file()


def test_the_sample_books_follow_up_tip_is_a_callout(sample):
    chapter = sample.epub_xml("EPUB/tips-for-success-in-a-second-interview.xhtml")
    (tip,) = chapter.xpath("//x:aside[contains(@class, 'callout-tip')]", namespaces=NS)
    assert tip.get("role") == "doc-tip" and "thank-you note" in tip.xpath("string()")
