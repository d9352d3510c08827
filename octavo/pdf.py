"""One print HTML document -> WeasyPrint -> PDF."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import BookFetcher
from .model import Book
from .themes import style_dirs, stylesheet

log = logging.getLogger(__name__)


def print_html(book: Book, env: Environment) -> str:
    """The whole book as one HTML document: title page, contents, chapters, resource list."""
    meta = book.meta
    return env.get_template("print/book.html").render(
        book=book,
        meta=meta,
        toc=book.toc(),
        toc_depth=book.config.toc_depth,
        href=lambda anchor: f"#{anchor}",
        subject=meta.description or ", ".join(meta.subjects),
        created=book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def write_pdf(book: Book, env: Environment, target: Path) -> None:
    fonts = FontConfiguration()
    fetcher = BookFetcher(book.root, book.assets, style_dirs(book.root))
    # The document's base is a folder that only the fetcher knows: asset names map to their sources.
    document = HTML(string=print_html(book, env), base_url=book.root.as_uri() + "/", url_fetcher=fetcher)
    css = CSS(
        string=stylesheet(book.root, "print"),
        font_config=fonts,
        url_fetcher=fetcher,
        base_url=style_dirs(book.root)[-1].as_uri() + "/",
    )
    document.write_pdf(target, stylesheets=[css], font_config=fonts, uncompressed_pdf=False)
    for url in fetcher.refused:
        log.warning("left out of the PDF (not a file of the book): %s", url)
