"""Stylesheets: the built-in CSS, each file replaceable by a file of the same name in the book's styles/."""

from __future__ import annotations

from pathlib import Path

from . import builtin

# Which files make up the stylesheet of each medium, in cascade order.
MEDIA = {
    "print": ("fonts.css", "base.css", "print.css"),
    "screen": ("fonts.css", "base.css", "screen.css"),
}
BOOK_STYLESHEET = "book.css"  # a book's own additions, applied last


def style_dirs(book_root: Path) -> list[Path]:
    return [book_root / "styles", builtin.STYLES]


def find_style(book_root: Path, name: str) -> Path:
    for folder in style_dirs(book_root):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(name)


def stylesheet_files(book_root: Path, medium: str) -> list[Path]:
    """The files that style a medium, in cascade order."""
    files = [find_style(book_root, name) for name in MEDIA[medium]]
    extra = book_root / "styles" / BOOK_STYLESHEET
    if extra.is_file():
        files.append(extra)
    return files


def stylesheet(book_root: Path, medium: str) -> str:
    """The whole stylesheet of a medium as one text, with each part's origin noted."""
    return "\n".join(
        f"/* {path.name} */\n{path.read_text(encoding='utf-8')}" for path in stylesheet_files(book_root, medium)
    )
