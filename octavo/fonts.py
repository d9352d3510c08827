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

from .themes import StylePart

FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class FontFile:
    source: Path
    href: str  # relative to the stylesheet in the EPUB

    @property
    def media_type(self) -> str:
        return FONT_TYPES[self.source.suffix.lower()]


def packaged_name(source: Path) -> str:
    """Where a font goes inside the EPUB, relative to its stylesheet: fonts/FAMILY/FILE."""
    return f"fonts/{source.parent.name}/{source.name}"


def fonts_in(parts: list[StylePart]) -> list[FontFile]:
    """Every font file the stylesheets refer to, once each."""
    found: dict[Path, FontFile] = {}
    for part in parts:
        for match in CSS_URL.finditer(part.text):
            source = (part.folder / match.group(2).strip()).resolve()
            if source.suffix.lower() in FONT_TYPES and source.is_file():
                found.setdefault(source, FontFile(source, packaged_name(source)))
    return list(found.values())


def with_packaged_fonts(part: StylePart) -> str:
    """The stylesheet's text with each font url() pointing where the EPUB keeps that font."""

    def repoint(match: re.Match) -> str:
        source = (part.folder / match.group(2).strip()).resolve()
        if source.suffix.lower() in FONT_TYPES and source.is_file():
            return f'url("{packaged_name(source)}")'
        return match.group(0)

    return CSS_URL.sub(repoint, part.text)


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
