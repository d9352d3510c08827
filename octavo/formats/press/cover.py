"""The print-on-demand cover: back, spine and front as one PDF page, its bleed around.

The page is as wide as both panels and the spine, and as tall as the trim; CSS `bleed` adds the
service's bleed on every side, so WeasyPrint writes the trim as the TrimBox and the whole sheet as
the MediaBox. The front is the book's own cover art, or a typographic front in the theme's fonts
and colours (the generated e-book cover's design, drawn as text, so it prints sharp)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import tinycss2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ... import builtin
from ...style.bookstyles import book_style_parts
from ...style.themes import StylePart, stylesheet
from ..cover import theme_colours
from ..pdf.fetcher import BookFetcher
from ..pdf.fonts import fixed_font_timestamps
from .barcode import Barcode
from .services import Service, Trim

if TYPE_CHECKING:
    from jinja2 import Environment

    from ...model import Book

SPINE_TEXT_MARGIN = 0.0625  # inches of spine kept clear either side of its text: the fold may move this much
BARCODE_FONT, BARCODE_FONT_FILE = "Octavo Barcode", "fonts/noto-sans-mono/NotoSansMono-Regular.ttf"
BARCODE_MODULE_MM = 0.30  # 91% of nominal: the symbol with its add-on fits KDP's 2 x 1.2 in box


@dataclass(frozen=True)
class CoverGeometry:
    """The cover's measures in inches: the trim page is `width` x `height` (both panels and the
    spine), with `bleed` beyond it on every side."""

    panel: float  # one panel's width: the trim's
    spine: float
    height: float
    bleed: float
    safe: float  # text stays this far inside the trim and the folds

    @property
    def width(self) -> float:
        return 2 * self.panel + self.spine

    @property
    def sheet(self) -> tuple[float, float]:
        """The whole sheet with its bleed: what the service's template calls the cover's size."""
        return self.width + 2 * self.bleed, self.height + 2 * self.bleed

    @property
    def barcode_right(self) -> float:
        """From the spine fold to the barcode's box: KDP's box sits 0.25 in from fold and foot."""
        return max(self.safe, 0.25)

    @property
    def barcode_bottom(self) -> float:
        return max(self.safe, 0.25)


def geometry(service: Service, trim: Trim, pages: int, paper: str) -> CoverGeometry:
    return CoverGeometry(
        panel=trim.width,
        spine=round(service.spine(pages, paper), 4),
        height=trim.height,
        bleed=service.bleed,
        safe=service.cover_safe,
    )


def fonts_and_colours(parts: list[StylePart]) -> list[StylePart]:
    """Of the print stylesheets, only what a cover uses: their @font-face rules and :root custom
    properties (the page rules, running heads and the rest are the interior's)."""
    kept = []
    for part in parts:
        rules = tinycss2.parse_stylesheet(part.text, skip_comments=True, skip_whitespace=True)
        chosen = [
            rule
            for rule in rules
            if (rule.type == "at-rule" and rule.lower_at_keyword == "font-face")
            or (rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root")
        ]
        if chosen:
            text = "\n".join(rule.serialize() for rule in chosen)
            kept.append(StylePart(part.label, text, part.folder, part.layer, part.book_root))
    return kept


def title_size(title: str, geometry: CoverGeometry) -> float:
    """Points for the front's title: as large as fits, its longest word on one line, four lines at most."""
    measure = (geometry.panel - 2 * (geometry.safe + 0.4)) * 72
    longest = max((len(word) for word in title.split()), default=1)
    by_word = measure / (0.62 * max(longest, 6))
    by_lines = measure * 4 / (0.55 * max(len(title), 1))
    return round(min(46.0, by_word, by_lines), 1)


SPINE_TEXT_LEAST = 5.0  # points: under this a spine's line cannot be read, and is left off


def spine_size(text_length: int, geometry: CoverGeometry) -> float:
    """Points for the spine's line: its glyphs (ascent to descent, some 1.3 of the size) within the
    spine's width less its margins, and the line within the spine's length."""
    across = (geometry.spine - 2 * (SPINE_TEXT_MARGIN + 0.015)) * 72 / 1.3  # and a little for the ink's asymmetry
    along = (geometry.height - 2 * geometry.safe - 0.6) * 72 / (0.55 * max(text_length, 1))
    return round(min(13.0, across, along), 1)


def back_paragraphs(text: str) -> list[str]:
    return [" ".join(paragraph.split()) for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]


def cover_html(
    book: Book,
    env: Environment,
    geometry: CoverGeometry,
    pages: int,
    service: Service,
    parts: list[StylePart] | None = None,
) -> str:
    """The cover's HTML, in the colours of `parts` (the book's print stylesheets, read when not given)."""
    settings = book.config.printing
    parts = parts if parts is not None else book_style_parts(book, "print")
    colours = theme_colours(stylesheet(parts))
    barcode = None
    if settings.isbn:
        from stdnum import isbn

        barcode = Barcode(settings.isbn, f"ISBN {isbn.format(settings.isbn)}", price_add_on(settings.price))
    meta = book.meta
    spine_type = spine_size(len(meta.title) + len(", ".join(meta.authors)) + 6, geometry)
    return env.get_template("print/cover.html").render(
        meta=meta,
        g=geometry,
        colours={
            "background": colours["--cover-background"],
            "text": colours["--cover-text"],
            "accent": colours["--cover-accent"],
        },
        created=book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        title_size=title_size(meta.title, geometry),
        spine_text=pages >= service.spine_text_pages and spine_type >= SPINE_TEXT_LEAST,
        spine_size=spine_type,
        spine_length=geometry.height - 2 * geometry.safe - 0.4,
        back_paragraphs=back_paragraphs(settings.back_text or meta.description),
        photo=settings.author_photo.as_uri() if settings.author_photo else "",
        photo_width=AUTHOR_PHOTO_WIDTH,
        cover_art=cover_art(book),
        barcode=Markup(barcode.svg(BARCODE_MODULE_MM, BARCODE_FONT)) if barcode else "",  # drawn from digits alone
        barcode_font=(builtin.STYLES / BARCODE_FONT_FILE).as_uri(),
    )


def cover_art(book: Book) -> str:
    """The book's own cover, as a URL WeasyPrint's fetcher serves, or "" for the typographic front."""
    if book.cover is None:
        return ""
    return book.cover.source.as_uri()


AUTHOR_PHOTO_WIDTH = 1.15  # inches, as templates/print/cover.html sets it


def cover_images(book: Book, geometry: CoverGeometry) -> list[tuple[Path, float, float]]:
    """The cover's raster images with the resolution each prints at and the inches it spans: the
    front art, scaled to cover the front panel and its bleed, and the author's photo."""
    from PIL import Image

    found = []
    if book.cover is not None and book.cover.source.suffix.lower() != ".svg":
        with Image.open(book.cover.source) as art:
            width, height = art.size
        scale = max((geometry.panel + geometry.bleed) / width, (geometry.height + 2 * geometry.bleed) / height)
        found.append((book.cover.source, 1 / scale, width * scale))
    photo = book.config.printing.author_photo
    if photo is not None:
        with Image.open(photo) as picture:
            found.append((photo, picture.size[0] / AUTHOR_PHOTO_WIDTH, AUTHOR_PHOTO_WIDTH))
    return found


def price_add_on(price: str) -> str:
    """The EAN-5 add-on for "USD 24.99": the currency's digit, then the price in cents; 90000 when
    there is no price, and the currency's digit then 9999 from 99.99 up."""
    from ...checks import PRICE_CURRENCIES

    if not price:
        return "90000"
    currency, amount = price.split()
    cents = round(float(amount) * 100)
    return PRICE_CURRENCIES[currency] + (f"{cents:04d}" if cents < 9999 else "9999")


def write_cover(
    book: Book, env: Environment, geometry: CoverGeometry, pages: int, service: Service, target: Path
) -> None:
    fonts = FontConfiguration()
    fetcher = BookFetcher(book.root, book.assets, "")
    parts = book_style_parts(book, "print")
    html = cover_html(book, env, geometry, pages, service, parts)
    stylesheets = [
        CSS(string=part.text, base_url=part.folder.as_uri() + "/", font_config=fonts, url_fetcher=fetcher)
        for part in fonts_and_colours(parts)
    ]
    document = HTML(string=html, base_url=book.root.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=stylesheets, font_config=fonts
    )
    with fixed_font_timestamps(book.modified):
        document.write_pdf(target)
