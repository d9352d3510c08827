"""Characters no font of the book has: a warning at the line they stand on, never a silent box.

The printed book is set in the fonts its theme ships. A character none of them has (a Chinese word,
an emoji, a rare symbol) is drawn from whatever font the machine happens to have, or as an empty
box, and nothing said so. This stage compares each chapter's characters with the fonts of the print
stylesheets and names the first line where each missing character stands, with its code point.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import lxml.html

from ..errors import Problem, locate
from ..model import Book
from ..style.bookstyles import book_style_parts, theme_coverage
from ..style.scriptfonts import missing_font_packages

# Characters that take no glyph of their own: joiners, variation selectors, marks a layout engine
# builds from others, and the break opportunities Octavo adds itself.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0e\ufe0f")
SHOWN = 4  # characters named in one warning; the rest are counted


def book_coverage(book: Book) -> frozenset[int]:
    """Every code point some font of the book's print stylesheets has, its script fonts included."""
    return theme_coverage(book_style_parts(book, "print"))


def needs_glyph(character: str) -> bool:
    if character in INVISIBLE or character.isspace():
        return False
    return unicodedata.category(character) not in ("Cc", "Cf", "Zl", "Zp")


def printed_text(html: str) -> str:
    """A chapter's text as print sets it in fonts: not its formulas, which are drawn, nor the links
    back from its notes, which only screens show."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for math in root.iter("math"):
        math.clear()
    for back in root.xpath('//a[@class="footnote-backref"]'):  # links back from notes: not printed
        back.drop_tree()
    return root.text_content()


def missing_characters(book: Book) -> list[Problem]:
    """One warning per chapter file that holds characters no font of the book has."""
    covered = book_coverage(book)
    if not covered:  # a theme with no fonts of its own: the machine's fonts are meant
        return []
    found: dict[Path, dict[str, None]] = {}
    for chapter in book.chapters:
        missing = {c: None for c in printed_text(chapter.html) if ord(c) not in covered and needs_glyph(c)}
        if missing:
            found.setdefault(chapter.source, {}).update(missing)
    meta = book.meta
    titles = "".join([meta.title, meta.subtitle, *meta.authors, meta.publisher, meta.rights])
    missing_meta = {c: None for c in titles if ord(c) not in covered and needs_glyph(c)}
    if missing_meta:
        found.setdefault(book.root / "book.toml", {}).update(missing_meta)
    return [warning(path, list(characters)) for path, characters in found.items()]


def fonts_hint() -> str:
    missing = missing_font_packages()
    if missing:
        return (
            f"install the Debian packages {', '.join(missing)} (tools/system-deps build does), which give "
            "Octavo fonts for most of the world's scripts, or add a font to the book's stylesheet with @font-face"
        )
    return "add a font that has them to the book's stylesheet with @font-face (see docs/manuscripts.md)"


def warning(path: Path, characters: list[str]) -> Problem:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    named = ", ".join(f"{c} (U+{ord(c):04X})" for c in characters[:SHOWN])
    more = f" and {len(characters) - SHOWN} more" if len(characters) > SHOWN else ""
    place = locate(text, characters[0]) if text else {"line": None}
    return Problem(
        path,
        f"no font of the book has {named}{more}: the PDF would show them as empty boxes",
        fonts_hint(),
        severity="warning",
        **place,
    )
