"""Files for handing the book out: the web edition (html/), the download page (index.html),
the cover and its thumbnail, an OPDS 1.2 feed, manifest.json and SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    parts = book_style_parts(book, "screen")
    original = book_cover(book, parts)
    cover = CoverImage(f"cover{original.suffix}", original.content)
    thumb = thumbnail(cover)  # the cover itself when it is an SVG
    for image in dict.fromkeys((cover, thumb)):
        staging.path(image.href).write_bytes(image.content)
    warnings = write_web_edition(book, env, staging, parts)
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


def write_web_edition(book: Book, env: Environment, staging: Staging, parts: list[StylePart]) -> list[Problem]:
    """html/: a contents page, one page per chapter, the resource list; the theme's screen CSS."""
    meta = book.meta
    labels = book.labels
    common = {"meta": meta, "labels": labels}
    pages: list[tuple[str, str, str]] = []  # (file, title, html) in reading order
    order = [PageLink(labels["contents"], "index.html")]
    order += [PageLink(chapter.title, f"{chapter.slug}.html") for chapter in book.chapters]
    if book.resources is not None:
        order.append(PageLink(book.resources.title, "further-reading.html"))

    def neighbours(index: int) -> dict[str, PageLink | None]:
        return {
            "previous": order[index - 1] if index > 0 else None,
            "next": order[index + 1] if index + 1 < len(order) else None,
        }

    contents = env.get_template("web/contents.html").render(
        toc=book.toc(),
        toc_depth=book.config.toc_depth,
        toc_title=book.toc_title,
        href=href_resolver(book, None, ".html"),
        **neighbours(0),
        **common,
    )
    pages.append(("index.html", meta.title, contents))
    href = href_resolver(book, None, ".html")
    part_contents = {
        entry.id: [PageLink(child.title, href(child.id)) for child in entry.children]
        for entry in book.toc()
        if entry.kind == "part"
    }
    for index, chapter in enumerate(book.chapters, start=1):
        converted = to_xhtml(chapter.tree(), link_resolver(href_resolver(book, chapter, ".html")), method="html")
        html = env.get_template("web/chapter.html").render(
            chapter=chapter,
            chapter_html=converted.xhtml,
            faq=faq_schema(chapter),
            part_contents=part_contents.get(chapter.id, []),
            **neighbours(index),
            **common,
        )
        pages.append((f"{chapter.slug}.html", chapter.title, html))
    if book.resources is not None:
        html = env.get_template("web/resources.html").render(
            resources=book.resources,
            citations=book.citations,
            medium="screen",
            href=href_resolver(book, None, ".html"),
            **neighbours(len(order) - 1),
            **common,
        )
        pages.append(("further-reading.html", book.resources.title, html))

    css, warnings = packaged_stylesheet(parts, book)
    shown = book_characters(book, css)
    for font in fonts_in(parts):
        staging.path(f"html/styles/{font.href}").write_bytes(subset_font(font, shown))
    staging.path("html/styles/book.css").write_text(css, encoding="utf-8")
    for asset in book.assets.values():
        staging.path(f"html/{asset.href}").write_bytes(packaged_bytes(asset.source))
    for name, _, html in pages:
        staging.path(f"html/{name}").write_text(guarded_page(html), encoding="utf-8")
    return warnings


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
