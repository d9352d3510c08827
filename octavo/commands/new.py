"""`octavo new DIR`: a book folder that builds as it is, with every setting shown and explained."""

from __future__ import annotations

from pathlib import Path

import tomli_w

from ..errors import BookError
from ..options import commented_book_toml

WELCOME = """\
# Welcome

This is the first chapter of *{title}*. Every file in `chapters/` is read in the order of its
name, and every `#` heading starts a chapter.[^files]

## Writing

Write in Markdown. Link to another chapter like [this](02-writing.md), to a heading like
[this](#writing), or let Octavo name it: see [](02-writing.md#citing).

[^files]: So `01-welcome.md` comes before `02-writing.md`.
"""

WRITING = """\
# Writing

## Citing

Cite the reading list in `resources.toml` like this [@octavo-guide], with a page if you like
[@octavo-guide, p. 3].

## Pictures

Put images beside your chapters and describe them for readers who cannot see them:
`![what the picture shows](picture.png "An optional caption")`.
"""

RESOURCES = """\
# The annotated resource list at the end of the book. Each [[resource]] needs an id and a title.
title = "Further reading"

[[resource]]
id = "octavo-guide"
title = "The Octavo Guide"
subtitle = "Writing Books in Markdown"
# authors = ["Someone"]
# year = 2026
# publisher = "..."
# url = "https://..."
# isbn = "..."
annotation = \"\"\"
Each entry can carry an annotation in **Markdown**: why it is worth reading.
\"\"\"
"""

COVER_NOTE = """\
Put your cover here as cover.jpg (1600 x 2560 pixels is ideal), cover.png or cover.svg.
Until then Octavo draws one from the title and authors, in the theme's fonts and colours.
"""


def toml_line(key: str, value: str) -> str:
    """`key = "value"`, quoted and escaped by a TOML writer: a title may hold quotes or backslashes."""
    return tomli_w.dumps({key: value}).strip()


def new_book(folder: Path, title: str = "My Book", language: str = "en") -> list[Path]:
    """Write a ready-to-build book folder; refuse to touch a folder that already has files."""
    if folder.exists() and any(folder.iterdir()):
        raise BookError.single(folder, "the folder is not empty", "give a new folder name, or empty this one")
    files = {
        "book.toml": commented_book_toml(
            title_line=toml_line("title", title), language_line=toml_line("language", language)
        ),
        "chapters/01-welcome.md": WELCOME.format(title=title),
        "chapters/02-writing.md": WRITING,
        "resources.toml": RESOURCES,
        "COVER.txt": COVER_NOTE,
        # What a build makes, kept out of version control: the output and the build cache.
        ".gitignore": "dist/\n.octavo-cache/\n.*.octavo-*\n",
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
