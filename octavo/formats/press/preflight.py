"""Preflight: what a print-on-demand service's own check would refuse in the two files, read back
from the PDFs themselves (pypdf for the boxes and fonts, pdfplumber for the text and images), so
that it judges what was written, not what was meant.

Each finding is a Problem naming the file and, where it has one, the page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import Problem
from .cover import SPINE_TEXT_MARGIN, CoverGeometry
from .interior import PRINTER_DPI
from .services import Service, Trim

TOLERANCE = 0.01  # inches: what the services' own checks allow in a box's size
POINTS = 72.0


@dataclass(frozen=True)
class Expected:
    """What both files should be: the service's rules for this trim and paper."""

    service: Service
    trim: Trim
    paper: str


def box(page: Any, name: str) -> tuple[float, float, float, float]:
    found = page.get(f"/{name}") or page.mediabox
    return tuple(float(value) / POINTS for value in found)  # type: ignore[return-value]


def preflight_interior(path: Path, expected: Expected, images: bool = True) -> list[Problem]:
    """Page count, boxes, fonts and margins; and the images' resolution and colour unless `images`
    is false (a build names each image by its file instead)."""
    import pypdf

    service, trim = expected.service, expected.trim
    reader = pypdf.PdfReader(path)
    problems: list[Problem] = []
    count = len(reader.pages)
    if count < service.min_pages:
        problems.append(
            Problem(
                path,
                f"{count} pages: {service.title} prints no fewer than {service.min_pages}",
                "a short book may need front or back matter (an index, a resource list) or a smaller trim",
            )
        )
    if count > service.max_pages:
        problems.append(
            Problem(
                path, f"{count} pages: {service.title} prints no more than {service.max_pages}", "use a larger trim"
            )
        )
    if count % service.page_multiple:
        problems.append(Problem(path, f"{count} pages: {service.title} needs a multiple of {service.page_multiple}"))
    for number, page in enumerate(reader.pages, start=1):
        problems += page_box_problems(path, number, page, trim, service)
        problems += font_problems(path, number, page)
    problems += placed_problems(path, expected, images)
    return problems[:40]


def page_box_problems(path: Path, number: int, page: Any, trim: Trim, service: Service) -> list[Problem]:
    """The TrimBox is the trim; the MediaBox reaches the bleed beyond it on the three outer edges
    (on all four where the service bleeds the binding edge too)."""
    left, bottom, right, top = box(page, "TrimBox")
    media = box(page, "MediaBox")
    found: list[Problem] = []
    if abs(right - left - trim.width) > TOLERANCE or abs(top - bottom - trim.height) > TOLERANCE:
        found.append(
            Problem(
                path,
                f"page {number}'s trim is {right - left:.3f} x {top - bottom:.3f} in, not the {trim.words} trim",
                "the TrimBox must be the book's trim size",
            )
        )
    binding_on_left = number % 2 == 1  # a recto's binding edge is its left
    wanted = {"top": service.bleed, "bottom": service.bleed, "left": service.bleed, "right": service.bleed}
    if not service.bleed_binding_edge:
        wanted["left" if binding_on_left else "right"] = 0.0
    actual = {"left": left - media[0], "bottom": bottom - media[1], "right": media[2] - right, "top": media[3] - top}
    for side, want in wanted.items():
        if abs(actual[side] - want) > TOLERANCE:
            found.append(
                Problem(
                    path,
                    f"page {number} bleeds {actual[side]:.3f} in at its {side} edge; {service.title} wants {want:g} in",
                    "the page is the trim plus the bleed on the outer edges",
                )
            )
    return found


def fonts_of(resources: Any) -> Iterator[tuple[str, Any]]:
    fonts = (resources or {}).get("/Font") or {}
    for name in fonts:
        yield name, fonts[name].get_object()


def font_problems(path: Path, number: int, page: Any) -> list[Problem]:
    """Every font the page uses carries its glyphs (Type 3 fonts are drawings, embedded by nature)."""
    found = []
    for _, font in fonts_of(page.get("/Resources")):
        if font.get("/Subtype") == "/Type3":
            continue
        described = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
        descriptor = described.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(
                Problem(
                    path,
                    f"page {number}: the font {font.get('/BaseFont', '?')} is not embedded",
                    "every font must travel in the PDF",
                )
            )
    return found


def image_problems(
    path: Path, where: str, images: list[dict[str, Any]], service: Service, resolution: bool = True
) -> list[Problem]:
    """Images printed under the services' 300 dpi (unless `resolution` is false: a build names each
    image by its file instead), and RGB images where the service prints CMYK (a warning: Octavo
    converts no colours, see docs/print.md)."""
    problems = []
    for image in images:
        width_in = (image["x1"] - image["x0"]) / POINTS
        pixels = image["srcsize"][0]
        if resolution and width_in > 0.05 and pixels / width_in < PRINTER_DPI - 1:
            problems.append(
                Problem(
                    path,
                    f"{where}: an image prints at {pixels / width_in:.0f} dpi "
                    f"({pixels} pixels across {width_in:.2f} in)",
                    f"{service.title} asks for {PRINTER_DPI} dpi: use a larger image, or print it smaller",
                )
            )
        if service.cmyk and "RGB" in str(image.get("colorspace")):
            problems.append(
                Problem(
                    path,
                    f"{where}: an RGB image where {service.title} prints CMYK",
                    "the printer converts it; for exact colour, convert it to CMYK with the printer's profile",
                    severity="warning",
                )
            )
    return problems


def resolution_problems(paths: list[Path], service: Service) -> list[Problem]:
    """Images under the services' 300 dpi in these PDFs, page by page: what a build warns about (by
    the image's file) and `check --print` refuses."""
    import pdfplumber

    problems = []
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                where = "the cover" if path.stem.endswith("-cover") else f"page {number}"
                found = image_problems(path, where, page.images, service)
                problems += [problem for problem in found if problem.severity == "error"]
    return problems


def placed_problems(path: Path, expected: Expected, images: bool) -> list[Problem]:
    """Images printed below the services' 300 dpi; RGB images where the service wants CMYK; text
    nearer the trim than the service's margin (nearer the binding edge than its gutter)."""
    import pdfplumber

    service, problems = expected.service, []
    with pdfplumber.open(path) as pdf:
        count = len(pdf.pages)
        gutter = service.gutter(count)
        for number, page in enumerate(pdf.pages, start=1):
            trim = page.trimbox or page.mediabox  # type: ignore[attr-defined]  # pdfplumber types lag
            x0, top0, x1, bottom0 = (value / POINTS for value in trim)
            problems += image_problems(path, f"page {number}", page.images, service, resolution=images)
            inside_left = number % 2 == 1  # a recto's binding edge is its left
            limits = {
                "left": gutter if inside_left else service.outside,
                "right": service.outside if inside_left else gutter,
                "top": service.outside,
                "bottom": service.outside,
            }
            near = nearest_text(page.chars, x0, top0, x1, bottom0)
            for side, distance in near.items():
                if distance < limits[side] - TOLERANCE:
                    problems.append(
                        Problem(
                            path,
                            f"page {number}: text {distance:.2f} in from the {side} trim edge",
                            f"{service.title} keeps text {limits[side]:g} in inside it: widen the margins",
                        )
                    )
    return problems


def nearest_text(chars: list[dict[str, Any]], x0: float, top0: float, x1: float, bottom0: float) -> dict[str, float]:
    """How near the page's text comes to each trim edge, in inches (pdfplumber's `top` runs down)."""
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return {}
    return {
        "left": min(c["x0"] for c in visible) / POINTS - x0,
        "right": x1 - max(c["x1"] for c in visible) / POINTS,
        "top": min(c["top"] for c in visible) / POINTS - top0,
        "bottom": bottom0 - max(c["bottom"] for c in visible) / POINTS,
    }


def preflight_cover(
    path: Path, geometry: CoverGeometry, pages: int, service: Service, images: bool = True
) -> list[Problem]:
    """The sheet's size by the formula, the trim inside it, text inside the safe areas, and spine
    text only on a spine the service allows it on."""
    import pdfplumber
    import pypdf

    reader = pypdf.PdfReader(path)
    problems = []
    if len(reader.pages) != 1:
        problems.append(Problem(path, f"the cover has {len(reader.pages)} pages", "a cover is one page"))
    page = reader.pages[0]
    media, trim = box(page, "MediaBox"), box(page, "TrimBox")
    sheet_width, sheet_height = geometry.sheet
    if abs(media[2] - media[0] - sheet_width) > TOLERANCE or abs(media[3] - media[1] - sheet_height) > TOLERANCE:
        problems.append(
            Problem(
                path,
                f"the cover is {media[2] - media[0]:.3f} x {media[3] - media[1]:.3f} in; "
                f"{pages} pages need {sheet_width:.3f} x {sheet_height:.3f} in",
                f"width = bleed + back + spine ({geometry.spine:.3f} in) + front + bleed",
            )
        )
    if abs(trim[2] - trim[0] - geometry.width) > TOLERANCE or abs(trim[3] - trim[1] - geometry.height) > TOLERANCE:
        problems.append(Problem(path, "the cover's TrimBox is not its trim", "the TrimBox leaves the bleed outside"))
    problems += font_problems(path, 1, page)
    spine_has_text = False
    with pdfplumber.open(path) as pdf:
        plumbed = pdf.pages[0]
        problems += image_problems(path, "the cover", plumbed.images, service, resolution=images)
        left, top = plumbed.trimbox[0] / POINTS, plumbed.trimbox[1] / POINTS  # type: ignore[attr-defined]
        for char in plumbed.chars:
            if not char["text"].strip():
                continue
            x0, x1 = char["x0"] / POINTS - left, char["x1"] / POINTS - left
            y0, y1 = char["top"] / POINTS - top, char["bottom"] / POINTS - top
            where = cover_area(x0, x1, y0, y1, geometry)
            spine_has_text = spine_has_text or where == "spine"
            if where == "spine" and pages < service.spine_text_pages:
                problems.append(
                    Problem(
                        path,
                        f"text on the spine of a {pages}-page book",
                        f"{service.title} prints spine text from {service.spine_text_pages} pages",
                    )
                )
                break
            if where == "outside":
                problems.append(
                    Problem(
                        path,
                        f"text at {x0:.2f}, {y0:.2f} in is outside the cover's safe areas",
                        f"keep text {geometry.safe:g} in inside the trim and the folds",
                    )
                )
                break
    if spine_has_text:
        problems += spine_ink_problems(path, geometry)
    return problems


def cover_area(x0: float, x1: float, y0: float, y1: float, g: CoverGeometry) -> str:
    """Which safe area holds a character's box (inches from the trim's top left): "back", "spine",
    "front" or "outside". A character whose middle lies between the folds is the spine's: its
    distance from the folds is measured on the ink (see `spine_ink_problems`), as a character's box
    across a turned line reaches the whole of its font's descent."""
    if y0 < g.safe - TOLERANCE or y1 > g.height - g.safe + TOLERANCE:
        return "outside"
    spine_left, spine_right = g.panel, g.panel + g.spine
    if spine_left < (x0 + x1) / 2 < spine_right:
        return "spine"
    if x0 >= g.safe - TOLERANCE and x1 <= spine_left - g.safe + TOLERANCE:
        return "back"
    if x0 >= spine_right + g.safe - TOLERANCE and x1 <= g.width - g.safe + TOLERANCE:
        return "front"
    return "outside"


INK_DPI = 300
INK_DIFFERENCE = 48  # of 255, in any channel: what the eye tells from the ground


def spine_ink_problems(path: Path, g: CoverGeometry) -> list[Problem]:
    """Ink nearer a spine fold than the spine's margin: the cover drawn at 300 dpi, the strips
    either side of the spine's text compared with the spine's own ground."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        image = document[0].render(scale=INK_DPI / POINTS, may_draw_forms=False).to_pil().convert("RGB")
    finally:
        document.close()

    def px(inches: float) -> int:
        return round((g.bleed + inches) * INK_DPI)

    ground = image.getpixel((px(g.panel + g.spine / 2), px(g.safe / 2)))
    for left, right in (
        (g.panel, g.panel + SPINE_TEXT_MARGIN),
        (g.panel + g.spine - SPINE_TEXT_MARGIN, g.panel + g.spine),
    ):
        strip = image.crop((px(left) + 1, px(g.safe), max(px(right) - 1, px(left) + 2), px(g.height - g.safe)))
        for pixel in strip.get_flattened_data():
            if max(abs(a - b) for a, b in zip(pixel, ground, strict=True)) > INK_DIFFERENCE:
                return [
                    Problem(
                        path,
                        f"ink within {SPINE_TEXT_MARGIN:g} in of a spine fold",
                        "the fold may move that much: keep the spine's text in its middle",
                    )
                ]
    return []
