"""Files for handing the book out: the download page (index.html), the cover and its thumbnail, an
OPDS 1.2 feed, manifest.json, SHA256SUMS, and with [site] url sitemap.xml and robots.txt; the web
edition they point to is web.py's."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from jinja2 import Environment

from ...build.staging import Staging
from ...errors import Problem
from ...model import Book
from ...pageguard import guarded_page
from ...style.bookstyles import book_style_parts
from ..cover import CoverImage, book_cover, thumbnail
from ..hrefs import href_resolver
from .web import web_page_names, write_web_edition


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
        "publisher": meta.publisher,
        "date": meta.date,
        "description": meta.description,
        "subjects": list(meta.subjects),
        "formats": [
            {"format": d.label, "file": d.file_name, "media_type": d.media_type, "size": d.size, "sha256": d.sha256}
            for d in downloads
        ],
        "cover": cover.href,
        "thumbnail": thumb.href,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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
