"""One XHTML document per chapter -> ebooklib -> EPUB 3, then repacked so rebuilds are byte-identical.

ebooklib packs (OPF, NCX, zip); the documents themselves come whole from our templates, because
ebooklib's own document writer drops what it does not know in <head> and on <body>.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ebooklib import epub
from jinja2 import Environment
from lxml import etree

from ...errors import Problem
from ...model import Book, Heading
from ...pageguard import guarded_xhtml
from ...read.images import packaged_bytes
from ...style.bookstyles import book_style_parts
from ...style.fonts import book_characters, fonts_in, packaged_stylesheet, subset_font
from ...style.themes import StylePart
from ..cover import book_cover
from ..hrefs import href_resolver, link_resolver, section_locators
from ..pagemap import PageMap
from ..xhtml import Converted, insert_marker, to_xhtml
from . import accessibility

XHTML = "application/xhtml+xml"
STYLESHEET = "styles/book.css"


@dataclass(frozen=True)
class Document:
    """An XHTML file of the EPUB, in reading order."""

    uid: str
    file_name: str
    title: str
    content: str
    properties: tuple[str, ...] = ()


def manifest_properties(converted: Converted) -> tuple[str, ...]:
    """What the package document must declare about a chapter: inline SVG, MathML."""
    return tuple(name for name, present in (("svg", converted.has_svg), ("mathml", converted.has_math)) if present)


def write_epub(book: Book, env: Environment, target: Path, pages: PageMap | None = None) -> list[Problem]:
    """Write the EPUB to `target`; return what was left out of it, as warnings."""
    options = {"mtime": book.modified, "raise_exceptions": True}
    options.update({"epub3_landmark": False, "epub3_pages": False, "epub2_guide": False})
    packed = io.BytesIO()
    package, warnings = assemble(book, env, pages or PageMap())
    epub.write_epub(packed, package, options)
    target.write_bytes(repack(packed.getvalue(), book))
    return warnings


def assemble(book: Book, env: Environment, pages: PageMap) -> tuple[epub.EpubBook, list[Problem]]:
    package = epub.EpubBook()
    if book.meta.direction == "rtl":
        package.set_direction("rtl")  # the spine's page-progression-direction: pages turn to the right
    add_metadata(package, book)
    parts = book_style_parts(book, "screen")
    css, warnings = packaged_stylesheet(parts, book)
    if not book.config.epub.embed_fonts:
        css = re.sub(r"@font-face\s*{[^}]*}", "", css)
    package.add_item(epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css", content=css.encode()))

    cover_href = add_images(package, book, parts)
    documents = render_documents(book, env, pages, cover_href)
    if book.config.epub.embed_fonts:
        used_text = book_characters(book, css)
        for font in fonts_in(parts):
            href = f"{Path(STYLESHEET).parent.as_posix()}/{font.href}"
            content = subset_font(font, used_text)
            package.add_item(
                epub.EpubItem(uid=item_id(href), file_name=href, media_type=font.media_type, content=content)
            )
    items = {}
    for document in documents:
        item = epub.EpubItem(
            uid=document.uid, file_name=document.file_name, media_type=XHTML, content=document.content.encode()
        )
        item.properties = list(document.properties)
        package.add_item(item)
        items[document.uid] = item
    package.add_item(epub.EpubNcx())
    package.spine = [items[document.uid] for document in documents]
    package.toc = ncx_entries(book)

    contents = accessibility.Contents(
        images=sum(document.content.count("<img ") for document in documents if document.uid != "cover"),
        images_without_alt=sum(len(re.findall(r'<img (?![^>]*alt="[^"]+")', d.content)) for d in documents),
        page_list=bool(pages),
        footnotes=any('epub:type="footnote"' in document.content for document in documents),
        math=any("mathml" in document.properties for document in documents),
    )
    for name, value in accessibility.properties(book, contents):
        package.add_metadata(None, "meta", value, {"property": name})
    package.add_metadata(None, "meta", accessibility.CONFORMS_TO, {"property": "dcterms:conformsTo"})
    if book.config.epub.certified_by:
        package.add_metadata(None, "meta", book.config.epub.certified_by, {"property": "a11y:certifiedBy"})
    if pages:
        package.add_metadata(None, "meta", book.meta.identifier, {"property": "pageBreakSource"})
    return package, warnings


def add_metadata(package: epub.EpubBook, book: Book) -> None:
    meta = book.meta
    package.set_identifier(meta.identifier)
    package.set_title(meta.title)
    package.set_language(meta.language)
    for number, author in enumerate(meta.authors, start=1):
        package.add_author(author, uid=f"creator{number}")
    for name, value in (
        ("description", meta.description),
        ("publisher", meta.publisher),
        ("rights", meta.rights),
        ("date", meta.date),
    ):
        if value:
            package.add_metadata("DC", name, value)
    for subject in meta.subjects:
        package.add_metadata("DC", "subject", subject)
    if meta.subtitle:
        package.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        package.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})


def add_images(package: epub.EpubBook, book: Book, parts: list[StylePart]) -> str:
    """The book's images and its cover (its own, or one made from title and authors); returns the cover's name."""
    for asset in book.assets.values():
        if asset is not book.cover:
            content = packaged_bytes(asset.source)
            package.add_item(
                epub.EpubItem(
                    uid=item_id(asset.href), file_name=asset.href, media_type=asset.media_type, content=content
                )
            )
    cover = book_cover(book, parts)
    package.set_cover(cover.href, cover.content, create_page=False)
    return cover.href


def render_documents(book: Book, env: Environment, pages: PageMap, cover_href: str) -> list[Document]:
    """Cover, title page, contents, chapters, resource list: the spine, in order."""
    meta = book.meta
    labels = book.labels
    toc_title = book.toc_title
    common = {"meta": meta, "labels": labels, "stylesheet_href": STYLESHEET}
    documents = [
        Document(
            "cover",
            "cover.xhtml",
            labels["cover"],
            env.get_template("epub/cover.xhtml").render(cover_href=cover_href, **common),
        ),
        Document("titlepage", "titlepage.xhtml", meta.title, env.get_template("epub/titlepage.xhtml").render(**common)),
    ]
    nav_index = len(documents)
    for chapter in book.chapters:
        converted = to_xhtml(chapter.tree(), link_resolver(href_resolver(book, chapter)), chapter.number, pages.markers)
        content = env.get_template("epub/chapter.xhtml").render(
            chapter=chapter, chapter_xhtml=converted.xhtml, **common
        )
        documents.append(
            Document(chapter.slug, chapter.file_name, chapter.title, content, manifest_properties(converted))
        )
    back_href = href_resolver(book, None)
    if book.glossary is not None:
        content = env.get_template("epub/glossary.xhtml").render(glossary=book.glossary, **common)
        content = mark_back_matter_pages(content, pages)
        documents.append(Document("glossary", book.glossary.file_name, book.glossary.title, content))
    if book.resources is not None:
        content = env.get_template("epub/resources.xhtml").render(
            resources=book.resources,
            citations=book.citations,
            medium="screen",
            href=href_resolver(book, None),
            **common,
        )
        content = mark_back_matter_pages(content, pages)
        documents.append(Document("further-reading", book.resources.file_name, book.resources.title, content))
    if book.index is not None:
        content = env.get_template("epub/book_index.xhtml").render(
            index=book.index,
            placeholder=False,
            href=back_href,
            locators=lambda entry: section_locators(entry, back_href),
            **common,
        )
        content = mark_back_matter_pages(content, pages)
        documents.append(Document("book-index", book.index.file_name, book.index.title, content))
    nav = env.get_template("epub/nav.xhtml").render(
        toc=book.toc(),
        toc_depth=book.config.toc_depth,
        toc_title=toc_title,
        href=href_resolver(book, None),
        landmarks=landmarks(book, labels, toc_title),
        page_list=page_list_entries(documents, pages),
        **common,
    )
    documents.insert(nav_index, Document("nav", "nav.xhtml", toc_title, nav, ("nav",)))
    return [replace(document, content=guarded_xhtml(document.content)) for document in documents]


def mark_back_matter_pages(content: str, pages: PageMap) -> str:
    """Page-break markers in the glossary, the resource list and the index, before the entry each
    page begins with."""
    if not pages:
        return content
    root = etree.fromstring(content.encode())
    for item in [element for element in root.iter() if element.get("id") in pages.markers]:
        for label in pages.markers[item.get("id", "")]:
            insert_marker(item, label)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8").decode()


def page_list_entries(documents: list[Document], pages: PageMap) -> list[dict[str, str]]:
    """The page list, in reading order: each label with the document that holds its marker."""
    where = {}
    for document in documents:
        for label in re.findall(r'id="page-([^"]+)"', document.content):
            where[label] = document.file_name
    return [{"label": label, "href": f"{where[label]}#page-{label}"} for label in pages.labels if label in where]


def landmarks(book: Book, labels: dict[str, str], toc_title: str) -> list[dict[str, str]]:
    marks = [
        {"type": "cover", "href": "cover.xhtml", "title": labels["cover"]},
        {"type": "titlepage", "href": "titlepage.xhtml", "title": labels["title_page"]},
        {"type": "toc", "href": "nav.xhtml#toc", "title": toc_title},
        {"type": "bodymatter", "href": book.chapters[0].file_name, "title": labels["start"]},
    ]
    if book.glossary is not None:
        marks.append({"type": "glossary", "href": book.glossary.file_name, "title": book.glossary.title})
    if book.resources is not None:
        marks.append({"type": "bibliography", "href": book.resources.file_name, "title": book.resources.title})
    if book.index is not None:
        marks.append({"type": "index", "href": book.index.file_name, "title": book.index.title})
    return marks


def ncx_entries(book: Book) -> list[Any]:
    """The NCX table of contents, for EPUB 2 reading systems: same entries as the nav document."""
    href = href_resolver(book, None)
    depth = book.config.toc_depth

    def entry(heading: Heading) -> Any:  # an ebooklib Link, or a (Section, children) pair
        children = [entry(child) for child in heading.children if child.level <= depth]
        link = epub.Link(href(heading.id), heading.title, f"nav-{heading.id}")
        return (epub.Section(heading.title, href(heading.id)), children) if children else link

    return [entry(heading) for heading in book.toc()]


def item_id(href: str) -> str:
    return "asset-" + "".join(c if c.isalnum() else "-" for c in href)


def repack(data: bytes, book: Book) -> bytes:
    """Same entries, fixed order and timestamps, mimetype first and stored; xml:lang on the package."""
    stamp = book.modified.timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = ["mimetype", *sorted(name for name in names if name != "mimetype")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ordered:
            content = source.read(name)
            if name.endswith("content.opf"):
                content = with_package_language(content, book.meta.language)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, content)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, content, compresslevel=9)
    return out.getvalue()


def with_package_language(opf: bytes, language: str) -> bytes:
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
