"""One print HTML document -> WeasyPrint -> PDF.

The page geometry comes from book.toml as a stylesheet of its own; footnotes move to where they
are called (WeasyPrint's `float: footnote` sets them at the foot of that page); page labels make
a viewer show "iii" and "1" where the page prints them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import lxml.html
import pydyf
from jinja2 import Environment
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import BookFetcher
from .labels import labels_for
from .model import Book, Chapter, PdfSettings
from .pagesizes import points
from .themes import style_dirs, stylesheet_files

log = logging.getLogger(__name__)


def print_html(book: Book, env: Environment) -> str:
    """The whole book as one HTML document: front matter, contents, chapters, resource list."""
    meta = book.meta
    labels = labels_for(meta.language)
    settings = book.config.pdf
    return env.get_template("print/book.html").render(
        book=book,
        meta=meta,
        labels=labels,
        toc=book.toc(),
        toc_depth=book.config.toc_depth,
        toc_title=book.config.toc.title or labels["contents"],
        href=lambda anchor: f"#{anchor}",
        chapter_html=chapter_print_html,
        number_chapters=settings.number_chapters,
        body_classes=["recto-chapters" if settings.recto_chapters else "chapters-anywhere"],
        subject=meta.description or ", ".join(meta.subjects),
        created=book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def page_css(settings: PdfSettings) -> str:
    """Size, mirrored margins and bleed from `[pdf]`; images never taller than the text block."""
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
        css += ".chapter, .resources, .toc, .titlepage { break-before: page; }\n"
    return css


def chapter_print_html(chapter: Chapter) -> str:
    """The chapter with each footnote moved to its call, as WeasyPrint's footnotes need."""
    if "footnote-ref" not in chapter.html:
        return chapter.html
    root = lxml.html.fragment_fromstring(chapter.html, create_parent="div")
    notes = {item.get("id"): item for item in root.xpath('.//section[@class="footnotes"]//li[@id]')}
    placed: set[str] = set()
    for call in root.xpath('.//sup[a[@class="footnote-ref"]]'):
        link = call.find("a")
        note_id = link.get("href", "").lstrip("#")
        note = notes.get(note_id)
        if note is None or note_id in placed:
            continue
        placed.add(note_id)
        footnote = etree.Element("span", {"class": "footnote", "id": note_id, "data-number": link.text or ""})
        for part in note:
            part.tag = "span"
            part.set("class", "footnote-para")
            for back in part.xpath('.//a[@class="footnote-backref"]'):
                back.drop_tree()
            footnote.append(part)
        footnote.tail = call.tail
        call.getparent().replace(call, footnote)
    for section in root.xpath('.//section[@class="footnotes"]'):
        section.drop_tree()
    text = "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
    return (root.text or "") + text


def write_pdf(book: Book, env: Environment, target: Path) -> None:
    fonts = FontConfiguration()
    fetcher = BookFetcher(book.root, book.assets, style_dirs(book.root))
    # The base is the book folder, but the fetcher decides what is read: asset names map to their sources.
    document = HTML(string=print_html(book, env), base_url=book.root.as_uri() + "/", url_fetcher=fetcher)
    stylesheets = [
        CSS(filename=str(path), font_config=fonts, url_fetcher=fetcher) for path in stylesheet_files(book.root, "print")
    ]
    stylesheets.append(CSS(string=page_css(book.config.pdf), font_config=fonts))
    first_chapter_id = book.chapters[0].id
    options = {"pdf_variant": book.config.pdf.variant} if book.config.pdf.variant else {}
    rendered = document.render(font_config=fonts, stylesheets=stylesheets, **options)
    rendered.write_pdf(target, finisher=lambda doc, pdf: add_page_labels(doc, pdf, first_chapter_id), **options)
    for url in fetcher.refused:
        log.warning("left out of the PDF (not a file of the book): %s", url)


def add_page_labels(document, pdf: pydyf.PDF, first_chapter_id: str) -> None:
    """Roman labels for the front matter, arabic from the first chapter: as the folios print."""
    body_start = next((index for index, page in enumerate(document.pages) if first_chapter_id in page.anchors), 0)
    numbers = pydyf.Array()
    if body_start > 0:
        numbers.extend([0, pydyf.Dictionary({"S": "/r"})])
    numbers.extend([body_start, pydyf.Dictionary({"S": "/D"})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})
