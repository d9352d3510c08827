"""HTML fragments -> XHTML fragments for the EPUB: well-formed, named entities resolved,
SVG attribute names in their proper case, links pointed at the file that holds their target."""

from __future__ import annotations

from collections.abc import Callable

import lxml.html
from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
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


def to_xhtml(fragment: str, link: Callable[[str], str] = lambda href: href) -> tuple[str, bool]:
    """The fragment as XHTML, with every href passed through `link`; also whether it has inline SVG."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    has_svg = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "svg":
            has_svg = True
            fix_svg(element)
        href = element.get("href")
        if href is not None and element.tag == "a":
            element.set("href", link(href))
    text = etree.tostring(root, method="xml", encoding="unicode")
    return text[len("<div>") : -len("</div>")] if text.startswith("<div>") else "", has_svg


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
