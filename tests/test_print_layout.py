"""The PDF as a book from a good publisher: front matter, folios, running heads, openers, footnotes,
page geometry, fonts, variants. Checked on the real pages with pypdf, pdfplumber and poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from conftest import build_book, write_book
from external import need
from pdfinspect import outline, page_texts
from pypdf import PdfReader

BOOKS = Path(__file__).parent / "books"
POINTS = {"in": 72.0, "mm": 72 / 25.4}


def top_text(page) -> str:
    return page.crop((0, 0, page.width, page.height * 0.075)).extract_text() or ""


def bottom_text(page) -> str:
    return page.crop((0, page.height * 0.92, page.width, page.height)).extract_text() or ""


@pytest.fixture(scope="module")
def long_book(tmp_path_factory):
    """Long chapters: running heads, a table over two pages, long code lines, a very tall image."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("long-book")
    rows = "\n".join(f"| Row {n} | {n * n} | {'word ' * 3} |" for n in range(1, 71))
    prose = "\n\n".join(
        f"Paragraph {n} of a long chapter, long enough to make several pages of text and to be hyphenated "
        "when justified, with characteristically extraordinary vocabulary."
        for n in range(1, 40)
    )
    write_book(
        folder,
        {
            "book.toml": """
                [book]
                title = "Long Book"
                language = "en"

                [pdf]
                page_size = "trade"
                number_chapters = true

                [toc]
                depth = 1
            """,
            "chapters/01.md": f"# First Long Chapter\n\n{prose}\n\n## A Section\n\n{prose}\n",
            "chapters/02.md": "# Tables and Code\n\n| Name | Square | Words |\n|---|---|---|\n"
            + rows
            + "\n\n```\n"
            + "x = '"
            + "a-very-long-token-" * 12
            + "'\n```\n\n![A tall figure](tall.png)\n",
        },
    )
    Image.new("RGB", (200, 2400), (90, 120, 150)).save(folder / "chapters" / "tall.png")
    return build_book(folder, tmp_path_factory.mktemp("long-out"))


def test_front_matter_is_roman_and_the_body_starts_at_arabic_1(sample):
    reader = PdfReader(sample.pdf)
    labels = reader.page_labels
    first_chapter = outline(sample.pdf)[1].page
    assert labels[:first_chapter] == ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"][:first_chapter]
    assert labels[first_chapter] == "1"
    assert labels[first_chapter + 1] == "2"


def test_half_title_title_page_copyright_then_contents(sample):
    with pdfplumber.open(sample.pdf) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages[:5]]
    assert texts[0].strip() == "Meaning of a Second Interview"  # the half-title, no folio
    assert texts[1].strip() == ""  # its blank verso
    assert texts[2].strip() == "Meaning of a Second Interview"  # the title page
    assert "urn:uuid:" in texts[3]  # the copyright page names the edition
    assert texts[4].startswith("Contents")
    assert bottom_text(pdfplumber.open(sample.pdf).pages[4]).strip() == "v"  # contents show a roman folio


def test_every_folio_equals_its_page_label(sample, long_book):
    for built in (sample, long_book):
        labels = PdfReader(built.pdf).page_labels
        with pdfplumber.open(built.pdf) as pdf:
            checked = 0
            for index, page in enumerate(pdf.pages):
                numbers = re.findall(
                    r"^\s*([0-9]+|[ivxlc]+)\b|\b([0-9]+|[ivxlc]+)\s*$", top_text(page) + "\n" + bottom_text(page)
                )
                printed = [a or b for a, b in numbers]
                if printed:
                    assert labels[index] in printed, (index, printed, labels[index])
                    checked += 1
            assert checked >= len(pdf.pages) // 2


def test_chapters_open_on_right_hand_pages_and_blank_pages_stay_blank(sample):
    entries = outline(sample.pdf)
    assert all(entry.page % 2 == 0 for entry in entries), [(e.title, e.page) for e in entries]
    with pdfplumber.open(sample.pdf) as pdf:
        openers = {entry.page for entry in entries}
        for index, page in enumerate(pdf.pages):
            text = (page.extract_text() or "").strip()
            if index + 1 in openers and index % 2 == 1 and not page.chars:
                assert text == ""  # a blank verso before an opener: no head, no folio
        assert sum(1 for page in pdf.pages if not page.chars) >= 3


@pytest.mark.slow
def test_recto_chapters_can_be_turned_off(tmp_path):
    folder = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Runs On"\nlanguage = "en"\n\n[pdf]\nrecto_chapters = false\n',
            "chapters/a.md": "# One\n\nShort.\n\n# Two\n\nShort.\n\n# Three\n\nShort.\n",
        },
    )
    built = build_book(folder)
    pages = [entry.page for entry in outline(built.pdf)[1:]]
    assert pages == list(range(pages[0], pages[0] + 3))  # one page each, no blank pages between
    assert any(page % 2 == 1 for page in pages)


@pytest.mark.slow
def test_running_heads_show_book_title_left_and_chapter_title_right(long_book):
    entries = outline(long_book.pdf)
    chapter_at = {}
    for entry in entries[1:]:
        chapter_at[entry.page] = entry.title
    with pdfplumber.open(long_book.pdf) as pdf:
        current = None
        seen_left = seen_right = 0
        for index, page in enumerate(pdf.pages):
            if index in chapter_at:
                current = chapter_at[index]
                assert current not in top_text(page)  # openers carry no running head
                continue
            if current is None or not page.chars:
                continue
            head = top_text(page)
            if index % 2 == 1:  # a left-hand page
                assert "Long Book" in head, (index, head)
                seen_left += 1
            else:
                assert current in head, (index, head)
                seen_right += 1
        assert seen_left and seen_right


@pytest.mark.slow
def test_folios_sit_at_the_outer_edge(long_book):
    with pdfplumber.open(long_book.pdf) as pdf:
        for index, page in enumerate(pdf.pages):
            band = page.crop((0, 0, page.width, page.height * 0.075))
            digits = [w for w in band.extract_words() if w["text"].isdigit()]
            for word in digits:
                if index % 2 == 1:
                    assert word["x1"] < page.width / 3, index
                else:
                    assert word["x0"] > page.width * 2 / 3, index


def test_page_size_preset_and_mirrored_margins(long_book):
    reader = PdfReader(long_book.pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (432, 648)  # trade: 6 x 9 in
    with pdfplumber.open(long_book.pdf) as pdf:
        first = outline(long_book.pdf)[1].page
        right, left = pdf.pages[first + 2], pdf.pages[first + 1]
        right_x0 = min(c["x0"] for c in right.chars if c["top"] > right.height * 0.1)
        left_x0 = min(c["x0"] for c in left.chars if c["top"] > left.height * 0.1)
    assert right_x0 > left_x0 + 10  # the gutter is on the inside of each page


@pytest.mark.slow
def test_bleed_grows_the_media_box_around_the_trim_box(tmp_path):
    folder = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Bleeds"\nlanguage = "en"\n\n'
            '[pdf]\npage_size = "6in 9in"\nbleed = "0.125in"\n',
            "chapters/a.md": "# One\n\nText.\n",
        },
    )
    page = PdfReader(build_book(folder).pdf).pages[0]
    assert (round(float(page.trimbox.width)), round(float(page.trimbox.height))) == (432, 648)
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (450, 666)


def test_contents_have_dot_leaders_and_links(sample):
    entries = outline(sample.pdf)
    contents = entries[0].page
    with pdfplumber.open(sample.pdf) as pdf:
        text = pdf.pages[contents].extract_text()
        links = [a for a in pdf.pages[contents].annots if a.get("uri") is None]
    assert re.search(r"Introduction( ?\.){5,}\s*1$", text, re.MULTILINE), text
    assert len(links) >= 15


def test_contents_depth_is_configurable(long_book):
    with pdfplumber.open(long_book.pdf) as pdf:
        contents = outline(long_book.pdf)[0].page
        text = pdf.pages[contents].extract_text()
    assert "First Long Chapter" in text and "A Section" not in text


def test_numbered_chapters_show_their_number(long_book):
    with pdfplumber.open(long_book.pdf) as pdf:
        entries = outline(long_book.pdf)
        assert "Chapter 2" in pdf.pages[entries[2].page].extract_text()


def test_footnote_text_is_printed_and_numbered_per_chapter(manuscript):
    texts = page_texts(manuscript.pdf)
    assert any("A wick that is too long smokes the glass." in text for text in texts)
    log_page = next(text for text in texts if "Iron gall ink" in text)
    assert re.search(r"^1\. ?Iron gall ink", log_page, re.MULTILINE)  # numbered per chapter


def test_a_footnote_sits_at_the_foot_of_the_page_that_calls_it(manuscript):
    """Below every line of the text on the page of its call, in smaller type. (Whether the note's
    text is printed at all is the test above: this one says where it sits.)"""
    with pdfplumber.open(manuscript.pdf) as pdf:
        page = next(p for p in pdf.pages if "The lamp is the heart of the station" in (p.extract_text() or ""))
        lines = page.extract_text_lines()
        note = [line for line in lines if "smokes the glass" in line["text"]]
        assert note, "the note is not on the page of its call"
        body = [line for line in lines if line["top"] < note[0]["top"] and "wick" not in line["text"]]
        call = next(line for line in lines if "heart of the station" in line["text"])
        assert call["top"] < note[0]["top"]
        below = [line for line in lines if line["top"] > note[0]["bottom"]]
        # below it only the page's other notes and its folio: the text of the page stands above
        assert all(re.match(r"\d+\. |[\divxlc]+$", line["text"].strip()) for line in below), below
        sizes = {round(char["size"], 1) for char in page.chars if char["top"] >= note[0]["top"] - 1}
        body_size = max(round(char["size"], 1) for char in page.chars if call["top"] <= char["top"] < call["bottom"])
        assert body and max(sizes) < body_size  # the note's type is smaller than the text's


@pytest.mark.slow
def test_tables_that_split_repeat_their_header(long_book):
    with pdfplumber.open(long_book.pdf) as pdf:
        pages = [p for p in pdf.pages if "Row " in (p.extract_text() or "")]
    assert len(pages) >= 2
    for page in pages:
        assert "Name Square Words" in page.extract_text()


@pytest.mark.slow
def test_nothing_leaves_the_text_area(long_book):
    reader = PdfReader(long_book.pdf)
    with pdfplumber.open(long_book.pdf) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                assert char["x0"] > 0.4 * 72 and char["x1"] < page.width - 0.4 * 72, char["text"]
            for image in page.images:
                assert image["top"] >= 0 and image["bottom"] <= page.height
    assert any(page.images for page in reader.pages)


@pytest.mark.slow
def test_text_is_hyphenated_in_the_books_language(long_book):
    with pdfplumber.open(long_book.pdf) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert re.search(r"[a-z]-\n[a-z]", text)


def test_outline_reaches_resource_entries_and_faq_questions(sample):
    entries = outline(sample.pdf)
    resources = entries[-2]  # before the index
    assert resources.title == "Additional Resources"
    assert len(resources.children) == 9
    assert resources.children[0].title.startswith("Decoding the Second Interview")


def test_every_font_is_embedded_and_shipped_with_octavo(sample):
    report = subprocess.run([need("pdffonts"), str(sample.pdf)], capture_output=True, text=True, check=True).stdout
    rows = report.splitlines()[2:]
    assert rows
    for row in rows:
        assert " yes yes " in row, row  # embedded, subset
        assert "Charis-SIL" in row or "NotoSansMono" in row, row


def test_keywords_and_creation_date(sample):
    info = PdfReader(sample.pdf).metadata
    assert info["/Keywords"] == "Job interviews, Employment interviewing, Career development"
    assert info["/CreationDate"].startswith("D:")


@pytest.mark.slow
@pytest.mark.parametrize(("variant", "check"), [("pdf/ua-1", "tagged"), ("pdf/a-3b", "pdfa")])
def test_pdf_variants(variant, check, tmp_path):
    from conftest import SAMPLE, run_cli

    out = tmp_path / "out"
    result = run_cli(str(SAMPLE), "--out", str(out), "--format", "pdf", "--pdf-variant", variant)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(next(out.glob("*.pdf")))
    root = reader.trailer["/Root"]
    if check == "tagged":
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
    else:
        xmp = root["/Metadata"].get_object().get_data().decode()
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp


def test_unknown_page_size_is_an_error(tmp_path):
    from conftest import run_cli

    folder = write_book(
        tmp_path / "book",
        {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n\n[pdf]\npage_size = "a7"\n', "chapters/a.md": "# A\n"},
    )
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "book.toml:6:13: error: unknown page_size 'a7'" in result.stderr
    assert '\n    page_size = "a7"\n                ^\n' in result.stderr  # the line, the value marked
    assert "a4, a5, letter, trade, digest" in result.stderr


def test_pdf_variant_list_is_weasyprints():
    """The command line lists the variants without loading WeasyPrint; they must be its own."""
    from weasyprint.pdf import VARIANTS

    from octavo.read.config import pdf_variants

    assert sorted(pdf_variants()) == sorted(name for name in VARIANTS if not name.startswith("debug"))


@pytest.mark.slow
def test_a_long_code_block_starts_where_the_text_ends_and_a_short_one_stays_whole(tmp_path):
    para = "Words of a paragraph that fills the page with ordinary prose, line after line. " * 6
    long_code = "\n".join(f"line_{i} = compute({i})  # step {i}" for i in range(25))
    short_code = "\n".join(f"short_{i} = {i}" for i in range(6))
    text = f"# A\n\n{para}\n\n{para}\n\n```python\n{long_code}\n```\n\n{para}\n\n{para}\n\n{para}\n\n"
    text += f"```python\n{short_code}\n```\n\n{para}\n"
    folder = write_book(
        tmp_path / "book", {"book.toml": '[book]\ntitle = "Holes"\nlanguage = "en"\n', "chapters/a.md": text}
    )
    built = build_book(folder, tmp_path / "out")
    with pdfplumber.open(built.pdf) as pdf:
        pages = [(page, page.extract_text()) for page in pdf.pages]
        start = next(page for page, text in pages if "line_0 " in text)
        body = [c for c in start.chars if c["size"] >= 8.8]  # not the folio
        assert "Words of a paragraph" in start.extract_text()  # no hole before the code: it starts here
        assert max(c["bottom"] for c in body) / start.height > 0.8
        assert "line_24" not in start.extract_text()  # and goes on overleaf
        short = [text for _, text in pages if "short_" in text]
        assert len(short) == 1 and all(f"short_{i} " in short[0] for i in range(6))  # six lines stay together
