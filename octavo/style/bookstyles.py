"""A book's stylesheets for one medium: the theme's cascade, the math font where formulas appear on
screen, and the fonts for the scripts its theme does not cover (see scriptfonts.py)."""

from __future__ import annotations

import re

from ..model import Book
from .fonts import fonts_in
from .scriptfonts import (
    FACES_FOLDER,
    ScriptFonts,
    needed_fonts,
    script_stylesheet,
    stack_value,
    theme_style,
)
from .themes import StylePart, style_parts, stylesheet

SCRIPT_FONTS_LABEL = "fonts for the book's scripts"
LANG_ATTRIBUTE = re.compile(r'\blang="([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)"')


def book_style_parts(book: Book, medium: str) -> list[StylePart]:
    parts = style_parts(book.config, medium, math=book.has_math)
    fonts = book.script_fonts
    if fonts is not None:
        text = script_stylesheet(fonts, stylesheet(parts))
        parts.append(StylePart(SCRIPT_FONTS_LABEL, text, FACES_FOLDER, "octavo", book.root))
    return parts


def theme_coverage(parts: list[StylePart]) -> frozenset[int]:
    """Every code point some font of these stylesheets has."""
    covered: set[int] = set()
    for font in fonts_in(parts):
        covered |= font.characters
    return frozenset(covered)


def needed_script_fonts(book: Book) -> ScriptFonts | None:
    """The script families this book needs: its characters, against its theme's printed fonts."""
    from .fonts import book_characters

    parts = style_parts(book.config, "print")
    css = stylesheet(parts)
    languages = tuple(dict.fromkeys(tag for chapter in book.chapters for tag in LANG_ATTRIBUTE.findall(chapter.html)))
    style = theme_style(stack_value(css, "font-body", "serif"))
    return needed_fonts(book_characters(book), theme_coverage(parts), book.meta.language, languages, style)
