"""Links between chapters: `other.md#anchor`, `other.md` and `#anchor` become book-wide `#id`s.

Runs after every chapter is rendered, because a link may point forward to a chapter not yet read.
"""

from __future__ import annotations

import difflib
import html
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..bookfiles import inside, resolved
from ..errors import Place, locate
from ..model import Chapter
from .markdown import LINK_PLACEHOLDER, UNLINKED, XREF_PLACEHOLDER, PendingLink, RenderState

PLACEHOLDER = re.compile(re.escape(LINK_PLACEHOLDER) + r"(\d+)")
GITHUB_PREFIX = "user-content-"
UNLINK = re.compile(r'<a [^>]*href="' + UNLINKED + r'"[^>]*>(.*?)</a>', re.DOTALL)
PAGED = ("section", "figure", "table", "listing", "equation")  # print adds the page they stand on
XREF = re.compile(r'<a [^>]*class="xref"[^>]*>' + re.escape(XREF_PLACEHOLDER) + r"(\d+)</a>")


def resolve_links(chapters: list[Chapter], state: RenderState, chapter_files: tuple[Path, ...]) -> None:
    """Fill every link placeholder with its target id, and every empty link `[](#x)` with words
    naming its target ("section ‘Tips’"); report links to nothing."""
    known = set(chapter_files)
    targets = [resolve(link, state, known) for link in state.links]

    def cross_reference(match: re.Match[str]) -> str:
        index = int(match.group(1))
        target = targets[index].lstrip("#")
        kind, words = state.xref_texts.get(target, ("", ""))
        if not kind and target:
            link = state.links[index]
            place = locate(link.source.text, f"]({link.href}", link.occurrence)
            state.problems.add(
                link.source.path,
                f"a cross-reference to '{link.href}' names nothing",
                "refer to a heading, or a figure, table, listing or equation with an id",
                **place,
            )
        page = f' data-page="{html.escape(state.labels.get("page", "page"))}"' if kind in PAGED else ""
        return f'<a class="xref xref-{kind}" href="#{html.escape(target)}"{page}>{html.escape(words)}</a>'

    for chapter in chapters:
        chapter.html = XREF.sub(cross_reference, chapter.html)
        chapter.html = PLACEHOLDER.sub(lambda match: html.escape(targets[int(match.group(1))]), chapter.html)
        if UNLINKED in chapter.html:
            chapter.html = UNLINK.sub(r"\1", chapter.html)


def resolve(link: PendingLink, state: RenderState, chapter_files: set[Path]) -> str:
    source = link.source
    parts = urlsplit(link.href)
    place = locate(source.text, f"({link.href}", link.occurrence)
    if place["line"] is None:
        place = locate(source.text, link.href, link.occurrence)
    elif place["column"]:
        place["column"] += 1
    target: Path | None
    target = source.path
    if parts.path:
        target = resolved(source.path.parent / unquote(parts.path))
        if target is None:
            state.problems.add(source.path, f"link to '{link.href[:80]}', which cannot name a file", "", **place)
            return "#"
        if target not in chapter_files:
            target = web_page_source(target, chapter_files) or target
        if target not in chapter_files:
            return report_bad_file(link, state, target, chapter_files, place)
    fragment = unquote(parts.fragment)
    if target in state.unreadable:
        return "#"
    if not fragment:
        return "#" + state.first_chapter_id.get(target, "")
    book_id = state.anchors.get((target, fragment))
    if book_id is None and fragment.lower() == "top":  # HTML's own name for the top of the page
        return "#" + state.first_chapter_id.get(target, "")
    if book_id is None and fragment.startswith(GITHUB_PREFIX):  # GitHub's rendering prefixes ids with it
        book_id = state.anchors.get((target, fragment.removeprefix(GITHUB_PREFIX)))
    if book_id is None:
        known = [anchor for (path, anchor) in state.anchors if path == target]
        close = difflib.get_close_matches(fragment, known, n=1)
        hint = (
            f"did you mean '#{close[0]}'?"
            if close
            else "anchors are made from heading titles: '## My Part' is #my-part"
        )
        where = f" in '{parts.path}'" if parts.path else ""
        state.problems.add(source.path, f"link to a missing anchor '#{fragment}'{where}", hint, **place)
        return "#"
    return "#" + book_id


def web_page_source(target: Path, chapter_files: set[Path]) -> Path | None:
    """The chapter an mdBook link to its web page means: `intro.html` is `intro.md`, and `index.html`
    is `README.md` (mdBook's name for a folder's first page)."""
    if target.suffix.lower() != ".html":
        return None
    candidates = [target.with_suffix(".md")]
    if target.name.lower() == "index.html":
        candidates.append(target.with_name("README.md"))
    return next((candidate for candidate in candidates if candidate in chapter_files), None)


def report_bad_file(link: PendingLink, state: RenderState, target: Path, chapter_files: set[Path], place: Place) -> str:
    """What a link to a file that is no chapter becomes: an error, or for a file of the book that is
    not one of its chapters (a translation, CONTRIBUTING.md), a warning and a link to the file in the
    book's repository, or its plain text when the book names no repository."""
    source = link.source
    names = [display(path, source.path.parent) for path in sorted(chapter_files)]
    if not inside(target, state.root):  # said before any look at the file: nothing is told of the machine
        state.problems.add(
            source.path,
            f"link to '{link.href[:80]}', which is outside the book folder",
            "link to chapter files (.md), headings (#anchor) or web addresses (https://...)",
            **place,
        )
        return "#"
    if target.exists():
        relative = target.relative_to(state.root).as_posix()
        if state.repository:
            address = state.repository.rstrip("/") + "/" + quote(relative)
            state.problems.warn(source.path, f"'{link.href}' is not a chapter: the link goes to {address}", "", **place)
            return address
        state.problems.warn(
            source.path,
            f"'{link.href}' is not a chapter of this book: the link is left out, its text kept",
            'set [book] repository = "https://github.com/me/book/blob/main/" to link to the file there',
            **place,
        )
        return UNLINKED
    close = difflib.get_close_matches(urlsplit(link.href).path, names, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "paths are relative to the chapter file"
    state.problems.add(source.path, f"link to a missing file '{link.href}'", hint, **place)
    return "#"


def display(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path, base)).as_posix()
