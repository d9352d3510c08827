"""The annotated resource list as a first-class feature: citations, back-references, sorting and
categories, exports for reference managers, cross-references, and FAQ chapters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pytest
from conftest import NS, build_book, run_cli, write_book
from pdfinspect import normalized, outline, page_texts
from pypdf import PdfReader

BOOKS = Path(__file__).parent / "books"


def links(built, document: str) -> list:
    return list(built.epub_xml(f"EPUB/{document}").iterfind(".//x:a", NS))


def test_entries_sorted_by_author_and_grouped_by_category(reading_list):
    root = reading_list.epub_xml("EPUB/further-reading.xhtml")
    categories = [h2.text for h2 in root.iterfind(".//x:h2", NS)]
    assert categories == ["Books", "On the web"]
    titles = [cite.text for cite in root.iterfind(".//x:cite", NS)]
    assert titles == [
        "Building",
        "Bridges",
        "To Engineer Is Human",
        "Structurae",
    ]  # Addis, Brown, Petroski; then the web
    lists = root.findall(".//x:ol", NS)
    assert [ol.get("start") for ol in lists] == ["1", "4"]  # numbering runs on across categories
    nav = reading_list.epub_xml("EPUB/nav.xhtml")
    toc = [a.text for a in nav.find(".//x:nav[@{http://www.idpf.org/2007/ops}type='toc']", NS).iterfind(".//x:a", NS)]
    assert toc[-3:] == ["Further Reading", "Books", "On the web"]
    resources = outline(reading_list.pdf)[-1]
    assert [child.title for child in resources.children] == ["Books", "On the web"]
    assert len(resources.children[0].children) == 3


def test_citations_link_to_their_entries_with_the_entries_numbers(reading_list):
    cites = [a for a in links(reading_list, "arches.xhtml") if a.get("role") == "doc-biblioref"]
    assert [(a.text, a.get("href")) for a in cites] == [
        ("2", "further-reading.xhtml#resource-brown"),
        ("1", "further-reading.xhtml#resource-addis"),
        ("2", "further-reading.xhtml#resource-brown"),
    ]
    text = reading_list.epub_text()
    assert "[2, pp. 20–24]" in text and "[1; 2]" in text and "[3, ch. 3]" in text
    pdf_text = " ".join(page_texts(reading_list.pdf))
    assert "[2, pp. 20–24]" in pdf_text and "[4]" in pdf_text


def test_back_references_give_the_citing_pages_in_print_and_sections_in_the_epub(reading_list):
    labels = PdfReader(reading_list.pdf).page_labels
    with pdfplumber.open(reading_list.pdf) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    petroski_pages = [labels[i] for i, text in enumerate(texts) if "[3]" in text or "[3, ch. 3]" in text]
    entry_page = next(text for text in texts if "To Engineer Is Human" in text and "Cited on" in text)
    cited = re.search(r"To Engineer Is Human.*?Cited on p\. ([\d, ]+)", entry_page, re.S).group(1)
    assert [n.strip() for n in cited.split(",")] == petroski_pages
    root = reading_list.epub_xml("EPUB/further-reading.xhtml")
    brown = root.find(".//x:li[@id='resource-brown']", NS)
    backlinks = [(a.text, a.get("href")) for a in brown.find(".//x:p[@class='resource-cited']", NS).iterfind("x:a", NS)]
    assert backlinks == [
        ("Arches", "arches.xhtml#cite-brown-1"),
        ("Which bridge is the oldest?", "questions.xhtml#cite-brown-3"),
    ]


def test_exports_for_reference_managers(reading_list):
    csl = json.loads((reading_list.out / "a-readers-guide-to-bridges-resources.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in csl] == ["addis", "brown", "petroski", "span-db"]
    brown = csl[1]
    assert brown["title"] == "Bridges: Three Thousand Years of Defying Nature"
    assert brown["author"] == [{"family": "Brown", "given": "David J."}]
    assert brown["issued"] == {"date-parts": [[1993]]}
    assert csl[3]["type"] == "webpage" and csl[3]["URL"] == "https://example.org/structurae"
    bib = (reading_list.out / "a-readers-guide-to-bridges-resources.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@(book|online)\{", bib, re.M)) == 4
    assert "@book{petroski," in bib and "isbn = {978-0-312-80680-4}" in bib
    assert r"drawings \& photographs of 100\% of" in bib  # TeX specials escaped


def test_cross_references_name_their_target_and_its_page(reading_list):
    arches = {"".join(a.itertext()): a.get("href") for a in links(reading_list, "arches.xhtml")}
    assert arches["figure 1"] == "#fig-arch"
    assert arches["section ‘Voussoirs’"] == "#voussoirs"
    assert arches["chapter 2"] == "failures.xhtml"
    failures = {"".join(a.itertext()): a.get("href") for a in links(reading_list, "failures.xhtml")}
    assert failures["section ‘Keystones’"] == "arches.xhtml#keystones"
    labels = PdfReader(reading_list.pdf).page_labels
    entries = outline(reading_list.pdf)
    arches_entry = entries[1]
    keystones_page = labels[next(c.page for c in arches_entry.children if c.title == "Keystones")]
    text = normalized(" ".join(page_texts(reading_list.pdf)))
    assert normalized(f"section ‘Keystones’, page {keystones_page}.") in text
    assert normalized("as figure 1, page 1 shows") in text
    assert normalized("and chapter 2 for what happens") in text  # chapters are named without a page


def test_a_faq_chapter_lists_every_question(reading_list):
    chapter = reading_list.epub_xml("EPUB/questions.xhtml")
    assert "faq" in chapter.find(".//x:section", NS).get("class")
    questions = [c.title for c in outline(reading_list.pdf)[3].children]
    assert questions == ["Why are arches curved?", "Which bridge is the oldest?"]


def book_with(tmp_path, chapter: str, extra: dict | None = None) -> Path:
    files = {
        "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n',
        "resources.toml": '[[resource]]\nid = "brown"\ntitle = "Bridges"\n',
        "chapters/a.md": chapter,
    }
    files.update(extra or {})
    return write_book(tmp_path / "book", files)


def test_citing_an_unknown_resource_names_file_line_and_the_closest_id(tmp_path):
    folder = book_with(tmp_path, "# A\n\nText.\n\nAs shown [@browne, p. 4].\n")
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (
        f"{folder / 'chapters/a.md'}:5:11: error: citation of an unknown resource '@browne' (did you mean '@brown'?)"
        in result.stderr
    )


def test_a_cross_reference_to_nothing_is_an_error(tmp_path):
    folder = book_with(tmp_path, "# A\n\nSee [](#nowhere).\n")
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{folder / 'chapters/a.md'}:3:8: error: link to a missing anchor '#nowhere'" in result.stderr
    assert "    See [](#nowhere).\n           ^" in result.stderr  # the line, and where in it


def test_unknown_front_matter_is_an_error(tmp_path):
    folder = book_with(tmp_path, "---\ntype: glossary\n---\n# A\n")
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    expected = f"{folder / 'chapters/a.md'}:2: error: unknown type 'glossary' (use one of chapter, faq, part)"
    assert expected in result.stderr


@pytest.mark.slow
def test_brackets_that_are_no_citation_stay_text(tmp_path):
    folder = book_with(tmp_path, "# A\n\nAn email [me@example.org] and [a note] stay as written.\n")
    built = build_book(folder)
    assert "An email [me@example.org] and [a note] stay as written." in built.epub_text()
