"""One XHTML document per chapter -> ebooklib -> EPUB 3, then repacked so rebuilds are byte-identical.

ebooklib packs (OPF, NCX, zip); the documents themselves come whole from our templates, because
ebooklib's own document writer drops what it does not know in <head> and on <body>.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub
from jinja2 import Environment
from lxml import etree

from .fonts import fonts_in, subset_font
from .labels import labels_for
from .model import Book, Chapter
from .themes import stylesheet, stylesheet_files
from .xhtml import to_xhtml

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


def write_epub(book: Book, env: Environment, target: Path) -> None:
    packed = io.BytesIO()
    epub.write_epub(
        packed,
        assemble(book, env),
        {
            "mtime": book.modified,
            "raise_exceptions": True,
            "epub3_landmark": False,
            "epub3_pages": False,
            "epub2_guide": False,
        },
    )
    target.write_bytes(repack(packed.getvalue(), book))


def assemble(book: Book, env: Environment) -> epub.EpubBook:
    meta = book.meta
    package = epub.EpubBook()
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

    css = stylesheet(book.root, "screen")
    package.add_item(epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css", content=css.encode()))
    for asset in book.assets.values():
        if asset is book.cover:
            package.set_cover(asset.href, asset.source.read_bytes(), create_page=False)
        else:
            package.add_item(
                epub.EpubItem(
                    uid=item_id(asset.href),
                    file_name=asset.href,
                    media_type=asset.media_type,
                    content=asset.source.read_bytes(),
                )
            )

    documents = render_documents(book, env)
    used_text = text_of(documents) + css
    for font in fonts_in(stylesheet_files(book.root, "screen")):
        href = f"{Path(STYLESHEET).parent.as_posix()}/{font.href}"
        content = subset_font(font, used_text)
        package.add_item(epub.EpubItem(uid=item_id(href), file_name=href, media_type=font.media_type, content=content))
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
    return package


def render_documents(book: Book, env: Environment) -> list[Document]:
    """Cover, title page, contents, chapters, resource list: the spine, in order."""
    meta = book.meta
    owners = book.chapter_of_anchor()
    labels = labels_for(meta.language)
    toc_title = book.config.toc.title or labels["contents"]
    common = {"meta": meta, "labels": labels, "stylesheet_href": STYLESHEET}
    documents: list[Document] = []
    if book.cover is not None:
        cover = env.get_template("epub/cover.xhtml").render(cover=book.cover, **common)
        documents.append(Document("cover", "cover.xhtml", labels["cover"], cover))
    documents.append(
        Document("titlepage", "titlepage.xhtml", meta.title, env.get_template("epub/titlepage.xhtml").render(**common))
    )
    href = href_resolver(book, owners, None)
    nav = env.get_template("epub/nav.xhtml").render(
        toc=book.toc(),
        toc_depth=book.config.toc_depth,
        toc_title=toc_title,
        href=href,
        landmarks=landmarks(book, labels, toc_title),
        **common,
    )
    documents.append(Document("nav", "nav.xhtml", toc_title, nav, ("nav",)))
    for chapter in book.chapters:
        body, has_svg = to_xhtml(chapter.html, link_resolver(href_resolver(book, owners, chapter)))
        content = env.get_template("epub/chapter.xhtml").render(chapter=chapter, chapter_xhtml=body, **common)
        documents.append(Document(chapter.slug, chapter.file_name, chapter.title, content, ("svg",) if has_svg else ()))
    if book.resources is not None:
        content = env.get_template("epub/resources.xhtml").render(resources=book.resources, **common)
        documents.append(Document("further-reading", book.resources.file_name, book.resources.title, content))
    return documents


def href_resolver(book: Book, owners: dict[str, Chapter], current: Chapter | None):
    """id -> link from the document of `current` (None: a document that is no chapter)."""

    def href(anchor: str) -> str:
        if book.resources is not None and anchor == book.resources.id:
            return book.resources.file_name
        chapter = owners.get(anchor)
        if chapter is None:
            return f"#{anchor}"
        if chapter is current:
            return f"#{anchor}"
        return chapter.file_name if anchor == chapter.id else f"{chapter.file_name}#{anchor}"

    return href


def link_resolver(href):
    def link(value: str) -> str:
        return href(value[1:]) if value.startswith("#") and len(value) > 1 else value

    return link


def landmarks(book: Book, labels: dict[str, str], toc_title: str) -> list[dict[str, str]]:
    marks = []
    if book.cover is not None:
        marks.append({"type": "cover", "href": "cover.xhtml", "title": labels["cover"]})
    marks.append({"type": "titlepage", "href": "titlepage.xhtml", "title": labels["title_page"]})
    marks.append({"type": "toc", "href": "nav.xhtml#toc", "title": toc_title})
    marks.append({"type": "bodymatter", "href": book.chapters[0].file_name, "title": labels["start"]})
    if book.resources is not None:
        marks.append({"type": "bibliography", "href": book.resources.file_name, "title": book.resources.title})
    return marks


def ncx_entries(book: Book) -> list:
    """The NCX table of contents, for EPUB 2 reading systems: same entries as the nav document."""
    owners = book.chapter_of_anchor()
    href = href_resolver(book, owners, None)
    depth = book.config.toc_depth

    def entry(heading):
        children = [entry(child) for child in heading.children if child.level <= depth]
        link = epub.Link(href(heading.id), heading.title, f"nav-{heading.id}")
        return (epub.Section(heading.title, href(heading.id)), children) if children else link

    return [entry(heading) for heading in book.toc()]


def text_of(documents: list[Document]) -> str:
    """Every character the documents show, for cutting fonts down to what is needed."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", document.content)) for document in documents)


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
