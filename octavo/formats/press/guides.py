"""The cover's guides, for the author's eyes only: the cover drawn as a PNG with its bleed shaded,
its trim, folds, safe areas and barcode box outlined. The services refuse guides inside the PDF,
so they live in this picture beside it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from .cover import SPINE_TEXT_MARGIN, CoverGeometry

DPI = 60
BLEED_SHADE = (220, 40, 40, 90)
TRIM, FOLD, SAFE, BARCODE = (230, 30, 30), (30, 90, 230), (20, 160, 60), (240, 150, 0)


def write_guides(cover_pdf: Path, g: CoverGeometry, target: Path) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(cover_pdf)
    try:
        image = document[0].render(scale=DPI / 72, may_draw_forms=False).to_pil().convert("RGBA")
    finally:
        document.close()

    def at(inches: float) -> float:
        """Pixels from the sheet's edge to a place `inches` from the trim's (across or down alike)."""
        return (g.bleed + inches) * DPI

    shade = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shade)
    width, height = image.size
    for box in (
        (0, 0, width, at(0)),
        (0, at(g.height), width, height),
        (0, 0, at(0), height),
        (at(g.width), 0, width, height),
    ):
        draw.rectangle(box, fill=BLEED_SHADE)
    image = Image.alpha_composite(image, shade)
    draw = ImageDraw.Draw(image)
    draw.rectangle((at(0), at(0), at(g.width), at(g.height)), outline=TRIM, width=2)
    for fold in (g.panel, g.panel + g.spine):
        draw.line((at(fold), 0, at(fold), height), fill=FOLD, width=2)
    for left, right in ((0, g.panel), (g.panel + g.spine, g.width)):
        draw.rectangle(
            (at(left + g.safe), at(g.safe), at(right - g.safe), at(g.height - g.safe)), outline=SAFE, width=1
        )
    if g.spine > 2 * SPINE_TEXT_MARGIN:
        spine_left, spine_right = g.panel + SPINE_TEXT_MARGIN, g.panel + g.spine - SPINE_TEXT_MARGIN
        draw.rectangle((at(spine_left), at(g.safe), at(spine_right), at(g.height - g.safe)), outline=SAFE, width=1)
    barcode_right = g.panel - g.barcode_right
    draw.rectangle(
        (
            at(barcode_right - 2.0),
            at(g.height - g.barcode_bottom - 1.2),
            at(barcode_right),
            at(g.height - g.barcode_bottom),
        ),
        outline=BARCODE,
        width=1,
    )
    image.convert("RGB").save(target, "PNG", optimize=True)
