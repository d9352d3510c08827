"""The whole build: read the book completely, then write each requested format."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BookError, Problem
from ..formats import Format, Job, Written, default_formats, formats_named
from ..read.config import Overrides
from ..slugs import ascii_slug
from .progress import Reporter
from .staging import Staging, check_output_folder, staged_output

if TYPE_CHECKING:
    from ..formats.pdf.layout import PrintLayout
    from ..formats.pdf.units import UnitLayouts
    from ..model import Book
    from .pagemaps import PageMapStore
    from .worker import Worker


@dataclass(frozen=True)
class BuildResult:
    title: str
    chapters: int
    files: list[Path]
    warnings: list[Problem]
    pages: int | None = None  # of the PDF, when one was laid out
    book: Book | None = None  # None when nothing had changed, so nothing was read
    unchanged: bool = False
    notes: tuple[str, ...] = ()  # what the build chose to leave out, and how to have it


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
    formats: tuple[str, ...] | None = None,
    pdf_variant: str | None = None,
    theme: str | None = None,
    reporter: Reporter | None = None,
    strict: bool = False,
    cache: bool = False,
    force: bool = False,
    parallel: bool = True,
    allow_remote: bool = False,
    check: bool = False,
    shared: dict[str, dict[str, Any]] | None = None,
    page_list: bool = False,
    units: UnitLayouts | None = None,
) -> BuildResult:
    """Read the whole book, then write each requested format; nothing is written if reading fails.

    With `strict`, warnings (such as images without a description) stop the build like errors.
    With `cache`, a build whose inputs are those of the last build into `out_dir`, whose files are
    still there untouched, does nothing (see cache.py); `force` builds anyway, and remembers
    the build for the next one. With `parallel`, the EPUB and the web
    edition are made in a second process while this one lays out the PDF. `allow_remote` (the
    person running Octavo decides, never the book) lets http(s) images be downloaded and packaged.
    The EPUB goes through EPUBCheck before anything is published when the book brings something
    that could make it invalid (see epubcheck.py), or always with `check` or `strict`. `shared` are
    the book.toml tables a library gives its books, under the book's own. `page_list` gives the EPUB
    its page list even when the book must be laid out for it (see pagemaps.py). `units` keeps the
    print edition's laid-out chapters for the next build of a long-running process (see units.py).
    """
    report = reporter or Reporter()
    formats = formats or default_formats()
    out_dir = check_output_folder(book_dir, out_dir)
    overrides = Overrides(theme=theme, pdf_variant=pdf_variant, shared=shared or {}, page_list=page_list)
    if not cache:
        return build_all(
            book_dir, out_dir, formats, overrides, report, strict, parallel, allow_remote, check, units=units
        )
    from .cache import BuildCache
    from .pagemaps import PageMapStore

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
        "shared": shared or {},
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    with report.stage("look for changes"):
        layout_shaped_by = {key: options[key] for key in ("pdf_variant", "theme", "allow_remote", "shared")}
        page_maps = PageMapStore(build_cache.folder, build_cache.inputs_digest({"layout": layout_shaped_by}))
        if "pdf" not in formats:  # an EPUB alone takes its page list from a layout kept since its last build
            options |= {"page_list": page_list, "layout kept": page_maps.exists()}
        inputs = build_cache.inputs_digest(options)
        record = None if force else build_cache.unchanged(inputs)
    if record is not None:
        files = [build_cache.out_dir / name for name in record.published]
        return BuildResult(record.title, record.chapters, files, record.problems(), record.pages, unchanged=True)
    result = build_all(
        book_dir, out_dir, formats, overrides, report, strict, parallel, allow_remote, check, page_maps, units
    )
    build_cache.remember(inputs, result)
    return result


def build_all(
    book_dir: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    overrides: Overrides,
    report: Reporter,
    strict: bool,
    parallel: bool,
    allow_remote: bool = False,
    check: bool = False,
    page_maps: PageMapStore | None = None,
    units: UnitLayouts | None = None,
) -> BuildResult:
    from ..formats.templating import make_environment
    from ..read.load import load_book

    chosen = formats_named(formats)
    with report.stage("read"):
        book = load_book(book_dir, allow_remote, overrides)
    if strict and book.warnings:
        raise BookError([replace(warning, severity="error") for warning in book.warnings])
    env = make_environment(book.root)
    stem = output_stem(book)
    reading_pages = [fmt for fmt in chosen if fmt.needs_page_map(book)]
    lays_out = any(fmt.needs_layout(book) for fmt in chosen)
    kept = None
    if reading_pages and not lays_out:
        kept = page_maps.load() if page_maps else None
        lays_out = kept is None and any(fmt.waits_for_page_map(book) for fmt in reading_pages)
    notes = []
    if reading_pages and not lays_out and kept is None:
        names = " and ".join(fmt.title for fmt in reading_pages)
        notes.append(
            f"The {names} has no page list: this text has not been laid out for print yet. "
            "Build the PDF once, or build with --page-list, to give it the print edition's page numbers."
        )
    beside = [fmt for fmt in chosen if fmt.beside_layout]
    warnings = Warnings(book.warnings)
    with staged_output(out_dir) as staging:
        job = Job(book, env, stem, staging, report, check=check or strict, page_map=lambda: kept)
        worker = None
        if lays_out and beside and parallel and (os.cpu_count() or 1) > 1:
            from .worker import Worker

            worker = Worker(book, beside, stem, staging)
        try:
            layout, written = write_formats(job, chosen, lays_out, worker, page_maps, units)
        finally:
            if worker is not None:
                worker.stop()
        warnings.add(layout.warnings if layout else [])
        for fmt in chosen:
            warnings.add(written[fmt.name].warnings)
        downloads = [file for fmt in chosen for file in written[fmt.name].files]
        downloads += resource_list_files(book, staging, stem)
        for fmt in chosen:
            try:
                warnings.add(fmt.finish(job, written[fmt.name], downloads).warnings)
            except BookError as error:
                raise BookError(error.problems, warnings.merged(error.warnings)) from None
        files = staging.publish()
    pages = len(layout.document.pages) if layout else None
    return BuildResult(book.meta.title, book.chapter_count, files, warnings.found, pages, book, notes=tuple(notes))


class Warnings:
    """Every warning of a build once: two formats may find the same problem (a stylesheet's font
    that neither the EPUB nor the web edition may load), and the reader needs to hear it once."""

    def __init__(self, found: list[Problem]) -> None:
        self.found = list(found)

    def add(self, more: list[Problem]) -> None:
        self.found.extend(problem for problem in more if problem not in self.found)

    def merged(self, more: list[Problem]) -> list[Problem]:
        self.add(more)
        return self.found


def resource_list_files(book: Book, staging: Staging, stem: str) -> list[Path]:
    """The resource list for reference managers, beside the book, whatever the formats."""
    if book.resources is None or not book.resources.resources:
        return []
    from ..formats.bibliography import bibtex, csl_json

    files = []
    for suffix, text in (("json", csl_json(book.resources)), ("bib", bibtex(book.resources))):
        target = staging.path(f"{stem}-resources.{suffix}")
        target.write_text(text, encoding="utf-8")
        files.append(target)
    return files


def write_formats(
    job: Job,
    chosen: list[Format],
    lays_out: bool,
    worker: Worker | None,
    page_maps: PageMapStore | None = None,
    units: UnitLayouts | None = None,
) -> tuple[PrintLayout | None, dict[str, Written]]:
    """The print layout first when a format needs it (its page map kept in `page_maps` for the next
    build), then every format that needs the first process; those that may be written beside the
    layout are the worker's when there is one, else written here after the others."""
    book, report = job.book, job.report
    assert report is not None  # `build` makes every job with its reporter
    layout = None
    if lays_out:
        from ..formats.pdf.layout import lay_out

        # Laid out once: the PDF is written from the layout, and the EPUB's page list read from it.
        with report.stage("lay out pages"):
            layout = lay_out(book, job.env, units)
        job.layout, job.page_map = (lambda: layout), (lambda: layout.page_map)
        if worker is not None:
            worker.send_page_map(layout.page_map)
        if page_maps is not None:
            page_maps.save(layout.page_map)
    written = {}
    for fmt in (fmt for fmt in chosen if not fmt.beside_layout):
        with report.stage(f"write {fmt.title}"):
            written[fmt.name] = fmt.write(job)
    beside = [fmt for fmt in chosen if fmt.beside_layout]
    if worker is not None:
        names = [fmt.short_title or fmt.title for fmt in beside] if len(beside) > 1 else [beside[0].title]
        with report.stage("finish " + ", ".join(names)):
            outputs = worker.result()
        job.staging.adopt(outputs.staged)
        written.update(outputs.written)
    elif beside:
        with report.stage("write " + " and ".join(fmt.title for fmt in beside)):
            for fmt in beside:
                written[fmt.name] = fmt.write(job)
    return layout, written
