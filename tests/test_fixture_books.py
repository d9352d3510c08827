"""Books nobody wrote for the sample: every part of the book folder contract, in both outputs."""

from __future__ import annotations

from pathlib import Path

from conftest import NS
from pdfinspect import normalized, outline, page_texts

BOOKS = Path(__file__).parent / "books"


def links_in(built, document: str) -> dict[str, str]:
    root = built.epub_xml(f"EPUB/{document}")
    return {"".join(a.itertext()): a.get("href") for a in root.iterfind(".//x:a", NS)}


def ids_in(built, document: str) -> set[str]:
    return set(built.epub_xml(f"EPUB/{document}").xpath("//@id"))


def test_output_names_come_from_title_and_version(manuscript, scripts):
    assert manuscript.pdf.name == "the-lighthouse-keepers-manual-2.1.pdf"
    assert manuscript.epub.name == "the-lighthouse-keepers-manual-2.1.epub"
    assert scripts.pdf.name == "scripts.pdf"  # no Latin letters in the title: the folder's name


def test_one_file_with_several_top_level_headings_makes_several_chapters(manuscript):
    assert [entry.title for entry in outline(manuscript.pdf)] == [
        "Contents",
        "The Lamp",
        "The Log",  # a closed ATX heading: `# The Log #`
        "Appendix",
        "Further Reading",
    ]
    documents = manuscript.spine_documents()
    assert documents == [
        "EPUB/cover.xhtml",
        "EPUB/titlepage.xhtml",
        "EPUB/nav.xhtml",
        "EPUB/the-lamp.xhtml",
        "EPUB/the-log.xhtml",
        "EPUB/appendix.xhtml",
        "EPUB/further-reading.xhtml",
    ]
    titles = [manuscript.epub_xml(name).findtext(".//x:title", namespaces=NS) for name in documents[3:]]
    assert titles == ["The Lamp", "The Log", "Appendix", "Further Reading"]


def test_links_between_chapters_point_at_the_right_file_and_anchor(manuscript):
    lamp = links_in(manuscript, "the-lamp.xhtml")
    assert lamp["the log chapter"] == "the-log.xhtml"  # `#the-log`: another chapter of the same file
    assert lamp["glossary of parts"] == "appendix.xhtml#parts-of-the-lamp"
    assert lamp["second chapter’s notes"] == "the-log.xhtml#notes-1"
    log = links_in(manuscript, "the-log.xhtml")
    assert log["the lamp"] == "the-lamp.xhtml"
    assert log["appendix"] == "appendix.xhtml"
    appendix = links_in(manuscript, "appendix.xhtml")
    assert appendix["daily checks"] == "the-lamp.xhtml#daily-checks"
    assert "daily-checks" in ids_in(manuscript, "the-lamp.xhtml")
    assert "parts-of-the-lamp" in ids_in(manuscript, "appendix.xhtml")


def test_links_between_chapters_are_internal_links_in_the_pdf(manuscript):
    from pypdf import PdfReader

    reader = PdfReader(manuscript.pdf)
    lamp_page = outline(manuscript.pdf)[1].page
    annotations = [a.get_object() for a in reader.pages[lamp_page].get("/Annots", [])]
    internal = [a for a in annotations if "/Dest" in a or ("/A" in a and a["/A"].get("/S") == "/GoTo")]
    external = [a for a in annotations if "/A" in a and a["/A"].get("/S") == "/URI"]
    assert len(internal) >= 3 and not external


def test_anchors_are_unique_across_the_book_when_titles_repeat(manuscript):
    all_ids: list[str] = []
    for document in manuscript.spine_documents():
        all_ids.extend(manuscript.epub_xml(document).xpath("//@id"))
    assert len(all_ids) == len(set(all_ids))
    notes = [entry for chapter in outline(manuscript.pdf)[1:4] for entry in chapter.children if entry.title == "Notes"]
    assert len(notes) == 3


def test_footnotes_are_numbered_per_chapter_with_links_both_ways(manuscript):
    for document, count in (("the-lamp.xhtml", 2), ("the-log.xhtml", 1)):
        root = manuscript.epub_xml(f"EPUB/{document}")
        calls = root.findall(".//x:a[@role='doc-noteref']", NS)
        assert [a.text for a in calls] == [str(n) for n in range(1, count + 1)]
        ids = set(root.xpath("//@id"))
        for call in calls:
            assert call.get("href").lstrip("#") in ids
        for back in root.findall(".//x:a[@role='doc-backlink']", NS):
            assert back.get("href").lstrip("#") in ids


def test_images_resolve_relative_to_their_chapter_and_are_packaged(manuscript):
    names = manuscript.epub_names()
    for image in ("images/figures/lens.png", "images/figures/log-book.jpg", "images/figures/signature-mark.svg"):
        assert f"EPUB/{image}" in names
    opf = manuscript.epub_xml("EPUB/content.opf")
    types = {item.get("href"): item.get("media-type") for item in opf.iterfind(".//opf:item", NS)}
    assert types["images/figures/lens.png"] == "image/png"
    assert types["images/figures/log-book.jpg"] == "image/jpeg"
    assert types["images/figures/signature-mark.svg"] == "image/svg+xml"
    from pypdf import PdfReader

    images = [image for page in PdfReader(manuscript.pdf).pages for image in page.images]
    assert len(images) >= 2  # the PNG and the JPEG are drawn; the SVG becomes vector paths


def test_cover_is_in_the_epub(manuscript):
    opf = manuscript.epub_xml("EPUB/content.opf")
    cover = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover is not None and cover.get("href") == "images/cover.png"
    page = manuscript.epub_xml("EPUB/cover.xhtml")
    assert page.find(".//x:img", NS).get("src") == "images/cover.png"


def test_tables_survive(manuscript):
    log = manuscript.epub_xml("EPUB/the-log.xhtml")
    assert [th.text for th in log.iterfind(".//x:th", NS)] == ["Watch", "Hours", "Keeper"]
    text = " ".join(page_texts(manuscript.pdf))
    assert "Middle 0–4 Tomás" in text


def test_epub_metadata(manuscript):
    opf = manuscript.epub_xml("EPUB/content.opf")
    metadata = opf.find("opf:metadata", NS)
    assert [c.text for c in metadata.iterfind("dc:creator", NS)] == ["Ada Marsh", "Tomás Ó Ceallaigh"]
    assert metadata.findtext("dc:language", namespaces=NS) == "en-GB"
    assert metadata.findtext("dc:publisher", namespaces=NS) == "Harbour Press"
    assert metadata.findtext("dc:rights", namespaces=NS).startswith("© 2025")
    assert metadata.findtext("dc:date", namespaces=NS) == "2025-03-14"
    assert [s.text for s in metadata.iterfind("dc:subject", NS)] == ["Lighthouses", "Maritime history"]
    assert metadata.findtext("dc:identifier", namespaces=NS).startswith("urn:uuid:")
    modified = metadata.findtext("opf:meta[@property='dcterms:modified']", namespaces=NS)
    assert modified == "2025-03-14T00:00:00Z"  # from the book's date, not the clock
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


def test_resource_list_shows_every_field(manuscript):
    text = normalized(" ".join(page_texts(manuscript.pdf)))
    epub = normalized(manuscript.epub_text())
    fields = ("D. Alan Stevenson", "Oxford University Press", "1959", "ISBN 978-0-00-000000-2", "A Year on the Rock")
    for value in fields:
        assert normalized(value) in text and normalized(value) in epub, value
    resources = manuscript.epub_xml("EPUB/further-reading.xhtml")
    assert resources.find(".//x:section[@role='doc-bibliography']", NS) is not None
    assert resources.find(".//x:a[@href='https://example.org/keepers-log']", NS) is not None
    assert resources.find(".//x:strong", NS).text == "plans"  # the annotation is Markdown


def test_non_latin_scripts_keep_their_titles_and_anchors(scripts):
    titles = [entry.title for entry in outline(scripts.pdf)]
    assert titles == ["Содержание", "Глава первая", "Ελληνικά", "日本語と العربية"]  # labels in the book's language
    greek = ids_in(scripts, "chapter-2.xhtml")
    assert "ιστορία" in greek
    assert "h-2024-και-μετά" in greek  # ids must start with a letter to be valid XML names
    cyrillic = links_in(scripts, "chapter-1.xhtml")
    assert cyrillic["вторую главу"] == "chapter-2.xhtml#ιστορία"
    mixed = links_in(scripts, "chapter-3.xhtml")
    assert mixed["Back to the alphabet"] == "chapter-1.xhtml#алфавит-1"
    assert "Кириллица насчитывает тридцать три буквы" in scripts.epub_text()


def test_every_markdown_construct_becomes_valid_xhtml(kitchen_sink):
    chapter = kitchen_sink.epub_xml("EPUB/everything-markdown-can-say.xhtml")
    svg = chapter.find(".//{http://www.w3.org/2000/svg}svg")
    assert svg is not None and svg.get("viewBox") == "0 0 100 20"  # camel case survives
    opf = kitchen_sink.epub_xml("EPUB/content.opf")
    item = opf.find(".//opf:item[@href='everything-markdown-can-say.xhtml']", NS)
    assert item.get("properties") == "svg mathml"
    links = links_in(kitchen_sink, "everything-markdown-can-say.xhtml")
    assert links["author@example.org"] == "mailto:author@example.org"
    assert links["top"] == "#everything"  # an explicit {#id} on a heading
    assert chapter.find(".//x:abbr[@title='Portable Document Format']", NS) is not None
    assert chapter.find(".//x:dl/x:dd", NS).text == "Its definition."
    text = kitchen_sink.epub_file("EPUB/everything-markdown-can-say.xhtml").decode()
    assert "“smart quotes”" in text and "line\u00a0with" in text and "©" in text  # entities resolved


def test_no_text_runs_off_the_page(kitchen_sink, manuscript):
    import pdfplumber

    for built in (kitchen_sink, manuscript):
        with pdfplumber.open(built.pdf) as pdf:
            for page in pdf.pages:
                for char in page.chars:
                    assert char["x0"] >= 0 and char["x1"] <= page.width, (page.page_number, char["text"])


def test_pdf_metadata_names_title_authors_subject_and_language(manuscript):
    from pypdf import PdfReader

    reader = PdfReader(manuscript.pdf)
    info = reader.metadata
    assert info.title == "The Lighthouse Keeper's Manual: Lamps, Logs and Long Nights"
    assert info.author == "Ada Marsh, Tomás Ó Ceallaigh"
    assert info.subject == "A small manual that exercises every part of the book folder contract."
    assert info["/CreationDate"].startswith("D:20250314")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_running_head_sets_the_title_with_the_chapters_apostrophes(manuscript):
    from pdfinspect import page_texts

    texts = page_texts(manuscript.pdf)
    heads = [text.split("\n")[0] for text in texts if "Lighthouse Keeper" in text.split("\n")[0]]
    assert heads and all("Keeper’s" in head and "Keeper's" not in head for head in heads)
