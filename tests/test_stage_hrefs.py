"""Links between the files of a per-chapter output (the EPUB, the web edition), in-process: a
book-wide id becomes `file#id`, `#id` in its own file, or the back matter's file."""

from __future__ import annotations

from conftest import read_book

from octavo.formats.hrefs import href_resolver, link_resolver, section_locators

FILES = {
    "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\nchapters = ["one.md", "two.md"]\n',
    "one.md": "# One\n\nA [knot]{.index .define} [@tides], a [knot]{.index}.\n\n"
    "## Later On\n\nA [knot]{.index} and a [knot]{.index}.\n",
    "two.md": "# Two\n\nA [knot]{.index}, and a scope.\n",
    "resources.toml": '[[resource]]\nid = "tides"\ntitle = "Tide Tables"\ncategory = "Sea"\n',
    "glossary.toml": '[[term]]\nterm = "scope"\ndefinition = "Where a name holds."\n',
}


def test_a_book_wide_id_becomes_a_file_and_an_anchor(tmp_path):
    book = read_book(tmp_path, FILES)
    one, two = book.chapters
    href = href_resolver(book, one)
    assert href("later-on") == "#later-on"  # in its own file
    assert href_resolver(book, two)("later-on") == "one.xhtml#later-on"
    assert href("two") == "two.xhtml"  # a chapter's own id: its file alone
    assert href("no-such-id") == "#no-such-id"
    assert href_resolver(book, None, ".html", "html/")("later-on") == "html/one.html#later-on"
    assert href_resolver(book, one, ".html", "html/")("later-on") == "html/one.html#later-on"  # another folder


def test_the_back_matter_has_files_of_its_own(tmp_path):
    book = read_book(tmp_path, FILES)
    href = href_resolver(book, book.chapters[0], ".html")
    [resource] = book.resources.resources
    [(_, sea, _)] = book.resources.groups()
    assert href(book.resources.id) == "further-reading.html"
    assert href(resource.anchor) == f"further-reading.html#{resource.anchor}"
    assert href(sea) == f"further-reading.html#{sea}"
    assert href(book.glossary.id) == "glossary.html"
    assert href(book.glossary.terms[0].anchor) == f"glossary.html#{book.glossary.terms[0].anchor}"
    [entry] = book.index.entries()
    assert href(book.index.id) == "book-index.html"
    assert href(entry.anchor) == f"book-index.html#{entry.anchor}"


def test_an_index_entry_on_screen_is_each_section_once_and_bold_where_defined(tmp_path):
    book = read_book(tmp_path, FILES)
    [entry] = book.index.entries()
    places = section_locators(entry, href_resolver(book, None))
    assert [(title, link.split("#")[0], defining) for title, link, defining in places] == [
        ("One", "one.xhtml", True),
        ("Later On", "one.xhtml", False),
        ("Two", "two.xhtml", False),
    ]
    later = [mark.anchor for mark in entry.marks if mark.section_title == "Later On"]
    assert places[1][1] == f"one.xhtml#{later[0]}"  # the first mark in that section


def test_chapter_links_resolve_only_anchors(tmp_path):
    book = read_book(tmp_path, FILES)
    link = link_resolver(href_resolver(book, book.chapters[1]))
    assert link("#later-on") == "one.xhtml#later-on"
    assert link("#") == "#" and link("https://example.org/#x") == "https://example.org/#x"
