"""The printed index: its page numbers from the laid-out book, its links added after layout.

WeasyPrint spends about half a millisecond on each inline element, so thousands of index marks and
page links would cost seconds. In print a mark is therefore plain text: before layout, each one is
noted as its block and the number of word characters before it there (`unwrap_marks`); after
layout, the text boxes of that block are counted up to it (`mark_positions`), which gives its page
and line, and the mark's anchor is added to that page. Likewise the index's page numbers are plain
text, and each is made a link from where its text box sets it (`link_locators`). A tagged PDF
(PDF/UA, PDF/A "a") keeps real links, which its structure tree must hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import VARIANTS
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

from ...model import Book, IndexEntry
from ..pagemap import BLOCK_TAGS

ffi.cdef("void pango_layout_index_to_pos (PangoLayout *layout, int index_, PangoRectangle *pos);", override=True)

Locator = tuple[str, str, bool]  # an index entry's place in print: ("14–16", "#ix-3-closure", defining)
Rectangle = tuple[float, float, float, float]
WORD_CHARACTER = re.compile(r"\w")
NOT_SET_AS_TEXT = frozenset({"svg", "math", "img", "script", "style", "template"})


def tagged(variant: str | None) -> bool:
    """Whether WeasyPrint writes a structure tree for this PDF variant (its links must be in it)."""
    return bool(variant and VARIANTS.get(variant, (None, {}))[1].get("pdf_tags"))


@dataclass(frozen=True)
class MarkPlace:
    """Where an index mark stands in print: in block `block`, after `offset` word characters."""

    anchor: str
    block: str
    offset: int


def unwrap_marks(root: lxml.html.HtmlElement, places: dict[str, MarkPlace]) -> None:
    """Each index mark of a chapter (its blocks keyed, its footnotes at their calls) becomes its plain
    words, its place noted in `places`. A mark in a footnote, or outside any block, keeps its span
    and its id: WeasyPrint then says where it lands."""
    for mark in root.xpath('.//span[contains(concat(" ", @class, " "), " index-mark ")][@id]'):
        block = next((parent for parent in mark.iterancestors() if keyed(parent)), None)
        if block is None or any(is_footnote(parent) for parent in mark.iterancestors()):
            continue
        places[mark.get("id")] = MarkPlace(mark.get("id"), block.get("id"), words_before(block, mark))
        mark.drop_tag()  # its words and children stay where they stand


def keyed(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag in BLOCK_TAGS and bool(element.get("id"))


def is_footnote(element: etree._Element) -> bool:
    return element.tag == "span" and "footnote" in element.get("class", "").split()


def words_before(block: etree._Element, mark: etree._Element) -> int:
    """The word characters WeasyPrint sets in `block` before `mark`: footnotes stand elsewhere, and
    images, SVG and MathML are not set as text."""
    count = 0

    def walk(element: etree._Element) -> bool:
        nonlocal count
        if element is mark:
            return True
        if isinstance(element.tag, str) and element.tag not in NOT_SET_AS_TEXT and not is_footnote(element):
            count += len(WORD_CHARACTER.findall(element.text or ""))
            for child in element:
                if walk(child):
                    return True
                count += len(WORD_CHARACTER.findall(child.tail or ""))
        return False

    walk(block)
    return count


def text_boxes(box: Any, within: Callable[[Any], bool]) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Each text box under `box` that the document's own text fills (no ::before, ::marker or other
    generated content), with the ids of the boxes `within` selects that hold it, innermost last."""
    open_ids: list[str] = []

    def walk(current: Any) -> Iterator[tuple[Any, tuple[str, ...]]]:
        if "::" in (current.element_tag or ""):
            return
        if isinstance(current, boxes.TextBox):
            yield current, tuple(open_ids)
            return
        opened = False
        if current.element is not None and within(current):
            element_id = current.element.get("id")
            if not open_ids or open_ids[-1] != element_id:
                open_ids.append(element_id)
                opened = True
        for child in getattr(current, "children", ()):
            yield from walk(child)
        if opened:
            open_ids.pop()

    yield from walk(box)


def mark_positions(pages: list[Page], places: dict[str, MarkPlace]) -> dict[str, tuple[int, Rectangle]]:
    """The page and line of each mark in `places`: the text box that holds its first word character
    (a mark with no words after it in its block: the end of the block)."""
    waiting: dict[str, list[MarkPlace]] = {}
    for place in places.values():
        waiting.setdefault(place.block, []).append(place)
    for marks in waiting.values():
        marks.sort(key=lambda place: place.offset)
    counted: dict[str, int] = {}
    last_seen: dict[str, tuple[int, Rectangle]] = {}
    found: dict[str, tuple[int, Rectangle]] = {}

    def holds_marks(box: Any) -> bool:
        return box.element.get("id") in waiting and box.element.tag in BLOCK_TAGS

    for number, page in enumerate(pages):
        for box, blocks in text_boxes(page._page_box, holds_marks):
            here = (number, (box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height))
            characters = len(WORD_CHARACTER.findall(box.text)) if blocks else 0
            for block in blocks:  # a list item's count includes the paragraphs in it, as `words_before` counts
                count = counted.get(block, 0) + characters
                marks = waiting[block]
                while marks and marks[0].offset < count:
                    found[marks.pop(0).anchor] = here
                counted[block], last_seen[block] = count, here
    for block, marks in waiting.items():
        for place in marks:
            if block in last_seen:
                found[place.anchor] = last_seen[block]
    return found


def add_anchors(pages: list[Page], positions: dict[str, tuple[int, Rectangle]]) -> None:
    """Make each located mark an anchor of its page, as its span's id would have been."""
    for anchor, (number, rectangle) in positions.items():
        pages[number].anchors.setdefault(anchor, rectangle)


def with_index(
    rendered: Document,
    book: Book,
    labels: list[str],
    body: int,
    places: dict[str, MarkPlace],
    index_with: Callable[[Callable[[IndexEntry], list[Locator]], str, bool], Document],
    links_in_text: bool,
) -> Document:
    """The book with its index set: the book was laid out with the index's heading alone, last, so
    every page the index points at is known; the index is then laid out by itself, its first page
    numbered as its heading's was, and takes the heading's place. An entry's pages are each given
    once, consecutive ones as a range ("14–16"), the page that defines the term in bold. With
    `links_in_text`, the index's page numbers were set as plain text and are made links here."""
    pages = rendered.pages
    start = next((i for i, page in enumerate(pages) if "book-index" in page.anchors), None)
    if start is None:
        return rendered
    positions = mark_positions(pages[:start], places)
    add_anchors(pages, positions)
    where = {anchor: i for i, page in enumerate(pages[:start]) for anchor in page.anchors if anchor.startswith("ix-")}
    given: dict[str, list[Locator]] = {}

    def locators(entry: IndexEntry) -> list[Locator]:
        return given.setdefault(entry.anchor, page_locators(entry, where, labels))

    verso = start % 2 == 1  # not on the side a document's first page is on
    index = index_with(locators, labels[start] if start >= body else "1", verso)
    index_pages = index.pages[1 if verso else 0 :]
    if links_in_text and book.index is not None:
        link_locators(index_pages, given, {entry.anchor: entry.term for entry in book.index.entries()})
    return rendered.copy([*pages[:start], *index_pages])


def first_anchor_on(anchors: Iterable[str], where: dict[str, int]) -> dict[int, str]:
    """Each page these anchors stand on (by `where`, anchor -> page), with the first of them there."""
    first_on: dict[int, str] = {}
    for anchor in anchors:
        if anchor in where:
            first_on.setdefault(where[anchor], anchor)
    return first_on


def page_runs(pages: Iterable[int], join: Callable[[int, int], bool]) -> list[list[int]]:
    """The pages in order, each run of consecutive ones together where `join(before, page)` allows:
    the index's and the resource list's page references print a run as a range."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1 and join(runs[-1][-1], page):
            runs[-1].append(page)
        else:
            runs.append([page])
    return runs


def page_locators(entry: IndexEntry, where: dict[str, int], labels: list[str]) -> list[Locator]:
    """The pages of an entry's marks: each once, in order, runs of three or more pages as a range;
    a defining page on its own, in bold."""
    first_on = first_anchor_on((mark.anchor for mark in entry.marks), where)
    defining = {where[mark.anchor] for mark in entry.marks if mark.defining and mark.anchor in where}
    runs = page_runs(first_on, lambda before, page: before not in defining and page not in defining)
    found: list[Locator] = []
    for run in runs:
        if len(run) >= 3:
            found.append((f"{labels[run[0]]}–{labels[run[-1]]}", f"#{first_on[run[0]]}", False))
        else:
            found.extend((labels[page], f"#{first_on[page]}", page in defining) for page in run)
    return found


def link_locators(pages: list[Page], given: dict[str, list[Locator]], terms: dict[str, str]) -> None:
    """Make each page number of the laid-out index a link to its mark: the entry's text boxes are
    read in order, each number found in them after the term, and its width measured in its line."""
    pieces: dict[str, list[tuple[int, Any]]] = {}

    def is_entry(box: Any) -> bool:
        return box.element.tag == "li" and box.element.get("id") in given

    for number, page in enumerate(pages):
        for box, entries in text_boxes(page._page_box, is_entry):
            if entries:  # a sub-entry's words are its own, not its entry's
                pieces.setdefault(entries[-1], []).append((number, box))
    for anchor, locators in given.items():
        entry_pieces = pieces.get(anchor, [])
        text = "".join(box.text for _, box in entry_pieces)
        cursor = len(terms.get(anchor, ""))
        for words, link, _ in locators:
            at = text.find(words, cursor)
            if at < 0:
                continue
            cursor = at + len(words)
            number, box, start = piece_at(entry_pieces, at)
            end = min(start + len(words), len(box.text))
            left, right = x_span(box, start, end)
            rectangle = (left, box.position_y, right, box.position_y + box.height)
            pages[number].links.append(("internal", link.lstrip("#"), rectangle, box))


def piece_at(pieces: list[tuple[int, Any]], at: int) -> tuple[int, Any, int]:
    """The page and text box that hold character `at` of the pieces' joined text, and its offset there."""
    for number, box in pieces:
        if at < len(box.text):
            return number, box, at
        at -= len(box.text)
    number, box = pieces[-1]
    return number, box, len(box.text)


def x_span(box: Any, start: int, end: int) -> tuple[float, float]:
    """From where character `start` of a text box is set to where character `end` is (its Pango
    layout is put away after layout, and brought back for this as for drawing)."""
    layout = box.pango_layout
    layout.reactivate(box.style)
    try:
        edges = []
        for index in (start, end):
            position = ffi.new("PangoRectangle *")
            byte = len(box.text[:index].encode("utf-8"))
            pango.pango_layout_index_to_pos(layout.layout, byte, position)
            edges.append(box.position_x + position.x * FROM_UNITS)
    finally:
        layout.deactivate()
    return min(edges), max(edges)


def index_page_css(first_page: str, title: str, verso: bool = False) -> str:
    """For the index laid out alone: its first page numbered as in the whole book (after a page that
    is thrown away, when it opens on a verso), and the book's title in its running heads (the title
    page that sets it is not in this document)."""
    number = (int(first_page) if first_page.isdigit() else 1) - (1 if verso else 0)
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'@page :first {{ counter-reset: page {number}; }}\nbody {{ string-set: book-title "{quoted}"; }}\n'
