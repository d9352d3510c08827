"""The book laid out chapter by chapter, as the same pages a whole-book layout gives.

Chapters open on a new page, so a chapter's pages depend on the rest of the book only through what
carries over a page break: which side the page before it is on, that page's number, the running
heads' strings (`string-set`), and the page numbers of the places it refers to (`target-counter`:
the contents, cross-references, back-references). Each *unit* (the front matter with the
contents, each chapter or part, and each section of the back matter) is laid out as a WeasyPrint
document of its own, with those four things given:

- a first page to throw away, on the side of the page before the unit, numbered and named as that
  page is, so the unit's own break (a chapter opening on a right-hand page, with a blank page when
  it must) happens as it does in the whole book;
- the strings in force at its start, answered where the unit has set none yet;
- the page numbers of the places outside it that it refers to.

A unit whose text and start are those of a unit laid out before (but for page numbers it never
printed) is not laid out again (`UnitLayouts` keeps them), so a build that edits one chapter lays
out that chapter, and the contents and any unit whose printed references moved. One that only
moved, numbered on from an earlier chapter that grew, keeps its pages: its folios and running heads
are made again (`LaidOutUnit.renumbered`). The page numbers given at first are those of the last
layout, or 0; when the layout shows other numbers, the units that printed wrong ones are laid out
again, until every number printed is the number found. The pages of all units make one document
(`Document.copy`), so fonts are subset once and links and the outline cross units.

What cannot be carried this way, and the whole book is then laid out as one (`splittable`): CSS
counters of elements, the total page count, running elements, target-text and fixed boxes (which
stand on every page of a document).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

import lxml.html
from lxml import etree
from weasyprint import CSS, DEFAULT_OPTIONS, HTML
from weasyprint.css.targets import TargetLookupItem
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.html import get_html_metadata
from weasyprint.layout import LayoutContext
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import make_margin_boxes
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration

from ...errors import BuildStopped

UNIT_STARTS = frozenset({"chapter", "part", "glossary", "resources", "book-index"})
THROWN_AWAY = "octavo-unit-start"  # the class of the element on the page thrown away
# What a unit cannot be given: counters of elements (chapter numbers made by CSS), the total page
# count, running elements and text copied from a target.
NOT_CARRIED = re.compile(
    r"counter-(?:reset|increment|set)\s*:\s*(?!none\b|page\b)[-\w]|counters?\(\s*(?:pages|footnote)\b"
    r"|running\(|element\(|target-text\(|position\s*:\s*fixed",
    re.IGNORECASE,
)
MAX_PASSES = 4


def splittable(stylesheet_texts: list[str]) -> bool:
    """Whether every stylesheet leaves a unit's pages to what `Carried` carries."""
    return not any(NOT_CARRIED.search(text) for text in stylesheet_texts)


@dataclass(frozen=True)
class Carried:
    """What a unit takes from the pages before it."""

    right_side: bool  # the page before it is a right-hand page
    page_number: int  # the value of that page's page counter
    page_name: str  # that page's name (CSS `page`): a change of name is a break of its own
    strings: tuple[tuple[str, str], ...]  # named strings in force at its start
    references: tuple[tuple[str, int], ...]  # the page counter of each place outside it it refers to


@dataclass
class LaidOutUnit:
    """A unit's pages (the page thrown away is gone), with what the next units need of them."""

    pages: list[Any]  # weasyprint.document.Page
    page_numbers: list[int]  # each page's page counter
    last_strings: dict[str, str]  # named strings in force after its last page
    last_page_name: str
    document: Document
    context: LayoutContext  # for the margin boxes, when its page numbers move (see `renumbered`)
    states: list[Any]  # each page's state in the layout (its counters among them)
    first_page: int  # the index of its first page in `document` (1: after the one thrown away)
    renumberable: bool  # numbered on from the page before it, and no page number of its own in its text
    looked_up: frozenset[str]  # the places whose page numbers it printed (target-counter): only they matter

    def renumbered(self, by: int) -> None:
        """Its pages, numbered `by` more: the margin boxes (folios, running heads) made again, as
        WeasyPrint makes them once a document's pages are laid out. The pages themselves do not
        change; a unit whose text prints its own page numbers is laid out again instead."""
        for index, page in enumerate(self.pages):
            state = copy.deepcopy(self.states[index])
            state[1]["page"] = [value + by for value in state[1].get("page", [0])]
            box = page._page_box
            inside = [child for child in box.children if not isinstance(child, boxes.MarginBox)]
            self.context.current_page = self.first_page + index + 1
            box.children = tuple(inside + list(make_margin_boxes(self.context, box, state)))
            layout_backgrounds(box, self.context.get_image_from_uri)
            self.states[index] = state
        self.page_numbers = [number + by for number in self.page_numbers]


@dataclass
class Unit:
    """One part of the print HTML that opens on a page of its own."""

    html: str  # a whole HTML document
    ids: frozenset[str]
    references: tuple[str, ...]  # targets of its links that lie outside it, in order
    digest: str


class CarryingContext(LayoutContext):  # type: ignore[misc]
    """WeasyPrint's layout context, answering a named string the unit has not set with the one in
    force where the unit starts (page numbers count from 1: there is no page 0 to put it on)."""

    carried_strings: dict[str, str]

    def get_string_or_element_for(self, store: Any, page: Any, name: str, keyword: str) -> Any:
        found = super().get_string_or_element_for(store, page, name, keyword)
        if found or keyword == "all-once" or store is not self.string_set or self.current_page in store[name]:
            return found
        for previous in range(self.current_page - 1, 0, -1):
            if previous in store[name]:
                return found
        value = self.carried_strings.get(name)
        return (value,) if value is not None else found


class Target:
    """What WeasyPrint reads of a target outside the unit: its counters, the page's among them."""

    def __init__(self, page_number: int) -> None:
        self.cached_counter_values = {"page": [page_number]}


# The unit being laid out: what it is given, and where its layout context goes (see UnitDocument).
LAYING_OUT: ContextVar[tuple[Carried, list[LayoutContext]]] = ContextVar("laying_out")


class UnitDocument(Document):  # type: ignore[misc]
    """A Document whose layout starts from what LAYING_OUT gives, and keeps its layout context there
    (WeasyPrint makes the context inside `_render` and lets it go)."""

    @classmethod
    def _build_layout_context(cls, *args: Any, **kwargs: Any) -> LayoutContext:
        carried, contexts = LAYING_OUT.get()
        context = super()._build_layout_context(*args, **kwargs)
        context.__class__ = CarryingContext
        context.carried_strings = dict(carried.strings)
        items = context.target_collector.target_lookup_items
        for anchor, page_number in carried.references:
            if anchor not in items:
                item = TargetLookupItem("up-to-date")
                item.target_box = Target(page_number)
                items[anchor] = item
        collector, looked_up = context.target_collector, []
        ask = collector.lookup_target

        def lookup_target(*args: Any) -> Any:
            item = ask(*args)
            looked_up.append(item)
            return item

        collector.lookup_target = lookup_target
        context.looked_up = looked_up
        contexts.append(context)
        return context


KEPT_VALUE = re.compile(r"octavo-kept-value-(\d+)")


def keep_attribute_values(root: etree._Element) -> list[str]:
    """Attribute values beyond ASCII, each replaced by a placeholder to put back after serializing:
    libxml2 writes `href="#前言"` as `href="#%E5%89%8D%E8%A8%80"`, which no longer names the id."""
    values: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if not value.isascii():
                element.set(name, f"octavo-kept-value-{len(values)}")
                values.append(value)
    return values


@dataclass(frozen=True)
class Split:
    units: list[Unit]
    head: str  # the document with its head and an empty body: the PDF's metadata is read from it


def split(printed: str) -> Split:
    """The print HTML as units: the front matter (everything before the first chapter), then each
    chapter, part and back-matter section. None of them has the head's title and meta elements,
    which give the PDF's metadata and nothing else: an edit changes the time of the last change
    there, and no unit must be laid out again for that."""
    root = lxml.html.document_fromstring(printed)
    body = root.find("body")
    assert body is not None, "the print template gives a body"
    groups: list[list[etree._Element]] = [[]]
    for child in body:
        if not isinstance(child.tag, str):
            continue
        classes = set(child.get("class", "").split())
        if classes & UNIT_STARTS and groups[-1] and (len(groups) > 1 or classes & {"chapter", "part"}):
            groups.append([])
        groups[-1].append(child)
    found = []
    for group in groups:
        ids = frozenset(i for element in group for i in element.xpath(".//@id | @id"))
        hrefs = [h[1:] for element in group for h in element.xpath(".//@href") if h.startswith("#")]
        found.append((ids, tuple(dict.fromkeys(h for h in hrefs if h not in ids))))
    kept_values = keep_attribute_values(body)
    for child in list(body):
        body.remove(child)
    opening, body_tag = outside_the_body(root)
    for element in root.xpath("/html/head/meta | /html/head/title"):
        element.drop_tree()
    plain_opening, _ = outside_the_body(root)
    units = []
    for number, (group, (ids, references)) in enumerate(zip(groups, found, strict=True)):
        inner = "".join(
            etree.tostring(element, method="html", encoding="unicode", with_tail=False) for element in group
        )
        inner = KEPT_VALUE.sub(lambda found: escape(kept_values[int(found.group(1))]), inner)
        start = "" if number == 0 else f'<div class="{THROWN_AWAY}"></div>'
        html = f"<!DOCTYPE html>\n{plain_opening}{body_tag}{start}{inner}</body></html>"
        units.append(Unit(html, ids, references, hashlib.sha256(html.encode()).hexdigest()))
    return Split(units, f"<!DOCTYPE html>\n{opening}{body_tag}</body></html>")


def outside_the_body(root: etree._Element) -> tuple[str, str]:
    """The document up to its body, and the body's opening tag, of a document whose body is empty."""
    text = etree.tostring(root, method="html", encoding="unicode")
    opening = text.split("<body", 1)[0]
    body_tag = re.match(r"<body[^>]*>", text[len(opening) :])
    assert body_tag is not None, "the body is there, empty"
    return opening, body_tag.group(0)


@dataclass
class UnitLayouts:
    """Units laid out before, by their text and what they were given: a long-running process (the
    preview) keeps them from one build to the next."""

    laid_out: dict[tuple[str, Carried], LaidOutUnit] = field(default_factory=dict)
    page_of: dict[str, int] = field(default_factory=dict)  # each anchor's page counter, last time
    layouts: int = 0  # units laid out, for tests and the benchmark
    renumberings: int = 0  # units given other page numbers without a new layout
    laid: set[str] = field(default_factory=set)  # the units laid out since the owner last emptied it
    cited_pages: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # the resource list's, last time
    should_stop: Callable[[], bool] = lambda: False  # asked between units: the preview has a newer change

    def keep_only(self, used: set[tuple[str, Carried]]) -> None:
        self.laid_out = {key: value for key, value in self.laid_out.items() if key in used}


Render = Callable[[HTML, list[CSS]], Document]


def lay_out_units(
    book: Split,
    base_url: str,
    url_fetcher: Any,
    fonts: FontConfiguration,
    stylesheets: list[CSS],
    options: dict[str, Any],
    direction: str,
    kept: UnitLayouts,
) -> Document | None:
    """The whole book's pages, unit by unit; None when a unit did not open on a page of its own
    (the stylesheets run it on from the one before), which only a whole-book layout can set."""
    first_right = direction != "rtl"
    units = book.units
    for _ in range(MAX_PASSES):
        used: set[tuple[str, Carried]] = set()
        laid: list[LaidOutUnit] = []
        given: list[Carried] = []
        right_side, page_number, page_name = not first_right, 0, ""  # before the first page
        strings: dict[str, str] = {}
        known = dict(kept.page_of)
        this_pass: dict[str, int] = {}  # wins over `known` once found: a backward reference is right at once
        for number, unit in enumerate(units):
            references = tuple((anchor, this_pass.get(anchor, known.get(anchor, 0))) for anchor in unit.references)
            carried = Carried(right_side, page_number, page_name, tuple(sorted(strings.items())), references)
            key = (unit.digest, carried)
            used.add(key)
            if key not in kept.laid_out:
                reuse_if_the_same(kept, unit.digest, carried)
            if key not in kept.laid_out:
                if kept.should_stop():
                    raise BuildStopped
                result = lay_out_one(unit, number == 0, carried, base_url, url_fetcher, fonts, stylesheets, options)
                if result is None:
                    kept.laid_out.clear()  # this book is laid out whole: nothing kept is of use
                    return None
                kept.laid_out[key] = result
                kept.layouts += 1
                kept.laid.add(unit.digest)
            unit_pages = kept.laid_out[key]
            for page, page_number_there in zip(unit_pages.pages, unit_pages.page_numbers, strict=True):
                for anchor in page.anchors:
                    this_pass.setdefault(anchor, page_number_there)
            laid.append(unit_pages)
            given.append(carried)
            if unit_pages.pages:
                count = len(unit_pages.pages)
                right_side = right_side if count % 2 == 0 else not right_side
                page_number = unit_pages.page_numbers[-1]
                page_name = unit_pages.last_page_name
            strings = unit_pages.last_strings
        settled = all(
            this_pass.get(anchor, 0) == value
            for carried, unit_pages in zip(given, laid, strict=True)
            for anchor, value in carried.references
            if anchor in unit_pages.looked_up
        )
        kept.page_of = this_pass
        if settled:
            kept.keep_only(used)  # what this book is now: a unit laid out for another start is gone
            pages = [page for unit_pages in laid for page in unit_pages.pages]
            document = laid[0].document.copy(pages)
            head = HTML(string=book.head, base_url=base_url, url_fetcher=url_fetcher)
            document.metadata = DocumentMetadata(**get_html_metadata(head))
            return document
    return None


def reuse_if_the_same(kept: UnitLayouts, digest: str, carried: Carried) -> None:
    """A unit laid out before whose layout holds for `carried` too, kept under it: its text and
    start were the same but for page numbers it never printed; or it started on the same side after
    a page of the same name but is numbered otherwise, and is renumbered."""
    for (other_digest, before), laid in list(kept.laid_out.items()):
        if other_digest != digest:
            continue
        printed = {anchor: value for anchor, value in before.references if anchor in laid.looked_up}
        now = {anchor: value for anchor, value in carried.references if anchor in laid.looked_up}
        if printed != now or replace(before, references=(), page_number=0) != replace(
            carried, references=(), page_number=0
        ):
            continue
        if before.page_number != carried.page_number:
            if not laid.renumberable:
                continue
            laid.renumbered(carried.page_number - before.page_number)
            kept.renumberings += 1
        del kept.laid_out[(other_digest, before)]
        kept.laid_out[(digest, carried)] = laid
        return


def lay_out_one(
    unit: Unit,
    first: bool,
    carried: Carried,
    base_url: str,
    url_fetcher: Any,
    fonts: FontConfiguration,
    stylesheets: list[CSS],
    options: dict[str, Any],
) -> LaidOutUnit | None:
    own = []
    if not first:
        side = "right" if carried.right_side else "left"
        if carried.page_name:
            own.append(CSS(string=f".{THROWN_AWAY} {{ page: {carried.page_name}; }}"))
        starts = f"html {{ break-before: {side}; }}"
        numbered = f"@page :first {{ counter-reset: page {carried.page_number} !important; }}"  # over named pages
        own.append(CSS(string=f"{starts} {numbered}"))
    html = HTML(string=unit.html, base_url=base_url, url_fetcher=url_fetcher)
    settings = {**DEFAULT_OPTIONS, **options, "stylesheets": [*stylesheets, *own]}
    made: list[LayoutContext] = []
    token = LAYING_OUT.set((carried, made))
    try:
        document = UnitDocument._render(html, fonts, None, None, settings)
    finally:
        LAYING_OUT.reset(token)
    context = made[-1]
    states = context.page_maker
    numbers = [states[index + 1][3][1].get("page", [0])[-1] for index in range(len(document.pages))]
    strings = dict(carried.strings)
    for name, by_page in context.string_set.items():
        assigned = [values for page, values in sorted(by_page.items()) if values]
        if assigned:
            strings[name] = assigned[-1][-1]
    pages = document.pages
    if not first:
        if not only_the_start(pages[0]):
            return None
        pages, numbers = pages[1:], numbers[1:]
    name = pages[-1]._page_box.page_type.name if pages else carried.page_name
    first_page = 0 if first else 1
    page_states = [states[index + 1][3] for index in range(first_page, len(document.pages))]
    numbered_on = numbers == list(range(carried.page_number + 1, carried.page_number + 1 + len(numbers)))
    names = {id(item): anchor for anchor, item in context.target_collector.target_lookup_items.items()}
    looked_up = frozenset(names[id(item)] for item in context.looked_up if id(item) in names)
    renumberable = numbered_on and not first and not looked_up & unit.ids  # prints no page number of its own
    return LaidOutUnit(
        pages, numbers, strings, name or "", document, context, page_states, first_page, renumberable, looked_up
    )


def only_the_start(page: Any) -> bool:
    """Whether the page thrown away holds nothing of the unit (its break happened)."""
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        if element is None or element.tag in ("html", "body"):
            continue
        if element.get("class") != THROWN_AWAY:
            return False
    return True
