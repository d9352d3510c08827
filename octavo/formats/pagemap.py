"""Where the printed pages begin, carried into the EPUB as page-break markers and a page list.

Both outputs come from the same chapter HTML, so a block element (paragraph, heading, list item,
table row, ...) has the same key in both: its id, or `pb<chapter>-<n>` for the n-th block. The print
document gives each block its key as an id; after layout, WeasyPrint says on which pages each id
appears, and the page whose first block opens there is placed before that block in the EPUB.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "dt", "dd", "figure", "hr"})
# Markers may not stand between the children of these: they go inside the block instead.
LIST_PARENTS = frozenset({"ol", "ul", "dl", "table", "thead", "tbody", "tfoot", "tr", "menu"})


def blocks(root: etree._Element) -> Iterator[etree._Element]:
    """Block elements in document order, outside footnotes and code."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in BLOCK_TAGS:
            continue
        if any(
            parent.tag == "pre" or (parent.tag == "section" and "footnotes" in parent.get("class", ""))
            for parent in element.iterancestors()
        ):
            continue
        yield element


def block_keys(root: etree._Element, chapter_number: int) -> Iterator[tuple[str, etree._Element]]:
    for index, element in enumerate(blocks(root)):
        yield element.get("id") or f"pb{chapter_number}-{index}", element


def tag_blocks(root: etree._Element, chapter_number: int) -> None:
    """Give each block its key as an id, so the laid-out document reports where it lands."""
    for key, element in block_keys(root, chapter_number):
        element.set("id", key)


@dataclass
class PageMap:
    """Printed page labels by the block key before which each page begins."""

    markers: dict[str, list[str]] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)  # in reading order

    def __bool__(self) -> bool:
        return bool(self.labels)


def page_map(pages: list[Any], labels: list[str], order: dict[str, int], first_body_page: int) -> PageMap:
    """From the laid-out pages (their anchors) to markers: each body page at the first block it opens."""
    first_seen: dict[str, int] = {}
    for index, page in enumerate(pages):
        for key in page.anchors:
            if key in order:
                first_seen.setdefault(key, index)
    starts: dict[int, list[str]] = {}
    for key, index in first_seen.items():
        starts.setdefault(index, []).append(key)
    result = PageMap()
    waiting: list[str] = []
    for index in range(first_body_page, len(pages)):
        waiting.append(labels[index])
        if index in starts:
            key = min(starts[index], key=order.__getitem__)
            result.markers.setdefault(key, []).extend(waiting)
            result.labels.extend(waiting)
            waiting = []
    return result


def marker_place(element: etree._Element) -> tuple[etree._Element, int]:
    """Where a marker for `element` goes: before it, or first inside it when its parent allows no text."""
    parent = element.getparent()
    if parent is not None and local_name(parent) not in LIST_PARENTS:
        return parent, parent.index(element)
    if local_name(element) == "tr":
        cell = next((child for child in element if local_name(child) in ("td", "th")), element)
        return cell, 0
    return element, 0


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname
