"""Pages without holes, on the corpus of manuscripts in tests/books: no body page stops above 60% of
its text block unless its chapter ends there or the next page opens with a block taller than the
space that was left; a figure that does not fit lets the text after it fill the page."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import FIXTURE_BOOKS
from pagefill import holes
from pdfinspect import outline

pytestmark = pytest.mark.slow


def first_chapter_page(pdf) -> int:
    """The physical page (1-based) of the first chapter (the outline's entry after the contents'):
    front matter is sparse by design."""
    entries = outline(pdf)
    return entries[1].page + 1 if len(entries) > 1 else 1


@pytest.mark.parametrize("name", ["sample", *FIXTURE_BOOKS])
def test_no_page_stops_above_60_percent_without_a_reason(name, sample, fixture_books):
    built = sample if name == "sample" else fixture_books[name]
    assert holes(built.pdf, first_chapter_page(built.pdf)) == []


def test_a_figure_too_tall_for_the_page_lets_the_text_after_it_go_first(fixture_books):
    built = fixture_books["js-notebook"]
    with pdfplumber.open(built.pdf) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    opener = next(i for i, text in enumerate(texts) if "Objects and Prototypes" in text and "An object is" in text)
    # The section after the figure starts on the chapter's first page, where the figure did not fit.
    assert "Classes" in texts[opener]
    # The EPUB keeps the author's order: the figure before the section.
    chapter = built.epub_file("EPUB/objects-and-prototypes.xhtml").decode()
    assert chapter.index("prototype") < chapter.index("Classes")


def test_the_measure_finds_a_page_left_empty_before_text_that_would_have_fit(tmp_path):
    from weasyprint import HTML

    words = " ".join(["Words that fill a line of the page and then some more."] * 8)
    paragraphs = "".join(f"<p>{words}</p>" for _ in range(6))
    html = f"<h1 style='font-size: 20pt'>Opening</h1>{paragraphs}<p style='break-before: page'>Short.</p>{paragraphs}"
    html += "<h1 style='font-size: 20pt; break-before: page'>Next</h1><p>End.</p>"
    pdf = tmp_path / "holes.pdf"
    page = "<style>@page { size: A5; margin: 2cm }</style><p>Title</p>"
    HTML(string=f"{page}<div style='break-before: page'>{html}</div>").write_pdf(pdf)
    assert holes(pdf, 2), "a forced break left a page mostly empty before text that would have fit"
