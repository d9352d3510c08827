"""The reading stage: a book folder -> a complete Book, or every problem found in it."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from PIL import Image

from ..bookfiles import inside
from ..errors import BookError, ProblemCollector
from ..formats.templating import make_environment
from ..labels import has_labels
from ..model import Asset, Book, BookConfig
from ..slugs import UniqueNames
from .book_index import book_index, glossary_anchors, read_term_files
from .book_index import glossary as book_glossary
from .chapter_files import read_sources, with_parts
from .citation_styles import styled
from .citations import CitationContext, Cite
from .config import Overrides, load_config, where
from .coverage import missing_characters
from .equations import with_mathml
from .images import raster_problem, register_asset
from .links import resolve_links
from .markdown import RenderState, render_sources
from .resource_list import RESOURCES_NAME, load_resources
from .sanitize import allowlisted
from .transforms import apply_transforms

COVER_NAMES = ("cover.jpg", "cover.jpeg", "cover.png", "cover.svg")
# ids the templates use; a heading with the same title gets a suffix instead.
TEMPLATE_IDS = (
    "title-page",
    "copyright",
    "contents",
    "contents-title",
    "further-reading",
    "further-reading-title",
    "cover",
    "toc",
    "toc-title",
    "landmarks",
    "glossary",
    "glossary-title",
    "book-index",
    "book-index-title",
)


def load_book(book_dir: Path, allow_remote: bool = False, overrides: Overrides | None = None) -> Book:
    """Read everything first and fail early, so no output is written from a broken book. The Book
    returned is final: every format reads it, none changes it.

    `allow_remote` (the command line's --allow-remote, never the book) lets http(s) images be
    downloaded; `overrides` are the command line's --theme and --pdf-variant."""
    problems = ProblemCollector()
    config = load_config(book_dir, problems, overrides)
    resources = load_resources(config, problems)
    entries = resources.resources if resources else ()
    reserved = TEMPLATE_IDS + tuple(r.anchor for r in entries)
    if resources is not None:
        reserved += tuple(anchor for _, anchor, _ in resources.groups() if anchor)
    state = RenderState(
        config=config,
        problems=problems,
        ids=UniqueNames(reserved),
        allow_remote=allow_remote,
        citations=CitationContext(
            {r.id: r for r in entries},
            citation_renderer(config.root),
            problems,
            styled=config.resources.style is not None,
        ),
    )
    language = config.meta.language
    state.index_terms, state.glossary_terms = read_term_files(config.root, language, state.labels, problems)
    state.glossary_anchors = glossary_anchors(state.glossary_terms, state.ids)
    if not has_labels(config.meta.language) and config.meta.language != "und":
        toml = config.root / "book.toml"
        problems.warn(
            toml,
            f"Octavo has no words in '{config.meta.language}' for what it prints itself: "
            "Contents, Chapter, Notes and the like are in English",
            "set [toc] title for the contents; the rest can be changed in a book's templates",
            **where(toml.read_text(encoding="utf-8"), "book", "language"),
        )
    chapters = render_sources(with_parts(read_sources(config.chapter_files), config.parts, config.summary), state)
    resolve_links(chapters, state, config.chapter_files)
    style = config.resources.style
    if resources is not None and style is not None and state.citations is not None:
        omitted = config.resources.annotation_fields
        placed = state.citations.placed
        resources = styled(chapters, resources, placed, style, config.meta.language, omitted, problems, config.root)
    index = book_index(
        state.index_terms,
        state.index_marks,
        state.index_references,
        language,
        state.index_terms.title if state.index_terms else state.labels["index"],
        state.ids,
        problems,
    )
    glossary = book_glossary(state.glossary_terms, state.glossary_used, state.glossary_anchors, language, problems)
    for chapter in chapters:  # the last word on what reaches an output, once every link is resolved
        chapter.html = with_mathml(allowlisted(chapter.html), state.labels)
    cover = find_cover(config, state)
    problems.raise_if_any()
    assets = {asset.href: asset for asset in state.assets.values()}
    modified = modification_time(config, assets.values())
    warnings = list(problems.warnings)
    book = Book(
        config,
        chapters,
        resources,
        cover,
        assets,
        modified=modified,
        warnings=warnings,
        citations=state.cited,
        index=index,
        glossary=glossary,
        has_raw_html=state.raw_html,
    )
    # Its characters are known only once the book is whole: the list is filled before anyone else
    # has the book, and the fonts worked out on the way stay with it (a second Book would do it again).
    warnings.extend(missing_characters(book))
    return apply_transforms(book) if config.transforms else book


def citation_renderer(root: Path) -> Callable[[list[Cite]], ElementTree.Element]:
    """Citations are drawn by a template, so a book can cite by number or by short title."""
    template = make_environment(root).get_template("partials/citation.html")

    def render(cites: list[Cite]) -> ElementTree.Element:
        text = template.render(cites=cites, items=[(cite.resource, cite.locator) for cite in cites]).strip()
        try:
            return ElementTree.fromstring(text)
        except ElementTree.ParseError as error:
            raise BookError.single(
                Path(cast(str, template.filename)),
                f"the citation template gave no single well-formed element ({error})",
                'write one element, such as <span class="citation">...</span>',
            ) from None

    return render


def find_cover(config: BookConfig, state: RenderState) -> Asset | None:
    found = []
    for path in (config.root / name for name in COVER_NAMES):
        if not inside(path, config.root):
            state.problems.warn(
                path, "left out the cover: it leads outside the book folder", "make it a file of the book"
            )
        elif path.is_file():
            found.append(path)
    if len(found) > 1:
        names = ", ".join(path.name for path in found)
        state.problems.add(config.root, f"the book has several covers ({names})", "keep one cover file")
    if not found:
        return None
    problem = raster_problem(found[0])
    if problem:
        state.problems.add(found[0], f"the cover {problem[0]}", problem[1])
        return None
    warn_about_cover_shape(found[0], state)
    return register_asset(state, found[0])


MIN_COVER_WIDTH = 1000  # pixels: stores ask for 1,400 or more; under 1,000 a cover looks soft on a tablet


def warn_about_cover_shape(path: Path, state: RenderState) -> None:
    """A cover that e-book stores and reading apps would show badly: landscape, or small."""
    if path.suffix.lower() == ".svg":
        return
    with Image.open(path) as image:
        width, height = image.size
    if width >= height:
        state.problems.warn(
            path,
            f"the cover is {width} x {height} pixels, not upright",
            "a cover is portrait, about 1600 x 2400 pixels",
        )
    elif width < MIN_COVER_WIDTH:
        state.problems.warn(
            path,
            f"the cover is {width} pixels wide, and will look soft on a tablet",
            "give it 1,600 pixels or more across, about 1600 x 2400",
        )


def modification_time(config: BookConfig, assets: Iterable[Asset]) -> dt.datetime:
    """When the book last changed: SOURCE_DATE_EPOCH, else the book's date, else its newest file.

    Never the clock: two builds of the same sources must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    if config.meta.date:
        year, month, day = ([*config.meta.date.split("-"), "01", "01"])[:3]
        return dt.datetime(int(year), int(month), int(day), tzinfo=dt.UTC)
    inputs = [config.root / "book.toml", config.root / RESOURCES_NAME, *config.chapter_files]
    inputs += [config.summary] if config.summary else []  # an mdBook's contents and part titles
    inputs += [asset.source for asset in assets]
    newest = max(int(path.stat().st_mtime) for path in inputs if path.exists())
    return dt.datetime.fromtimestamp(max(newest, 315532800), dt.UTC)  # zip cannot go before 1980
