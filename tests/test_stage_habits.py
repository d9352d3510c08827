"""Manuscripts as their authors keep them, in-process: the book's title at the top of every file, a
README whose `##` headings are its chapters, files that continue the chapter before them."""

from __future__ import annotations

import pytest
from conftest import read_book
from lxml import html as lxml_html

TITLE = '[book]\ntitle = "The Field Guide: Notes on Birds"\nlanguage = "en"\n'


def chapters_of(tmp_path, files: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(title, section titles) of each chapter the book has."""
    book = read_book(tmp_path, {"book.toml": TITLE, **files})
    return [(chapter.title, [section.title for section in chapter.sections]) for chapter in book.chapters]


def test_the_books_title_at_the_top_of_every_file_makes_no_chapter(tmp_path):
    files = {
        "chapters/01.md": "# The Field Guide: Notes on Birds\n\n# Herons\n\nTall birds.\n",
        "chapters/02.md": "# the field guide — notes on birds\n\n# Owls\n\nQuiet birds.\n",  # loosely the same
        "chapters/03.md": "# THE FIELD GUIDE: NOTES ON BIRDS\n\n# Wrens\n\n## Song\n\nLoud for their size.\n",
    }
    assert chapters_of(tmp_path, files) == [("Herons", []), ("Owls", []), ("Wrens", ["Song"])]


def test_a_readme_whose_title_is_the_books_has_its_second_level_headings_as_chapters(tmp_path):
    readme = (
        "# The Field Guide: Notes on Birds\n\nA guide to the birds of the garden.\n\n"
        "## Herons\n\nTall.\n\n### Grey herons\n\nGrey.\n\n## Owls\n\nQuiet.\n"
    )
    book = read_book(tmp_path, {"book.toml": TITLE, "chapters/README.md": readme})
    assert [(c.title, [s.title for s in c.sections]) for c in book.chapters] == [
        ("Introduction", []),
        ("Herons", ["Grey herons"]),
        ("Owls", []),
    ]
    assert "A guide to the birds of the garden." in book.chapters[0].html
    assert "<h1" in book.chapters[1].html and "<h2" in book.chapters[1].html and "<h3" not in book.chapters[1].html


def test_a_file_that_opens_with_a_second_level_heading_continues_the_chapter_before_it(tmp_path):
    files = {
        "chapters/01-birds.md": "# Birds\n\nAn overview.[^a]\n\n[^a]: The first note.\n",
        "chapters/02-herons.md": "## Herons\n\nTall.[^b] See [owls](03-owls.md#owls).\n\n[^b]: A note on herons.\n",
        "chapters/03-owls.md": "## Owls\n\nQuiet. Back to [herons](02-herons.md).\n",
        "chapters/04-fish.md": "# Fish\n\nWet.\n",
    }
    book = read_book(tmp_path, {"book.toml": TITLE, **files})
    assert [(c.title, [s.title for s in c.sections]) for c in book.chapters] == [
        ("Birds", ["Herons", "Owls"]),
        ("Fish", []),
    ]
    birds = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    assert birds.xpath("//h2/text()") == ["Herons", "Owls"]
    assert birds.xpath("//a[text()='owls']/@href") == ["#owls"]
    assert birds.xpath("//a[text()='herons']/@href") == ["#herons"]  # a link to the file: where it starts
    notes = birds.xpath("//section[@class='footnotes']//li")
    assert [n.xpath("p/text()")[0].strip() for n in notes] == ["The first note.", "A note on herons."]
    assert len({n.get("id") for n in notes}) == 2  # ids stay unique in the merged chapter
    assert {"herons", "owls"} <= set(book.chapters[0].anchors)
    assert book.chapters[1].number == 2


def test_a_handle_in_link_brackets_is_a_link_not_a_citation(tmp_path):
    text = "# A\n\nBy [@karl](https://example.org/karl) and [@ada][ada]; cite [@nobody] as text.\n\n[ada]: https://example.org/ada\n"
    html = read_book(tmp_path, {"chapters/a.md": text}).chapters[0].html  # no resources.toml: nothing to cite
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    assert root.xpath("//a/@href") == ["https://example.org/karl", "https://example.org/ada"]
    assert root.xpath("//a/text()") == ["@karl", "@ada"] and "[@nobody]" in root.xpath("string()")


def test_raw_html_anchors_and_githubs_user_content_links_are_targets(tmp_path):
    files = {
        "chapters/01.md": '# One\n\n<a name="setup"></a>\nSetup text. <span id="detail">Detail.</span>\n\n## Setup\n',
        "chapters/02.md": "# Two\n\n[setup](01.md#setup), [detail](01.md#detail), [it](01.md#user-content-detail).\n",
    }
    book = read_book(tmp_path, files)
    one = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    assert not one.xpath("//a[@name]")  # an EPUB may not use `name`
    assert one.xpath("//h2/@id") == ["setup"] and one.xpath("//a[not(@href)]/@id")[0].startswith("setup-")
    two = lxml_html.fragment_fromstring(book.chapters[1].html, create_parent="div")
    assert two.xpath("//a/@href") == ["#setup", "#detail", "#detail"]  # the heading and the raw anchor: one place
    assert {"setup", "detail"} <= set(book.chapters[0].anchors)


def test_each_broken_link_is_reported_at_its_own_line(tmp_path):
    import pytest

    from octavo.errors import BookError

    text = "# A\n\nFirst [gone](#nowhere).\n\nSecond [gone again](#nowhere).\n\n![](x.png) and ![](x.png)\n"
    with pytest.raises(BookError) as raised:
        read_book(tmp_path, {"chapters/a.md": text})
    lines = sorted((p.line, p.message.split(":")[0][:30]) for p in raised.value.problems)
    assert [line for line, _ in lines] == [3, 5, 7, 7]
    columns = sorted(p.column for p in raised.value.problems if p.line == 7)
    assert columns[0] < columns[1]


def test_a_link_to_a_file_that_is_no_chapter_is_a_warning_and_keeps_its_text(tmp_path):
    files = {
        "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\nchapters = ["chapters/01.md"]\n',
        "chapters/01.md": "# One\n\nRead [the guide](../CONTRIBUTING.md) or [in French](fr/01.md).\n",
        "CONTRIBUTING.md": "# Contributing\n",
        "chapters/fr/01.md": "# Un\n",
    }
    book = read_book(tmp_path / "plain", files)
    root = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    assert not root.xpath("//a") and root.xpath("string(//p)") == "Read the guide or in French."
    assert [(w.line, w.message.split(":")[0]) for w in book.warnings] == [
        (3, "'../CONTRIBUTING.md' is not a chapter of this book"),
        (3, "'fr/01.md' is not a chapter of this book"),
    ]
    files["book.toml"] += 'repository = "https://github.com/me/book/blob/main"\n'
    book = read_book(tmp_path / "linked", files)
    root = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    assert root.xpath("//a/@href") == [
        "https://github.com/me/book/blob/main/CONTRIBUTING.md",
        "https://github.com/me/book/blob/main/chapters/fr/01.md",
    ]


def test_a_cover_that_stores_would_show_badly_is_a_warning(tmp_path):
    from PIL import Image

    def cover(size: tuple[int, int]) -> bytes:
        path = tmp_path / f"{size[0]}x{size[1]}.png"
        Image.new("RGB", size, (20, 40, 70)).save(path)
        return path.read_bytes()

    def warnings(size: tuple[int, int]) -> list[str]:
        book = read_book(tmp_path / f"book-{size[0]}", {"chapters/a.md": "# A\n", "cover.png": cover(size)})
        return [w.message for w in book.warnings]

    assert warnings((1200, 800)) == ["the cover is 1200 x 800 pixels, not upright"]
    assert warnings((600, 900)) == ["the cover is 600 pixels wide, and will look soft on a tablet"]
    assert warnings((1600, 2400)) == []


def test_a_book_of_one_chapter_named_as_the_book_keeps_it(tmp_path):
    files = {"chapters/a.md": "# The Field Guide: Notes on Birds\n\nAll the birds in one chapter.\n"}
    assert chapters_of(tmp_path, files) == [("The Field Guide: Notes on Birds", [])]


def test_a_character_no_font_of_the_book_has_is_a_warning_at_its_line(tmp_path):
    # Linear A and Adlam: no font of the theme, nor of the script fonts, has them. A snowman and
    # Chinese have script fonts (see test_stage_scriptfonts.py).
    text = "# A\n\nPlain words.\n\nA snowman ☃, 中文, \U00010600 and \U0001e900 here, $\\sum$ drawn, a note.[^n]\n"
    text += "\n[^n]: Noted.\n"
    book = read_book(tmp_path, {"chapters/a.md": text})
    (warning,) = book.warnings
    assert warning.message.startswith("no font of the book has \U00010600 (U+10600), \U0001e900 (U+1E900):")
    assert (warning.line, warning.column) == (5, 18)
    assert "∑" not in warning.message and "↩" not in warning.message  # drawn formulas; screen-only links
    assert "☃" not in warning.message and "中" not in warning.message


def test_a_line_break_between_chinese_or_japanese_characters_prints_no_space(tmp_path):
    text = "# A\n\n中文的句子\n继续写。日本語の文\nも続く。\n\n한국어 문장\n계속.\n\nLatin\nwords.\n\n"
    text += "```\n代码\n代码\n```\n\n用 `ls`，\n再用 `cd`\n进入目录。\n"
    root = lxml_html.fragment_fromstring(
        read_book(tmp_path, {"chapters/a.md": text}).chapters[0].html, create_parent="div"
    )
    paragraphs = [p.text_content() for p in root.iter("p")]
    assert paragraphs[:3] == ["中文的句子继续写。日本語の文も続く。", "한국어 문장\n계속.", "Latin\nwords."]
    assert paragraphs[3] == "用 ls，再用 cd\n进入目录。"  # after inline code too; "cd" and "进" are not both wide
    assert root.xpath("string(//pre)") == "代码\n代码\n"


def test_a_language_octavo_has_no_words_in_is_a_warning(tmp_path):
    book = read_book(tmp_path / "sw", {"chapters/a.md": "# A\n\nManeno.\n"}, language="sw")
    (warning,) = book.warnings
    assert "no words in 'sw'" in warning.message and warning.file.name == "book.toml" and warning.line == 3
    assert read_book(tmp_path / "pt", {"chapters/a.md": "# A\n\nPalavras.\n"}, language="pt-BR").warnings == []


@pytest.mark.slow
def test_a_right_to_left_book_says_so_in_every_output(tmp_path):
    import zipfile

    from conftest import build_book, write_book
    from lxml import etree

    folder = write_book(
        tmp_path / "book",
        {"book.toml": '[book]\ntitle = "ספר"\nlanguage = "he"\n', "chapters/a.md": "# פרק\n\nמילים.\n"},
    )
    built = build_book(folder, tmp_path / "out")
    with zipfile.ZipFile(built.epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        chapter = etree.fromstring(archive.read("EPUB/chapter-1.xhtml"))
    spine = opf.find("{http://www.idpf.org/2007/opf}spine")
    assert spine.get("page-progression-direction") == "rtl" and chapter.get("dir") == "rtl"
    assert 'dir="rtl"' in (built.out / "html" / "chapter-1.html").read_text()


def test_chinese_and_japanese_labels_place_their_numbers_themselves(tmp_path):
    text = "# 始め\n\n| a |\n|---|\n| 1 |\n\nTable: 価格 {#tbl-p}\n\n[](#tbl-p)と[](01.md)。\n"
    book = read_book(tmp_path, {"chapters/01.md": text}, language="ja")
    root = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    assert root.xpath("string(//caption)") == "表1. 価格"
    assert [a.text for a in root.xpath("//a[contains(@class, 'xref')]")] == ["表1", "第1章"]
    assert read_book(tmp_path / "en", {"chapters/01.md": text}).chapters[0].html.count("table 1") == 1


def test_the_print_chapter_label_uses_the_languages_own_order(tmp_path):
    from octavo.formats.templating import make_environment
    from octavo.labels import labels_for

    template = make_environment(tmp_path).from_string("{{ labels.chapter | numbered(3) }}")
    assert template.render(labels=labels_for("zh")) == "第3章"
    assert template.render(labels=labels_for("en")) == "Chapter 3"
