"""The one data model every stage reads and extends: a Book of Chapters, Headings and Resources."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .options import default
from .slugs import ascii_slug

if TYPE_CHECKING:
    from .errors import Problem
    from .style.scriptfonts import ScriptFonts

RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr"})


@dataclass(frozen=True)
class BookMeta:
    """What the book says about itself in `[book]` of book.toml."""

    title: str
    language: str
    identifier: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""  # ISO 8601 as written: "2024", "2024-05" or "2024-05-01"
    version: str = ""
    description: str = ""
    publisher: str = ""
    rights: str = ""
    subjects: tuple[str, ...] = ()
    repository: str = ""  # where the book's files are read on the web: links to non-chapter files go there

    @property
    def direction(self) -> str:
        """ "rtl" for a book in a right-to-left script: its text runs, and its pages turn, the other way."""
        return "rtl" if self.language.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"


@dataclass(frozen=True)
class Margins:
    """Page margins as CSS lengths; inner is the gutter side, mirrored on facing pages."""

    top: str
    bottom: str
    inner: str
    outer: str


@dataclass(frozen=True)
class PdfSettings:
    """`[pdf]` of book.toml: the printed book's geometry and options."""

    page_size: str = default("pdf", "page_size")  # the name as written, for messages
    width: str = "148mm"
    height: str = "210mm"
    margins: Margins = Margins("18mm", "22mm", "20mm", "15mm")
    bleed: str = default("pdf", "bleed")
    recto_chapters: bool = default("pdf", "recto_chapters")
    number_chapters: bool = default("pdf", "number_chapters")
    variant: str = default("pdf", "variant")


@dataclass(frozen=True)
class PrintSettings:
    """`[print]` of book.toml: the print-on-demand kit's service, trim, paper, ISBN and back cover
    (see formats/press/)."""

    service: str = default("print", "service")
    trim: str = default("print", "trim")  # as written; "" is [pdf] page_size
    paper: str = default("print", "paper")
    isbn: str = default("print", "isbn")  # 13 digits, checked
    price: str = default("print", "price")  # "USD 24.99"
    back_text: str = default("print", "back_text")
    author_photo: Path | None = None
    crop_marks: bool = default("print", "crop_marks")


@dataclass(frozen=True)
class TocSettings:
    """`[toc]` of book.toml: how deep the contents go, and their title."""

    depth: int = default("toc", "depth")
    title: str = default("toc", "title")


@dataclass(frozen=True)
class CitationStyle:
    """A CSL style the citations and the resource list are worded in ("apa", "ieee", a book's own)."""

    name: str  # as book.toml gives it: "apa", "styles/house.csl"
    path: Path  # the independent CSL file the processor runs (a dependent style's parent)
    title: str  # as the style calls itself: "APA Style 7th edition"
    numeric: bool  # its entries are labelled by number ("[3]"), not by author and year


@dataclass(frozen=True)
class ResourceSettings:
    """`[resources]` of book.toml: reference managers' files whose entries join the resource list,
    and the citation style, when not Octavo's own numbers."""

    files: tuple[Path, ...] = ()
    annotation_fields: tuple[str, ...] = default("resources", "annotation_fields")
    style: CitationStyle | None = None


@dataclass(frozen=True)
class GlossarySettings:
    """`[glossary]` of book.toml: how glossary.toml's terms meet the text."""

    link_first: bool = default("glossary", "link_first")


@dataclass(frozen=True)
class SiteSettings:
    """`[site]` of book.toml: where the book's site is published, for canonical links and sitemap.xml."""

    url: str = default("site", "url")  # ends in "/" when set


@dataclass(frozen=True)
class ThemeSettings:
    """`[theme]` of book.toml: which theme, the book's own values for its variables, extra CSS."""

    name: str = default("theme", "name")
    variables: tuple[tuple[str, str], ...] = ()
    css: tuple[Path, ...] = ()


@dataclass(frozen=True)
class EpubSettings:
    """`[epub]` of book.toml: what goes into the EPUB beyond the text."""

    embed_fonts: bool = default("epub", "embed_fonts")
    page_list: str = default("epub", "page_list")  # "auto", "always", "never": see options.py
    accessibility_summary: str = default("epub", "accessibility_summary")  # replaces the generated summary
    accessibility_hazards: tuple[str, ...] = default("epub", "accessibility_hazards")
    certified_by: str = default("epub", "certified_by")


@dataclass(frozen=True)
class MarkdownSettings:
    """`[markdown]` of book.toml: Python-Markdown extensions beyond Octavo's dialect, with their
    options (see read/extensions.py)."""

    extensions: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.extensions]

    @property
    def configs(self) -> dict[str, dict[str, Any]]:
        return {name: options for name, options in self.extensions if options}


@dataclass(frozen=True)
class PartOpening:
    """A part title of an mdBook's SUMMARY.md: the part opens before the chapter file `before`."""

    title: str  # Markdown, as written
    before: Path
    line: int  # in SUMMARY.md


@dataclass(frozen=True)
class BookConfig:
    """book.toml, checked: metadata plus where the chapters are."""

    root: Path
    meta: BookMeta
    chapter_files: tuple[Path, ...]
    pdf: PdfSettings = field(default_factory=PdfSettings)
    toc: TocSettings = field(default_factory=TocSettings)
    epub: EpubSettings = field(default_factory=EpubSettings)
    theme: ThemeSettings = field(default_factory=ThemeSettings)
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)
    site: SiteSettings = field(default_factory=SiteSettings)
    resources: ResourceSettings = field(default_factory=ResourceSettings)
    glossary: GlossarySettings = field(default_factory=GlossarySettings)
    printing: PrintSettings = field(default_factory=PrintSettings)
    allow_remote: bool = default("build", "allow_remote")  # download http(s) images at build time
    transforms: tuple[str, ...] = ()  # [build] transforms: installed transforms run on the read book
    # A chapter file nested in an mdBook's SUMMARY.md -> how many levels down its headings go (see mdbook.py)
    nesting: dict[Path, int] = field(default_factory=dict)
    is_mdbook: bool = False
    summary: Path | None = None  # an mdBook's SUMMARY.md
    parts: tuple[PartOpening, ...] = ()
    unnumbered: frozenset[Path] = frozenset()  # an mdBook's prefix and suffix chapters, outside its parts
    mathjax: bool = False  # an mdBook's [output.html] mathjax-support: its \\( \\) delimiters are math

    @property
    def toc_depth(self) -> int:
        return self.toc.depth


@dataclass
class Heading:
    """A node of the table of contents: a heading with a book-wide unique id."""

    level: int
    title: str
    id: str
    children: list[Heading] = field(default_factory=list)
    kind: str = ""  # "part" for a part, whose children are its chapters


@dataclass
class Chapter:
    """One top-level heading and everything up to the next, from one source file."""

    source: Path
    number: int  # 1-based position in reading order
    title: str
    id: str  # the id of its top-level heading, unique in the book
    slug: str  # ASCII name for per-chapter output files
    html: str = ""  # body HTML; internal links are `#id`, images point at Asset.href
    sections: list[Heading] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # every id in `html`
    kind: str = "chapter"  # or "faq": each question a section, laid out as questions and answers;
    # or "part": a part's title page, the chapters after it its own until the next part
    part: str = ""  # the id of the part it stands in
    ordinal: int = 0  # its number among the numbered chapters ("Chapter 3"); 0 for parts and unnumbered ones

    @property
    def file_name(self) -> str:
        return f"{self.slug}.xhtml"

    def tree(self) -> Any:
        """`html` parsed once, inside a `<div>`, for every format to read; one that changes what it
        reads works on `copy.deepcopy(chapter.tree())`. Parsed again only if `html` is replaced."""
        cached = self.__dict__.get("_tree")
        if cached is None or cached[0] is not self.html:
            import lxml.html

            cached = (self.html, lxml.html.fragment_fromstring(self.html, create_parent="div"))
            self.__dict__["_tree"] = cached
        return cached[1]

    def __getstate__(self) -> dict[str, Any]:
        """A parsed tree does not cross to the second process: it parses its own once."""
        return {name: value for name, value in self.__dict__.items() if name != "_tree"}


@dataclass(frozen=True)
class Citation:
    """Where the text cites a resource: the citation's own id and the section it stands in."""

    resource_id: str
    anchor: str
    chapter_id: str
    section_title: str
    section_id: str


@dataclass(frozen=True)
class Resource:
    """One entry of the annotated resource list."""

    id: str
    title: str
    number: int
    subtitle: str = ""
    annotation_html: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    publisher: str = ""
    url: str = ""
    isbn: str = ""
    category: str = ""
    annotation: str = ""  # the Markdown as written, for the exported reference files
    csl: str = ""  # an entry imported from a reference file: the whole of it, as CSL-JSON text
    source: str = ""  # where it was imported from: "refs.bib:12"
    entry_html: str = ""  # the entry as the book's citation style words it, when it has one
    entry_label: str = ""  # and its label there, for a numbered style: "[3]"

    @property
    def anchor(self) -> str:
        """Its id as a document id. Reference managers' ids may hold ':', '.', '+' or '/': those are
        replaced, and a short hash of the id keeps "knuth:1984" and "knuth-1984" apart."""
        slug = re.sub(r"[^A-Za-z0-9_-]", "-", self.id)
        if slug == self.id:
            return f"resource-{slug}"
        return f"resource-{slug}-{hashlib.sha256(self.id.encode()).hexdigest()[:6]}"

    @cached_property
    def csl_item(self) -> dict[str, Any]:
        return dict(json.loads(self.csl)) if self.csl else {}

    @property
    def published_in(self) -> str:
        """Where an imported entry appeared, in a few words: "Journal of Things 76 (3): 123–145",
        "In Collected Essays, 12–30", "PhD thesis, Uppsala University"."""
        item = self.csl_item
        if not item:
            return ""
        container, volume, issue, page, genre, publisher = (
            csl_plain(item.get(key, "")) for key in ("container-title", "volume", "issue", "page", "genre", "publisher")
        )
        if item.get("type") in ("article-journal", "article-magazine", "article-newspaper", "periodical"):
            where = " ".join(part for part in (container, volume, f"({issue})" if issue else "") if part)
            return f"{where}: {page}" if page and where else where or page
        if container:
            return f"In {container}" + (f", {page}" if page else "")
        return ", ".join(part for part in (genre, publisher) if part)

    @property
    def link(self) -> str:
        """Its web address: the URL, else the DOI's."""
        doi = str(self.csl_item.get("DOI", "")).strip()
        return self.url or (f"https://doi.org/{doi}" if doi else "")

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title


CSL_MARKUP = re.compile(r'</?(?:i|b|sup|sub|sc)>|<span(?:\s+(?:class|style)="[^"<>]*")*>|</span>')  # CSL rich text


def csl_plain(value: Any) -> str:
    """A CSL-JSON text without its markup ("The <span class="nocase">NASA</span> Way" -> "The NASA Way")."""
    return " ".join(CSL_MARKUP.sub("", str(value)).split())


@dataclass(frozen=True)
class ResourceList:
    """The annotated further-reading list, rendered as the book's last section."""

    title: str
    resources: tuple[Resource, ...]  # in display order, numbered 1..n

    @property
    def id(self) -> str:
        return "further-reading"

    @property
    def file_name(self) -> str:
        return "further-reading.xhtml"

    def groups(self) -> list[tuple[str, str, list[Resource]]]:
        """(category, its anchor, entries) in display order; one group with no name when uncategorised."""
        groups: dict[str, list[Resource]] = {}
        for resource in self.resources:
            groups.setdefault(resource.category, []).append(resource)
        return [(name, category_anchor(name), entries) for name, entries in groups.items()]


def category_anchor(name: str) -> str:
    return f"further-reading-{ascii_slug(name, fallback='other')}" if name else ""


@dataclass(frozen=True)
class IndexMark:
    """A place the index points at: a marked word (`[closures]{.index}`) or a form index.toml finds."""

    anchor: str  # the id of the marked place
    chapter_id: str
    section_title: str  # where it stands, as the screen editions name the place
    section_id: str
    defining: bool = False  # `{.index .define}`: the page printed in bold


@dataclass(frozen=True)
class IndexEntry:
    """One term of the back-of-book index, with its sub-entries ("function" > "arrow")."""

    term: str
    anchor: str  # its own id in the index, for "see" references
    marks: tuple[IndexMark, ...] = ()  # in reading order
    see: tuple[tuple[str, str], ...] = ()  # (term, anchor of its entry): "see closures"
    see_also: tuple[tuple[str, str], ...] = ()
    subentries: tuple[IndexEntry, ...] = ()


@dataclass(frozen=True)
class BookIndex:
    """The back-of-book index: entries grouped by letter as the book's language sorts them."""

    title: str
    groups: tuple[tuple[str, tuple[IndexEntry, ...]], ...]  # (letter, entries)
    id: str = "book-index"

    @property
    def file_name(self) -> str:
        return "book-index.xhtml"

    def entries(self) -> list[IndexEntry]:
        """Every entry and sub-entry, in order."""
        found: list[IndexEntry] = []
        for _, entries in self.groups:
            for entry in entries:
                found.extend([entry, *entry.subentries])
        return found


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    anchor: str
    definition_html: str
    forms: tuple[str, ...] = ()  # the words that are this term in the text, the term itself included


@dataclass(frozen=True)
class Glossary:
    """The glossary of glossary.toml, terms in the order the book's language sorts them."""

    title: str
    terms: tuple[GlossaryTerm, ...]
    id: str = "glossary"

    @property
    def file_name(self) -> str:
        return "glossary.xhtml"


@dataclass(frozen=True)
class Asset:
    """A file the book uses (image, cover), with the name it has inside every output."""

    source: Path
    href: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.source.suffix.lower()]


MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class Book:
    """Everything needed to write any output; built completely before anything is written, and
    not changed after: every format reads the same book (a format's warnings are its own)."""

    config: BookConfig
    chapters: list[Chapter]  # like every field, read and never changed after load_book
    resources: ResourceList | None = None
    cover: Asset | None = None
    assets: dict[str, Asset] = field(default_factory=dict)  # by href
    modified: dt.datetime = field(default_factory=lambda: dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    warnings: list[Problem] = field(default_factory=list)  # found while reading; they do not stop the build
    citations: dict[str, list[Citation]] = field(default_factory=dict)  # by resource id, in reading order
    index: BookIndex | None = None
    glossary: Glossary | None = None
    has_raw_html: bool = False  # some chapter (or a file it includes) holds HTML outside code: see epubcheck.py

    @property
    def meta(self) -> BookMeta:
        return self.config.meta

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def chapter_count(self) -> int:
        """Chapters as a reader counts them: part pages are not chapters."""
        return sum(1 for chapter in self.chapters if chapter.kind != "part")

    @property
    def has_math(self) -> bool:
        """Whether any chapter carries MathML (screens then need the math font)."""
        return any("<math" in chapter.html for chapter in self.chapters)

    @cached_property
    def script_fonts(self) -> ScriptFonts | None:
        """The fonts its characters need beyond the theme's (None when the theme covers them all)."""
        from .style.bookstyles import needed_script_fonts

        return needed_script_fonts(self)

    @cached_property
    def labels(self) -> dict[str, str]:
        """The words templates print ("Contents", "Chapter") in the book's language."""
        from .labels import labels_for

        return labels_for(self.meta.language)

    @cached_property
    def characters(self) -> str:
        """Every character its text, metadata and labels can show, once (fonts are subset to them)."""
        from .style.fonts import text_characters

        return text_characters(self)

    @property
    def toc_title(self) -> str:
        return self.config.toc.title or self.labels["contents"]

    @cached_property
    def anchor_owners(self) -> dict[str, Chapter]:
        """Which chapter holds each id, so per-chapter outputs can point links at the right file."""
        return {anchor: chapter for chapter in self.chapters for anchor in chapter.anchors}

    def toc(self) -> list[Heading]:
        """The table of contents shared by every output: chapters with their sections, then the resource list."""
        entries: list[Heading] = []
        parts: dict[str, Heading] = {}
        for chapter in self.chapters:
            if chapter.kind == "part":
                parts[chapter.id] = Heading(1, chapter.title, chapter.id, [], kind="part")
                entries.append(parts[chapter.id])
            else:
                entry = Heading(1, chapter.title, chapter.id, chapter.sections)
                (parts[chapter.part].children if chapter.part in parts else entries).append(entry)
        if self.glossary is not None:
            entries.append(Heading(1, self.glossary.title, self.glossary.id))
        if self.resources is not None:
            categories = [Heading(2, name, anchor) for name, anchor, _ in self.resources.groups() if name]
            entries.append(Heading(1, self.resources.title, self.resources.id, categories))
        if self.index is not None:
            entries.append(Heading(1, self.index.title, self.index.id))
        return entries
