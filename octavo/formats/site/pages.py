"""Files for handing the book out: the web edition (html/), the download page (index.html),
the cover and its thumbnail, an OPDS 1.2 feed, manifest.json and SHA256SUMS."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import lxml.html
from jinja2 import Environment

from ...build.staging import Staging
from ...errors import Problem
from ...model import Book, Chapter
from ...pageguard import guarded_page
from ...read.images import packaged_bytes
from ...style.bookstyles import book_style_parts
from ...style.fonts import book_characters, fonts_in, packaged_stylesheet, subset_font
from ...style.themes import StylePart
from ..cover import CoverImage, book_cover, thumbnail
from ..hrefs import href_resolver, link_resolver
from ..xhtml import to_xhtml
from .search import index_for_search


@dataclass(frozen=True)
class Download:
    label: str
    file_name: str
    media_type: str
    size: int
    sha256: str

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024:,.0f} KB" if self.size < 1024 * 1024 else f"{self.size / 1024 / 1024:,.1f} MB"

    @property
    def acquisition(self) -> bool:
        return self.media_type in ("application/pdf", "application/epub+zip")


@dataclass(frozen=True)
class PageLink:
    title: str
    href: str


def describe_download(path: Path) -> Download:
    from .. import media_type as format_media_type
    from ..bibliography import MEDIA_TYPES as RESOURCE_LIST_TYPES

    fallback = (path.suffix.lstrip(".").upper(), "application/octet-stream")
    label, media_type = format_media_type(path.suffix) or RESOURCE_LIST_TYPES.get(path.suffix, fallback)
    data = path.read_bytes()
    return Download(label, path.name, media_type, len(data), hashlib.sha256(data).hexdigest())


def write_cover_and_web_edition(
    book: Book, env: Environment, staging: Staging
) -> tuple[CoverImage, CoverImage, list[Problem]]:
    """The part that needs no other format: it can be made while the PDF is laid out. Returns the
    cover, its thumbnail and what was left out of the web edition."""
    parts = book_style_parts(book, "web")
    original = book_cover(book, parts)
    cover = CoverImage(f"cover{original.suffix}", original.content)
    thumb = thumbnail(cover)  # the cover itself when it is an SVG
    for image in dict.fromkeys((cover, thumb)):
        staging.path(image.href).write_bytes(image.content)
    warnings = write_web_edition(book, env, staging, parts, cover)
    return cover, thumb, warnings


def write_downloads(
    book: Book,
    env: Environment,
    staging: Staging,
    files: list[Path],
    cover: CoverImage,
    thumb: CoverImage,
) -> None:
    """The download page, the feed, manifest.json and SHA256SUMS: they describe the finished files."""
    downloads = [describe_download(path) for path in files]
    common = site_context(book, env, cover, thumb, downloads)
    index = guarded_page(env.get_template("site/index.html").render(**common))
    staging.path("index.html").write_text(index, encoding="utf-8")
    staging.path("opds.xml").write_text(env.get_template("site/opds.xml").render(**common), encoding="utf-8")
    staging.path("manifest.json").write_text(manifest(book, downloads, cover, thumb), encoding="utf-8")
    if book.config.site.url:
        staging.path("sitemap.xml").write_text(sitemap(book), encoding="utf-8")
        robots = f"User-agent: *\nAllow: /\nSitemap: {book.config.site.url}sitemap.xml\n"
        staging.path("robots.txt").write_text(robots, encoding="utf-8")
    checked = [*files, staging.folder / cover.href] + ([staging.folder / thumb.href] if thumb is not cover else [])
    sums = "".join(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n" for path in checked)
    staging.path("SHA256SUMS").write_text(sums, encoding="utf-8")


def site_context(
    book: Book, env: Environment, cover: CoverImage, thumb: CoverImage, downloads: list[Download]
) -> dict[str, Any]:
    meta = book.meta
    labels = book.labels
    return {
        "book": book,
        "meta": meta,
        "labels": labels,
        "cover": cover,
        "thumbnail": thumb,
        "downloads": downloads,
        "toc": book.toc(),
        "toc_depth": book.config.toc_depth,
        "toc_title": book.toc_title,
        "href": href_resolver(book, None, ".html", prefix="html/"),
        "citations": book.citations,
        "updated": book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "schema": book_schema(book, cover.href, downloads),
        "site_url": book.config.site.url,
    }


def book_schema(book: Book, image: str, downloads: list[Download]) -> dict[str, Any]:
    """schema.org `Book` for search engines and link previews."""
    meta = book.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Book",
        "name": meta.title,
        "inLanguage": meta.language,
    }
    if meta.subtitle:
        data["alternativeHeadline"] = meta.subtitle
    if meta.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in meta.authors]
    for key, value in (("description", meta.description), ("datePublished", meta.date), ("version", meta.version)):
        if value:
            data[key] = value
    if meta.publisher:
        data["publisher"] = {"@type": "Organization", "name": meta.publisher}
    data["identifier"] = meta.identifier
    data["image"] = image
    data["encoding"] = [
        {"@type": "MediaObject", "contentUrl": d.file_name, "encodingFormat": d.media_type, "contentSize": str(d.size)}
        for d in downloads
        if d.acquisition
    ]
    return data


def manifest(book: Book, downloads: list[Download], cover: CoverImage, thumb: CoverImage) -> str:
    meta = book.meta
    data = {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "authors": list(meta.authors),
        "version": meta.version,
        "identifier": meta.identifier,
        "language": meta.language,
        "modified": book.modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "formats": [
            {"format": d.label, "file": d.file_name, "media_type": d.media_type, "size": d.size, "sha256": d.sha256}
            for d in downloads
        ],
        "cover": cover.href,
        "thumbnail": thumb.href,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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
    if book.resources is not None:
        order.append(PageLink(book.resources.title, "further-reading.html"))

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
        converted = to_xhtml(for_screens(chapter.tree()), link_resolver(own_href), method="html")
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
            **around(len(order) - 1),
        )
        pages.append(("further-reading.html", book.resources.title, html))

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


def with_script(page: str) -> str:
    """The page with Octavo's script, added after the page guard has taken out any other: a book's
    templates cannot bring script, and every page of the web edition gets the same one file."""
    tag = f'<script src="{SCRIPT.name}"></script>\n'
    return page.replace("</head>", tag + "</head>", 1) if "</head>" in page else page


def web_page_names(book: Book) -> list[str]:
    """The web edition's pages, in reading order."""
    names = ["index.html", *(f"{chapter.slug}.html" for chapter in book.chapters)]
    return names + (["further-reading.html"] if book.resources is not None else [])


def sitemap(book: Book) -> str:
    """sitemap.xml: the download page and every page of the web edition, at [site] url."""
    url = book.config.site.url
    modified = book.modified.strftime("%Y-%m-%d")
    addresses = [url, *(f"{url}html/{name}" for name in web_page_names(book))]
    entries = "".join(
        f"  <url><loc>{xml_escape(address)}</loc><lastmod>{modified}</lastmod></url>\n" for address in addresses
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


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
