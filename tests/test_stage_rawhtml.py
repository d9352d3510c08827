"""Raw HTML as READMEs write it, in-process: HTML 4's presentational attributes and elements become
the CSS they meant, the same in every output; what no output knows is unwrapped with a warning."""

from __future__ import annotations

import re

from conftest import BOOKS, read_book
from lxml import html as lxml_html


def read(tmp_path, text: str):
    (tmp_path / "chapters").mkdir(parents=True, exist_ok=True)
    (tmp_path / "chapters" / "pic.png").write_bytes((BOOKS / "manuscript" / "cover.png").read_bytes())
    book = read_book(tmp_path, {"chapters/a.md": f"# A\n\n{text}\n"})
    return lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div"), book.warnings


def styles(element) -> dict[str, str]:
    pairs = [part.split(":", 1) for part in element.get("style", "").split(";") if ":" in part]
    return {name.strip(): value.strip() for name, value in pairs}


def test_a_floated_narrow_figure_stays_floated_and_narrow(tmp_path):
    root, _ = read(tmp_path, '<img src="pic.png" alt="p" align="right" width="15%" hspace="8" border="0">')
    (image,) = root.iter("img")
    assert {"align", "width", "hspace", "border"}.isdisjoint(image.attrib)
    css = styles(image)
    assert css["float"] == "right" and css["width"] == "15%" and css["margin-right"] == "8px"
    assert "border" not in css  # border="0" means none


def test_old_elements_and_colours_become_css(tmp_path):
    raw = (
        '<center><font color="#336699" face="Arial" size="2">Centred</font></center>\n\n'
        '<p align="center">Middle</p>\n\n'
        '<table border="1" width="80%" align="center"><tr><td bgcolor="#eee" valign="top">cell</td></tr></table>'
    )
    root, _ = read(tmp_path, raw)
    assert not root.xpath("//center | //font | //*[@align] | //*[@bgcolor] | //*[@valign] | //*[@border]")
    assert styles(root.xpath("//div[span]")[0]) == {"text-align": "center"}
    assert styles(root.xpath("//span[text()='Centred']")[0]) == {"color": "#336699"}
    assert styles(root.xpath("//p[text()='Middle']")[0]) == {"text-align": "center"}
    table = root.xpath("//table")[0]
    assert styles(table) == {"margin-left": "auto", "margin-right": "auto", "width": "80%", "border": "1px solid"}
    assert styles(root.xpath("//td")[0]) == {"background-color": "#eee"}


def test_a_line_break_directly_in_a_figure_goes(tmp_path):
    root, _ = read(tmp_path, '<figure>\n<img src="pic.png" alt="p">\n<br>\n<figcaption>Cap</figcaption>\n</figure>')
    assert not root.xpath("//figure/br") and root.xpath("//figure/figcaption/text()") == ["Cap"]


def test_an_unknown_element_is_unwrapped_with_a_warning_at_its_line(tmp_path):
    root, warnings = read(tmp_path, "Text.\n\n<custom-box>Kept <b>content</b></custom-box>")
    assert not root.xpath("//custom-box") and root.xpath("//b/text()") == ["content"]
    (warning,) = warnings
    assert warning.message.startswith("<custom-box> is no HTML element") and warning.line == 5


def test_a_raw_image_without_a_description_is_warned_about_like_a_markdown_one(tmp_path):
    _, warnings = read(tmp_path, 'Text.\n\n<img src="pic.png">')
    assert [(w.line, w.message) for w in warnings] == [(5, "image 'pic.png' has no description")]


def test_a_link_left_empty_by_a_removed_image_goes_too(tmp_path):
    root, _ = read(tmp_path, '<a href="https://example.org"><img src="https://example.org/b.svg" alt="b"></a> after.')
    assert not root.xpath("//a") and "after." in root.xpath("string()")


def test_blocks_inside_inline_elements_are_repaired(tmp_path):
    root, _ = read(tmp_path, "<span><div>block in a span</div></span>\n\nAn <em>emphasis with <p>a paragraph</p></em>.")
    assert "block in a span" in root.xpath("//div/div/text()")  # the span became a block
    assert not root.xpath("//span[div] | //em[p] | //p[div] | //p[p]")
    assert "a paragraph" in root.text_content()


def test_list_items_written_without_a_list_get_one(tmp_path):
    root, _ = read(tmp_path, "<li>loose one</li><li>loose two</li>\n\nText.")
    (listing,) = root.iter("ul")
    assert [item.text for item in listing] == ["loose one", "loose two"]


def test_raw_html_links_are_checked_like_markdown_links(tmp_path):
    import pytest

    from octavo.errors import BookError

    (tmp_path / "CONTRIBUTING.md").write_text("How to help.\n", encoding="utf-8")
    text = '<a href="#top">Back to top</a>\n\n<a href="../CONTRIBUTING.md">help</a>\n\n<a href="#b">to B</a>\n\n## B\n'
    root, warnings = read(tmp_path, text)
    links = {a.text: a.get("href") for a in root.iter("a")}
    assert links["Back to top"] == "#a" and links["to B"] == "#b"  # HTML's #top: the chapter's own start
    assert "help" not in links and "help" in root.text_content()  # no chapter: its text kept, with a warning
    (warning,) = [w for w in warnings if "CONTRIBUTING" in w.message]
    assert warning.line == 5
    with pytest.raises(BookError) as raised:
        read(tmp_path / "broken", 'Text.\n\n<a href="#nowhere">gone</a>')
    (problem,) = raised.value.problems
    assert "missing anchor '#nowhere'" in problem.message and problem.line == 5


def test_a_word_break_opportunity_is_an_empty_element_in_the_epub():
    from octavo.formats.xhtml import to_xhtml

    assert "<wbr/>long<wbr/>word" in to_xhtml("<p><wbr>long<wbr>word</p>").xhtml


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def raw_media_book(tmp_path, html: str):
    book = read_book(tmp_path, {"chapters/a.md": f"# A\n\n{html}\n", "chapters/pic.png": PNG})
    return (
        lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div"),
        book.warnings,
        book.chapters[0].html,
    )


def test_raw_media_keep_only_files_of_the_book(tmp_path):
    """Every attribute that loads something (src, href, xlink:href, poster, srcset) is checked: a
    file of the book is kept under its output name, anything else goes, with a warning at its line."""
    root, warnings, html = raw_media_book(
        tmp_path / "a",
        '<p><img src="pic.png" alt="dot"> <img src="https://example.org/x.png" alt="far"></p>\n\n'
        '<svg viewBox="0 0 2 2"><image href="pic.png"/><image xlink:href="https://example.org/y.png"/>'
        '<use href="#dot"/><use href="https://example.org/s.svg#dot"/></svg>\n\n'
        '<video src="https://example.org/v.mp4" poster="https://example.org/p.png" controls></video>\n\n'
        '<picture><source srcset="pic.png"><source srcset="pic.png 1x, big.png 2x"><source srcset="pic.png 2x">'
        '<img src="pic.png" alt="a"></picture>',
    )
    images = root.xpath("//img")
    # the picture's fallback <img> too: libxml2 nests it in the <source> before it, which is taken out
    assert [image.get("src") for image in images] == ["images/chapters/pic.png", "images/chapters/pic.png"]
    assert re.search(r'<picture><source srcset="images/chapters/pic.png" type="image/png"><img ', html)
    svg_images = root.xpath("//*[local-name()='image']")
    assert len(svg_images) == 1 and svg_images[0].get("href") == "images/chapters/pic.png"
    uses = root.xpath("//*[local-name()='use']")
    assert [use.get("href") for use in uses] == ["#dot", None]
    video = root.xpath("//video")[0]
    assert video.get("src") is None and video.get("poster") is None
    sources = root.xpath("//source")
    assert len(sources) == 1 and sources[0].get("srcset") == "images/chapters/pic.png"
    assert sources[0].get("type") == "image/png"
    assert [warning.message for warning in warnings] == [
        "left out image 'https://example.org/x.png': it is not a file of the book",
        "left out image 'https://example.org/y.png': it is not a file of the book",
        "left out 'https://example.org/s.svg#dot' of a raw <use>",
        "left out 'https://example.org/v.mp4' of a raw <video>",  # a video's source is no image to look for
        "left out 'https://example.org/p.png' of a raw <video>",
        "left out 'pic.png 1x, big.png 2x' of a raw <source>",  # image sets are not followed
        "left out 'pic.png 2x' of a raw <source>",
    ]
