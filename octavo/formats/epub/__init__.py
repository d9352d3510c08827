"""The EPUB 3: reflowable, with the print edition's page numbers as its page list (see package.py);
checked with EPUBCheck before it is published when the book could make it invalid."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ...errors import BookError
from .. import Format, Job, Written

if TYPE_CHECKING:
    from ...model import Book


class EpubFormat(Format):
    name = "epub"
    title = "EPUB"
    media_types: ClassVar[dict[str, tuple[str, str]]] = {".epub": ("EPUB", "application/epub+zip")}
    libraries = ("ebooklib", "fonttools", "pillow", "epubcheck")  # a newer EPUBCheck may refuse what an older took
    beside_layout = True

    def needs_page_map(self, book: Book) -> bool:
        return book.config.epub.page_list != "never"

    def waits_for_page_map(self, book: Book) -> bool:
        return book.config.epub.page_list == "always"

    def write(self, job: Job) -> Written:
        from .package import write_epub

        target = job.staging.path(f"{job.stem}.epub")
        warnings = write_epub(job.book, job.env, target, job.page_map() if self.needs_page_map(job.book) else None)
        return Written([target], warnings)

    def finish(self, job: Job, written: Written, downloads: list[Path]) -> Written:
        """EPUBCheck's errors stop the build before anything is published (the last good output stays)."""
        from .check import check_epub, reasons_to_check

        if not job.check and not reasons_to_check(job.book):
            return Written()
        assert job.report is not None  # finish runs in the build's own process, which reports
        with job.report.stage("check EPUB"):
            problems = check_epub(written.files[0], job.book)
        errors = [problem for problem in problems if problem.severity == "error"]
        warnings = [problem for problem in problems if problem.severity == "warning"]
        if errors:
            raise BookError(errors, warnings)
        return Written(warnings=warnings)
