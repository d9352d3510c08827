"""HTML fragments -> XHTML fragments for the EPUB: well-formed, named entities resolved,
SVG attribute names in their proper case, links pointed at the file that holds their target."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, cast

import lxml.html
from lxml import etree

from .pagemap import block_keys, marker_place

SVG_NS = "http://www.w3.org/2000/svg"
EPUB_NS = "http://www.idpf.org/2007/ops"
# lxml's HTML parser lowercases attribute names; SVG needs these in camel case.
SVG_ATTRIBUTES = {
    name.lower(): name
    for name in (
        "viewBox",
        "preserveAspectRatio",
        "gradientTransform",
        "gradientUnits",
        "patternUnits",
        "patternTransform",
        "clipPathUnits",
        "markerWidth",
        "markerHeight",
        "refX",
        "refY",
        "textLength",
        "lengthAdjust",
        "stdDeviation",
        "baseProfile",
    )
}
SVG_ELEMENTS = {
    name.lower(): name for name in ("clipPath", "linearGradient", "radialGradient", "foreignObject", "textPath")
}


@dataclass(frozen=True)
class Converted:
    xhtml: str
    has_svg: bool
    has_math: bool = False


def to_xhtml(
    fragment: str | lxml.html.HtmlElement,
    link: Callable[[str], str] = lambda href: href,
    chapter_number: int | None = None,
    page_markers: dict[str, list[str]] | None = None,
    method: Literal["html", "xml"] = "xml",
) -> Converted:
    """The fragment as XHTML for an EPUB: every href passed through `link`, footnotes as
    pop-up asides, and the print edition's page breaks marked where its pages begin. `fragment` is
    HTML, or a chapter's parsed tree (`Chapter.tree()`), which is left as it is."""
    if isinstance(fragment, str):
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    else:
        root = copy.deepcopy(fragment)
    if page_markers and chapter_number is not None:
        insert_page_markers(root, chapter_number, page_markers)
    footnotes_as_asides(root)
    for empty in root.xpath("//source | //track | //wbr"):
        # libxml2's HTML parser does not know these are empty elements and puts what follows inside
        inside, after, children = empty.text, empty.tail, list(empty)
        for child in reversed(children):
            empty.addnext(child)
        empty.text = None
        if children:
            empty.tail = inside
            children[-1].tail = (children[-1].tail or "") + (after or "")
        else:
            empty.tail = (inside or "") + (after or "") or None
    has_svg = has_math = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "svg":
            has_svg = True
            fix_svg(element)
        elif element.tag == "math":
            has_math = True
        href = element.get("href")
        if href is not None and element.tag == "a":
            element.set("href", link(href))
    text = etree.tostring(root, method=method, encoding="unicode")
    return Converted(text[len("<div>") : -len("</div>")] if text.startswith("<div>") else "", has_svg, has_math)


def insert_page_markers(root: etree._Element, chapter_number: int, page_markers: dict[str, list[str]]) -> None:
    for key, element in list(block_keys(root, chapter_number)):
        for label in page_markers.get(key, []):
            insert_marker(element, label)


def insert_marker(element: etree._Element, label: str) -> None:
    """`<span epub:type="pagebreak" role="doc-pagebreak" id="page-12" aria-label="12"/>` where page 12 begins."""
    attributes = {"id": f"page-{label}", "role": "doc-pagebreak", "aria-label": label}
    if cast(str, element.tag).startswith("{"):  # a parsed XHTML document rather than an HTML fragment
        namespace = cast(str, element.tag)[1:].split("}")[0]
        marker = element.makeelement(f"{{{namespace}}}span", attributes)
        marker.set(f"{{{EPUB_NS}}}type", "pagebreak")
    else:
        marker = element.makeelement("span", attributes)
        marker.set("epub:type", "pagebreak")
    parent, index = marker_place(element)
    if parent is element:  # first inside the element, after any markers already there
        while index < len(element) and element[index].get("role") == "doc-pagebreak":
            index += 1
        if index == 0:
            marker.tail, element.text = element.text, None
    parent.insert(index, marker)


def footnotes_as_asides(root: etree._Element) -> None:
    """Python-Markdown's note list -> one `aside epub:type="footnote"` per note, which reading
    systems such as Apple Books show as a pop-up; each call becomes an `epub:type="noteref"`."""
    for call in root.xpath('.//a[@class="footnote-ref"]'):
        call.set("epub:type", "noteref")
    for section in root.xpath('.//section[@class="footnotes"]'):
        for item in section.xpath(".//li[@id]"):
            aside = item.makeelement("aside", {"id": item.get("id"), "class": "footnote", "role": "doc-footnote"})
            aside.set("epub:type", "footnote")
            number = next((a.get("title", "").rsplit(" ", 1)[-1] for a in item.iter("a")), "")
            aside.extend(list(item))
            first = aside[0] if len(aside) and aside[0].tag == "p" else None
            back = next(iter(aside.xpath('.//a[@class="footnote-backref"]')), None)
            if back is not None and first is not None:
                back.getparent().remove(back)
                back.text = f"{number}."
                back.tail = " " + (first.text or "")
                first.text = None
                first.insert(0, back)
            section.addprevious(aside)
        section.getparent().remove(section)


def fix_svg(svg: etree._Element) -> None:
    svg.set("xmlns", SVG_NS)
    for element in svg.iter():
        if not isinstance(element.tag, str):
            continue
        element.tag = SVG_ELEMENTS.get(element.tag, element.tag)
        for name in list(element.attrib):
            proper = SVG_ATTRIBUTES.get(name)
            if proper and proper != name:
                element.set(proper, element.attrib.pop(name))
