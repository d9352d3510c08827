"""The EPUB against every gate: EPUBCheck, Ace by DAISY, a real reading engine; accessibility
metadata, semantics, print page numbers, cover and fonts, checked in the real files."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import NS, ROOT, build_book, run_cli, run_epubcheck, write_book
from external import need, need_node_package
from pdfinspect import outline
from PIL import Image
from pypdf import PdfReader

BOOKS = Path(__file__).parent / "books"
ARTIFACTS = ROOT / "build" / "test-artifacts"


def metas(built, name: str) -> list[str]:
    opf = built.epub_xml("EPUB/content.opf")
    return [m.text for m in opf.iterfind(f".//opf:meta[@property='{name}']", NS)]


def test_accessibility_metadata_states_what_the_book_has(sample, fixture_books):
    assert metas(sample, "schema:accessMode") == ["textual"]
    assert metas(sample, "schema:accessModeSufficient") == ["textual"]
    features = metas(sample, "schema:accessibilityFeature")
    assert {"tableOfContents", "readingOrder", "structuralNavigation", "printPageNumbers"} <= set(features)
    assert "alternativeText" not in features  # the sample has no images
    assert metas(sample, "schema:accessibilityHazard") == ["none"]
    assert metas(sample, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    summary = metas(sample, "schema:accessibilitySummary")[0]
    assert "table of contents" in summary and "print edition" in summary
    manuscript = fixture_books["manuscript"]
    assert metas(manuscript, "schema:accessMode") == ["textual", "visual"]
    assert "alternativeText" in metas(manuscript, "schema:accessibilityFeature")
    assert "All 3 images have text descriptions" in metas(manuscript, "schema:accessibilitySummary")[0]


def test_every_document_declares_its_language(sample, fixture_books):
    for built, language in ((sample, "en"), (fixture_books["scripts"], "ru")):
        opf = built.epub_xml("EPUB/content.opf")
        assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == language
        for name in built.spine_documents():
            root = built.epub_xml(name)
            assert root.get("lang") == language
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language


def test_semantics_of_title_page_chapters_resource_list_and_landmarks(sample):
    epub_type = "{http://www.idpf.org/2007/ops}type"
    titlepage = sample.epub_xml("EPUB/titlepage.xhtml")
    assert titlepage.find(".//x:section[@{http://www.idpf.org/2007/ops}type='titlepage']", NS) is not None
    for name in sample.spine_documents()[3:-3]:
        chapter = sample.epub_xml(name)
        section = chapter.find(".//x:body/x:section", NS)
        assert section.get(epub_type) == "chapter" and section.get("role") == "doc-chapter"
        assert chapter.findtext(".//x:title", namespaces=NS) == "".join(chapter.find(".//x:h1", NS).itertext())
    back_matter = ["EPUB/glossary.xhtml", "EPUB/further-reading.xhtml", "EPUB/book-index.xhtml"]
    assert sample.spine_documents()[-3:] == back_matter
    resources = sample.epub_xml("EPUB/further-reading.xhtml").find(".//x:section", NS)
    assert resources.get(epub_type) == "bibliography" and resources.get("role") == "doc-bibliography"
    entries = resources.findall(".//x:li", NS)
    assert len(entries) == 9 and all(e.get(epub_type) == "biblioentry" for e in entries)
    nav = sample.epub_xml("EPUB/nav.xhtml")
    landmarks = nav.find(f".//x:nav[@{epub_type}='landmarks']", NS)
    kinds = [a.get(epub_type) for a in landmarks.iterfind(".//x:a", NS)]
    assert kinds == ["cover", "titlepage", "toc", "bodymatter", "glossary", "bibliography", "index"]


def test_footnotes_are_noterefs_and_footnote_asides_with_links_back(fixture_books):
    chapter = fixture_books["manuscript"].epub_xml("EPUB/the-lamp.xhtml")
    epub_type = "{http://www.idpf.org/2007/ops}type"
    calls = [a for a in chapter.iterfind(".//x:a", NS) if a.get(epub_type) == "noteref"]
    notes = [a for a in chapter.iterfind(".//x:aside", NS) if a.get(epub_type) == "footnote"]
    assert len(calls) == 2 and len(notes) == 2
    for call, note in zip(calls, notes, strict=True):
        assert call.get("role") == "doc-noteref" and note.get("role") == "doc-footnote"
        assert call.get("href") == "#" + note.get("id")
        back = note.find(".//x:a[@role='doc-backlink']", NS)
        assert back is not None and back.get("href").lstrip("#") in chapter.xpath("//@id")


def page_markers(built, name: str) -> list[str]:
    root = built.epub_xml(name)
    return [span.get("aria-label") for span in root.iterfind(".//x:span[@role='doc-pagebreak']", NS)]


def test_page_list_points_at_markers_where_the_printed_pages_begin(sample):
    nav = sample.epub_xml("EPUB/nav.xhtml")
    page_list = nav.find(".//x:nav[@{http://www.idpf.org/2007/ops}type='page-list']", NS)
    entries = [(a.text, a.get("href")) for a in page_list.iterfind(".//x:a", NS)]
    labels = PdfReader(sample.pdf).page_labels
    body_labels = [label for label in labels if label.isdigit()]
    assert [label for label, _ in entries] == body_labels  # every printed body page, in order
    for label, href in entries:
        document, anchor = href.split("#")
        marker = sample.epub_xml(f"EPUB/{document}").find(f".//x:span[@id='{anchor}']", NS)
        assert marker is not None and marker.get("aria-label") == label
        assert marker.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"
    # Each chapter's title is preceded by the marker of the page its opener is printed on
    # (and by those of any blank pages before it).
    pdf_outline = outline(sample.pdf)
    for entry, name in zip(pdf_outline[1:-3], sample.spine_documents()[3:-3], strict=True):
        section = sample.epub_xml(name).find(".//x:body/x:section", NS)
        before_title = []
        for child in section:
            if child.tag.endswith("h1"):
                break
            before_title.append(child.get("aria-label"))
        assert before_title and before_title[-1] == labels[entry.page], entry.title
    assert metas(sample, "pageBreakSource") == [
        sample.epub_xml("EPUB/content.opf").findtext(".//dc:identifier", namespaces=NS)
    ]


def test_generated_cover_is_a_1600_by_2560_jpeg_in_the_spine(sample):
    opf = sample.epub_xml("EPUB/content.opf")
    cover = opf.find(".//opf:item[@properties='cover-image']", NS)
    assert cover.get("href") == "images/cover.jpg" and cover.get("media-type") == "image/jpeg"
    image = Image.open(io.BytesIO(sample.epub_file("EPUB/images/cover.jpg")))
    assert image.size == (1600, 2560) and image.format == "JPEG"
    spine = opf.find(".//opf:spine", NS)
    first = spine.find("opf:itemref", NS)
    assert first.get("idref") == "cover" and first.get("linear") is None
    img = sample.epub_xml("EPUB/cover.xhtml").find(".//x:img", NS)
    assert img.get("alt") == "Cover: Meaning of a Second Interview"


def test_fonts_are_embedded_subset_and_typed(sample):
    opf = sample.epub_xml("EPUB/content.opf")
    fonts = [item for item in opf.iterfind(".//opf:item", NS) if item.get("href").endswith(".ttf")]
    assert fonts and all(item.get("media-type") == "font/ttf" for item in fonts)
    regular = next(item.get("href") for item in fonts if item.get("href").endswith("CharisSIL-Regular.ttf"))
    embedded = sample.epub_file(f"EPUB/{regular}")
    assert len(embedded) < (ROOT / "styles/fonts/charis-sil/CharisSIL-Regular.ttf").stat().st_size / 4


@pytest.mark.slow
def test_fonts_can_be_left_out(tmp_path):
    folder = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Plain"\nlanguage = "en"\n\n[epub]\nembed_fonts = false\n',
            "chapters/a.md": "# A\n\nText.\n",
        },
    )
    built = build_book(folder)
    assert not [name for name in built.epub_names() if name.endswith((".ttf", ".otf", ".woff2"))]
    assert "@font-face" not in built.epub_file("EPUB/styles/book.css").decode()
    assert run_epubcheck(built.epub) == []


@pytest.mark.slow
def test_missing_alt_text_is_a_warning_with_file_and_line(tmp_path):
    folder = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Pictures"\nlanguage = "en"\n',
            "chapters/a.md": "# A\n\nText.\n\n![](dot.png)\n",
        },
    )
    Image.new("RGB", (10, 10)).save(folder / "chapters" / "dot.png")
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0
    assert f"{folder / 'chapters/a.md'}:5:5: warning: image 'dot.png' has no description" in result.stderr
    epub = next((tmp_path / "out").glob("*.epub"))
    import zipfile

    opf = zipfile.ZipFile(epub).read("EPUB/content.opf").decode()
    assert "alternativeText" not in opf and "textual,visual" in opf


def test_a_real_reading_engine_opens_the_book(sample):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "epubjs-sample.png"
    script = ROOT / "tests" / "tools" / "epubjs-render.mjs"
    need_node_package("playwright-core")
    result = subprocess.run(
        [need("node"), str(script), str(sample.epub), str(screenshot), "purpose-of-a-second-interview.xhtml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CHROMIUM": need("chromium")},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["title"] == "Meaning of a Second Interview"
    assert info["language"] == "en"
    assert info["toc"][0] == "Introduction -> introduction.xhtml"
    assert info["renderedH1"] == "Purpose of a Second Interview"
    assert info["consoleErrors"] == []
    assert Image.open(screenshot).size == (600, 800)
    assert info["spine"][:3] == ["cover.xhtml", "titlepage.xhtml", "nav.xhtml"]
