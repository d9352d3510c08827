"""Python-Markdown -> Chapters: HTML split at top-level headings, ids unique across the book,
footnotes per chapter, images checked and renamed, links recorded for the links stage."""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.util import AMP_SUBSTITUTE, ETX, HTML_PLACEHOLDER_RE, STX

from ..errors import Place, ProblemCollector, locate, place_at
from ..formats.epub.check import has_raw_html
from ..labels import labels_for, numbered
from ..model import Asset, BookConfig, Chapter, Citation, Heading, IndexMark, MarkdownSettings
from ..pageguard import runs_script
from ..slugs import UniqueNames, anchor_slug, ascii_slug
from .callouts import shape_callouts
from .captions import Counters, number_captions, numbered_kind
from .chapter_files import SourceFile
from .citations import CitationContext, CitationExtension
from .dialect import normalize_blocks
from .equations import check_formulas
from .fences import hide_lines
from .images import URL_SCHEME, resolve_image
from .includes import expand_includes
from .index_marks import IndexMarkExtension
from .mdbook import mathjax_delimiters
from .pieces import PiecesExtension, convert_in_pieces
from .sanitize import sanitize
from .term_files import SKIPPED_CLASSES, TermFile, TermMatcher, mark_terms

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LINK_PLACEHOLDER = "octavo-link:"
UNLINKED = "octavo-unlinked:"  # a link that is to become its text (like the placeholders, no raw link)
XREF_PLACEHOLDER = "octavo-xref:"
RESERVED_FILE_NAMES = ("index", "nav", "cover", "titlepage", "further-reading", "toc")  # "index": the web edition's


# Python-Markdown's 'extra' but for its fences, which pymdownx.superfences replaces (info strings,
# fences in lists, highlighting through Pygments' CSS classes).
EXTENSIONS = [
    *("abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "sane_lists", "smarty"),
    "admonition",  # `!!! note "Title"`
]
PYMDOWN_EXTENSIONS = [
    *("pymdownx.superfences", "pymdownx.highlight", "pymdownx.tilde", "pymdownx.magiclink"),
    *("pymdownx.tasklist", "pymdownx.details", "pymdownx.arithmatex"),
]
OTHER_EXTENSIONS = ["github-callouts"]  # markdown-callouts: GitHub's `> [!NOTE]` alerts
DIALECT = frozenset([*EXTENSIONS, *PYMDOWN_EXTENSIONS, *OTHER_EXTENSIONS, "extra", "fenced_code", "codehilite"])


def new_markdown(citations: CitationContext | None = None, more: MarkdownSettings | None = None) -> Markdown:
    """The Markdown dialect of every book: Python-Markdown's 'extra', sane lists, smart quotes,
    fenced code highlighted by Pygments, ~~strike-through~~, bare web addresses as links, and
    citations of the resource list; then the extensions the book adds in [markdown]."""
    extensions: list[str | Extension] = [*EXTENSIONS, *PYMDOWN_EXTENSIONS, *OTHER_EXTENSIONS, PiecesExtension()]
    extensions.append(IndexMarkExtension())
    if citations is not None:
        extensions.append(CitationExtension(citations))
    added = more or MarkdownSettings()
    return Markdown(
        extensions=[*extensions, *added.names],
        extension_configs={
            **added.configs,
            "footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": "Back to the text of note %d"},
            "pymdownx.highlight": {
                "use_pygments": True,
                "guess_lang": False,  # an unknown or missing language is plain code, never a guess
                "css_class": "highlight",
                "pygments_lang_class": True,
                "linenums_style": "pymdownx-inline",
            },
            "pymdownx.tilde": {"subscript": False},  # ~~strike~~ only: a single ~ stays a tilde
            "pymdownx.magiclink": {"hide_protocol": False},
            "pymdownx.arithmatex": {"generic": True},  # LaTeX kept as text; `equations` makes MathML
            "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
        },
        output_format="xhtml",
    )


@dataclass
class PendingLink:
    """A link to something inside the book, resolved once every chapter's anchors are known."""

    source: SourceFile
    href: str
    occurrence: int = 1  # the how-many-th link in its file with this target, to report it at its own line


@dataclass
class RenderState:
    """What rendering one file after another accumulates for the whole book; what the book's
    configuration says (its root, title, direction, an mdBook's nesting...) is read from `config`."""

    config: BookConfig
    problems: ProblemCollector
    ids: UniqueNames = field(default_factory=UniqueNames)
    file_names: UniqueNames = field(default_factory=lambda: UniqueNames(RESERVED_FILE_NAMES))
    anchors: dict[tuple[Path, str], str] = field(default_factory=dict)
    first_chapter_id: dict[Path, str] = field(default_factory=dict)
    links: list[PendingLink] = field(default_factory=list)
    unreadable: set[Path] = field(default_factory=set)  # files already reported; links into them are not
    assets: dict[Path, Asset] = field(default_factory=dict)
    asset_names: UniqueNames = field(default_factory=UniqueNames)
    citations: CitationContext | None = None
    cited: dict[str, list[Citation]] = field(default_factory=dict)  # by resource id
    index_terms: TermFile | None = None  # index.toml
    glossary_terms: TermFile | None = None  # glossary.toml
    index_marks: dict[str, list[IndexMark]] = field(default_factory=dict)  # by term, in reading order
    index_references: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)  # term -> see, see also
    glossary_used: set[str] = field(default_factory=set)  # terms of glossary.toml found in the text
    glossary_anchors: dict[str, str] = field(default_factory=dict)  # term -> the id of its definition
    # id -> (kind, words): ("chapter", "chapter 3"), ("section", "section ‘Tips’"), ("table", "table 2")
    xref_texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    counters: Counters = field(default_factory=Counters)
    part: str = ""  # the id of the part being read
    numbered_chapters: int = 0  # so far
    unknown_elements: set[str] = field(default_factory=set)  # raw HTML elements already warned about
    raw_html: bool = False  # some file, its includes expanded, holds HTML outside code
    seen: dict[tuple[Path, str], int] = field(default_factory=dict)  # see `occurrence`
    allow_remote: bool = False  # granted by the person running Octavo, never by the book

    @property
    def root(self) -> Path:
        return self.config.root

    @cached_property
    def index_matcher(self) -> TermMatcher:
        terms = self.index_terms.terms if self.index_terms else ()
        return TermMatcher({form: term.term for term in reversed(terms) for form in term.forms})

    @cached_property
    def glossary_matcher(self) -> TermMatcher:
        terms = self.glossary_terms.terms if self.glossary_terms else ()
        return TermMatcher({form: term.term for term in reversed(terms) for form in term.forms})

    @cached_property
    def labels(self) -> dict[str, str]:
        """The words Octavo prints in the book's language ("chapter 3", "Note")."""
        return labels_for(self.config.meta.language)

    @property
    def book_title(self) -> str:
        """A `#` heading that repeats it opens no chapter."""
        return self.config.meta.title

    @property
    def repository(self) -> str:
        """[book] repository: where links to the book's other files point."""
        return self.config.meta.repository

    @property
    def direction(self) -> str:
        """The book's: in a right-to-left book inline code is marked left to right."""
        return self.config.meta.direction

    @property
    def nesting(self) -> dict[Path, int]:
        """An mdBook's sub-chapter files: how many levels down their headings go."""
        return self.config.nesting

    @property
    def unnumbered(self) -> frozenset[Path]:
        """An mdBook's prefix and suffix chapters, outside its parts."""
        return self.config.unnumbered

    @property
    def mathjax(self) -> bool:
        """An mdBook's \\\\( \\\\) and \\\\[ \\\\] math delimiters (see mdbook.py)."""
        return self.config.mathjax

    @property
    def remote_requested(self) -> bool:
        """Asked for by the book ([build] allow_remote), which cannot grant it."""
        return self.config.allow_remote

    def occurrence(self, source: SourceFile, needle: str) -> int:
        """How many times `needle` has come up in `source` so far, this time included: each of
        several broken links to one place is reported at its own line."""
        key = (source.path, needle)
        self.seen[key] = self.seen.get(key, 0) + 1
        return self.seen[key]

    def place(self, source: SourceFile, needle: str) -> Place:
        """Where in `source` the next `needle` stands (see `occurrence`)."""
        return locate(source.text, needle, self.occurrence(source, needle))


def render_sources(sources: list[SourceFile], state: RenderState) -> list[Chapter]:
    """Every chapter of the book, in reading order; problems go to `state.problems`."""
    md = new_markdown(state.citations, state.config.markdown)
    chapters: list[Chapter] = []
    for source in sources:
        if state.citations is not None:
            state.citations.path, state.citations.text = source.path, source.text
        chapters.extend(render_file(md, source, state, chapters[-1] if chapters else None))
    return chapters


def render_file(md: Markdown, source: SourceFile, state: RenderState, previous: Chapter | None) -> list[Chapter]:
    """The chapters one file opens. A file that opens none (its first heading is a `##`, as mdBook's
    sub-chapter files are) continues the chapter before it, and returns nothing."""
    expanded = expand_includes(source.body, source.path, state.root, state.problems)
    text = mathjax_delimiters(expanded.text) if state.mathjax else expanded.text
    state.raw_html = state.raw_html or has_raw_html(text)
    drafts: list[ChapterDraft] = []

    def cut(root: etree.Element) -> list[list[etree.Element]]:
        drafts.extend(draft_chapters(md, source, state, previous, root))
        return [draft.body for draft in drafts]

    try:
        pieces = convert_in_pieces(md, normalize_blocks(hide_lines(text)), cut)
    except RecursionError:
        state.problems.add(
            source.path,
            "nests lists or quotes too deeply to lay out",
            "a few levels of nesting read best; flatten the deepest ones",
        )
        state.unreadable.add(source.path)
        return []
    chapters = [finish_chapter(source, state, draft, html) for draft, html in zip(drafts, pieces, strict=True)]
    return [chapter for chapter in chapters if chapter is not None]


def draft_chapters(
    md: Markdown, source: SourceFile, state: RenderState, previous: Chapter | None, root: etree.Element
) -> list[ChapterDraft]:
    """The file's finished tree cut into chapters, each with its ids, notes and links settled."""
    first_number = previous.number + 1 if previous else 1
    unstash_code_blocks(md, root)
    footnotes = take_footnotes(root)
    nest_headings_down(root, state.nesting.get(source.path, 0))
    title_dropped = source.kind != "part" and drop_book_title(md, root, state)
    preamble, groups = split_at_top_headings(root)
    local_names = LocalAnchors()
    # What the book says before its first chapter is an introduction; a logo or badges alone join the chapter.
    if title_dropped and has_words(md, preamble) and previous is None:
        groups.insert(0, [introduction_heading(state), *preamble])
        preamble = []
    if not groups:
        if previous is None:
            state.problems.add(
                source.path,
                "opens no chapter, and the book's first file must",
                "start it with a '# Title' line",
                1 if source.text else None,
            )
            state.unreadable.add(source.path)
            return []
        if not has_content(preamble):  # a link to it goes to the chapter it would have continued
            state.first_chapter_id[source.path] = previous.id
            return []
        draft = draft_chapter(md, source, state, preamble, footnotes, local_names, previous.number, previous)
        # A link to the file goes to where it starts: its first heading, else the chapter it continues.
        first = next((el.get("id") for el in preamble if el.tag in HEADING_TAGS and el.get("id")), None)
        state.first_chapter_id[source.path] = first or previous.id
        return [draft]
    if preamble:
        groups[0][1:1] = preamble
    drafts = [
        draft_chapter(md, source, state, group, footnotes, local_names, first_number + offset)
        for offset, group in enumerate(groups)
    ]
    state.first_chapter_id[source.path] = drafts[0].id
    return drafts


def loose(text: str) -> str:
    """Text compared as a reader would: no case, punctuation, quotes or spacing."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def nest_headings_down(root: etree.Element, levels: int) -> None:
    """An mdBook sub-chapter is a section of its parent: its headings go `levels` down (to h6 at most),
    so its file continues the parent's chapter (see mdbook.py)."""
    if levels:
        for element in root:
            if element.tag in HEADING_TAGS:
                element.tag = f"h{min(int(element.tag[1]) + levels, 6)}"


def drop_book_title(md: Markdown, root: etree.Element, state: RenderState) -> bool:
    """Take out each `#` heading that repeats the book's title (many authors open every file with
    it): it would make an empty chapter, a blank page and a line in the contents. When the file then
    has no `#` heading left, its `##` headings are its chapters, and every heading moves up a level."""
    title = loose(state.book_title)
    repeats = [el for el in root if el.tag == "h1" and title and loose(element_text(md, el)) == title]
    if not repeats:
        return False
    other_chapters = any(el.tag == "h1" and el not in repeats for el in root)
    sections = any(el.tag == "h2" for el in root)
    if not other_chapters and not sections and len(root) > len(repeats):
        return False  # a book of one chapter, named as the book
    for heading in repeats:
        root.remove(heading)  # Python-Markdown keeps no text in a block's tail
    if not other_chapters:
        for element in root.iter():
            if element.tag in HEADING_TAGS[1:]:
                element.tag = f"h{int(element.tag[1]) - 1}"
    return True


def has_content(elements: list[etree.Element]) -> bool:
    return any(len(element) or (element.text or "").strip() or element.tag in ("hr", "img") for element in elements)


def has_words(md: Markdown, elements: list[etree.Element]) -> bool:
    """Whether these blocks say anything: text, not only images, badges and anchors (raw HTML included)."""
    stash = md.htmlStash.rawHtmlBlocks

    def raw_text(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return re.sub(r"<[^>]*>", "", str(stash[index])) if index < len(stash) else ""

    return any(HTML_PLACEHOLDER_RE.sub(raw_text, "".join(element.itertext())).strip() for element in elements)


def introduction_heading(state: RenderState) -> etree.Element:
    """The heading of what a manuscript says between its title and its first chapter."""
    heading = etree.Element("h1")
    heading.text = state.labels["introduction"]
    return heading


NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
STASHED = re.compile("^" + re.escape(STX) + r"wzxhzdk:(\d+)" + re.escape(ETX) + "$")


def unstash_code_blocks(md: Markdown, root: etree.Element) -> None:
    """Put highlighted code blocks into the tree, where captions and ids can reach them.

    pymdownx.superfences hands its HTML to Python-Markdown's stash, which pastes it into the text
    only after serialising; a code block with an id would be no element until then."""
    for parent in list(root.iter()):
        for index, element in enumerate(list(parent)):
            found = STASHED.match((element.text or "").strip()) if element.tag == "p" and not len(element) else None
            if not found:
                continue
            stashed = str(md.htmlStash.rawHtmlBlocks[int(found.group(1))])
            if not stashed.startswith(("<div", "<pre")) or "highlight" not in stashed.split(">", 1)[0]:
                continue
            try:  # characters XML cannot hold (a form feed, a terminal escape) cannot reach any output
                block = etree.fromstring(NOT_IN_XML.sub("", stashed))
            except etree.ParseError:
                continue
            block.tail = element.tail
            parent[index] = block


def take_footnotes(root: etree.Element) -> dict[str, etree.Element]:
    """Remove the file's footnote list; return its items by id so each chapter gets its own."""
    notes: dict[str, etree.Element] = {}
    for div in list(root):
        if div.tag == "div" and div.get("class") == "footnote":
            root.remove(div)
            for item in div.iter("li"):
                notes[item.get("id", "")] = item
    return notes


def split_at_top_headings(root: etree.Element) -> tuple[list[etree.Element], list[list[etree.Element]]]:
    """What stands before the first `#` heading, and one group per `#` heading."""
    groups: list[list[etree.Element]] = []
    preamble: list[etree.Element] = []
    for element in list(root):
        if element.tag == "h1":
            groups.append([element])
        elif groups:
            groups[-1].append(element)
        else:
            preamble.append(element)
    return preamble, groups


class LocalAnchors:
    """Anchors as the author sees them in one file: GitHub's `title`, `title-1`, `title-2`."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def name(self, slug: str) -> str:
        count = self.counts.get(slug, 0)
        self.counts[slug] = count + 1
        return slug if count == 0 else f"{slug}-{count}"


@dataclass
class ChapterDraft:
    """A chapter whose tree is done (ids, notes, links, captions), waiting for its HTML; or, with
    `continues`, a file's content that goes on with the chapter before it."""

    body: list[etree.Element]
    id: str
    title: str
    number: int
    ordinal: int
    part: str
    headings: list[Heading]
    anchors: list[str]
    continues: Chapter | None = None


def draft_chapter(
    md: Markdown,
    source: SourceFile,
    state: RenderState,
    group: list[etree.Element],
    footnotes: dict[str, etree.Element],
    local_names: LocalAnchors,
    number: int,
    continues: Chapter | None = None,
) -> ChapterDraft:
    """The chapter `group` makes; or, with `continues`, the group's content to add to that chapter."""
    title = continues.title if continues else element_text(md, group[0])
    counted = continues is None and source.kind != "part" and source.path not in state.unnumbered
    ordinal = state.numbered_chapters + 1 if counted else 0
    headings: list[Heading] = []
    group = shaped(group, source, state)
    for element in iter_elements(group):
        if element.tag in HEADING_TAGS:
            explicit = element.get("id")
            local = local_names.name(explicit or anchor_slug(element_text(md, element)))
            element.set("id", state.ids.claim(local))
            state.anchors[(source.path, local)] = element.get("id", "")
            headings.append(Heading(int(element.tag[1]), element_text(md, element), element.get("id", "")))
            state.xref_texts[element.get("id", "")] = heading_reference(state, headings[-1], ordinal)
        elif element.get("id") and not is_footnote_ref(element):
            local = element.get("id", "")
            if (source.path, local) in state.anchors:
                report_second_id(source, state, local)
            element.set("id", state.ids.claim(anchor_slug(local)))
            state.anchors[(source.path, local)] = element.get("id", "")
            kind = numbered_kind(element)
            if kind:
                words = numbered(state.labels[f"xref_{kind}"], element.get("data-number"))
                state.xref_texts[element.get("id", "")] = (kind, words)
    if continues is None:
        chapter_id, opening = headings[0].id, headings[0]
    else:  # notes get ids of their own, apart from the notes of the chapter's first file
        chapter_id, opening = state.ids.claim(f"{continues.id}-continued"), Heading(1, continues.title, continues.id)
    notes = attach_footnotes(group, footnotes, chapter_id)
    body = group + ([notes] if notes is not None else [])
    mark_listed_terms(body, state)
    section = opening
    for element in iter_elements(body):
        if element.tag in HEADING_TAGS and element.get("id"):
            section = next(h for h in headings if h.id == element.get("id"))
        elif element.tag == "a" and "citation-ref" in element.get("class", ""):
            record_citation(state, element, chapter_id, section)
        elif element.tag == "span" and "index-mark" in element.get("class", "").split():
            record_index_mark(state, element, chapter_id, section)
        elif element.tag == "a" and "glossary-ref" in element.get("class", ""):
            continue  # its definition's id is the glossary's, not a chapter's
        elif element.tag == "a" and element.get("href") and not element.get("class", "").startswith("footnote"):
            if not (element.text or "").strip() and not len(element):
                element.set("class", "xref")
                element.text = f"{XREF_PLACEHOLDER}{len(state.links)}"
            element.set("href", record_link(source, state, element.get("href", "")))
        elif element.tag == "img":
            rewrite_image(source, state, element)
    drop_refused_images(body)
    anchors = [element.get("id", "") for element in iter_elements(body) if element.get("id")]
    state.numbered_chapters = max(state.numbered_chapters, ordinal)
    if source.kind == "part" and continues is None:
        state.part = chapter_id
    part = "" if source.kind == "part" or source.path in state.unnumbered else state.part
    return ChapterDraft(body, chapter_id, title, number, ordinal, part, headings, anchors, continues)


def finish_chapter(source: SourceFile, state: RenderState, draft: ChapterDraft, html: str) -> Chapter | None:
    """The chapter, its HTML written out; None when the draft goes on with the chapter before it."""
    # always sanitised: attribute lists carry attributes too
    body_html, raw = sanitize(html, source, state, set(draft.anchors))
    anchors = draft.anchors + raw
    if draft.continues is not None:
        draft.continues.html += "\n" + body_html
        draft.continues.sections = nest_headings([*flattened(draft.continues.sections), *draft.headings])
        draft.continues.anchors.extend(anchors)
        return None
    return Chapter(
        source=source.path,
        number=draft.number,
        title=draft.title,
        id=draft.id,
        slug=state.file_names.claim(ascii_slug(draft.title, fallback=f"chapter-{draft.number}", limit=48)),
        html=body_html,
        sections=nest_headings(draft.headings)[0].children,
        anchors=anchors,
        kind=source.kind,
        part=draft.part,
        ordinal=draft.ordinal,
    )


# Chinese and Japanese characters, with their punctuation and full-width forms (not Hangul: Korean
# puts spaces between words).
WIDE = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
)
WIDE_LINE_BREAK = re.compile(f"(?<=[{WIDE}])[ \t]*\n[ \t]*(?=[{WIDE}])")


def join_wide_lines(element: etree.Element, in_code: bool = False) -> None:
    """A line break in the source between two Chinese or Japanese characters joins them: those
    scripts put no space between words, and a soft break would print one. Code keeps its lines
    (the text after an inline `code` is prose again)."""
    in_code = in_code or element.tag in ("pre", "code")
    if element.text and "\n" in element.text and not in_code:
        element.text = WIDE_LINE_BREAK.sub("", element.text)
    for child in element:
        join_wide_lines(child, in_code)
        if child.tail and "\n" in child.tail and not in_code:
            child.tail = WIDE_LINE_BREAK.sub("", child.tail)


def shaped(group: list[etree.Element], source: SourceFile, state: RenderState) -> list[etree.Element]:
    """The chapter's elements with the constructs the extensions leave generic given their book form."""
    wrapper = etree.Element("div")
    wrapper.extend(group)
    shape_callouts(wrapper, state.labels)
    join_wide_lines(wrapper)
    for block in wrapper.iter("pre"):
        block.set("dir", "ltr")  # code reads left to right in a right-to-left book too
    if state.direction == "rtl":  # and inline, so `/home/noa/` keeps its slashes where they are
        for code in wrapper.iter("code"):
            if code.get("dir") is None and all(
                parent.tag != "pre" for parent in wrapper.iter() if code in list(parent)
            ):
                code.set("dir", "ltr")
    check_formulas(wrapper, source, state)
    number_captions(wrapper, state.counters, state.labels)
    return list(wrapper)


def report_second_id(source: SourceFile, state: RenderState, local: str) -> None:
    """Two things with one id: a link to it could mean either. Reported where the id is given again
    (the second time, then the third...)."""
    name = re.escape(local)
    written = rf"\{{[^}}\n]*(?:#|\bid=[\"']?){name}(?![\w:.-])|\\label\{{{name}\}}"  # {#id}, {id="id"}, \label
    given = [m.start() for m in re.finditer(written, source.text)]
    again = state.occurrence(source, f"\0the id {local} again")
    state.problems.add(
        source.path,
        f"the id '{local}' is given to two things in this file",
        "give each figure, table, listing, equation and heading an id of its own",
        **(place_at(source.text, given[min(again, len(given) - 1)]) if given else {"line": None}),
    )


def heading_reference(state: RenderState, heading: Heading, ordinal: int) -> tuple[str, str]:
    """How a cross-reference names a heading: "chapter 3", "section ‘Panel Interviews’", or a part's
    or an unnumbered chapter's title."""
    if heading.level == 1:
        if not ordinal:
            return "chapter", f"‘{heading.title}’"
        return "chapter", numbered(state.labels["xref_chapter"], ordinal)
    return "section", f"{state.labels['xref_section']} ‘{heading.title}’"


def mark_listed_terms(body: list[etree.Element], state: RenderState) -> None:
    """Mark the terms of index.toml wherever they stand in running text, and, with `[glossary]
    link_first`, link the first use of each glossary term in this chapter to its definition."""

    def index_mark(term: str, words: str) -> etree.Element:
        span = etree.Element("span", {"class": "index-mark", "data-index-term": term})
        span.text = words
        return span

    linked: set[str] = set()

    def glossary_link(term: str, words: str) -> etree.Element | None:
        state.glossary_used.add(term)
        if not state.config.glossary.link_first or term in linked:
            return None
        linked.add(term)
        link = etree.Element("a", {"class": "glossary-ref", "href": f"#{state.glossary_anchors[term]}"})
        link.text = words
        return link

    if state.glossary_terms is not None:  # first: "panel interview" is a glossary term before "interview" is indexed
        skipped = tuple(name for name in SKIPPED_CLASSES if name != "index-mark")  # a glossary link may stand in one
        mark_terms(body, state.glossary_matcher, glossary_link, skipped)
    if state.index_terms is not None:
        mark_terms(body, state.index_matcher, index_mark, SKIPPED_CLASSES)


def record_index_mark(state: RenderState, mark: etree.Element, chapter_id: str, section: Heading) -> None:
    """Give the marked place an id and remember it under its term."""
    term = mark.get("data-index-term", "")
    anchor = state.ids.claim(f"ix-{len(state.index_marks.get(term, [])) + 1}-{ascii_slug(term, fallback='term')}")
    mark.set("id", anchor)
    defining = mark.get("data-index-define") is not None
    state.index_marks.setdefault(term, []).append(IndexMark(anchor, chapter_id, section.title, section.id, defining))
    see, see_also = state.index_references.setdefault(term, (set(), set()))
    see.update(filter(None, [mark.get("data-index-see")]))
    see_also.update(filter(None, [mark.get("data-index-see-also")]))


def record_citation(state: RenderState, link: etree.Element, chapter_id: str, section: Heading) -> None:
    """Give the citation an id and remember where it stands, for the entry's back-references."""
    resource_id = link.get("data-resource", "")
    cited = state.cited.setdefault(resource_id, [])
    anchor = state.ids.claim(f"cite-{re.sub(r'[^A-Za-z0-9_-]', '-', resource_id)}-{len(cited) + 1}")
    link.set("id", anchor)
    cited.append(Citation(resource_id, anchor, chapter_id, section.title, section.id))


def iter_elements(group: list[etree.Element]) -> Iterator[etree.Element]:
    for top in group:
        yield from top.iter()


def element_text(md: Markdown, element: etree.Element) -> str:
    """A heading's plain text, with smart quotes and entities resolved and note calls removed."""
    return html.unescape(strip_tags(render_inner_html(remove_fnrefs(element), md)))


def is_footnote_ref(element: etree.Element) -> bool:
    link = element.find("a") if element.tag == "sup" else None
    return link is not None and link.get("class") == "footnote-ref"


def attach_footnotes(
    group: list[etree.Element], footnotes: dict[str, etree.Element], chapter_id: str
) -> etree.Element | None:
    """Give a chapter the notes it calls, numbered from 1 in the order it calls them."""
    calls = [el for el in iter_elements(group) if is_footnote_ref(el)]
    if not calls:
        return None
    section = etree.Element("section", {"class": "footnotes", "role": "doc-endnotes"})
    items = etree.SubElement(section, "ol")
    numbers: dict[str, int] = {}
    for index, call in enumerate(calls):
        link = call.find("a")
        if link is None:
            continue
        note_id = link.get("href", "").lstrip("#")
        first_call = note_id not in numbers
        if first_call:
            numbers[note_id] = len(numbers) + 1
        number = numbers[note_id]
        ref_id = f"{chapter_id}-fnref{number}" if first_call else f"{chapter_id}-fnref{number}-{index}"
        call.set("id", ref_id)
        link.set("href", f"#{chapter_id}-fn{number}")
        link.set("role", "doc-noteref")
        link.text = str(number)
        note = footnotes.get(note_id)
        if first_call and note is not None:
            note.set("id", f"{chapter_id}-fn{number}")
            for back in note.iter("a"):
                if back.get("class") == "footnote-backref":
                    back.set("href", f"#{ref_id}")
                    back.set("role", "doc-backlink")
                    back.set("title", f"Back to the text of note {number}")
                    back.set("aria-label", f"Back to the text of note {number}")
            items.append(note)
    return section


def flattened(tree: list[Heading]) -> list[Heading]:
    """A tree of headings back in document order."""
    return [node for heading in tree for node in (heading, *flattened(heading.children))]


def nest_headings(headings: list[Heading]) -> list[Heading]:
    """Flat headings in document order -> a tree, each under the nearest shallower heading."""
    roots: list[Heading] = []
    stack: list[Heading] = []
    for heading in headings:
        heading.children = []
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(heading)
        stack.append(heading)
    return roots


def record_link(source: SourceFile, state: RenderState, href: str, raw: bool = False) -> str:
    """External links stay; links into the book become placeholders the links stage fills in.
    A `raw` link is one of raw HTML: `href="x"`, where Markdown writes `(x`."""
    # Python-Markdown hides e-mail addresses as character references behind its own `&` marker.
    plain = html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
    if runs_script(plain):
        place = locate(source.text, plain)
        state.problems.warn(
            source.path, f"removed a script link ({plain.split(':')[0]}:)", "link to a page instead", **place
        )
        return UNLINKED  # its words stay, as text
    if URL_SCHEME.match(plain):
        return href
    state.links.append(PendingLink(source, plain, state.occurrence(source, plain if raw else f"({plain}")))
    return f"{LINK_PLACEHOLDER}{len(state.links) - 1}"


def drop_refused_images(body: list[etree.Element]) -> None:
    """Take out the images the book may not use (already reported), keeping the text around them."""
    for top in body:
        for parent in list(top.iter()):
            for child in list(parent):
                if child.tag == "img" and child.get("data-refused") is not None:
                    index = list(parent).index(child)
                    if child.tail:
                        if index:
                            parent[index - 1].tail = (parent[index - 1].tail or "") + child.tail
                        else:
                            parent.text = (parent.text or "") + child.tail
                    parent.remove(child)


def rewrite_image(source: SourceFile, state: RenderState, image: etree.Element) -> None:
    """Point a Markdown image at its asset; an image the book may not use is taken out."""
    src = image.get("src", "")
    place: Place = state.place(source, f"({src}" if src else "]()")  # no address: its empty brackets
    if place["line"] is not None:
        place["column"] += 1  # point at the file name, not the bracket
    asset = resolve_image(source, state, src, place)
    if asset is None:
        image.set("src", "")
        image.set("data-refused", "")
        return
    image.set("src", asset.href)
    if not image.get("alt", "").strip():
        state.problems.warn(
            source.path,
            f"image '{src}' has no description",
            f"say what it shows, for readers who cannot see it: ![a short description]({src})",
            **place,
        )
