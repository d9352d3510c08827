"""html/: the web edition. A contents page, one page per chapter and the resource list, each with the
book's contents beside it; the theme's screen stylesheet with its reading themes; Octavo's script;
and the search index (search.py)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
from jinja2 import Environment

from ...build.staging import Staging
from ...errors import Problem
from ...model import Book, Chapter, Glossary
from ...pageguard import guarded_page
from ...read.images import packaged_bytes
from ...style.fonts import book_characters, fonts_in, packaged_stylesheet, subset_font
from ...style.themes import StylePart
from ..cover import CoverImage
from ..hrefs import href_resolver, link_resolver, section_locators
from ..xhtml import to_xhtml
from .search import index_for_search


@dataclass(frozen=True)
class PageLink:
    title: str
    href: str


LONG_PAGE_WORDS = 800  # a chapter longer than this ends with a link back to its top
SCRIPT = Path(__file__).with_name("octavo.js")


def write_web_edition(
    book: Book, env: Environment, staging: Staging, parts: list[StylePart], cover: CoverImage
) -> list[Problem]:
    """html/: a contents page, one page per chapter, the resource list; the theme's screen CSS,
    Octavo's script and the search index."""
    meta = book.meta
    labels = book.labels
    site_url = book.config.site.url
    toc = book.toc()
    common = {
        "meta": meta,
        "labels": labels,
        "site_url": site_url,
        "cover_href": cover.href,
        "sidebar": toc,
        "sidebar_current": "",
        "toc_depth": book.config.toc_depth,
        "indexed": False,  # whether search finds the page's text
        "long_page": False,  # whether it ends with a link back to its top
    }
    pages: list[tuple[str, str, str]] = []  # (file, title, html) in reading order
    order = [PageLink(labels["contents"], "index.html")]
    order += [PageLink(chapter.title, f"{chapter.slug}.html") for chapter in book.chapters]
    if book.glossary is not None:
        order.append(PageLink(book.glossary.title, "glossary.html"))
    if book.resources is not None:
        order.append(PageLink(book.resources.title, "further-reading.html"))
    if book.index is not None:
        order.append(PageLink(book.index.title, "book-index.html"))

    def around(index: int) -> dict[str, Any]:
        """What a page's template needs to know of its place: its neighbours and its own address."""
        return {
            "previous": order[index - 1] if index > 0 else None,
            "next": order[index + 1] if index + 1 < len(order) else None,
            "canonical": f"{site_url}html/{order[index].href}" if site_url else "",
        }

    contents = env.get_template("web/contents.html").render(
        {**common, "sidebar": None},
        toc=toc,
        toc_title=book.toc_title,
        href=href_resolver(book, None, ".html"),
        **around(0),
    )
    pages.append(("index.html", meta.title, contents))
    href = href_resolver(book, None, ".html")
    part_contents = {
        entry.id: [PageLink(child.title, href(child.id)) for child in entry.children]
        for entry in toc
        if entry.kind == "part"
    }
    for index, chapter in enumerate(book.chapters, start=1):
        own_href = href_resolver(book, chapter, ".html")
        screen_tree = with_definitions(for_screens(chapter.tree()), book.glossary)
        converted = to_xhtml(screen_tree, link_resolver(own_href), method="html")
        html = env.get_template("web/chapter.html").render(
            common,
            chapter=chapter,
            chapter_html=converted.xhtml,
            faq=faq_schema(chapter),
            part_contents=part_contents.get(chapter.id, []),
            href=own_href,
            sidebar_current=chapter.id,
            indexed=True,
            long_page=len(chapter.tree().text_content().split()) > LONG_PAGE_WORDS,
            **around(index),
        )
        pages.append((f"{chapter.slug}.html", chapter.title, html))
    position = len(book.chapters) + 1
    if book.glossary is not None:
        html = env.get_template("web/glossary.html").render(
            common,
            glossary=book.glossary,
            href=href,
            sidebar_current=book.glossary.id,
            indexed=True,
            **around(position),
        )
        pages.append(("glossary.html", book.glossary.title, html))
        position += 1
    if book.resources is not None:
        html = env.get_template("web/resources.html").render(
            common,
            resources=book.resources,
            citations=book.citations,
            medium="screen",
            href=href,
            sidebar_current=book.resources.id,
            indexed=True,
            long_page=len(book.resources.resources) > 12,
            **around(position),
        )
        pages.append(("further-reading.html", book.resources.title, html))
        position += 1
    if book.index is not None:
        html = env.get_template("web/book_index.html").render(
            common,
            index=book.index,
            placeholder=False,
            href=href,
            locators=lambda entry: section_locators(entry, href),
            sidebar_current=book.index.id,
            long_page=len(book.index.entries()) > 40,
            **around(position),
        )
        pages.append(("book-index.html", book.index.title, html))

    css, warnings = packaged_stylesheet(parts, book)
    shown = book_characters(book, css)
    for font in fonts_in(parts):
        staging.path(f"html/styles/{font.href}").write_bytes(subset_font(font, shown))
    staging.path("html/styles/book.css").write_text(css, encoding="utf-8")
    for asset in book.assets.values():
        staging.path(f"html/{asset.href}").write_bytes(packaged_bytes(asset.source))
    staging.path(f"html/{SCRIPT.name}").write_bytes(SCRIPT.read_bytes())
    for name, _, html in pages:
        staging.path(f"html/{name}").write_text(with_script(guarded_page(html)), encoding="utf-8")
    return warnings + index_for_search(staging.folder / "html")


PLAIN_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|(rgb|hsl)a?\([^()]*\)|[a-zA-Z]+)$")
AUTHOR_COLOURS = {
    "color": "--author-color",
    "background-color": "--author-background",
    "background": "--author-background",
}


def for_screens(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of a chapter's tree as browsers read it best:
    - a tip is a `note` (browsers take DPUB's `doc-tip` on an `aside` for a second complementary
      landmark);
    - colours the book's own HTML sets (`<font color>`, `bgcolor`, `style`) are also given as custom
      properties, so the dark theme can turn them dark side up (web.css) instead of leaving light
      cells and dark words on a dark page."""
    copied = copy.deepcopy(tree)
    for element in copied.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("role") == "doc-tip":
            element.set("role", "note")
        style = element.get("style")
        if style and ("color" in style or "background" in style):
            added = []
            for declaration in style.split(";"):
                name, _, value = declaration.partition(":")
                prop = AUTHOR_COLOURS.get(name.strip().lower())
                if prop and PLAIN_COLOUR.match(value.strip()):
                    added.append(f"{prop}: {value.strip()}")
            if added:
                element.set("style", "; ".join([style.strip().rstrip(";"), *added]))
    return copied


def with_definitions(tree: lxml.html.HtmlElement, glossary: Glossary | None) -> lxml.html.HtmlElement:
    """Each glossary link followed by its term's definition, which web.css shows while the link is
    hovered or focused: no script, and the link names the definition as its description."""
    if glossary is None:
        return tree
    definitions = {term.anchor: term for term in glossary.terms}
    for number, link in enumerate(tree.xpath('.//a[@class="glossary-ref"]'), start=1):
        term = definitions.get(link.get("href", "").lstrip("#"))
        if term is None:
            continue
        tip = lxml.html.fragment_fromstring(term.definition_html, create_parent="span")
        for paragraph in tip.iter("p"):
            paragraph.tag = "span"  # a paragraph cannot stand in a sentence
        tip.set("class", "glossary-tip")
        tip.set("role", "tooltip")
        tip.set("id", f"{term.anchor}-tip-{number}")
        tip.set("data-pagefind-ignore", "")
        link.set("aria-describedby", tip.get("id"))
        wrapper = lxml.html.Element("span", {"class": "glossary-use"})
        link.addprevious(wrapper)
        wrapper.tail, link.tail = link.tail, None
        wrapper.append(link)
        wrapper.append(tip)
    return tree


def with_script(page: str) -> str:
    """The page with Octavo's script, added after the page guard has taken out any other: a book's
    templates cannot bring script, and every page of the web edition gets the same one file."""
    tag = f'<script src="{SCRIPT.name}"></script>\n'
    return page.replace("</head>", tag + "</head>", 1) if "</head>" in page else page


def web_page_names(book: Book) -> list[str]:
    """The web edition's pages, in reading order."""
    names = ["index.html", *(f"{chapter.slug}.html" for chapter in book.chapters)]
    names += ["glossary.html"] if book.glossary is not None else []
    names += ["further-reading.html"] if book.resources is not None else []
    return names + (["book-index.html"] if book.index is not None else [])


def faq_schema(chapter: Chapter) -> dict[str, Any] | None:
    """schema.org `FAQPage` for a FAQ chapter: each `##` question with the text under it."""
    if chapter.kind != "faq":
        return None
    root = chapter.tree()
    entries = []
    for heading in root.iter("h2"):
        answer = []
        for sibling in heading.itersiblings():
            if sibling.tag in ("h1", "h2"):
                break
            if sibling.tag != "section":
                answer.append(" ".join(sibling.text_content().split()))
        question = " ".join(heading.text_content().split())
        entries.append(
            {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": " ".join(answer)}}
        )
    return {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": entries}
