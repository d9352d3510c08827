"""The printed book: a PDF written from the print layout (see layout.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .. import Format, Job, Written

if TYPE_CHECKING:
    from ...model import Book


class PdfFormat(Format):
    name = "pdf"
    title = "PDF"
    media_types: ClassVar[dict[str, tuple[str, str]]] = {".pdf": ("PDF", "application/pdf")}
    libraries = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "pyphen", "fonttools", "uharfbuzz", "pillow")

    def needs_layout(self, book: Book) -> bool:
        return True

    def write(self, job: Job) -> Written:
        from .layout import write_pdf

        layout = job.layout()
        assert layout is not None, "the pipeline lays the book out for a format that needs it"
        target = job.staging.path(f"{job.stem}.pdf")
        write_pdf(layout, target)
        return Written([target])
