"""The theme's fonts inside the EPUB: found through the stylesheet's @font-face rules,
cut down to the characters the book uses, and declared with their font media types."""

from __future__ import annotations

import io
import re
import string
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class FontFile:
    source: Path
    href: str  # relative to the stylesheet in the EPUB

    @property
    def media_type(self) -> str:
        return FONT_TYPES[self.source.suffix.lower()]


def fonts_in(css_files: list[Path]) -> list[FontFile]:
    """Every font file a stylesheet refers to, by its path relative to that stylesheet."""
    found: dict[str, FontFile] = {}
    for css in css_files:
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            href = match.group(2).strip()
            source = (css.parent / href).resolve()
            if source.suffix.lower() in FONT_TYPES and source.is_file() and source.is_relative_to(css.parent.resolve()):
                found.setdefault(href, FontFile(source, href))
    return list(found.values())


def subset_font(font: FontFile, text: str) -> bytes:
    """The font with only the glyphs `text` needs (plus ASCII), so an EPUB stays small."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["Silf", "Silt", "Sill", "Glat", "Gloc", "Feat"]  # Graphite: no reading system uses it
    options.flavor = {".woff": "woff", ".woff2": "woff2"}.get(font.source.suffix.lower())
    tt = TTFont(font.source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + string.printable)
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()
