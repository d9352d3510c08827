"""Themes and stylesheets. The cascade, each layer overriding the one before:

  variables.css, base.css      structure and defaults shared by every theme and output
  themes/NAME/theme.css        the theme: mostly custom properties, plus its fonts
  print.css or screen.css      the medium; then themes/NAME/print.css or screen.css if the theme has one
  [theme.variables]            the book's own values for any custom property (book.toml)
  [theme] css, styles/book.css the book's own stylesheets

A book's styles/ folder comes first when a file is looked up by name, so an author replaces one
built-in stylesheet, or adds a theme of their own in styles/themes/NAME/, without copying the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import builtin
from ..bookfiles import inside_book_or_octavo
from ..errors import BookError
from ..options import default

if TYPE_CHECKING:
    from ..model import BookConfig

DEFAULT_THEME = default("theme", "name")
COMMON = ("variables.css", "base.css")
# Each medium's stylesheets after the theme's; a theme may add its own file of the same name to each.
MEDIUM_FILES = {"print": ("print.css",), "screen": ("screen.css",), "web": ("screen.css", "web.css")}
BOOK_STYLESHEET = "book.css"  # a book's own additions, applied last
VARIABLE = re.compile(r"^\s*--([a-z][a-z0-9-]*)\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path

    @property
    def description(self) -> str:
        """The first comment of theme.css: "classic: a traditional book. ..."."""
        match = re.search(r"/\*\s*(.*?)\s*\*/", (self.folder / "theme.css").read_text(encoding="utf-8"), re.S)
        text = " ".join(match.group(1).split()) if match else ""
        return text.split(":", 1)[1].strip() if text.startswith(f"{self.name}:") else text


@dataclass(frozen=True)
class StylePart:
    """One stylesheet of the cascade, with the folder its url()s are relative to."""

    label: str
    text: str
    folder: Path
    layer: str  # "octavo", "theme" or "book"
    book_root: Path | None = None  # what the stylesheet may load stays inside this folder or Octavo's styles


def style_dirs(book_root: Path) -> list[Path]:
    return [book_root / "styles", builtin.STYLES]


def find_style(book_root: Path, name: str) -> Path:
    for folder in style_dirs(book_root):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(name)


def available_themes(book_root: Path) -> dict[str, Theme]:
    """Built-in themes, and any the book brings in styles/themes/ (which win on a shared name)."""
    found: dict[str, Theme] = {}
    for folder in reversed(style_dirs(book_root)):
        themes = folder / "themes"
        if themes.is_dir():
            for theme in sorted(themes.iterdir()):
                if (theme / "theme.css").is_file():
                    found[theme.name] = Theme(theme.name, theme)
    return dict(sorted(found.items()))


def theme_variables() -> tuple[str, ...]:
    """The custom properties a book may set in [theme.variables]: those variables.css declares."""
    return tuple(VARIABLE.findall((builtin.STYLES / "variables.css").read_text(encoding="utf-8")))


def style_parts(config: BookConfig, medium: str, math: bool = False) -> list[StylePart]:
    """The cascade for a medium; `math` adds the screen's math font (print draws formulas)."""
    root = config.root
    theme = available_themes(root)[config.theme.name]
    parts = [file_part(find_style(root, name), "octavo", root) for name in COMMON]
    if math and medium != "print":
        parts.append(file_part(find_style(root, MATH_STYLESHEET), "octavo", root))
    parts.append(file_part(theme.folder / "theme.css", "theme", root))
    for name in MEDIUM_FILES[medium]:
        parts.append(file_part(find_style(root, name), "octavo", root))
        if (theme.folder / name).is_file():
            parts.append(file_part(theme.folder / name, "theme", root))
    if config.theme.variables:
        declarations = "".join(f"  --{name}: {value};\n" for name, value in config.theme.variables)
        parts.append(StylePart("[theme.variables] in book.toml", f":root {{\n{declarations}}}\n", root, "book", root))
    for path in config.theme.css:
        parts.append(file_part(path, "book", root))
    extra = root / "styles" / BOOK_STYLESHEET
    if extra.is_file() and extra not in config.theme.css:
        parts.append(file_part(extra, "book", root))
    return parts


MATH_STYLESHEET = "math.css"


def file_part(path: Path, layer: str, book_root: Path) -> StylePart:
    """A stylesheet of Octavo's or of the book; one that leads outside both is an error."""
    if not inside_book_or_octavo(path, book_root):
        raise BookError.single(path, "this stylesheet leads outside the book folder", "make it a file of the book")
    return StylePart(path.name, path.read_text(encoding="utf-8"), path.parent, layer, book_root)


def stylesheet(parts: list[StylePart]) -> str:
    """The whole cascade as one text, each part's origin noted."""
    return "\n".join(f"/* {part.label} */\n{part.text}" for part in parts)
