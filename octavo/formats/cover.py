"""A cover for books that bring none: title, subtitle and authors set in the theme's fonts and
colours on a 1600 x 2560 JPEG, the shape and size e-book stores ask for."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..model import MEDIA_TYPES, Book, BookMeta
from ..read.images import packaged_bytes
from ..read.markdown import WIDE
from ..style.fonts import fonts_in
from ..style.themes import StylePart, stylesheet

WIDTH, HEIGHT = 1600, 2560
GENERATED_COVER = "images/cover.jpg"
MARGIN = 170
DEFAULT_COLOURS = {"--cover-background": "#27343b", "--cover-text": "#f4efe6", "--cover-accent": "#c9a25b"}


def theme_colours(css: str) -> dict[str, str]:
    """The cover's colours from the theme's custom properties: the last value set wins, as in CSS."""
    colours = dict(DEFAULT_COLOURS)
    for name in colours:
        values = re.findall(rf"{re.escape(name)}\s*:\s*(#[0-9a-fA-F]{{3,8}})", css)
        if values:
            colours[name] = values[-1]
    return colours


@dataclass(frozen=True)
class CoverFont:
    """A font file the stylesheets name (with its place in a collection) and the characters it draws."""

    path: Path
    index: int
    characters: frozenset[int]

    def draws(self, text: str) -> int:
        return sum(1 for c in text if ord(c) in self.characters or c.isspace())

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.path), size, index=self.index)


def cover_fonts(parts: list[StylePart], bold: bool) -> list[CoverFont]:
    """The regular or bold upright fonts of the stylesheets, the theme's first, then its script fonts."""
    wanted = "bold" if bold else "regular"
    found = []
    for font in fonts_in(parts):
        stem = font.source.stem.lower()
        if font.source.suffix.lower() in (".ttf", ".otf", ".ttc") and wanted in stem and "italic" not in stem:
            found.append(CoverFont(font.source, font.index, font.characters))
    return found


def font_for(text: str, fonts: list[CoverFont]) -> CoverFont | None:
    """The first font that draws all of `text`, or the one that draws most of it."""
    if not fonts:
        return None
    return max(fonts, key=lambda font: (font.draws(text), -fonts.index(font)))


def make_cover(meta: BookMeta, parts: list[StylePart]) -> bytes:
    colours = theme_colours(stylesheet(parts))
    image = Image.new("RGB", (WIDTH, HEIGHT), colours["--cover-background"])
    draw = ImageDraw.Draw(image)
    bolds, regulars = cover_fonts(parts, bold=True), cover_fonts(parts, bold=False)

    def font(text: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        chosen = font_for(text, regulars)
        return chosen.at(size) if chosen else ImageFont.load_default(size)

    inner = WIDTH - 2 * MARGIN
    draw.rectangle(
        (MARGIN // 2, MARGIN // 2, WIDTH - MARGIN // 2, HEIGHT - MARGIN // 2),
        outline=colours["--cover-accent"],
        width=6,
    )
    y = 560
    title_font = fitting_font(draw, meta.title, font_for(meta.title, bolds), inner, start=170, lines=5)
    y = draw_lines(draw, wrap(draw, meta.title, title_font, inner), title_font, y, colours["--cover-text"], 1.15)
    y += 70
    draw.line((WIDTH // 2 - 140, y, WIDTH // 2 + 140, y), fill=colours["--cover-accent"], width=6)
    y += 90
    if meta.subtitle:
        subtitle_font = font(meta.subtitle, 78)
        draw_lines(
            draw, wrap(draw, meta.subtitle, subtitle_font, inner), subtitle_font, y, colours["--cover-text"], 1.3
        )
    if meta.authors:
        names = ", ".join(meta.authors)
        author_font = font(names, 84)
        lines = wrap(draw, names, author_font, inner)
        bottom = HEIGHT - 330 - (len(lines) - 1) * 110
        draw_lines(draw, lines, author_font, bottom, colours["--cover-accent"], 1.3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def fitting_font(
    draw: ImageDraw.ImageDraw, text: str, cover_font: CoverFont | None, width: int, start: int, lines: int
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The largest size at which `text` wraps into at most `lines` lines with no word wider than the page."""
    size = start
    while size > 60:
        font = cover_font.at(size) if cover_font else ImageFont.load_default(size)
        words_fit = all(draw.textlength(word, font=font) <= width for word, _ in units(text))
        if words_fit and len(wrap(draw, text, font, width)) <= lines:
            return font
        size -= 10
    return cover_font.at(size) if cover_font else ImageFont.load_default(size)


PIECE = re.compile(f"[{WIDE}][、。，．・：；？！）」』〕】〉》”’]*|[^{WIDE}]+")


def units(text: str) -> list[tuple[str, str]]:
    """What a line may break between, each with what joins it to the one before: words, and each
    Chinese or Japanese character on its own (with the punctuation that may not start a line)."""
    found: list[tuple[str, str]] = []
    for word in text.split():
        for number, piece in enumerate(PIECE.findall(word)):
            found.append((piece, " " if number == 0 else ""))
    return found


def wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int
) -> list[str]:
    lines: list[str] = []
    for unit, joiner in units(text):
        if lines and draw.textlength(f"{lines[-1]}{joiner}{unit}", font=font) <= width:
            lines[-1] += f"{joiner}{unit}"
        else:
            lines.append(unit)
    return lines


def draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    y: int,
    fill: str,
    leading: float,
) -> int:
    size = getattr(font, "size", 40)
    for line in lines:
        draw.text((WIDTH // 2, y), line, font=font, fill=fill, anchor="ma")
        y += int(size * leading)
    return y


@dataclass(frozen=True)
class CoverImage:
    href: str  # its name inside the EPUB and the web edition
    content: bytes

    @property
    def suffix(self) -> str:
        return Path(self.href).suffix

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES.get(self.suffix.lower(), "image/jpeg")


def book_cover(book: Book, parts: list[StylePart]) -> CoverImage:
    """The book's own cover, or one drawn from its title and authors."""
    if book.cover is not None:
        return CoverImage(book.cover.href, packaged_bytes(book.cover.source))
    return CoverImage(GENERATED_COVER, drawn_cover(book.meta, tuple(parts)))


@lru_cache(maxsize=4)
def drawn_cover(meta: BookMeta, parts: tuple[StylePart, ...]) -> bytes:
    """Drawn once per process for a title and a theme: the EPUB, the web edition and every
    rebuild of the preview ask again."""
    return make_cover(meta, list(parts))


@lru_cache(maxsize=4)
def thumbnail(cover: CoverImage, width: int = 400) -> CoverImage:
    """A small JPEG of the cover for shelves and feeds; an SVG cover scales by itself."""
    if cover.suffix == ".svg":
        return cover
    image = Image.open(io.BytesIO(cover.content)).convert("RGB")
    image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return CoverImage("cover-thumbnail.jpg", out.getvalue())
