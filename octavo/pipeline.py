"""The whole build: read the book completely, then write each requested format."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BookError, Problem
from .output import check_output_folder, staged_output
from .progress import Reporter
from .slugs import ascii_slug

if TYPE_CHECKING:
    from .model import Book

FORMATS = ("pdf", "epub", "site")  # site: web edition, download page, feed, checksums


@dataclass(frozen=True)
class BuildResult:
    title: str
    chapters: int
    files: list[Path]
    warnings: list[Problem]
    pages: int | None = None  # of the PDF, when one was laid out
    book: Book | None = None  # None when nothing had changed, so nothing was read
    unchanged: bool = False


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
    cache: bool = False,
    force: bool = False,
    parallel: bool = True,
    allow_remote: bool = False,
    check: bool = False,
) -> BuildResult:
    """Read the whole book, then write each requested format; nothing is written if reading fails.

    With `strict`, warnings (such as images without a description) stop the build like errors.
    With `cache`, a build whose inputs are those of the last build into `out_dir`, whose files are
    still there untouched, does nothing (see cache.py); `force` builds anyway, and remembers
    the build for the next one. With `parallel`, the EPUB and the web
    edition are made in a second process while this one lays out the PDF. `allow_remote` (the
    person running Octavo decides, never the book) lets http(s) images be downloaded and packaged.
    The EPUB goes through EPUBCheck before anything is published when the book brings something
    that could make it invalid (see epubcheck.py), or always with `check` or `strict`.
    """
    report = reporter or Reporter()
    out_dir = check_output_folder(book_dir, out_dir)
    if not cache:
        return build_all(book_dir, out_dir, formats, pdf_variant, theme, report, strict, parallel, allow_remote, check)
    from .cache import BuildCache

    build_cache = BuildCache(book_dir, out_dir)
    if build_cache.folder.is_symlink():
        raise BookError.single(
            build_cache.folder, "the build cache is a link", "delete it: the next build makes it anew"
        )
    options = {
        "formats": sorted(formats),
        "pdf_variant": pdf_variant,
        "theme": theme,
        "strict": strict,
        "allow_remote": allow_remote,
        "check": check,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    with report.stage("look for changes"):
        inputs = build_cache.inputs_digest(options)
        record = None if force else build_cache.unchanged(inputs)
    if record is not None:
        files = [build_cache.out_dir / name for name in record.published]
        return BuildResult(record.title, record.chapters, files, record.problems(), record.pages, unchanged=True)
    result = build_all(book_dir, out_dir, formats, pdf_variant, theme, report, strict, parallel, allow_remote, check)
    build_cache.remember(inputs, result)
    return result


def build_all(
    book_dir: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    pdf_variant: str | None,
    theme: str | None,
    report: Reporter,
    strict: bool,
    parallel: bool,
    allow_remote: bool = False,
    check: bool = False,
) -> BuildResult:
    from .book import load_book
    from .config import valid_choices
    from .templating import make_environment
    from .themes import available_themes

    with report.stage("read"):
        book = load_book(book_dir, allow_remote)
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
    needs_layout = "pdf" in formats or page_list
    others = tuple(name for name in ("epub", "site") if name in formats)
    with staged_output(out_dir) as staging:
        worker = None
        if needs_layout and others and parallel and (os.cpu_count() or 1) > 1:
            from .worker import Worker

            worker = Worker(book, others, stem, staging)
        try:
            layout, outputs = write_formats(book, env, stem, formats, others, staging, report, worker, page_list)
        finally:
            if worker is not None:
                worker.stop()
        written = [staging.folder / name for name in (f"{stem}.pdf",) if "pdf" in formats]
        if outputs.epub is not None:
            check_before_publishing(outputs.epub, book, report, always=check or strict)
            written.append(outputs.epub)
        if book.resources is not None and book.resources.resources:
            from .bibliography import bibtex, csl_json

            # The resource list for reference managers, beside the book.
            for suffix, text in (("json", csl_json(book.resources)), ("bib", bibtex(book.resources))):
                target = staging.path(f"{stem}-resources.{suffix}")
                target.write_text(text, encoding="utf-8")
                written.append(target)
        if "site" in formats:
            from .site import write_downloads

            with report.stage("write downloads"):
                write_downloads(book, env, staging, written, outputs.cover, outputs.thumb)
        files = staging.publish()
    pages = len(layout.document.pages) if layout else None
    return BuildResult(book.meta.title, book.chapter_count, files, book.warnings, pages, book)


def check_before_publishing(epub: Path, book: Book, report: Reporter, always: bool) -> None:
    """EPUBCheck's errors stop the build before anything is published (the last good output stays)."""
    from .epubcheck import check_epub, reasons_to_check

    if not always and not reasons_to_check(book):
        return
    with report.stage("check EPUB"):
        problems = check_epub(epub, book)
    book.warnings.extend(problem for problem in problems if problem.severity == "warning")
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise BookError(errors + book.warnings)


def write_formats(book, env, stem, formats, others, staging, report, worker, page_list):
    """The PDF here; the EPUB and the web edition in the worker when there is one, else here after it."""
    from .worker import OtherOutputs, write_other_formats

    layout = None
    if "pdf" in formats or page_list:
        from .pdf import lay_out, write_pdf

        # Laid out once: the PDF is written from the layout, and the EPUB's page list read from it.
        with report.stage("lay out pages"):
            layout = lay_out(book, env)
        page_map = layout.page_map if page_list else None
        if worker is not None:
            worker.send_page_map(page_map)
        if "pdf" in formats:
            with report.stage("write PDF"):
                write_pdf(layout, staging.path(f"{stem}.pdf"))
    else:
        page_map = None
    if worker is not None:
        with report.stage("finish EPUB, web" if "epub" in formats else "finish web edition"):
            outputs = worker.result()
        staging.adopt(outputs.staged)
        reported = {problem.message for problem in book.warnings}
        book.warnings.extend(w for w in outputs.warnings if w.message not in reported)
        return layout, outputs
    if not others:
        return layout, OtherOutputs([], None, None, None, [])
    with report.stage("write " + " and ".join("EPUB" if name == "epub" else "web edition" for name in others)):
        return layout, write_other_formats(book, others, stem, staging, lambda: page_map)
