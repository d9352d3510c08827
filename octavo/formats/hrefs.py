"""Links between the files of a per-chapter output (EPUB, web edition): a book-wide id becomes
`file#id`, or `#id` inside the file that holds it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Book, Chapter, IndexEntry


def href_resolver(
    book: Book,
    current: Chapter | None,
    extension: str = ".xhtml",
    prefix: str = "",
) -> Callable[[str], str]:
    """id -> link from the document of `current` (None: a document that is no chapter).

    `extension` names the output's files (`.xhtml`, `.html`); `prefix` is the path from the
    linking document to those files (the download page links into `html/`).
    """
    owners = book.anchor_owners
    back = back_matter_files(book)

    def href(anchor: str) -> str:
        if anchor in back:
            stem, top = back[anchor]
            return f"{prefix}{stem}{extension}" if top else f"{prefix}{stem}{extension}#{anchor}"
        chapter = owners.get(anchor)
        if chapter is None or (chapter is current and not prefix):
            return f"#{anchor}"
        page = f"{prefix}{chapter.slug}{extension}"
        return page if anchor == chapter.id else f"{page}#{anchor}"

    return href


def back_matter_files(book: Book) -> dict[str, tuple[str, bool]]:
    """The ids of the glossary, the resource list and the index: id -> (its file's stem, whether
    it is the section's own id, which the file's name alone points at)."""
    back: dict[str, tuple[str, bool]] = {}
    if book.glossary is not None:
        back[book.glossary.id] = ("glossary", True)
        back.update({term.anchor: ("glossary", False) for term in book.glossary.terms})
    if book.resources is not None:
        back[book.resources.id] = ("further-reading", True)
        back.update({r.anchor: ("further-reading", False) for r in book.resources.resources})
        back.update({anchor: ("further-reading", False) for _, anchor, _ in book.resources.groups() if anchor})
    if book.index is not None:
        back[book.index.id] = ("book-index", True)
        back.update({entry.anchor: ("book-index", False) for entry in book.index.entries()})
    return back


def section_locators(entry: IndexEntry, href: Callable[[str], str]) -> list[tuple[str, str, bool]]:
    """An index entry's places on screens, where there are no pages: each section it stands in,
    once, by its title, linked to the first mark there; bold where the term is defined."""
    found: dict[str, list[Any]] = {}
    for mark in entry.marks:
        place = found.setdefault(mark.section_id, [mark.section_title, href(mark.anchor), False])
        place[2] = place[2] or mark.defining
    return [(title, link, defining) for title, link, defining in found.values()]


def link_resolver(href: Callable[[str], str]) -> Callable[[str], str]:
    """For links written in chapter HTML: `#id` is resolved, anything else is left alone."""

    def link(value: str) -> str:
        return href(value[1:]) if value.startswith("#") else value  # "#" alone stays "#"

    return link
