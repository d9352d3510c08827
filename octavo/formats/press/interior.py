"""The interior PDF for a print-on-demand service: the book laid out at the service's trim, with its
bleed on the three outer edges, margins no narrower than the service allows for the page count,
and the page count padded to the service's multiple."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from ...model import BookMeta, Margins, PdfSettings
from ...read.pagesizes import PRESETS, default_margins, points
from ..pdf.layout import PrintLayout, lay_out
from .services import Service, Trim

if TYPE_CHECKING:
    from jinja2 import Environment

    from ...model import Book

PRINTER_DPI = 300  # what all three services ask of images


@dataclass(frozen=True)
class PlacedImage:
    """An image as the interior prints it: its source, its page, and the resolution it prints at."""

    source: str
    page: int  # 1-based
    dpi: float


def inch(value: float) -> str:
    return f"{value:.4f}in"


def trim_margins(pdf: PdfSettings, trim: Trim) -> Margins:
    """The book's own margins when its [pdf] page is the trim, else the preset's of that size, else
    margins in proportion to the page."""
    if Trim.of_page(pdf.width, pdf.height).same_as(trim):
        return pdf.margins
    for width, height, margins in PRESETS.values():
        if Trim.of_page(width, height).same_as(trim):
            return margins
    return default_margins(inch(trim.width), inch(trim.height))


# The running heads and folios sit in the top and bottom margins: those margins keep this much more
# than the service's least, so the heads stay clear of it too.
HEAD_ROOM = 0.4


def interior_settings(pdf: PdfSettings, service: Service, trim: Trim, pages: int) -> PdfSettings:
    """[pdf] for the interior: the trim, its bleed, and margins widened to the service's least."""
    given = trim_margins(pdf, trim)

    def at_least(length: str, least: float) -> str:
        return length if points(length) >= least * 72 - 0.01 else inch(least)

    margins = Margins(
        top=at_least(given.top, service.outside + HEAD_ROOM),
        bottom=at_least(given.bottom, service.outside + HEAD_ROOM),
        inner=at_least(given.inner, service.gutter(pages)),
        outer=at_least(given.outer, service.outside),
    )
    return replace(
        pdf,
        page_size=trim.words,
        width=inch(trim.width),
        height=inch(trim.height),
        margins=margins,
        bleed=inch(service.bleed),
        variant="",  # PDF 1.7: see docs/print.md on PDF/X
    )


def lay_out_interior(book: Book, env: Environment, service: Service, trim: Trim, crop_marks: bool) -> PrintLayout:
    """The book at the trim. The least gutter depends on the page count, so a book that outgrows
    the first guess is laid out once more with the wider gutter."""
    pages = service.min_pages
    for _ in range(3):
        settings = interior_settings(book.config.pdf, service, trim, pages)
        printed = replace(book, config=replace(book.config, pdf=settings, meta=paperback_meta(book)))
        layout = lay_out(printed, env, extra_css=interior_css(service, crop_marks))
        count = len(layout.document.pages)
        if points(settings.margins.inner) >= service.gutter(count) * 72 - 0.01:
            return padded(layout, settings, service, crop_marks)
        pages = count
    raise AssertionError("the gutter grows with the page count, and the page count settles")


def paperback_meta(book: Book) -> BookMeta:
    """The book's metadata, its identifier the paperback's ISBN when [print] gives one (each
    edition has its own ISBN; the copyright page prints the paperback's)."""
    isbn = book.config.printing.isbn
    return replace(book.meta, identifier=f"urn:isbn:{isbn}") if isbn else book.meta


def interior_css(service: Service, crop_marks: bool) -> str:
    """The folio just under the text block, not in the middle of the foot margin, so it keeps the
    service's distance from the trim; no bleed on the binding edge (KDP's and IngramSpark's
    interior page is the trim plus the bleed on the outside, top and bottom only); crop marks
    when asked for."""
    marks = "marks: crop;" if crop_marks else ""
    css = f"@page {{ {marks} @bottom-center {{ vertical-align: top; padding-top: 14pt; }} }}\n"
    if not service.bleed_binding_edge:
        css += "@page :left { bleed-right: 0; } @page :right { bleed-left: 0; }\n"
    return css


def padded(layout: PrintLayout, settings: PdfSettings, service: Service, crop_marks: bool) -> PrintLayout:
    """Blank pages at the end, up to the service's multiple (and one more page, where the service
    wants the last page blank and it is not), each on its side with its bleed."""
    pages = list(layout.document.pages)
    missing = -len(pages) % service.page_multiple
    if service.ends_blank and not missing and not is_blank(pages[-1]):
        missing = service.page_multiple
    if not missing:
        return layout
    css = (
        f"@page {{ size: {settings.width} {settings.height}; margin: 0; bleed: {settings.bleed}; }}\n"
        + interior_css(service, crop_marks)
        + "div { break-after: page; height: 1px; }"
    )
    blanks = HTML(string="<html><body><div></div><div></div></body></html>").render(
        stylesheets=[CSS(string=css)], **layout.options
    )
    right, left = blanks.pages[0], blanks.pages[1]
    for index in range(len(pages), len(pages) + missing):
        pages.append(left if index % 2 else right)
    return replace(layout, document=layout.document.copy(pages), labels=[*layout.labels, *[""] * missing])


def is_blank(page: Any) -> bool:
    """Whether a laid-out page prints nothing: no text, no image, its margin boxes empty."""

    def prints(box: Any) -> bool:
        if isinstance(box, boxes.TextBox) and box.text.strip():
            return True
        if isinstance(box, boxes.ReplacedBox):
            return True
        return any(prints(child) for child in getattr(box, "children", ()))

    return not prints(page._page_box)


def placed_images(layout: PrintLayout) -> list[PlacedImage]:
    """Every raster image of the interior, with the resolution it prints at (pixels over inches)."""
    found: list[PlacedImage] = []

    def walk(box: Any, page: int) -> None:
        if isinstance(box, boxes.ReplacedBox) and hasattr(box.replacement, "width") and box.width:
            source = box.element.get("src", "") if box.element is not None else ""
            found.append(PlacedImage(source, page, box.replacement.width / (box.width / 96)))
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(layout.document.pages, start=1):
        walk(page._page_box, number)
    return found
