"""`--format print`: the two files a print-on-demand service asks for, in `print/` of the output
folder: `NAME-interior.pdf` (the book at the service's trim, with its bleed and margins) and
`NAME-cover.pdf` (back, spine and front on one sheet, the spine as wide as the page count and paper
make it), with `NAME-cover-guides.png` showing the cover's trim, folds and safe areas.

Both files are read back and checked as the service would (preflight.py); a problem the service
would refuse fails the build. The services' rules are in services.py, each with its source."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import BookError, Problem
from .. import Format, Job, Written
from .services import SERVICES, Service, Trim, parse_trim

if TYPE_CHECKING:
    from ...model import Book

FOLDER = "print"


@dataclass(frozen=True)
class PrintPlan:
    """[print] resolved: the service, the trim (the [pdf] page size when none is given), the paper."""

    service: Service
    trim: Trim
    paper: str
    crop_marks: bool

    @classmethod
    def of(cls, book: Book) -> PrintPlan:
        settings = book.config.printing
        service = SERVICES[settings.service]
        trim = parse_trim(settings.trim) if settings.trim else None
        if trim is None:
            pdf = book.config.pdf
            trim = Trim.of_page(pdf.width, pdf.height)
            if service.trims and service.trim_named(trim) is None:
                raise BookError.single(
                    book.root / "book.toml",
                    f"{service.title} prints no {trim.words} book ([pdf] page_size {pdf.page_size!r})",
                    'choose one of its trims with [print] trim, such as trim = "6x9"',
                )
        trim = service.trim_named(trim) or trim
        return cls(service, trim, settings.paper, settings.crop_marks)


class PrintFormat(Format):
    name = "print"
    title = "print-on-demand files"
    short_title = "print kit"
    by_default = False
    libraries = ("weasyprint", "pydyf", "fonttools", "pillow", "python-barcode", "pypdfium2", "pypdf", "pdfplumber")

    def write(self, job: Job) -> Written:
        from ..pdf.layout import write_pdf
        from .cover import cover_images, geometry, write_cover
        from .guides import write_guides
        from .interior import PRINTER_DPI, lay_out_interior, placed_images
        from .preflight import Expected, preflight_cover, preflight_interior

        book, plan = job.book, PrintPlan.of(job.book)
        layout = lay_out_interior(book, job.env, plan.service, plan.trim, plan.crop_marks)
        interior = job.staging.path(f"{FOLDER}/{job.stem}-interior.pdf")
        write_pdf(layout, interior)
        pages = len(layout.document.pages)
        shape = geometry(plan.service, plan.trim, pages, plan.paper)
        cover = job.staging.path(f"{FOLDER}/{job.stem}-cover.pdf")
        write_cover(book, job.env, shape, pages, plan.service, cover)
        write_guides(cover, shape, job.staging.path(f"{FOLDER}/{job.stem}-cover-guides.png"))
        warnings = list(layout.warnings)
        for image in placed_images(layout):
            if image.dpi < PRINTER_DPI - 1:
                asset = book.assets.get(image.source)
                warnings.append(
                    Problem(
                        asset.source if asset else book.root / image.source,
                        f"prints at {image.dpi:.0f} dpi on page {image.page} of the print edition",
                        f"{plan.service.title} asks for {PRINTER_DPI} dpi: use a larger image, or print it smaller",
                        severity="warning",
                    )
                )
        for source, dpi, inches in cover_images(book, shape):
            if dpi < PRINTER_DPI - 1:
                warnings.append(
                    Problem(
                        source,
                        f"prints at {dpi:.0f} dpi on the print cover",
                        f"{plan.service.title} asks for {PRINTER_DPI} dpi: use an image of "
                        f"{math.ceil(PRINTER_DPI * inches)} pixels across or more",
                        severity="warning",
                    )
                )
        expected = Expected(plan.service, plan.trim, plan.paper)
        found = preflight_interior(interior, expected, images=False)
        found += preflight_cover(cover, shape, pages, plan.service, images=False)
        # named where they are published: on an error, the staging folder is thrown away
        published: dict[Path | None, Path] = {
            interior: job.staging.out_dir / FOLDER / interior.name,
            cover: job.staging.out_dir / FOLDER / cover.name,
        }
        found = [replace(problem, file=published.get(problem.file) or problem.file) for problem in found]
        errors = [problem for problem in found if problem.severity == "error"]
        warnings += [problem for problem in found if problem.severity != "error"]
        if errors:
            raise BookError(errors, warnings)
        return Written([], warnings)
