"""One print HTML document -> WeasyPrint -> PDF.

The page geometry comes from book.toml as a stylesheet of its own; footnotes move to where they
are called (WeasyPrint's `float: footnote` sets them at the foot of that page); page labels make
a viewer show "iii" and "1" where the page prints them.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import gc
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import lxml.html
import pydyf
from jinja2 import Environment
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from ...errors import Problem
from ...model import Book, Chapter, IndexEntry, PdfSettings
from ...read.codelines import wrap_code_lines
from ...read.equations import drawn_formulas
from ...read.markdown import WIDE
from ...read.pagesizes import is_length, points
from ...style.bookstyles import book_style_parts
from ...style.cssfilter import stylesheet_urls
from ...style.fonts import book_characters
from ...style.scriptfonts import stack_value
from ...style.themes import StylePart, stylesheet
from ..pagemap import PageMap, block_keys, page_map, tag_blocks
from .book_index import (
    Locator,
    MarkPlace,
    first_anchor_on,
    index_page_css,
    page_runs,
    tagged,
    unwrap_marks,
    with_index,
)
from .fetcher import REFUSAL, BookFetcher
from .fonts import fixed_font_timestamps, install
from .units import UnitLayouts, lay_out_units, split, splittable

install()  # one font subsetter on every machine: see pdffonts.py


class RefusalsAreOctavosToReport(logging.Filter):
    """WeasyPrint logs a bare `ERROR: Failed to load image at ...` for each file the fetcher refuses;
    Octavo reports those itself, as warnings naming the file (see `lay_out`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return REFUSAL not in record.getMessage()


logging.getLogger("weasyprint").addFilter(RefusalsAreOctavosToReport())


def print_html(
    book: Book,
    env: Environment,
    deferred: dict[str, str] | None = None,
    locators: Callable[[IndexEntry], list[Locator]] | None = None,
    places: dict[str, MarkPlace] | None = None,
    links_in_text: bool = False,
    cited_pages: dict[str, list[tuple[str, str]]] | None = None,
) -> str:
    """The whole book as one HTML document: front matter, contents, chapters, glossary, resource
    list, and the index's heading; with `locators`, the index alone, its entries set with their
    pages (see `with_index`). `deferred` figures stand further on (see `figures_to_defer`). With
    `places`, index marks are plain words, their places noted there (see `unwrap_marks`); with
    `links_in_text`, the index's page numbers are plain text (see `link_locators`). `cited_pages`
    gives each resource the pages it is cited on (see `pages_cited`); without them its back-references
    are a number for every citation, as a first layout's stand-in."""
    meta = book.meta
    labels = book.labels
    settings = book.config.pdf
    return env.get_template("print/book.html").render(
        book=book,
        meta=meta,
        labels=labels,
        toc=book.toc(),
        toc_depth=book.config.toc_depth,
        toc_title=book.toc_title,
        href=lambda anchor: f"#{anchor}",
        chapter_html=partial(chapter_print_html, deferred=deferred or {}, places=places),
        citations=book.citations,
        cited_pages=cited_pages or {},
        medium="print",
        number_chapters=settings.number_chapters,
        body_classes=["recto-chapters" if settings.recto_chapters else "chapters-anywhere"],
        subject=meta.description or ", ".join(meta.subjects),
        created=book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        only_index=locators is not None,
        locators=locators or (lambda entry: []),
        links_in_text=links_in_text,
    )


def page_css(settings: PdfSettings, direction: str = "ltr", grid: CharacterGrid | None = None) -> str:
    """Size, mirrored margins and bleed from `[pdf]`; images never taller than the text block.

    In a right-to-left book the left-hand page is the recto, so the running heads trade places:
    the chapter title on the left, the book title on the right (margins and folios stay outside).
    Chinese and Japanese are set on a `grid` of whole characters: the text block is as wide as a
    whole number of them, and paragraphs are indented by whole characters (two in Chinese, one in
    Japanese, as their books do), so a line of those scripts ends flush."""
    margins = settings.margins
    text_height = points(settings.height) - points(margins.top) - points(margins.bottom)
    bleed = f"bleed: {settings.bleed}; marks: none;" if settings.bleed else ""
    css = f"""
@page {{
  size: {settings.width} {settings.height};
  margin: {margins.top} {margins.outer} {margins.bottom} {margins.inner};
  {bleed}
}}
@page :left {{ margin-left: {margins.outer}; margin-right: {margins.inner}; }}
@page :right {{ margin-left: {margins.inner}; margin-right: {margins.outer}; }}
img, svg {{ max-height: {text_height * 0.85:.0f}pt; }}
"""
    if not settings.recto_chapters:
        css += ".chapter, .part, .resources, .glossary, .book-index, .toc, .titlepage { break-before: page; }\n"
    if grid:
        width = points(settings.width) - points(margins.inner) - points(margins.outer)
        css += (
            f"body {{ width: {int(width // grid.size) * grid.size:.2f}pt; margin-left: auto; margin-right: auto; }}\n"
        )
        if grid.indent:
            css += f":root {{ --paragraph-indent: {grid.indent}em; }}\n"
    if direction == "rtl":
        css += "@page :left { @top-center { content: string(chapter-title); } }\n"
        css += "@page :right { @top-center { content: string(book-title); } }\n"
        css += ".toc a::after { margin-inline-end: 0; }\n"
    return css


def chapter_print_html(
    chapter: Chapter, deferred: dict[str, str] | None = None, places: dict[str, MarkPlace] | None = None
) -> str:
    """The chapter with its blocks keyed for the page map, and each footnote moved to its call
    (WeasyPrint sets a `float: footnote` element at the foot of the page where it stands); with
    `places`, its index marks as plain words (see `unwrap_marks`)."""
    root = copy.deepcopy(chapter.tree())
    add_break_opportunities(root)
    wrap_code_lines(root)
    drawn_formulas(root)
    mark_lead_ins(root)
    tag_blocks(root, chapter.number)
    for key, after in (deferred or {}).items():
        defer(root, key, after)
    notes = {item.get("id"): item for item in root.xpath('.//section[@class="footnotes"]//li[@id]')}
    placed: set[str] = set()
    for call in root.xpath('.//sup[a[@class="footnote-ref"]]'):
        link = call.find("a")
        note_id = unquote(link.get("href", "").lstrip("#"))  # "#%D0%B0-fn1" in a chapter with a non-Latin id
        note = notes.get(note_id)
        if note is None or note_id in placed:
            continue
        placed.add(note_id)
        footnote = etree.Element("span", {"class": "footnote", "id": note_id, "data-number": link.text or ""})
        for part in note:
            part.tag = "span"
            part.set("class", "footnote-para")
            part.attrib.pop("id", None)
            for back in part.xpath('.//a[@class="footnote-backref"]'):
                back.drop_tree()
            footnote.append(part)
        footnote.tail = call.tail
        call.getparent().replace(call, footnote)
    for section in root.xpath('.//section[@class="footnotes"]'):
        section.drop_tree()
    if places is not None:
        unwrap_marks(root, places)
    text = "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
    return (root.text or "") + text


# Longer than a third of a line or so, it may have to break. Chinese and Japanese break between
# any two characters already (and must not before their closing punctuation), so they end a run.
LONG_RUN = re.compile(f"[^\\s{WIDE}]{{41,}}")
CODE_RUN = re.compile(r"\S{201,}")
CODE_BREAK = re.compile(r"(\S{40})(?=\S)")
BREAK_AFTER = re.compile(r"([/.\-_?&=#:,;)\]]|[^/.\-_?&=#:,;)\]]{20})(?=\S)")


def add_break_opportunities(root: lxml.html.HtmlElement) -> None:
    """Long words (URLs, identifiers) get invisible break opportunities after their punctuation and
    every 20 characters: WeasyPrint breaks a word that has none one character at a time, which
    costs a second per thousand characters; with them a line breaks as usual. Code blocks keep
    their text as written (it is copied from the PDF) but for runs of over 200 characters (data,
    minified code), which get an opportunity every 40."""

    def broken(text: str | None, in_code: bool) -> str | None:
        if not text or len(text) < 41:
            return text
        if in_code:
            return CODE_RUN.sub(lambda run: CODE_BREAK.sub("\\1\u200b", run.group(0)), text)
        return LONG_RUN.sub(lambda run: BREAK_AFTER.sub("\\1\u200b", run.group(0)), text)

    for element in root.iter():
        outer_code = any(parent.tag == "pre" for parent in element.iterancestors())
        if isinstance(element.tag, str):
            element.text = broken(element.text, outer_code or element.tag == "pre")
        element.tail = broken(element.tail, outer_code)


@dataclass
class PrintLayout:
    """The book laid out in pages: written as the PDF, and read for the EPUB's page list."""

    document: Document
    labels: list[str]  # the folio each page prints (or would print)
    first_body_page: int
    page_map: PageMap
    options: dict[str, Any]
    modified: dt.datetime  # stamped into any font fontTools rewrites
    warnings: list[Problem] = field(default_factory=list)  # what was left out of it


@contextlib.contextmanager
def laid_out_book_kept() -> Iterator[None]:
    """While a laid-out book is in use (its index laid out, its PDF written), the garbage collector
    leaves the objects that exist now alone: it would walk the book's hundreds of thousands of boxes
    again and again, for a quarter of the time, and none of them is garbage yet."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def lay_out(book: Book, env: Environment, kept: UnitLayouts | None = None, extra_css: str = "") -> PrintLayout:
    """The book in pages: chapter by chapter when the stylesheets allow (see units.py), reusing the
    units in `kept` that a build before laid out from the same text and starting point. `extra_css`
    joins the page geometry (the print-on-demand interior's bleed sides)."""
    fonts = FontConfiguration()
    fetcher = BookFetcher(book.root, book.assets, book_characters(book) if book.script_fonts else "")
    parts = book_style_parts(book, "print")
    # The page geometry from [pdf] goes after the theme, before the book's own stylesheets.
    first_book_part = next((i for i, part in enumerate(parts) if part.layer == "book"), len(parts))
    grid = character_grid(book, parts)
    page_part = StylePart(
        "[pdf] in book.toml", page_css(book.config.pdf, book.meta.direction, grid) + extra_css, book.root, "octavo"
    )
    parts.insert(first_book_part, page_part)
    stylesheets = [
        CSS(string=part.text, base_url=part.folder.as_uri() + "/", font_config=fonts, url_fetcher=fetcher)
        for part in parts
    ]
    options = {"pdf_variant": book.config.pdf.variant} if book.config.pdf.variant else {}
    # Index marks as plain words, found after layout (see book_index.py), but where the PDF is tagged
    plain = book.index is not None and not tagged(book.config.pdf.variant)
    places: dict[str, MarkPlace] = {}

    by_unit = splittable([part.text for part in parts])
    units = kept if kept is not None else UnitLayouts()

    def rendered_with(
        deferred: dict[str, str] | None = None, cited: dict[str, list[tuple[str, str]]] | None = None
    ) -> Document:
        places.clear()
        printed = print_html(book, env, deferred, places=places if plain else None, cited_pages=cited)
        # The base is the book folder, but the fetcher decides what is read: asset names map to their sources.
        base = book.root.as_uri() + "/"
        if by_unit:
            unit_by_unit = lay_out_units(
                split(printed), base, fetcher, fonts, stylesheets, options, book.meta.direction, units
            )
            if unit_by_unit is not None:
                return unit_by_unit
        html = HTML(string=printed, base_url=base, url_fetcher=fetcher)
        return html.render(font_config=fonts, stylesheets=stylesheets, **options)

    # The resource list prints the pages its resources are cited on: the last layout's, to begin with
    # (a rebuild then lays out only what an edit moved), else a stand-in until they are known.
    cited = units.cited_pages
    rendered = rendered_with(None, cited)
    deferred = figures_to_defer(rendered, first_body_page(rendered, book))
    if deferred:  # a second layout, with those figures further on
        rendered = rendered_with(deferred, cited)
    for _ in range(CITED_PAGES_PASSES):
        found = pages_cited(rendered, page_labels(len(rendered.pages), first_body_page(rendered, book)), book)
        if found == cited:
            break
        cited = found
        rendered = rendered_with(deferred, cited)  # chapter by chapter, only the resource list is laid out again
    units.cited_pages = cited
    if book.index is not None:

        def index_with(locators: Callable[[IndexEntry], list[Locator]], first_page: str, verso: bool) -> Document:
            printed = print_html(book, env, locators=locators, links_in_text=plain)
            if verso:  # a page to throw away first, so the index opens on the left as it does in the book
                printed = re.sub(r"(<body[^>]*>)", r'\1<div style="break-after: page"></div>', printed, count=1)
            html = HTML(string=printed, base_url=book.root.as_uri() + "/", url_fetcher=fetcher)
            own = CSS(string=index_page_css(first_page, book.meta.title, verso), font_config=fonts)
            with laid_out_book_kept():
                return html.render(font_config=fonts, stylesheets=[*stylesheets, own], **options)

        body = first_body_page(rendered, book)
        labels = page_labels(len(rendered.pages), body)
        rendered = with_index(rendered, book, labels, body, places, index_with, links_in_text=plain)
    warnings = []
    for url in dict.fromkeys(fetcher.refused):
        file, line = where_in_stylesheets(url, parts, book.root)
        message = f"left out of the PDF: '{url[:100]}' is not a file of the book"
        warnings.append(Problem(file, message, "only the book folder is read", line, severity="warning"))
    pages = rendered.pages
    body = first_body_page(rendered, book)
    labels = page_labels(len(pages), body)
    pages_mapped = page_map(pages, labels, block_order(book), body)
    return PrintLayout(rendered, labels, body, pages_mapped, options, book.modified, warnings)


CITED_PAGES_PASSES = 3  # the list's own length moves only what follows it: a citation in an annotation


def pages_cited(document: Document, labels: list[str], book: Book) -> dict[str, list[tuple[str, str]]]:
    """Each cited resource's pages, in order, each once, with the anchor of its first citation there;
    consecutive pages as one range ("9–10"), as back-references print them: "pp. 3, 9–10"."""
    page_of = {anchor: index for index, page in enumerate(document.pages) for anchor in page.anchors}
    found = {}
    for resource_id, citations in book.citations.items():
        first_on = first_anchor_on((citation.anchor for citation in citations), page_of)
        # a range runs within one numbering: never from the front matter's "xii" into "1"
        runs = page_runs(first_on, lambda before, page: labels[before].isdigit() == labels[page].isdigit())
        found[resource_id] = [
            (labels[run[0]] if len(run) == 1 else f"{labels[run[0]]}–{labels[run[-1]]}", first_on[run[0]])
            for run in runs
        ]
    return found


@dataclass(frozen=True)
class CharacterGrid:
    size: float  # the body font size, in points
    indent: int  # paragraph indent, in characters (0 for spaced paragraphs)


def character_grid(book: Book, parts: list[StylePart]) -> CharacterGrid | None:
    """The grid a book in Chinese or Japanese is set on (see `page_css`)."""
    language = book.meta.language.lower()[:2]
    if language not in ("zh", "ja"):
        return None
    css = stylesheet(parts)
    size = stack_value(css, "font-size", "10.5pt")
    if not is_length(size):
        return None
    indented = stack_value(css, "paragraph-indent", "0").strip() not in ("0", "0em", "0pt", "0px")
    return CharacterGrid(points(size), (2 if language == "zh" else 1) if indented else 0)


LEAD_IN_FOLLOWERS = ("pre", "table", "ul", "ol", "dl", "figure", "blockquote")


def mark_lead_ins(root: lxml.html.HtmlElement) -> None:
    """A paragraph that ends with a colon introduces the block after it ("Try it yourself:" and
    then the code): it stays on that block's page, never alone at the foot of the one before."""
    for paragraph in root.iter("p"):
        following = paragraph.getnext()
        if following is None or not paragraph.text_content().rstrip().endswith(":"):
            continue
        block = following.tag if following.tag != "div" else next((c.tag for c in following if c.tag == "pre"), "")
        if block in LEAD_IN_FOLLOWERS:
            paragraph.set("class", f"{paragraph.get('class', '')} lead-in".strip())


FILL_WANTED = 0.6  # a page that stops above this share of its text block, before a figure, has a hole
FIGURE_TAGS = ("figure", "img", "svg", "picture")


def figures_to_defer(document: Document, start: int) -> dict[str, str]:
    """Figures that left a hole: each opens a page after one that stops above 60% of its text block,
    because the figure was taller than the space left. What follows the figure in its chapter would
    have filled that space, so the figure moves past as much of it as the space holds, as print
    floats a figure: by its block key -> the key of the block it is to follow."""
    pages = document.pages
    tags = block_tags(document)
    deferred: dict[str, str] = {}
    for index in range(max(start, 0), len(pages) - 1):
        page = pages[index]
        top, bottom = text_block(page)
        if not page.anchors or bottom <= top:
            continue
        content_bottom = max(box[3] for box in page.anchors.values())
        space_left = bottom - content_bottom
        if (content_bottom - top) / (bottom - top) >= FILL_WANTED:
            continue
        following = [
            (number, key, box)
            for number, later in enumerate(pages[index + 1 : index + 3])
            for key, box in sorted(later.anchors.items(), key=lambda item: (item[1][1], item[1][0]))
            if key in tags
        ]
        if not following:
            continue
        first_page, key, box = following[0]
        if tags[key] not in FIGURE_TAGS or box[3] - box[1] <= space_left:
            continue
        filled, after = 0.0, None
        reached = {first_page: box[3]}  # how far down each page the blocks counted so far go
        for number, later_key, (_, y1, _, y2) in following[1:]:
            if tags[later_key] == "h1" or tags[later_key] in FIGURE_TAGS:
                break  # not into the next chapter, nor past another figure
            filled += max(y2 - max(y1, reached.get(number, y1)), 0.0)  # nested blocks count once
            reached[number], after = max(y2, reached.get(number, y2)), later_key
            if filled >= space_left:
                break
        if after is not None:
            deferred[key] = after
    return deferred


def first_body_page(document: Document, book: Book) -> int:
    """The index of the page where the first chapter opens (the front matter comes before)."""
    first_chapter_id = book.chapters[0].id
    return next((index for index, page in enumerate(document.pages) if first_chapter_id in page.anchors), 0)


def text_block(page: Any) -> tuple[float, float]:  # a WeasyPrint page
    box = page._page_box
    top = box.content_box_y()
    return top, top + box.height


def block_tags(document: Document) -> dict[str, str]:
    """Each keyed block's kind: "figure" for a figure, or a paragraph that holds only an image."""
    found: dict[str, str] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not element.get("id") or element.get("id") in found:
                continue
            tag = element.tag
            if tag == "p" and len(element) == 1 and element[0].tag in FIGURE_TAGS and not (element.text or "").strip():
                tag = element[0].tag
            found[element.get("id")] = tag
    return found


def defer(root: lxml.html.HtmlElement, key: str, after: str) -> None:
    """Move the block `key` to just after the block that holds `after` at its own level."""
    figure = next(iter(root.xpath(f'.//*[@id="{key}"]')), None)
    anchor = next(iter(root.xpath(f'.//*[@id="{after}"]')), None)
    if figure is None or anchor is None:
        return
    while anchor is not None and anchor.getparent() is not figure.getparent():
        anchor = anchor.getparent()
    if anchor is None or anchor is figure:
        return
    figure.tail, tail = None, figure.tail
    anchor.addnext(figure)
    figure.tail = tail


def where_in_stylesheets(url: str, parts: list[StylePart], book_root: Path) -> tuple[Path | None, int | None]:
    """The stylesheet file and line whose url() WeasyPrint was refused, when one of them holds it."""
    for part in parts:
        for address in stylesheet_urls(part.text):
            if urljoin(part.folder.as_uri() + "/", address.strip()) != url and address.strip() != url:
                continue
            line = part.text[: max(part.text.find(address), 0)].count("\n") + 1
            if part.label.endswith("in book.toml"):
                return book_root / "book.toml", None
            return part.folder / part.label, line
    return None, None


def block_order(book: Book) -> dict[str, int]:
    """Every block key of the book in reading order: chapters, then the entries of the glossary, the
    resource list and the index."""
    keys: list[str] = []
    for chapter in book.chapters:
        keys.extend(key for key, _ in block_keys(chapter.tree(), chapter.number))
    if book.glossary is not None:
        keys.extend(term.anchor for term in book.glossary.terms)
    if book.resources is not None:
        keys.extend(resource.anchor for resource in book.resources.resources)
    if book.index is not None:
        keys.extend(entry.anchor for entry in book.index.entries())
    return {key: index for index, key in enumerate(keys)}


def write_pdf(layout: PrintLayout, target: Path) -> None:
    with fixed_font_timestamps(layout.modified), laid_out_book_kept():
        layout.document.write_pdf(
            target, finisher=lambda _, pdf: add_page_labels(pdf, layout.first_body_page), **layout.options
        )


def page_labels(count: int, body: int) -> list[str]:
    """Each page's number as printed: roman in the front matter, arabic from the first chapter."""
    return [roman(index + 1) for index in range(body)] + [str(index - body + 1) for index in range(body, count)]


def roman(number: int) -> str:
    numerals = (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    )
    text = ""
    for value, letters in numerals:
        while number >= value:
            text += letters
            number -= value
    return text


def add_page_labels(pdf: pydyf.PDF, body_start: int) -> None:
    """Roman labels for the front matter, arabic from the first chapter: as the folios print."""
    numbers = pydyf.Array()
    if body_start > 0:
        numbers.extend([0, pydyf.Dictionary({"S": "/r"})])
    numbers.extend([body_start, pydyf.Dictionary({"S": "/D"})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})
