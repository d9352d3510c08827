"""Reading, in-process on tiny books: Markdown to chapter HTML, chapters split at top headings,
ids and anchors unique across the book, footnotes, figures and front matter."""

from __future__ import annotations

import pytest
from conftest import read_book
from lxml import html as lxml_html

from octavo.errors import BookError
from octavo.slugs import UniqueNames, anchor_slug, ascii_slug


def fragment(chapter_html: str):
    return lxml_html.fragment_fromstring(chapter_html, create_parent="div")


def test_one_file_with_two_top_headings_makes_two_chapters_in_reading_order(tmp_path):
    book = read_book(tmp_path, {"chapters/a.md": "# One\n\nFirst.\n\n# Two\n\nSecond.\n", "chapters/b.md": "# Three\n"})
    assert [(c.number, c.title, c.id) for c in book.chapters] == [
        (1, "One", "one"),
        (2, "Two", "two"),
        (3, "Three", "three"),
    ]
    assert "Second." in book.chapters[1].html and "First." not in book.chapters[1].html
    assert all(c.source.name == "a.md" for c in book.chapters[:2])


def test_sections_nest_under_their_chapter(tmp_path):
    book = read_book(tmp_path, {"chapters/a.md": "# Guide\n\n## Install\n\n### On Linux\n\n## Use\n"})
    sections = book.chapters[0].sections
    assert [(s.level, s.title) for s in sections] == [(2, "Install"), (2, "Use")]
    assert [(s.level, s.title, s.id) for s in sections[0].children] == [(3, "On Linux", "on-linux")]


def test_repeated_headings_get_github_suffixes_in_a_file_and_book_wide_suffixes_across_files(tmp_path):
    book = read_book(
        tmp_path,
        {
            "chapters/a.md": "# Start\n\n## Setup\n\nOne.\n\n## Setup\n\nTwo.\n",
            "chapters/b.md": "# Start\n\n## Setup\n",
        },
    )
    first, second = book.chapters
    assert [s.id for s in first.sections] == ["setup", "setup-1"]  # as GitHub names them in one file
    assert second.id == "start-2" and [s.id for s in second.sections] == ["setup-2"]
    every_id = [anchor for chapter in book.chapters for anchor in chapter.anchors]
    assert len(every_id) == len(set(every_id))


def test_ids_are_xml_names_even_when_headings_start_with_digits_or_are_not_latin(tmp_path):
    book = read_book(tmp_path, {"chapters/a.md": "# 1984 Revisited\n\n## Привет, мир\n\n## !!!\n"})
    chapter = book.chapters[0]
    assert chapter.id == "h-1984-revisited"
    assert [s.id for s in chapter.sections] == ["привет-мир", "section"]
    assert chapter.slug == "1984-revisited"  # file names need no XML-name prefix


def test_footnotes_are_numbered_per_chapter_and_linked_both_ways(tmp_path):
    book = read_book(
        tmp_path,
        {
            "chapters/a.md": "# A\n\nOne.[^x] Two.[^y]\n\n[^x]: First.\n[^y]: Second.\n\n"
            "# B\n\nThree.[^z]\n\n[^z]: Third.\n"
        },
    )
    a, b = (fragment(c.html) for c in book.chapters)
    assert [ref.text for ref in a.xpath('//a[@class="footnote-ref"]')] == ["1", "2"]
    assert [ref.text for ref in b.xpath('//a[@class="footnote-ref"]')] == ["1"]
    call = a.xpath('//a[@class="footnote-ref"]')[0]
    note_id = call.get("href").lstrip("#")
    note = a.get_element_by_id(note_id)
    assert "First." in note.text_content()
    back = note.xpath('.//a[@class="footnote-backref"]')[0].get("href").lstrip("#")
    assert a.get_element_by_id(back).tag == "sup"
    assert ":" not in note_id  # EPUB ids are XML names without colons


def test_a_lone_image_becomes_a_numbered_figure_captioned_by_its_title(tmp_path):
    from PIL import Image

    book_files = {"chapters/a.md": '# A\n\n![A small map](map.png "The coast")\n\n![](map.png)\n'}
    folder = tmp_path / "book"
    (folder / "chapters").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(folder / "chapters" / "map.png")
    book = read_book(folder, book_files)
    root = fragment(book.chapters[0].html)
    figure, plain = root.xpath("//figure")
    assert figure.xpath(".//img/@alt") == ["A small map"]
    assert figure.xpath("string(.//figcaption)") == "Figure 1. The coast"
    assert plain.xpath(".//figcaption") == [] and plain.get("data-number") is None
    assert list(book.assets) == [figure.xpath(".//img/@src")[0]]  # one file, packaged once


def test_tables_fenced_code_and_definition_lists_render(tmp_path):
    text = "# A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('<hi>')\n```\n\nTerm\n:   Meaning\n"
    root = fragment(read_book(tmp_path, {"chapters/a.md": text}).chapters[0].html)
    assert root.xpath("//table//td/text()") == ["1", "2"]
    assert root.xpath("string(//pre/code)") == "print('<hi>')\n"
    assert root.xpath("//dl/dt/text()") == ["Term"]


def test_front_matter_makes_a_faq_chapter_and_is_not_shown(tmp_path):
    text = "---\ntype: faq\n---\n# Questions\n\n## Why?\n\nBecause.\n"
    chapter = read_book(tmp_path, {"chapters/a.md": text}).chapters[0]
    assert chapter.kind == "faq"
    assert "type:" not in chapter.html


def test_a_chapter_without_a_heading_is_an_error_naming_the_file(tmp_path):
    with pytest.raises(BookError) as failure:
        read_book(tmp_path, {"chapters/a.md": "Just text, no heading.\n"})
    [problem] = failure.value.problems
    assert problem.file.name == "a.md"


def test_an_unclosed_code_fence_is_reported_with_its_line(tmp_path):
    with pytest.raises(BookError) as failure:
        read_book(tmp_path, {"chapters/a.md": "# A\n\nText.\n\n```\ncode that never ends\n"})
    assert [(p.file.name, p.line) for p in failure.value.problems] == [("a.md", 5)]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Meaning of a Second Interview", "meaning-of-a-second-interview"),
        ("Keeper's Log", "keepers-log"),
        ("Ça va, Zoë?", "ca-va-zoe"),
        ("東京", "book"),
    ],
)
def test_file_names_are_ascii_slugs(title, slug):
    assert ascii_slug(title) == slug


def test_anchor_slugs_and_unique_names():
    assert anchor_slug("Hello, World!") == "hello-world"
    assert anchor_slug("2nd try") == "h-2nd-try"
    names = UniqueNames(reserved=("toc",))
    assert [names.claim(n) for n in ("toc", "a", "a", "a")] == ["toc-2", "a", "a-2", "a-3"]


def test_a_part_file_opens_a_part_that_holds_the_chapters_after_it(tmp_path):
    from octavo.formats.pdf.layout import print_html
    from octavo.formats.templating import make_environment

    files = {
        "book.toml": '[book]\ntitle = "Parts"\nlanguage = "en"\n\n[pdf]\nnumber_chapters = true\n',
        "chapters/01.md": "# Opening\n\nBefore the parts. See [the first chapter](03.md) and [](05.md).\n",
        "chapters/02.md": "---\ntype: part\n---\n# The First Part\n\nAn epigraph.\n",
        "chapters/03.md": "# The First\n\nText.\n",
        "chapters/04.md": "---\ntype: part\n---\n# The Last Part\n",
        "chapters/05.md": "# The Second\n\nText.\n",
    }
    book = read_book(tmp_path, files)
    assert [(c.kind, c.part, c.ordinal) for c in book.chapters] == [
        ("chapter", "", 1),
        ("part", "", 0),
        ("chapter", "the-first-part", 2),
        ("part", "", 0),
        ("chapter", "the-last-part", 3),
    ]
    assert [(e.kind, e.title, len(e.children)) for e in book.toc()] == [
        ("", "Opening", 0),
        ("part", "The First Part", 1),
        ("part", "The Last Part", 1),
    ]
    opening = fragment(book.chapters[0].html)
    assert opening.xpath("string(//a[@href='#the-second'])") == "chapter 3"  # counted without the parts
    page = lxml_html.document_fromstring(print_html(book, make_environment(book.root)))
    (part,) = page.xpath("//section[@role='doc-part'][h1[@id='the-first-part']]")
    assert "An epigraph." in part.text_content() and "part" in part.get("class").split()
    labels = [" ".join(p.text_content().split()) for p in page.xpath("//p[@class='chapter-label']")]
    assert labels == ["Chapter 1", "Chapter 2", "Chapter 3"]  # parts carry no chapter label
    nested = page.xpath("//nav[@id='contents']/ol/li[contains(@class, 'toc-part')]/ol/li/a/text()")
    assert nested == ["The First", "The Second"]


def test_one_convert_gives_each_piece_its_html_with_raw_html_and_notes_filled_in():
    from octavo.read.markdown import new_markdown
    from octavo.read.pieces import convert_in_pieces

    md = new_markdown()
    seen: list[list[str]] = []

    def cut(root):
        groups: list[list] = []
        for element in list(root):
            if element.tag == "h1" or not groups:
                groups.append([])
            groups[-1].append(element)
        seen.append([element.tag for element in root])
        return groups

    text = '# One\n\nA note.[^n]\n\n<div class="box">raw <!--octavo:cut--> one</div>\n\n# Two\n\nA & B\n\n[^n]: Said.\n'
    pieces = convert_in_pieces(md, text, cut)
    assert len(pieces) == 2 and seen == [["h1", "p", "p", "h1", "p", "div"]]
    assert pieces[0].startswith("<h1>One</h1>") and '<div class="box">raw <!--octavo:cut--> one</div>' in pieces[0]
    assert pieces[1].startswith("<h1>Two</h1>") and "A &amp; B" in pieces[1] and "Said." in pieces[1]
    assert "\x02" not in "".join(pieces) and "\x03" not in "".join(pieces)
    # Nothing to cut: no pieces. A blank text: the cutter still sees a tree, an empty one.
    assert convert_in_pieces(md, "Words.\n", lambda root: []) == []
    assert convert_in_pieces(md, " \n", lambda root: [[]] if len(root) == 0 else []) == [""]
    # The same Markdown converts as usual outside convert_in_pieces.
    assert md.reset().convert("# Three") == "<h1>Three</h1>"
