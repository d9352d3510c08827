"""Links, cross-references and citations, in-process on tiny books: what each becomes in the
chapter HTML, and the error (file, line, suggestion) when it points at nothing."""

from __future__ import annotations

import pytest
from conftest import read_book
from lxml import html as lxml_html

from octavo.errors import BookError

RESOURCES = """
title = "Further Reading"

[[resource]]
id = "knuth"
title = "The Art of Computer Programming"
authors = ["Donald Knuth"]
annotation = "All of it."

[[resource]]
id = "kernighan"
title = "The C Programming Language"
authors = ["Brian Kernighan", "Dennis Ritchie"]
"""


def links(chapter) -> dict[str, str]:
    root = lxml_html.fragment_fromstring(chapter.html, create_parent="div")
    return {anchor.text_content(): anchor.get("href") for anchor in root.iter("a")}


def test_links_to_other_chapter_files_become_book_wide_anchors(tmp_path):
    book = read_book(
        tmp_path,
        {
            "chapters/a.md": "# Start\n\nSee [the end](b.md#last-words), [B](b.md) and [below](#more).\n\n## More\n",
            "chapters/b.md": "# Finish\n\n## Last words\n\nBack to [the start](a.md).\n",
        },
    )
    start, finish = book.chapters
    assert links(start) == {"the end": "#last-words", "B": "#finish", "below": "#more"}
    assert links(finish) == {"the start": "#start"}


def test_links_to_the_web_and_to_mail_are_kept(tmp_path):
    text = "# A\n\n[site](https://example.org/a?b=1#c) and [mail](mailto:a@example.org)\n"
    assert links(read_book(tmp_path, {"chapters/a.md": text}).chapters[0]) == {
        "site": "https://example.org/a?b=1#c",
        "mail": "mailto:a@example.org",
    }


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("# A\n\nSee [x](missing.md).\n", "missing.md", ""),
        ("# A\n\nSee [x](b.md#nowhere).\n", "nowhere", ""),
        ("# A\n\nSee [x](#setp).\n\n## Setup\n", "setp", "setup"),
    ],
)
def test_a_link_to_nothing_is_an_error_with_its_line_and_a_suggestion(tmp_path, text, message, hint):
    with pytest.raises(BookError) as failure:
        read_book(tmp_path, {"chapters/a.md": text, "chapters/b.md": "# B\n"})
    [problem] = failure.value.problems
    assert (problem.file.name, problem.line) == ("a.md", 3)
    assert message in problem.message
    assert hint in problem.hint


def test_empty_links_name_their_target(tmp_path):
    from PIL import Image

    folder = tmp_path / "book"
    (folder / "chapters").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(folder / "chapters" / "lens.png")
    text = (
        '# Optics\n\n## The lens\n\n![A lens](lens.png "A lens"){#fig-lens}\n\n'
        "See [](#the-lens), [](#fig-lens), [](#optics).\n"
    )
    book = read_book(folder, {"chapters/a.md": text})
    found = links(book.chapters[0])
    assert found["section ‘The lens’"] == "#the-lens"
    assert found["figure 1"] == "#fig-lens"
    assert found["chapter 1"] == "#optics"


def test_citations_link_to_their_entries_with_locators(tmp_path):
    text = "# A\n\nAs [@knuth, p. 12] and [@knuth; @kernighan] say; mail [me@example.org] is no citation.\n"
    book = read_book(tmp_path, {"resources.toml": RESOURCES, "chapters/a.md": text})
    html = book.chapters[0].html
    assert html.count('role="doc-biblioref"') == 3
    assert 'href="#resource-knuth"' in html and 'href="#resource-kernighan"' in html
    assert ", p. 12]" in html
    assert '[<a href="mailto:me@example.org">me@example.org</a>]' in html  # an e-mail autolink, in brackets
    assert [c.anchor for c in book.citations["knuth"]] == ["cite-knuth-1", "cite-knuth-2"]
    assert {c.section_id for c in book.citations["knuth"]} == {"a"}


def test_citing_an_unknown_resource_suggests_the_closest_id(tmp_path):
    with pytest.raises(BookError) as failure:
        read_book(tmp_path, {"resources.toml": RESOURCES, "chapters/a.md": "# A\n\nAs [@knth] says.\n"})
    [problem] = failure.value.problems
    assert (problem.file.name, problem.line) == ("a.md", 3)
    assert "knth" in problem.message and "knuth" in problem.hint
