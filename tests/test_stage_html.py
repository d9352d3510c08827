"""From chapter HTML to what the outputs hold, in-process: the sanitizer, the EPUB's XHTML
conversion, and the page map that carries printed page numbers into the EPUB."""

from __future__ import annotations

import pytest
from conftest import read_book
from lxml import etree
from lxml import html as lxml_html

from octavo.formats.pagemap import block_keys, page_map, tag_blocks
from octavo.formats.xhtml import to_xhtml

XHTML = "http://www.w3.org/1999/xhtml"


def parse_xhtml(fragment: str) -> etree._Element:
    """The converted fragment must be well-formed XML in the XHTML namespace (with epub: declared)."""
    wrapped = f'<div xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops">{fragment}</div>'
    return etree.fromstring(wrapped.encode())


# -- the sanitizer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "removed", "kept"),
    [
        ('<p onclick="alert(1)">Hi</p>', "onclick", "<p>Hi</p>"),
        ("<p>a<script>alert(1)</script>b</p>", "<script>", "<p>ab</p>"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:", "<a>x</a>"),
        ('<a href=" JavaScript:alert(1)">x</a>', "javascript:", "<a>x</a>"),
        ('<iframe src="https://example.org"></iframe><p>after</p>', "<iframe>", "<p>after</p>"),
        ('<p style="background: url(https://example.org/x.png)">s</p>', "style attribute", "<p>s</p>"),
        ("<style>@import url(https://example.org/a.css);</style><p>t</p>", "<style>", "<p>t</p>"),
    ],
)
def test_raw_html_that_runs_or_fetches_is_removed_with_a_warning_at_its_line(tmp_path, raw, removed, kept):
    book = read_book(tmp_path, {"chapters/a.md": f"# A\n\nText.\n\n{raw}\n"})
    assert kept in book.chapters[0].html
    assert "alert" not in book.chapters[0].html and "example.org" not in book.chapters[0].html
    [warning] = book.warnings
    assert (warning.file.name, warning.line, warning.severity) == ("a.md", 5, "warning")
    assert removed in warning.message.lower()


def test_harmless_raw_html_passes_untouched(tmp_path):
    raw = '<figure class="wide"><table><tr><td lang="fr">oui</td></tr></table></figure>\n\n<span dir="rtl">שלום</span>'
    book = read_book(tmp_path, {"chapters/a.md": f"# A\n\n{raw}\n"})
    assert book.warnings == []  # nothing was taken out, and the Hebrew has a font (Noto Serif Hebrew)
    root = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    assert root.xpath("//td[@lang='fr']/text()") == ["oui"]
    assert root.xpath("//span[@dir='rtl']/text()") == ["שלום"]


def test_images_from_the_network_or_outside_the_book_are_left_out(tmp_path):
    text = '# A\n\n<img src="https://example.org/x.png" alt="web">\n\n<img src="../../etc/hostname" alt="outside">\n'
    book = read_book(tmp_path, {"chapters/a.md": text})
    assert "<img" not in book.chapters[0].html
    assert sorted(w.line for w in book.warnings) == [3, 5]


# -- XHTML for the EPUB --------------------------------------------------------------------------


def test_html_becomes_well_formed_xhtml_with_links_pointed_at_their_files():
    converted = to_xhtml(
        '<p>A&nbsp;b<br>c <a href="#x">x</a> <a href="https://example.org/">web</a><img src="i.png" alt=""></p>',
        link=lambda href: f"other.xhtml{href}" if href.startswith("#") else href,
    )
    root = parse_xhtml(converted.xhtml)
    paragraph = root[0]
    assert paragraph.tag == f"{{{XHTML}}}p"
    assert [a.get("href") for a in paragraph.iter(f"{{{XHTML}}}a")] == ["other.xhtml#x", "https://example.org/"]
    assert "\xa0" in paragraph.text  # the named entity resolved, XML knows no &nbsp;
    assert not converted.has_svg


def test_inline_svg_keeps_its_camel_case_names_and_is_declared():
    converted = to_xhtml('<svg viewbox="0 0 10 10"><lineargradient id="g"></lineargradient></svg>')
    assert converted.has_svg
    svg = parse_xhtml(converted.xhtml)[0]
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 10 10"
    assert svg[0].tag == "{http://www.w3.org/2000/svg}linearGradient"


def test_footnotes_become_asides_and_calls_become_noterefs():
    chapter = (
        '<p>Text<sup id="a-fnref1"><a class="footnote-ref" href="#a-fn1">1</a></sup></p>'
        '<section class="footnotes"><ol><li id="a-fn1"><p>The note. '
        '<a class="footnote-backref" href="#a-fnref1" title="Back to the text of note 1">back</a>'
        "</p></li></ol></section>"
    )
    root = parse_xhtml(to_xhtml(chapter).xhtml)
    epub_type = "{http://www.idpf.org/2007/ops}type"
    call = root.find(f".//{{{XHTML}}}a[@class='footnote-ref']")
    assert call.get(epub_type) == "noteref"
    aside = root.find(f"{{{XHTML}}}aside")
    assert aside.get(epub_type) == "footnote" and aside.get("id") == "a-fn1"
    assert "".join(aside.itertext()).split() == ["1.", "The", "note."]
    assert root.find(f"{{{XHTML}}}section") is None


def test_page_markers_go_before_the_block_where_each_printed_page_begins():
    chapter = "<h1 id='c'>C</h1><p>one</p><ul><li>two</li></ul>"
    converted = to_xhtml(chapter, chapter_number=3, page_markers={"c": ["7"], "pb3-2": ["8", "9"]})
    root = parse_xhtml(converted.xhtml)
    markers = root.xpath("//*[@role='doc-pagebreak']")
    assert [(m.get("id"), m.get("aria-label")) for m in markers] == [("page-7", "7"), ("page-8", "8"), ("page-9", "9")]
    assert markers[0].getnext().tag == f"{{{XHTML}}}h1"
    assert markers[1].getparent().tag == f"{{{XHTML}}}li"  # a list holds only items: inside the item


# -- the page map --------------------------------------------------------------------------------


def test_block_keys_are_ids_or_positions_and_skip_code_and_footnotes():
    root = lxml_html.fragment_fromstring(
        "<h1 id='c'>C</h1><p>a</p><pre><code>x</code></pre><section class='footnotes'><ol><li><p>n</p></li></ol>"
        "</section><p>b</p>",
        create_parent="div",
    )
    assert [(key, element.tag) for key, element in block_keys(root, 2)] == [
        ("c", "h1"),
        ("pb2-1", "p"),
        ("pb2-2", "pre"),
        ("pb2-3", "p"),
    ]
    tag_blocks(root, 2)
    assert root.xpath("//p[@id]/@id") == ["pb2-1", "pb2-3"]


def test_page_map_from_a_real_layout():
    """Four printed pages: a title page, then three body pages opening at blocks a, b and c."""
    from weasyprint import HTML

    body = "<p id='title'>Title</p>" + "".join(
        f"<p id='{key}' style='break-before: page'>{key}</p>" for key in ("a", "b", "c")
    )
    pages = HTML(string=f"<html><body>{body}</body></html>").render().pages
    assert len(pages) == 4
    labels = ["i", "1", "2", "3"]
    found = page_map(pages, labels, {"title": 0, "a": 1, "b": 2, "c": 3}, first_body_page=1)
    assert found.markers == {"a": ["1"], "b": ["2"], "c": ["3"]}
    assert found.labels == ["1", "2", "3"]
