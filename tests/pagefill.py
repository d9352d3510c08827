"""How full each page of a built PDF is: where its text block's content stops, so a test can find
pages left mostly empty before a block that would have fit."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

HEAD_BAND = 0.09  # running heads and folios sit above and below these shares of the page height
FOOT_BAND = 0.93


@dataclass
class PageFill:
    number: int  # 1-based physical page
    top: float  # the text block's top and bottom, from where content is found across the book
    bottom: float
    content_top: float | None
    content_bottom: float | None
    first_block_height: float  # the height of the image or shaded block the page opens with, if any
    opens_chapter: bool

    @property
    def filled(self) -> float:
        if self.content_bottom is None:
            return 0.0
        return (self.content_bottom - self.top) / (self.bottom - self.top)


def page_fills(pdf_path: Path, chapter_title_size: float = 15) -> list[PageFill]:
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            height = page.height
            body = [c for c in page.chars if HEAD_BAND * height < c["top"] and c["bottom"] < FOOT_BAND * height]
            boxes = [
                (o["top"], o["bottom"])
                for o in [*page.images, *page.rects]
                if HEAD_BAND * height < o["top"] and o["bottom"] < FOOT_BAND * height and o["height"] > 4
            ]
            tops = [c["top"] for c in body] + [top for top, _ in boxes]
            bottoms = [c["bottom"] for c in body] + [bottom for _, bottom in boxes]
            first_top = min(tops) if tops else None
            opening = [(top, bottom) for top, bottom in boxes if first_top is not None and top - first_top < 3]
            pages.append(
                PageFill(
                    page.page_number,
                    0.0,
                    0.0,
                    first_top,
                    max(bottoms) if bottoms else None,
                    max((bottom - top for top, bottom in opening), default=0.0),
                    any(c["size"] >= chapter_title_size for c in body),
                )
            )
    found_tops = [p.content_top for p in pages if p.content_top is not None and not p.opens_chapter]
    found_bottoms = [p.content_bottom for p in pages if p.content_bottom is not None]
    top, bottom = (min(found_tops), max(found_bottoms)) if found_tops else (0.0, 1.0)
    for page in pages:
        page.top, page.bottom = top, bottom
    return pages


def holes(pdf_path: Path, first_body_page: int, threshold: float = 0.6) -> list[str]:
    """Body pages that stop above `threshold` of the text block, unless they end a chapter (the
    next page opens one, or is blank) or the next page opens with a block taller than the space left."""
    fills = page_fills(pdf_path)
    found = []
    for page, following in itertools.pairwise(fills):
        if page.number < first_body_page or page.content_bottom is None:
            continue
        if following.opens_chapter or following.content_bottom is None:
            continue  # the chapter ends here
        space_left = page.bottom - page.content_bottom
        if page.filled < threshold and following.first_block_height <= space_left:
            found.append(f"page {page.number}: {page.filled:.0%} full")
    return found
