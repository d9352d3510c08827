"""Links between the files of a per-chapter output (EPUB, web edition): a book-wide id becomes
`file#id`, or `#id` inside the file that holds it."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Book, Chapter


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
    resources_file = f"{prefix}further-reading{extension}"
    in_resource_list: set[str] = set()
    if book.resources is not None:
        in_resource_list = {r.anchor for r in book.resources.resources}
        in_resource_list |= {anchor for _, anchor, _ in book.resources.groups() if anchor}

    def href(anchor: str) -> str:
        if book.resources is not None and anchor == book.resources.id:
            return resources_file
        if anchor in in_resource_list:
            return f"{resources_file}#{anchor}"
        chapter = owners.get(anchor)
        if chapter is None or (chapter is current and not prefix):
            return f"#{anchor}"
        page = f"{prefix}{chapter.slug}{extension}"
        return page if anchor == chapter.id else f"{page}#{anchor}"

    return href


def link_resolver(href: Callable[[str], str]) -> Callable[[str], str]:
    """For links written in chapter HTML: `#id` is resolved, anything else is left alone."""

    def link(value: str) -> str:
        return href(value[1:]) if value.startswith("#") and len(value) > 1 else value

    return link
