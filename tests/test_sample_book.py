"""The sample book, built as a user builds it, inspected in both outputs."""

from __future__ import annotations

import tomllib

import pdfplumber
from conftest import SAMPLE
from pdfinspect import folio, largest_text, normalized, outline, page_texts, toc_numbers


def chapter_titles() -> list[str]:
    """The `# Title` line of each chapter file, read straight from the sources."""
    files = sorted((SAMPLE / "chapters").glob("*.md"))
    titles = []
    for path in files:
        heading = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        titles.append(heading.removeprefix("# ").strip())
    return titles


def resources() -> dict:
    return tomllib.loads((SAMPLE / "resources.toml").read_text(encoding="utf-8"))


def test_sample_has_the_articles_structure():
    titles = chapter_titles()
    assert titles[0] == "Introduction"
    assert titles[-1] == "Frequently Asked Questions"
    assert len(titles) == 10  # introduction, eight sections, the FAQ
    assert len(resources()["resource"]) == 9


def test_pdf_outline_is_the_chapters_in_order_with_their_sections(sample):
    entries = outline(sample.pdf)
    titles = [entry.title for entry in entries]
    assert titles == ["Contents", *chapter_titles(), "Glossary", "Additional Resources", "Index"]
    purpose = entries[titles.index("Purpose of a Second Interview")]
    assert [c.title for c in purpose.children] == [
        "Evaluating Skills in Depth",
        "Assessing Cultural Fit",
        "Clarifying Job Expectations",
    ]
    faq = entries[titles.index("Frequently Asked Questions")]
    assert len(faq.children) == 10
    assert all(child.title.endswith("?") for child in faq.children)


def test_contents_page_numbers_are_the_pages_where_chapters_start(sample):
    entries = outline(sample.pdf)
    contents_page = entries[0].page
    first_chapter_page = entries[1].page
    printed = toc_numbers(sample.pdf, chapter_titles(), range(contents_page, first_chapter_page))
    assert set(printed) == set(chapter_titles())
    with pdfplumber.open(sample.pdf) as pdf:
        for entry in entries[1:-3]:
            page = pdf.pages[entry.page]
            assert largest_text(page) == entry.title, f"{entry.title!r} does not open page {entry.page + 1}"
            assert printed[entry.title] == folio(page), entry.title


def test_every_chapter_starts_on_a_new_page(sample):
    entries = outline(sample.pdf)
    pages = [entry.page for entry in entries]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


def test_chapter_opening_pages_are_numbered_from_1(sample):
    entries = outline(sample.pdf)
    with pdfplumber.open(sample.pdf) as pdf:
        numbers = [folio(pdf.pages[entry.page]) for entry in entries[1:]]
    assert numbers[0] == "1"
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)


def test_pdf_metadata(sample):
    from pypdf import PdfReader

    info = PdfReader(sample.pdf).metadata
    assert info.title == "Meaning of a Second Interview"
    assert info.subject.startswith("The meaning of a second interview")
    assert "Job interviews" in info["/Keywords"]
    with pdfplumber.open(sample.pdf) as pdf:
        assert pdf.doc.catalog["Lang"].decode() == "en"


def test_every_resource_title_and_annotation_is_in_the_pdf_and_the_epub(sample):
    pdf_text = normalized(" ".join(page_texts(sample.pdf)))
    epub_text = normalized(sample.epub_text())
    for entry in resources()["resource"]:
        for value in (entry["title"], entry.get("subtitle", ""), entry["annotation"]):
            assert normalized(value) in pdf_text, value
            assert normalized(value) in epub_text, value


def test_no_extraction_debris_in_the_outputs(sample):
    text = sample.epub_text()
    for debris in ("Find other PDF articles", "Back to Home", "Ouestions", "http"):
        assert debris not in text
    assert "position and company" in text  # a sentence that was broken across a page break


def test_epub_nav_lists_chapters_sections_and_resources(sample):
    nav = sample.epub_xml("EPUB/nav.xhtml")
    ns = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    toc = nav.find(".//x:nav[@epub:type='toc']", ns)
    top = [a.text for a in toc.findall("x:ol/x:li/x:a", ns)]
    assert top == [*chapter_titles(), "Glossary", "Additional Resources", "Index"]
    questions = toc.findall("x:ol/x:li[last()-3]/x:ol/x:li/x:a", ns)
    assert len(questions) == 10
