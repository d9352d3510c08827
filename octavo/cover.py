"""A cover for books that bring none: title, subtitle and authors set in the theme's fonts and
colours on a 1600 x 2560 JPEG, the shape and size e-book stores ask for."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .assets import packaged_bytes
from .fonts import fonts_in
from .model import MEDIA_TYPES, Book, BookMeta
from .themes import StylePart, stylesheet

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


def theme_font(parts: list[StylePart], bold: bool) -> Path | None:
    """The body font's regular or bold file, as the stylesheets' @font-face rules name them."""
    fonts = [font.source for font in fonts_in(parts) if font.source.suffix.lower() in (".ttf", ".otf")]
    wanted = "bold" if bold else "regular"
    return next((path for path in fonts if wanted in path.stem.lower() and "italic" not in path.stem.lower()), None)


def make_cover(meta: BookMeta, parts: list[StylePart]) -> bytes:
    colours = theme_colours(stylesheet(parts))
    image = Image.new("RGB", (WIDTH, HEIGHT), colours["--cover-background"])
    draw = ImageDraw.Draw(image)
    bold, regular = theme_font(parts, bold=True), theme_font(parts, bold=False)

    def font(path: Path | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)

    inner = WIDTH - 2 * MARGIN
    draw.rectangle(
        (MARGIN // 2, MARGIN // 2, WIDTH - MARGIN // 2, HEIGHT - MARGIN // 2),
        outline=colours["--cover-accent"],
        width=6,
    )
    y = 560
    title_font = fitting_font(draw, meta.title, bold, inner, start=170, lines=5)
    y = draw_lines(draw, wrap(draw, meta.title, title_font, inner), title_font, y, colours["--cover-text"], 1.15)
    y += 70
    draw.line((WIDTH // 2 - 140, y, WIDTH // 2 + 140, y), fill=colours["--cover-accent"], width=6)
    y += 90
    if meta.subtitle:
        subtitle_font = font(regular, 78)
        draw_lines(
            draw, wrap(draw, meta.subtitle, subtitle_font, inner), subtitle_font, y, colours["--cover-text"], 1.3
        )
    if meta.authors:
        author_font = font(regular, 84)
        lines = wrap(draw, ", ".join(meta.authors), author_font, inner)
        bottom = HEIGHT - 330 - (len(lines) - 1) * 110
        draw_lines(draw, lines, author_font, bottom, colours["--cover-accent"], 1.3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def fitting_font(draw: ImageDraw.ImageDraw, text: str, path: Path | None, width: int, start: int, lines: int):
    """The largest size at which `text` wraps into at most `lines` lines with no word wider than the page."""
    size = start
    while size > 60:
        font = ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)
        words_fit = all(draw.textlength(word, font=font) <= width for word in text.split())
        if words_fit and len(wrap(draw, text, font, width)) <= lines:
            return font
        size -= 10
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


def wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font, y: int, fill: str, leading: float) -> int:
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
