"""Stylesheets: the built-in CSS, each file replaceable by a file of the same name in the book's styles/."""

from __future__ import annotations

from pathlib import Path

from . import builtin

# Which files make up the stylesheet of each medium, in cascade order.
MEDIA = {
    "print": ("base.css", "print.css"),
    "screen": ("base.css", "screen.css"),
}


def style_dirs(book_root: Path) -> list[Path]:
    return [book_root / "styles", builtin.STYLES]


def find_style(book_root: Path, name: str) -> Path:
    for folder in style_dirs(book_root):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(name)


def stylesheet(book_root: Path, medium: str) -> str:
    """The whole stylesheet of a medium as one text, with each part's origin noted."""
    parts = []
    for name in MEDIA[medium]:
        path = find_style(book_root, name)
        parts.append(f"/* {name} */\n{path.read_text(encoding='utf-8')}")
    extra = book_root / "styles" / "book.css"
    if extra.is_file():
        parts.append(f"/* book.css */\n{extra.read_text(encoding='utf-8')}")
    return "\n".join(parts)
