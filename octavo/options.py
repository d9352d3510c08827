"""Every setting of book.toml, declared once: its table, key, type, default, meaning, example, check
and hint.

This table is the single source of four things:
- reading book.toml (`read/config.py`): the keys each table knows, so an unknown one gets "did you
  mean"; each value's check (`checks.py`) and the hint when it fails; each setting's default;
- the defaults of the settings' dataclasses (`model.py`);
- the commented book.toml that `octavo new` writes (`commented_book_toml`);
- the reference page, docs/reference.md (`reference_tables`, written by tools/make_reference.py;
  a test fails when the page and this table disagree).

A few settings are read by code of their own, because their reading needs the book folder (a theme's
name, the chapter and stylesheet files) or an installed package (Markdown extensions); they declare no
check. A test names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import checks
from .checks import Check

NOT_SET = None


@dataclass(frozen=True)
class Option:
    table: str  # "book", "pdf", "theme.variables"...
    key: str
    type: str  # as the reference page names it: "text", "list of text", "true or false"...
    default: Any  # the value when the key is absent; NOT_SET when there is none
    meaning: str
    example: str = ""  # what `octavo new` writes, commented out ("" leaves the key out of it)
    note: str = ""  # the comment beside the example
    default_text: str = ""  # the default as the reference page words it, when not the value itself
    required: bool = False
    choices: tuple[str, ...] = ()  # the values it takes, when they are a list
    check: Check | None = None  # what a value may be (octavo/checks.py); None: read by code of its own
    hint: str = ""  # how to write it, when a value is wrong and the check gives no hint of its own

    @property
    def words(self) -> str:
        """Its meaning on the reference page, with its choices."""
        listed = ", ".join(f"`{choice}`" for choice in self.choices)
        return "; ".join(part for part in (self.meaning, listed) if part)


HAZARDS = (
    "none",
    "flashing",
    "noFlashingHazard",
    "motionSimulation",
    "noMotionSimulationHazard",
    "sound",
    "noSoundHazard",
    "unknown",
)  # schema.org's accessibilityHazard values

OPTIONS: tuple[Option, ...] = (
    # [book]: what the book says about itself
    Option("book", "title", "text", NOT_SET, "", required=True, check=checks.title, example='title = "My Book"'),
    Option("book", "subtitle", "text", "", "", 'subtitle = "A Subtitle"', check=checks.meta_text),
    Option("book", "authors", "list of text (or one text)", (), "", 'authors = ["Your Name"]', check=checks.text_list),
    Option(
        "book",
        "language",
        "BCP 47 tag",
        NOT_SET,
        '`"en"`, `"pt-BR"`, …; sets hyphenation and the words Octavo prints ("Contents")',
        required=True,
        check=checks.language_tag,
        hint='for example "en", "fr" or "pt-BR"',
        example='language = "en"',
    ),
    Option(
        "book",
        "date",
        'ISO 8601 date, `"YYYY-MM"` or `"YYYY"`',
        "",
        "publication date; also the outputs' timestamp when `SOURCE_DATE_EPOCH` is not set",
        "date = 2026-01-31",
        'also "2026-01" or "2026"',
        check=checks.iso_date,
        hint='write date = 2024-05-01 (or "2024-05", "2024")',
    ),
    Option(
        "book",
        "version",
        "text (or a number)",
        "",
        "added to file names: `my-book-1.2.pdf`",
        'version = "1.0"',
        "added to the file names: my-book-1.0.pdf",
        check=checks.version,
    ),
    Option(
        "book",
        "description",
        "text",
        "",
        "the EPUB's and download page's description, the PDF's subject",
        'description = "One or two sentences about the book."',
        check=checks.meta_text,
    ),
    Option("book", "publisher", "text", "", "", 'publisher = "Your Press"', check=checks.meta_text),
    Option(
        "book",
        "rights",
        "text",
        "",
        "printed on the copyright page",
        'rights = "© 2026 Your Name. All rights reserved."',
        check=checks.meta_text,
    ),
    Option(
        "book",
        "subjects",
        "list of text",
        (),
        "keywords",
        'subjects = ["Subject", "Another subject"]',
        check=checks.text_list,
    ),
    Option(
        "book",
        "identifier",
        "text",
        "",
        "default: `urn:uuid:` derived from title and authors, the same on every build",
        'identifier = "urn:isbn:9780000000000"',
        "default: a stable urn:uuid made from title and authors",
        check=checks.meta_text,
    ),
    Option(
        "book",
        "chapters",
        "list of paths",
        NOT_SET,
        "chapter files in reading order, relative to the book folder",
        'chapters = ["chapters/01-welcome.md", "chapters/02-writing.md"]',
        "default: chapters/*.md by name",
    ),
    Option(
        "book",
        "repository",
        "web address",
        "",
        'where the book\'s files are read online, such as `"https://github.com/me/book/blob/main/"`: a link to a '
        "file of the book that is no chapter (`CONTRIBUTING.md`, a translation) goes to this address followed by "
        "the file's path in the book folder. Without it, such a link keeps its text and loses its link. Either way "
        "a warning names the link's line; `--strict` makes it an error",
        check=checks.web_address,
    ),
    # [theme]
    Option(
        "theme",
        "name",
        "theme name",
        "classic",
        "`classic`, `modern`, `compact`, or a theme of the book's own",
        'name = "classic"',
        "classic, modern or compact (octavo --list-themes)",
    ),
    Option(
        "theme",
        "variables",
        "table",
        {},
        'any custom property of `styles/variables.css`, without its `--`, such as `accent = "#0b6e4f"` or '
        '`font-size = "11pt"`; also written as a table `[theme.variables]`',
        default_text="none",
    ),
    Option(
        "theme",
        "css",
        "list of paths",
        (),
        "the book's stylesheets, relative to the book folder, applied last",
        'css = ["styles/book.css"]',
        "your own CSS, applied last",
        default_text="none",
    ),
    Option(
        "theme.variables",
        "accent",
        "CSS value",
        NOT_SET,
        "",
        'accent = "#0b6e4f"',
    ),
    # [pdf]
    Option(
        "pdf",
        "page_size",
        "page size",
        "a5",
        '`a4`, `a5`, `letter`, `trade` (6 × 9 in), `digest` (5.5 × 8.5 in), or `"WIDTH HEIGHT"` such as `"6in 9in"`',
        'page_size = "a5"',
        'a4, a5, letter, trade, digest, or "6in 9in"',
        check=checks.page_size,
    ),
    Option(
        "pdf",
        "margins",
        "table of lengths",
        {},
        "`{ top, bottom, inner, outer }`, each a length; inner is the gutter. Lengths take `mm`, `cm`, `in`, "
        "`pt`, `pc` or `px`",
        default_text="per page size",
    ),
    Option(
        "pdf",
        "bleed",
        "length",
        "",
        'a length, such as `"0.125in"`, for print-on-demand',
        'bleed = "0.125in"',
        "for print-on-demand",
        default_text="none",
        check=checks.length,
        hint='print-on-demand services ask for "0.125in" (3.175mm)',
    ),
    Option(
        "pdf",
        "recto_chapters",
        "true or false",
        True,
        "chapters open on right-hand pages",
        "recto_chapters = true",
        "chapters open on right-hand pages",
        check=checks.flag,
    ),
    Option(
        "pdf",
        "number_chapters",
        "true or false",
        False,
        '"Chapter 3" above each chapter title (parts and an mdBook\'s prefix and suffix chapters are not counted)',
        "number_chapters = false",
        '"Chapter 3" above each chapter title',
        check=checks.flag,
    ),
    Option(
        "pdf",
        "variant",
        "PDF standard",
        "",
        "a PDF standard, as `--pdf-variant`",
        default_text="none",
        check=checks.pdf_variant,
    ),
    # [epub]
    Option(
        "epub",
        "embed_fonts",
        "true or false",
        True,
        "the theme's fonts, subset to the characters used",
        "embed_fonts = true",
        check=checks.flag,
    ),
    Option(
        "epub",
        "page_list",
        '"auto", true or false',
        "auto",
        "page-break markers and a page list from the print edition's pages. `\"auto\"`: from the PDF's "
        "layout when the build makes one, or from the last layout of the same text (`--format epub` after a "
        "full build), else none, and the build says so; `true`: always, laying the print edition out for "
        "`--format epub` when it must (as `--page-list` does); `false`: never",
        'page_list = "auto"',
        "the print edition's page numbers in the EPUB",
        check=checks.page_list,
    ),
    Option(
        "epub",
        "accessibility_summary",
        "text",
        "",
        "replaces Octavo's summary",
        default_text="written from the book",
        check=checks.text,
    ),
    Option(
        "epub",
        "accessibility_hazards",
        "list of schema.org values",
        ("none",),
        "",
        choices=HAZARDS,
        check=checks.any_of(HAZARDS, "accessibility hazards"),
    ),
    Option(
        "epub",
        "certified_by",
        "text",
        "",
        "who checked the accessibility claims",
        default_text="none",
        check=checks.text,
    ),
    # [toc]
    Option(
        "toc",
        "depth",
        "number",
        2,
        "1: chapters only; 2: and their sections; up to 6",
        "depth = 2",
        "1: chapters only; 2: and their sections",
        check=checks.number_between(1, 6),
        hint="1 lists chapters only; 2 adds sections",
    ),
    Option(
        "toc",
        "title",
        "text",
        "",
        "",
        default_text='the book language\'s word for "Contents"',
        check=checks.text,
        hint='write title = "Contents"',
    ),
    # [markdown]
    Option(
        "markdown",
        "extensions",
        "list of names, or table",
        (),
        'more Python-Markdown extensions: a list of names (`["pymdownx.mark", "wikilinks"]`), or a table '
        "`[markdown.extensions]` of names and their options (`toc = { permalink = true }`). Each must come from an "
        'installed package; a misspelt name gets "did you mean", a wrong option is reported at its line, and '
        "extensions that read files by paths of their own (`pymdownx.snippets`, `pymdownx.b64`) are refused",
        'extensions = ["pymdownx.mark"]',
        "Python-Markdown extensions of installed packages",
        default_text="none",
    ),
    # [resources]: the resource list's entries from reference managers' files
    Option(
        "resources",
        "files",
        "list of paths",
        (),
        "BibTeX or BibLaTeX (`.bib`), CSL-JSON (`.json`) and CSL-YAML (`.yaml`) files, relative to the book folder, "
        "whose entries join "
        "those of `resources.toml` (which may add an `annotation` to an imported id); an id given twice is an error "
        "naming both places",
        'files = ["references.bib"]',
        "entries from Zotero, JabRef or BibTeX",
        default_text="none",
    ),
    Option(
        "resources",
        "annotation_fields",
        "list of field names",
        ("annote", "annotation", "note"),
        "the fields of an imported entry that hold its annotation (Markdown), the first one present winning; add "
        "`abstract` to print abstracts",
        check=checks.any_of(("annote", "annotation", "note", "abstract"), "annotation fields"),
    ),
    Option(
        "resources",
        "style",
        "style name or path",
        "numeric",
        'how citations and the resource list are worded: `numeric` is Octavo\'s own ("[3, p. 12]", drawn by '
        "`templates/partials/citation.html`); otherwise a style of the CSL repository by name (`apa`, "
        "`chicago-author-date`, `ieee`, `vancouver`, `harvard`, `mla`, or any journal's, such as `nature`) or a "
        "`.csl` file of the book, worded by pandoc's citeproc; annotations and back-references stay in every style",
        'style = "apa"',
        "a CSL style: apa, chicago-author-date, ieee, vancouver...",
    ),
    # [glossary]: glossary.toml's terms in the text
    Option(
        "glossary",
        "link_first",
        "true or false",
        False,
        "the first use of each term of `glossary.toml` in a chapter links to its definition (on the web, the "
        "definition also shows when the link is hovered or focused)",
        "link_first = true",
        "link a term's first use in each chapter to the glossary",
        check=checks.flag,
    ),
    # [site]
    Option(
        "site",
        "url",
        "web address",
        "",
        'where the download page is published, such as `"https://example.org/my-book/"`: every page of the site then '
        "names its canonical address and carries link-preview tags with whole addresses, and `sitemap.xml` and "
        "`robots.txt` are written beside the download page",
        'url = "https://example.org/my-book/"',
        "canonical links, sitemap.xml and robots.txt",
        default_text="none",
        check=checks.site_url,
    ),
    # [print]: the print-on-demand kit (--format print)
    Option(
        "print",
        "service",
        "service name",
        "generic",
        "the print-on-demand service whose rules the interior and cover follow: trims, bleed, margins, paper, page "
        "counts (see [print.md](print.md))",
        'service = "kdp"',
        "kdp, ingram, lulu or generic",
        choices=("kdp", "ingram", "lulu", "generic"),
        check=checks.one_of(("kdp", "ingram", "lulu", "generic")),
    ),
    Option(
        "print",
        "trim",
        "trim size",
        "",
        '`"6x9"` (inches), `"148x210mm"`, `"A5"`: one of the service\'s trim sizes',
        'trim = "6x9"',
        "one of the service's trim sizes",
        default_text="`[pdf] page_size`",
        check=checks.text,
    ),
    Option(
        "print",
        "paper",
        "paper",
        "white",
        "the interior's paper, which sets the spine's width",
        'paper = "cream"',
        "white, cream or colour",
        choices=("white", "cream", "colour"),
        check=checks.one_of(("white", "cream", "colour")),
    ),
    Option(
        "print",
        "isbn",
        "ISBN",
        "",
        "the paperback's ISBN-13 (its check digit is checked), printed as the back cover's EAN-13 barcode",
        'isbn = "978-0-306-40615-7"',
        "the paperback's own ISBN",
        default_text="none: no barcode",
        check=checks.isbn,
    ),
    Option(
        "print",
        "price",
        "price",
        "",
        'the price in the barcode\'s five-digit add-on, such as `"USD 24.99"` (`USD`, `CAD`, `GBP`, `AUD`, `NZD`); '
        "without it the add-on says no price (`90000`)",
        default_text="none",
        check=checks.price,
    ),
    Option(
        "print",
        "back_text",
        "text",
        "",
        "the back cover's text, as plain text: paragraphs separated by a blank line",
        default_text="`[book] description`",
        check=checks.meta_text,
    ),
    Option(
        "print",
        "author_photo",
        "path",
        "",
        "a photo of the author for the back cover, relative to the book folder",
        default_text="none",
    ),
    Option(
        "print",
        "crop_marks",
        "true or false",
        False,
        "crop marks in the interior's bleed (KDP and IngramSpark refuse files with marks)",
        check=checks.flag,
    ),
    # [build]
    Option(
        "build",
        "allow_remote",
        "true or false",
        False,
        "the book asks for its `http(s)://` images to be downloaded; only `--allow-remote` on the command line does "
        "it (the person building decides), otherwise they are left out with a warning saying so",
        check=checks.flag,
    ),
    Option(
        "build",
        "transforms",
        "list of names",
        (),
        'installed transforms to run on the read book, in order (`["reading-time"]`); see [extending.md](extending.md)',
        default_text="none",
        check=checks.names,
    ),
)

TABLES = (
    "book",
    "pdf",
    "epub",
    "toc",
    "theme",
    "markdown",
    "resources",
    "glossary",
    "site",
    "print",
    "build",
)  # in the order the reference gives them


def keys(table: str) -> tuple[str, ...]:
    """The keys `table` knows, in declared order."""
    return tuple(option.key for option in OPTIONS if option.table == table)


def options_of(table: str) -> tuple[Option, ...]:
    """The settings of `table`, in declared order."""
    return tuple(candidate for candidate in OPTIONS if candidate.table == table)


def option(table: str, key: str) -> Option:
    return next(candidate for candidate in OPTIONS if candidate.table == table and candidate.key == key)


def default(table: str, key: str) -> Any:
    return option(table, key).default


SCAFFOLD_TABLES = (
    *("book", "theme", "theme.variables", "pdf", "epub", "toc", "markdown", "resources", "glossary", "site"),
    "print",
)
TABLE_NOTES = {
    "theme.variables": "any custom property of Octavo's styles/variables.css",
    "print": "the print-on-demand files: --format print",
}
COMMENT_COLUMN = 38


def commented_book_toml(title_line: str, language_line: str) -> str:
    """The book.toml `octavo new` writes: title and language set, every other setting shown
    commented out with a word on what it does."""
    lines = [
        "# Your book's settings. Only title and language are required; remove the # to use a setting.",
        "# The full list, with every value each key takes, is in Octavo's docs/reference.md.",
    ]
    for table in SCAFFOLD_TABLES:
        shown = [c for c in OPTIONS if c.table == table and c.example and not c.required]
        if table == "book":
            lines += ["", "[book]", title_line, commented(language_line, 'a BCP 47 tag: "en", "fr", "pt-BR", ...')]
        elif shown:
            lines += ["", commented(f"# [{table}]", TABLE_NOTES.get(table, ""))]
        lines += [commented(f"# {candidate.example}", candidate.note) for candidate in shown]
    return "\n".join(lines) + "\n"


def commented(line: str, note: str) -> str:
    """`line`, with `note` as a comment in the column the others share (or three spaces on)."""
    if not note:
        return line
    return f"{line:<{COMMENT_COLUMN}} # {note}" if len(line) < COMMENT_COLUMN else f"{line}   # {note}"


def reference_tables() -> str:
    """book.toml's part of docs/reference.md: one table of keys per book.toml table."""
    out: list[str] = []
    for table in TABLES:
        out += [f"### [{table}]", "", "| key | type | default | meaning |", "|---|---|---|---|"]
        for candidate in (c for c in OPTIONS if c.table == table):
            out.append(f"| `{candidate.key}` | {candidate.type} | {default_words(candidate)} | {candidate.words} |")
        out.append("")
    return "\n".join(out)


def default_words(candidate: Option) -> str:
    if candidate.required:
        return "required"
    if candidate.default_text:
        return candidate.default_text
    value = candidate.default
    if value is NOT_SET:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`' if value else "none"
    if isinstance(value, tuple):
        return "`[" + ", ".join(f'"{item}"' for item in value) + "]`" if value else "`[]`"
    return f"`{value}`"
