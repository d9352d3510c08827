"""Books in the world's scripts, built whole: a Chinese command-line guide with Japanese and Korean
passages and emoji (tests/books/zh-guide), and a Hebrew book with a chapter in Arabic
(tests/books/hebrew). Every character is drawn by a font Octavo chose for it, never by whatever the
machine has, lines and pages run the way the script reads, and the EPUB carries the same fonts."""

from __future__ import annotations

import re
import subprocess
from collections import Counter

import pdfplumber
import pytest
from conftest import NS, Built
from external import need

from octavo.style.scriptfonts import missing_font_packages

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(missing_font_packages()), reason="tools/system-deps build installs the fonts"),
]

THEME_FONTS = {"Charis-SIL", "Noto-Sans-Mono"}


@pytest.fixture(scope="module")
def zh_guide(fixture_books) -> Built:
    return fixture_books["zh-guide"]


@pytest.fixture(scope="module")
def hebrew(fixture_books) -> Built:
    return fixture_books["hebrew"]


def family(font_name: str) -> str:
    """ "ABCDEF+Noto-Serif-CJK-SC-Bold" -> "Noto-Serif-CJK-SC": no subset tag, no style."""
    return re.sub(r"(-(Bold|Italic|Oblique|Small-Caps|Semi-Condensed))+$", "", font_name.split("+", 1)[-1])


def pdf_fonts(built: Built) -> set[str]:
    """Each embedded font's family."""
    report = subprocess.run([need("pdffonts"), str(built.pdf)], capture_output=True, text=True, check=True).stdout
    return {family(line.split()[0]) for line in report.splitlines()[2:]}


def shows(page, words: str) -> bool:
    """Whether a page has these words, in logical or (as a right-to-left line is extracted) visual order."""
    text = page.extract_text() or ""
    return words in text or words[::-1] in text


def fonts_drawing(built: Built, characters: str) -> Counter:
    """Which fonts draw these characters wherever the PDF prints them."""
    found: Counter = Counter()
    with pdfplumber.open(built.pdf) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                if char["text"] in characters:
                    found[family(char["fontname"])] += 1
    return found


def test_every_character_is_drawn_by_a_font_octavo_chose_and_no_text_leaves_the_page(zh_guide, hebrew):
    expected = {
        "zh_guide": {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-JP", "Noto-Serif-CJK-KR", "Noto-Sans-Mono-CJK-SC", "Symbola"},
        "hebrew": {"Noto-Serif-Hebrew", "Noto-Naskh-Arabic", "Noto-Sans-Arabic"},
    }
    for name, built in (("zh_guide", zh_guide), ("hebrew", hebrew)):
        fonts = pdf_fonts(built)
        # No DejaVu, Liberation or other font of the machine's: only the theme's and the script fonts.
        assert fonts <= THEME_FONTS | expected[name], (name, fonts)
        assert expected[name] - {"Noto-Sans-Arabic"} <= fonts, (name, fonts)
        with pdfplumber.open(built.pdf) as pdf:
            for page in pdf.pages:
                for char in page.chars:
                    assert char["x0"] >= 0 and char["x1"] <= page.width, (name, page.page_number, char["text"])


def test_han_characters_take_the_face_of_their_language(zh_guide):
    chinese = fonts_drawing(zh_guide, "这是一份写给新手的命令行指南")
    assert set(chinese) == {"Noto-Serif-CJK-SC", "Noto-Sans-Mono-CJK-SC"}  # the text, and comments in code
    japanese = fonts_drawing(zh_guide, "の読へすべてま")  # kana and a Japanese form of the Japanese passage
    assert set(japanese) == {"Noto-Serif-CJK-JP"}
    assert set(fonts_drawing(zh_guide, "한국어독자")) == {"Noto-Serif-CJK-KR"}
    assert set(fonts_drawing(zh_guide, "🌍")) == {"Symbola"}  # emoji in outline, for print


def test_chinese_reads_without_stray_spaces_and_lines_end_flush(zh_guide):
    with pdfplumber.open(zh_guide.pdf) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
        # The source breaks these sentences across lines; the PDF runs them together.
        assert "它不追求面面俱到，只介绍每天都会用到的那一小部分命令" in text.replace("\n", "")
        assert "面面俱到， 只" not in text and "命令， 以及" not in text
        # The text block is a whole number of characters wide: a full line of Chinese ends at its edge,
        # or one character short where the next would have started a line with closing punctuation.
        flush = lines = 0
        for page in pdf.pages:
            chinese = [
                line
                for line in page.extract_text_lines()
                if re.fullmatch(r"[\u4e00-\u9fff，。、：]{20,}", line["text"])
            ]
            if len(chinese) < 2:
                continue
            edge = max(line["x1"] for line in chinese)
            full = [line for line in chinese if edge - line["x1"] < 11]  # the rest end their paragraphs
            lines += len(full)
            flush += sum(1 for line in full if edge - line["x1"] < 0.5)
            # Indented or not, every line starts on the grid of whole characters.
            start = min(line["x0"] for line in chinese)
            assert all((line["x0"] - start + 0.5) % 10.5 < 1 for line in chinese), [line["x0"] for line in chinese]
        assert lines >= 5 and flush >= 0.6 * lines, (flush, lines)
        page = next(p for p in pdf.pages if "打开终端之后" in (p.extract_text() or ""))
        # No line opens with closing punctuation.
        assert not [line for line in page.extract_text_lines() if line["text"][:1] in "，。、：；？！）」"]


def test_a_footnote_in_a_chapter_with_a_chinese_id_is_printed(zh_guide):
    with pdfplumber.open(zh_guide.pdf) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "它比更早的" in text and "命令功能更多" in text


def test_the_epub_carries_the_script_fonts_cut_down_to_the_book(zh_guide, hebrew):
    for built, wanted in (
        (zh_guide, {"NotoSerifCJK-Regular-2.otf", "NotoSerifCJK-Regular-0.otf", "NotoSerifCJK-Regular-1.otf"}),
        (hebrew, {"NotoSerifHebrew-Regular.ttf", "NotoNaskhArabic-Regular.ttf"}),
    ):
        names = {name.rsplit("/", 1)[-1]: name for name in built.epub_names() if "/fonts/scripts/" in name}
        assert wanted <= set(names), names
        css = built.epub_file("EPUB/styles/book.css").decode()
        assert all(f'url("fonts/scripts/{name}")' in css for name in wanted)
        sizes = [len(built.epub_file(name)) for name in names.values()]
        assert max(sizes) < 400_000  # a CJK font has 65,000 glyphs; the book needs a few hundred


def test_a_right_to_left_book_runs_right_to_left(hebrew):
    opf = hebrew.epub_xml("EPUB/content.opf")
    assert opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    chapter = hebrew.epub_xml("EPUB/chapter-1.xhtml")
    assert (chapter.get("dir"), chapter.get("lang")) == ("rtl", "he")
    with pdfplumber.open(hebrew.pdf) as pdf:
        opener = next(p for p in pdf.pages if shows(p, "פתיחה") and shows(p, "הדרך הישירה"))
        title = [c for c in opener.chars if c["size"] > 15]
        # The chapter title stands at the right margin, where a Hebrew line starts.
        assert min(c["x0"] for c in title) > opener.width / 2
        # Running heads trade places: the book title over the right-hand page, the chapter's over the left.
        heads: dict[str, set[str]] = {"left": set(), "right": set()}
        for page in pdf.pages:
            words = page.crop((0, 0, page.width, 60)).extract_words()
            folio = [w for w in words if w["text"].isdigit()]
            if folio:  # the folio stands at the outer edge: which side of the spread the page is on
                side = "left" if folio[0]["x0"] < page.width / 2 else "right"
                heads[side].add(" ".join(w["text"] for w in words if not w["text"].isdigit()))
        assert heads["left"] and heads["right"], heads
        # In a right-to-left book the right-hand page is the verso: the book's title; the recto, the chapter's.
        assert all("מדריך לשורת הפקודה" in "".join(reversed(head)) or "מדריך" in head for head in heads["right"]), heads
        assert not any("מדריך" in head for head in heads["left"]), heads
