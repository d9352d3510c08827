"""SVG from a book, as files or inline in a chapter: nothing that runs, nothing that loads, and a
bound on how much drawing it can ask for.

SVG is a document format of its own: it carries `<script>`, event attributes, `<foreignObject>`
holding HTML, animations that rewrite an `href` to `javascript:`, and `<use>` elements that copy
other elements, nested so that 2 KB of text asks for billions of shapes. A file is cleaned before
it is packaged for the EPUB and the web edition (the PDF engine runs no script and reads only the
book's files), and one that asks for too many shapes is refused.
"""

from __future__ import annotations

from typing import cast

from lxml import etree

from ..style.cssfilter import safe_declarations, safe_stylesheet, safe_value

MAX_SHAPES = 50_000  # elements drawn, every <use> counted as what it copies
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
REMOVED = frozenset({"script", "foreignObject", "foreignobject", "iframe", "embed", "object", "handler", "listener"})
ANIMATIONS = frozenset({"animate", "set", "animateMotion", "animateTransform", "discard"})
LINK_ATTRIBUTES = ("href", XLINK_HREF, "xlink:href")  # the last as an HTML parser names it


class SvgProblem(ValueError):
    """The SVG cannot be used; the message says why, for the author."""


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def drawn_shapes(root: etree._Element) -> int:
    """How many elements the SVG draws once every <use> is expanded (a <use> of a <use> counts
    what that one copies), without expanding anything."""
    alive = list(root.iter())  # lxml makes element objects on demand: keep each alive so id() names it
    by_id = {
        element.get("id"): element for element in root.iter() if isinstance(element.tag, str) and element.get("id")
    }
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(element: etree._Element) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise SvgProblem("a <use> element copies itself")
        visiting.add(key)
        total = 1
        for child in element:
            if isinstance(child.tag, str):
                total += size(child)
                if total > MAX_SHAPES:
                    break
        if local(cast(str, element.tag)) == "use":
            target = cast(str, next((element.get(name) for name in LINK_ATTRIBUTES if element.get(name)), ""))
            if target.startswith("#") and target[1:] in by_id:
                total += size(by_id[target[1:]])
        visiting.discard(key)
        sizes[key] = min(total, MAX_SHAPES + 1)
        return sizes[key]

    total = size(root)
    del alive
    return total


def check_complexity(root: etree._Element) -> None:
    count = drawn_shapes(root)
    if count > MAX_SHAPES:
        raise SvgProblem(f"draws more than {MAX_SHAPES:,} shapes once its <use> elements are expanded")


def clean_svg_tree(root: etree._Element) -> list[str]:
    """Remove in place what runs or loads; returns what was removed, for a warning."""
    removed: list[str] = []
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            parent = element.getparent()
            if parent is not None and not isinstance(element, etree._Entity):
                parent.remove(element)
            continue
        name = local(element.tag)
        if name in REMOVED or (name in ANIMATIONS and is_link_animation(element)):
            removed.append(f"<{name}>")
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        if name == "style":
            cleaned = safe_stylesheet(element.text or "")
            if cleaned != (element.text or "").strip():
                removed.append("a <style> rule that loads files")
            element.text = cleaned
            for child in list(element):
                element.remove(child)
        for attribute in list(element.attrib):
            value = element.get(attribute, "")
            short = local(attribute).lower()
            if short.startswith("on"):
                removed.append(f"the {short} attribute")
                del element.attrib[attribute]
            elif attribute in LINK_ATTRIBUTES or short == "href":
                if not value.strip().startswith("#"):
                    removed.append(f"a link to '{value[:60]}'")
                    del element.attrib[attribute]
            elif short == "style":
                element.set(attribute, safe_declarations(value))
            elif "(" in value and not safe_value(value):
                removed.append(f"the {short} attribute that loads files")
                del element.attrib[attribute]
    return removed


def is_link_animation(element: etree._Element) -> bool:
    """An animation that rewrites a link (`attributeName="href"`) could make it `javascript:`."""
    target = (element.get("attributeName") or "").lower()
    return "href" in target or target.startswith("on")


def clean_svg_file(data: bytes) -> tuple[bytes, list[str]]:
    """The SVG file's bytes cleaned, and what was taken out. Raises SvgProblem for a file that
    is not SVG or asks for too much."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise SvgProblem(f"is not a well-formed SVG file ({error})") from None
    if local(cast(str, root.tag)) != "svg":
        raise SvgProblem("is not an SVG file (its root element is not <svg>)")
    check_complexity(root)
    removed = clean_svg_tree(root)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), removed
