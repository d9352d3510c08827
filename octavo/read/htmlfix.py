"""Raw HTML as authors wrote it for GitHub, in the form every output honours alike.

READMEs still lay out figures with HTML 4: `<img align="right" width="15%">`, `<p align="center">`,
`<center>`, `<font color>`, `border`, `hspace`. Browsers honour some of it, WeasyPrint little, and
EPUBCheck refuses all of it, so a figure floated at 15% on GitHub printed full width and the EPUB
failed validation. Each presentational attribute or element becomes the CSS it meant, the same in the
PDF, the EPUB and the web edition.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|px)?\s*$")
COLOR = re.compile(r"^\s*(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})\s*$")
ALIGNABLE = frozenset({"img", "figure", "p", "div", "table", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
RENAMED = {
    "center": ("div", "text-align: center"),
    "tt": ("code", ""),
    "strike": ("s", ""),
    "big": ("span", "font-size: larger"),
}


def css_length(value: str) -> str | None:
    """`50%` or `120` (pixels, as HTML 4 meant) as a CSS length; None for anything else."""
    found = LENGTH.match(value or "")
    if not found:
        return None
    return f"{found.group(1)}{'%' if found.group(2) == '%' else 'px'}"


def add_style(element: etree._Element, declarations: list[str]) -> None:
    """Declarations go before what the author's own style says, which wins where both speak."""
    if declarations:
        own = element.get("style", "").strip()
        element.set("style", "; ".join([*declarations, *([own] if own else [])]))


def presentational_css(element: etree._Element, tag: str) -> list[str]:
    """The CSS an element's HTML 4 attributes meant; the attributes are taken off."""
    css: list[str] = []
    attributes = element.attrib
    align = attributes.pop("align", "").strip().lower() if tag in ALIGNABLE else ""
    if align in ("left", "right") and tag in ("img", "figure", "table"):
        side = "left" if align == "right" else "right"
        css += [f"float: {align}", f"margin-{side}: 1em", "margin-bottom: 0.5em"]
    elif align in ("left", "right", "center", "justify"):
        centred_table = align == "center" and tag == "table"
        css.append("margin-left: auto; margin-right: auto" if centred_table else f"text-align: {align}")
    for name in ("width", "height"):
        # HTML5 keeps an image's size in pixels as attributes; a percentage, or a table's size, is CSS
        obsolete = tag in ("table", "td", "th", "col") or (tag in ("img", "video") and "%" in attributes.get(name, ""))
        if obsolete and name in attributes:
            length = css_length(attributes.pop(name))
            if length:
                css.append(f"{name}: {length}")
    if tag == "img":
        hspace, vspace = (css_length(attributes.pop(name, "")) for name in ("hspace", "vspace"))
        if hspace:
            css.append(f"margin-left: {hspace}; margin-right: {hspace}")
        if vspace:
            css.append(f"margin-top: {vspace}; margin-bottom: {vspace}")
    if "border" in attributes and tag in ("img", "table"):
        width = css_length(attributes.pop("border"))
        if width and width != "0px":
            css.append(f"border: {width} solid")
    for name in ("bgcolor", "color"):
        value = attributes.pop(name, None) if (name == "bgcolor" or tag == "font") else None
        if value and COLOR.match(value):
            css.append(f"{'background-color' if name == 'bgcolor' else 'color'}: {value.strip()}")
    for name in ("valign", "cellpadding", "cellspacing", "nowrap", "face", "size", "clear", "frame", "rules"):
        attributes.pop(name, None)
    return css


def normalize_element(element: lxml.html.HtmlElement, tag: str) -> None:
    """Rewrite one raw element in place: obsolete elements as their modern kin, presentational
    attributes as style, line breaks directly in a figure dropped."""
    if tag in RENAMED:
        new_tag, declaration = RENAMED[tag]
        element.tag = new_tag
        add_style(element, [declaration] if declaration else [])
        tag = new_tag
    elif tag == "font":
        element.tag = "span"
        add_style(element, presentational_css(element, "font"))
        return
    add_style(element, presentational_css(element, tag))
    if tag == "figure":
        for br in [child for child in element if child.tag == "br"]:
            br.drop_tag()
        captions = [child for child in element if child.tag == "figcaption"]
        for extra in captions[1:]:  # a figure has one caption: the others join it, a line apart
            etree.SubElement(captions[0], "br").tail = extra.text
            captions[0].extend(list(extra))
            extra.drop_tree()
    parent = element.getparent()
    if tag == "li" and parent is not None and parent.tag not in ("ul", "ol", "menu"):
        wrap_loose_items(element)


def wrap_loose_items(item: etree._Element) -> None:
    """List items written with no list around them (and the ones beside them) go into a `ul`."""
    wrapper = etree.Element("ul")
    item.addprevious(wrapper)
    wrapper.tail, item.tail = item.tail, None
    wrapper.append(item)
    while (follower := wrapper.getnext()) is not None and follower.tag == "li" and not (wrapper.tail or "").strip():
        wrapper.tail, follower.tail = follower.tail, None
        wrapper.append(follower)


# Elements that hold only phrasing content (text and inline elements), and the blocks they may not.
PHRASING_ONLY = frozenset(
    {"p", "span", "em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "code", "kbd", "samp", "var"}
    | {"cite", "q", "abbr", "mark", "dfn", "time", "bdi", "bdo", "label", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"summary", "pre"}
)
BLOCKS = frozenset(
    {"div", "p", "ul", "ol", "dl", "table", "figure", "blockquote", "pre", "hr", "section", "details", "aside"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "nav", "article", "main", "address", "picture"}
)
BECOMES_BLOCK = {"p": "div", "span": "div"}  # the rest give up their own tag, keeping their content


def repair_content_models(root: lxml.html.HtmlElement) -> None:
    """Blocks written inside elements that hold only inline content (`<span><div>`, `<em><p>`,
    `<p><table>`), which browsers forgive and an EPUB may not have: the outer element becomes a
    block of its kind or gives up its tag. Deepest first, so a repair inside is seen outside."""
    for element in reversed(list(root.iter())):
        if not isinstance(element.tag, str) or element.tag not in PHRASING_ONLY or element is root:
            continue
        if any(holds_block(child) for child in element):
            if element.tag in BECOMES_BLOCK:
                element.tag = BECOMES_BLOCK[element.tag]
            elif element.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "pre", "summary"):
                for child in [c for c in element if holds_block(c)]:
                    child.drop_tag()  # a heading or caption keeps its place; the blocks inside it go
            else:
                element.drop_tag()


def holds_block(element: etree._Element) -> bool:
    """A block, or a link around one (HTML lets `a` hold what its parent may)."""
    if not isinstance(element.tag, str):
        return False
    return element.tag in BLOCKS or (element.tag == "a" and any(holds_block(child) for child in element))
