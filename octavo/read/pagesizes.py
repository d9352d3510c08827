"""Page sizes and their default margins: the presets of `[pdf] page_size`, and CSS lengths."""

from __future__ import annotations

import re

from ..model import Margins

POINTS_PER_UNIT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "pc": 12.0, "px": 0.75}
LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt|pc|px)$")

# name -> (width, height, margins: top, bottom, inner, outer)
PRESETS: dict[str, tuple[str, str, Margins]] = {
    "a4": ("210mm", "297mm", Margins("25mm", "30mm", "28mm", "22mm")),
    "a5": ("148mm", "210mm", Margins("18mm", "22mm", "20mm", "15mm")),
    "letter": ("8.5in", "11in", Margins("1in", "1.15in", "1.1in", "0.9in")),
    "trade": ("6in", "9in", Margins("0.75in", "0.85in", "0.8in", "0.6in")),
    "digest": ("5.5in", "8.5in", Margins("0.7in", "0.8in", "0.75in", "0.55in")),
}


def points(length: str) -> float:
    match = LENGTH.match(length.strip())
    if not match:
        raise ValueError(length)
    return float(match.group(1)) * POINTS_PER_UNIT[match.group(2)]


def is_length(text: str) -> bool:
    return bool(LENGTH.match(text.strip()))


def default_margins(width: str, height: str) -> Margins:
    """Margins in proportion to the page, for sizes that are no preset."""
    w, h = points(width), points(height)
    return Margins(f"{h * 0.085:.1f}pt", f"{h * 0.1:.1f}pt", f"{w * 0.135:.1f}pt", f"{w * 0.1:.1f}pt")
