"""The whole build: read the book completely, then write each requested format."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .bibliography import bibtex, csl_json
from .book import load_book
from .config import valid_choices
from .epub import write_epub
from .errors import BookError
from .model import Book
from .output import staged_output
from .pdf import lay_out, write_pdf
from .progress import Reporter
from .site import write_site
from .slugs import ascii_slug
from .templating import make_environment
from .themes import available_themes

FORMATS = ("pdf", "epub", "site")  # site: web edition, download page, feed, checksums


@dataclass(frozen=True)
class BuildResult:
    book: Book
    files: list[Path]
    pages: int | None = None  # of the PDF, when one was laid out


def output_stem(book: Book) -> str:
    """`meaning-of-a-second-interview`, or `my-book-1.2` when the book has a version.

    A title with no Latin letters falls back to the book folder's name.
    """
    stem = ascii_slug(book.meta.title, fallback=ascii_slug(book.root.name))
    version = ascii_slug(book.meta.version, fallback="", keep=".")
    return f"{stem}-{version}" if version else stem


def build(
    book_dir: Path,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    pdf_variant: str | None = None,
    theme: str | None = None,
    reporter: Reporter | None = None,
    strict: bool = False,
) -> BuildResult:
    """Read the whole book, then write each requested format; nothing is written if reading fails.

    With `strict`, warnings (such as images without a description) stop the build like errors.
    """
    report = reporter or Reporter()
    with report.stage("read"):
        book = load_book(book_dir)
    if strict and book.warnings:
        raise BookError([replace(warning, severity="error") for warning in book.warnings])
    if pdf_variant:
        book.config = replace(book.config, pdf=replace(book.config.pdf, variant=pdf_variant))
    if theme:
        themes = available_themes(book.root)
        if theme not in themes:
            raise BookError.single(None, f"unknown theme {theme!r}", valid_choices(theme, tuple(themes)))
        book.config = replace(book.config, theme=replace(book.config.theme, name=theme))
    env = make_environment(book.root)
    stem = output_stem(book)
    page_list = "epub" in formats and book.config.epub.page_list
    layout = None
    if "pdf" in formats or page_list:
        # Laid out once: the PDF is written from the layout, and the EPUB's page list read from it.
        with report.stage("lay out pages"):
            layout = lay_out(book, env)
    with staged_output(out_dir) as staging:
        written = []
        if "pdf" in formats:
            with report.stage("write PDF"):
                write_pdf(layout, staging.path(f"{stem}.pdf"))
            written.append(staging.folder / f"{stem}.pdf")
        if "epub" in formats:
            with report.stage("write EPUB"):
                write_epub(book, env, staging.path(f"{stem}.epub"), layout.page_map if layout and page_list else None)
            written.append(staging.folder / f"{stem}.epub")
        if book.resources is not None and book.resources.resources:
            # The resource list for reference managers, beside the book.
            for suffix, text in (("json", csl_json(book.resources)), ("bib", bibtex(book.resources))):
                target = staging.path(f"{stem}-resources.{suffix}")
                target.write_text(text, encoding="utf-8")
                written.append(target)
        if "site" in formats:
            with report.stage("write site"):
                write_site(book, env, staging, written)
        files = staging.publish()
    return BuildResult(book, files, len(layout.document.pages) if layout else None)
