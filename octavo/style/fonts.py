"""The theme's fonts inside the EPUB: found through the stylesheet's @font-face rules,
cut down to the characters the book uses, and declared with their font media types."""

from __future__ import annotations

import html
import io
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote

import uharfbuzz as hb

from ..bookfiles import resolved
from ..errors import Problem
from ..read.images import URL_SCHEME
from .cssfilter import rewritten_stylesheet, stylesheet_urls
from .themes import StylePart

if TYPE_CHECKING:
    from ..model import Book
    from .scriptfonts import Face

FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


@dataclass(frozen=True)
class FontFile:
    source: Path
    href: str  # relative to the stylesheet in the EPUB
    index: int = 0  # which font of a collection (.ttc)

    @property
    def media_type(self) -> str:
        return FONT_TYPES[Path(self.href).suffix.lower()]

    @property
    def characters(self) -> frozenset[int]:
        """The code points the font maps to glyphs (read once per file and change)."""
        from .scriptfonts import face_characters

        return face_characters(self.source, self.index, self.source.stat().st_mtime_ns)


def packaged_name(source: Path) -> str:
    """Where a font goes inside the EPUB, relative to its stylesheet: fonts/FAMILY/FILE."""
    return f"fonts/{source.parent.name}/{source.name}"


def fonts_in(parts: list[StylePart]) -> list[FontFile]:
    """Every font file the stylesheets refer to, once each."""
    found: dict[tuple[Path, int], FontFile] = {}
    for part in parts:
        for address in stylesheet_urls(part.text):
            font = font_file(part, address)
            if font is not None:
                found.setdefault((font.source, font.index), font)
    return list(found.values())


def font_file(part: StylePart, address: str) -> FontFile | None:
    """The font a url() of this stylesheet names: a file of the book or of Octavo, or a script face."""
    source = font_source(part, address)
    if source is not None:
        return FontFile(source, packaged_name(source))
    face = script_face(part, address)
    if face is not None:
        return FontFile(face.path, f"fonts/scripts/{face.served_name}", face.index)
    return None


def script_face(part: StylePart, address: str) -> Face | None:
    """The script font (scriptfonts.py) a url() of the generated script stylesheet stands for."""
    from .scriptfonts import FACES_FOLDER, served_face

    if part.folder != FACES_FOLDER or URL_SCHEME.match(address.strip()) or "/" in address:
        return None
    face = served_face(FACES_FOLDER / address.strip())
    return face if face is not None and face.path.is_file() else None


def font_source(part: StylePart, address: str) -> Path | None:
    """The font file a url() of this stylesheet names, if it is one the outputs may carry."""
    if URL_SCHEME.match(address.strip()) or address.strip().startswith("//"):
        return None
    source = resolved(part.folder / unquote(address.strip().split("#")[0].split("?")[0]))
    if source is None or source.suffix.lower() not in FONT_TYPES or not source.is_file() or not allowed(source, part):
        return None
    return source


def with_packaged_fonts(part: StylePart, refused: list[str] | None = None) -> str:
    """The stylesheet's text with each font url() pointing where the EPUB keeps that font.

    Any other url() and every @import is taken out (and listed in `refused`): an e-book or web
    page must not make its reader fetch something from the machine it was built on or the network.
    """

    def repoint(address: str) -> str | None:
        font = font_file(part, address)
        return font.href if font is not None else None

    return rewritten_stylesheet(part.text, repoint, refused if refused is not None else [])


def allowed(source: Path, part: StylePart) -> bool:
    """Fonts come from Octavo's styles or from the book's own folder (links followed), never from elsewhere."""
    from .. import builtin
    from ..bookfiles import inside, inside_book_or_octavo

    return inside_book_or_octavo(source, part.book_root) if part.book_root else inside(source, builtin.STYLES)


def subset_font(font: FontFile, text: str) -> bytes:
    """The font with only the glyphs `text` needs (plus ASCII), so an EPUB stays small.

    The EPUB and the web edition ask for the same characters (see `book_characters`), so each
    font is cut once per build.
    """
    characters = "".join(sorted(set(text + string.printable)))
    return cached_subset(font.source, font.source.stat().st_mtime_ns, characters, font.index)


def book_characters(book: Book, *extra: str) -> str:
    """Every character any output of the book can show: its text, metadata, labels (worked out
    once per book, `Book.characters`) and `extra`, such as a stylesheet's generated text."""
    return "".join(sorted(set(book.characters + html.unescape("".join(extra)))))


def text_characters(book: Book) -> str:
    """The characters of the book's text, metadata, labels and the punctuation templates add."""
    meta = book.meta
    parts = [chapter.html for chapter in book.chapters]
    parts += [meta.title, meta.subtitle, meta.description, meta.rights, meta.publisher, *meta.authors, *meta.subjects]
    if book.resources is not None:
        parts += [book.resources.title]
        parts += [
            f"{r.title}{r.subtitle}{r.annotation_html}{''.join(r.authors)}{r.publisher}{r.isbn}{r.url}"
            f"{r.entry_html}{r.entry_label}{r.published_in}"
            for r in book.resources.resources
        ]
    if book.glossary is not None:
        parts += [book.glossary.title, *(f"{t.term}{t.definition_html}" for t in book.glossary.terms)]
    if book.index is not None:
        parts += [book.index.title, "0123456789", *(e.term for e in book.index.entries())]
        parts += [letter for letter, _ in book.index.groups]
    parts += list(book.labels.values())
    parts += ["←→·–—…“”‘’"]
    return "".join(sorted(set(html.unescape("".join(parts)))))


GRAPHITE_TABLES = ("Silf", "Silt", "Sill", "Glat", "Gloc", "Feat")  # no e-reader or browser uses them


@lru_cache(maxsize=64)
def cached_subset(source: Path, _mtime: int, characters: str, index: int = 0) -> bytes:
    """HarfBuzz's subsetter, about fifty times faster than fontTools' (which is left to compressed
    WOFF sources, as HarfBuzz reads only plain TrueType and OpenType). A collection's font comes
    out as a font file of its own."""
    if source.suffix.lower() in (".woff", ".woff2"):
        return fonttools_subset(source, characters)
    face = hb.Face(hb.Blob.from_file_path(str(source)), index)
    request = hb.SubsetInput()
    request.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    request.unicode_set.update(ord(character) for character in characters)
    for kind in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID):
        everything = request.sets(kind)  # every feature (small caps, old-style figures...), every name (the licence)
        everything.clear()
        everything.invert()
    request.drop_table_tag_set.update(int.from_bytes(tag.encode("ascii"), "big") for tag in GRAPHITE_TABLES)
    subset_face = hb.subset(face, request)
    if subset_face is None:
        return fonttools_subset(source, characters, index)
    return cast(bytes, subset_face.blob.data)


def fonttools_subset(source: Path, characters: str, index: int = 0) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += list(GRAPHITE_TABLES)
    options.flavor = {".woff": "woff", ".woff2": "woff2"}.get(source.suffix.lower())
    tt = TTFont(source, recalcTimestamp=False, fontNumber=index)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()


def packaged_stylesheet(parts: list[StylePart], book: Book) -> tuple[str, list[Problem]]:
    """The cascade as one stylesheet for the EPUB or the web edition, and a warning for each file
    it may not load, which is taken out."""
    refused: list[str] = []
    css = "\n".join(f"/* {part.label} */\n{with_packaged_fonts(part, refused)}" for part in parts)
    warnings = [
        Problem(
            None,
            f"left out of the stylesheet: '{target}'",
            "stylesheets may load fonts in the book folder or Octavo's styles, nothing else",
            severity="warning",
        )
        for target in dict.fromkeys(refused)
    ]
    return css, warnings
