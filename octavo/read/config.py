"""book.toml -> BookConfig. Every problem is collected, each with its file and line."""

from __future__ import annotations

import difflib
import re
import tomllib
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..bookfiles import inside, resolved
from ..checks import DEFAULT, Invalid
from ..errors import BookError, Place, ProblemCollector, place_at, valid_choices
from ..model import (
    BookConfig,
    BookMeta,
    CitationStyle,
    EpubSettings,
    GlossarySettings,
    Margins,
    MarkdownSettings,
    PartOpening,
    PdfSettings,
    PrintSettings,
    ResourceSettings,
    SiteSettings,
    ThemeSettings,
    TocSettings,
)
from ..options import TABLES as OPTION_TABLES
from ..options import keys, options_of
from ..standards import PDF_VARIANTS
from ..style.cssfilter import safe_value
from .mdbook import SUMMARY, ignored_settings, is_mdbook, octavo_settings, parse_summary, source_folder
from .pagesizes import PRESETS, default_margins, is_length
from .tomlplaces import place_of

CONFIG_NAME = "book.toml"

BOOK_KEYS = keys("book")
TABLES = OPTION_TABLES
MARGIN_KEYS = ("top", "bottom", "inner", "outer")
UNSAFE_CSS = re.compile(r"[;{}<>\\]|/\*")


@dataclass(frozen=True)
class Overrides:
    """What the command line says over book.toml for one build (`--theme`, `--pdf-variant`,
    `--page-list`), and the tables a library gives all its books, under the book's own (`shared`,
    see library/config.py)."""

    theme: str | None = None
    pdf_variant: str | None = None
    page_list: bool = False  # the EPUB's page list even when the print edition must be laid out for it
    shared: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class BookTables:
    """book.toml's tables but [book], read and checked."""

    pdf: PdfSettings
    toc: TocSettings
    epub: EpubSettings
    theme: ThemeSettings
    markdown: MarkdownSettings
    resources: ResourceSettings
    site: SiteSettings
    glossary: GlossarySettings
    printing: PrintSettings
    allow_remote: bool
    transforms: tuple[str, ...]


def read_book_tables(path: Path, text: str, data: dict[str, Any], problems: ProblemCollector) -> BookTables:
    """Each table of book.toml but [book] (in a library.toml: each of its [defaults])."""
    build = read_declared(path, text, "build", read_table(path, text, data, "build", problems), problems)
    glossary_table = read_table(path, text, data, "glossary", problems)
    site_table = read_table(path, text, data, "site", problems)
    return BookTables(
        pdf=read_pdf(path, text, read_table(path, text, data, "pdf", problems), problems),
        toc=read_toc(path, text, read_table(path, text, data, "toc", problems), problems),
        epub=read_epub(path, text, read_table(path, text, data, "epub", problems), problems),
        theme=read_theme(path, text, read_table(path, text, data, "theme", problems), problems),
        markdown=read_markdown(path, text, read_table(path, text, data, "markdown", problems), problems),
        resources=read_resource_settings(path, text, read_table(path, text, data, "resources", problems), problems),
        site=SiteSettings(**read_declared(path, text, "site", site_table, problems)),
        glossary=GlossarySettings(**read_declared(path, text, "glossary", glossary_table, problems)),
        printing=read_print(path, text, read_table(path, text, data, "print", problems), problems),
        allow_remote=build["allow_remote"],
        transforms=installed(path, text, build["transforms"], problems),
    )


def under(shared: dict[str, dict[str, Any]], data: dict[str, Any]) -> dict[str, Any]:
    """The book's tables over the shared ones, key by key ([theme.variables] too, name by name)."""
    merged = dict(data)
    for table, settings in shared.items():
        own = data.get(table)
        if not isinstance(own, dict):
            merged[table] = dict(settings) if own is None else own
            continue
        combined = {**settings, **own}
        for key, value in settings.items():
            if isinstance(value, dict) and isinstance(own.get(key), dict):
                combined[key] = {**value, **own[key]}
        merged[table] = combined
    return merged


def load_config(
    book_dir: Path, found: ProblemCollector | None = None, overrides: Overrides | None = None
) -> BookConfig:
    """Read and check book.toml in `book_dir`; raise BookError listing everything wrong.

    Given `found`, problems that leave a usable configuration (an unknown key, a bad margin) are
    added there instead, so the chapters are read too and one run reports everything. `overrides`
    replace settings for this build, checked here like the book's own, so the configuration is
    whole and final once read."""
    path = book_dir / CONFIG_NAME
    if not book_dir.is_dir():
        raise BookError.single(book_dir, "book folder not found", "give the folder that holds book.toml")
    if not inside(path, book_dir):
        raise BookError.single(path, "book.toml leads outside the book folder", "make book.toml a file of the book")
    if not path.is_file():
        raise BookError.single(
            path, "no book.toml in the book folder", "create one with a [book] table holding title and language"
        )
    text = read_text(path)
    data = parse_toml(path, text)
    problems = ProblemCollector()
    mdbook = None
    summary = source_folder(book_dir, data) / SUMMARY
    if isinstance(data.get("book"), dict) and summary.is_file() and not inside(summary, book_dir):
        problems.add(
            path,
            "[book] src leads outside the book folder",
            "keep the mdBook's sources inside it",
            **where(text, "book", "src"),
        )
        problems.raise_if_any()
    if is_mdbook(book_dir, data):
        mdbook = read_mdbook(book_dir, data, problems)
        data = mdbook.data
    for table in data:
        if table not in TABLES:
            problems.add(path, f"unknown table [{table}]", valid_choices(table, TABLES), **where(text, None, table))
    book = data.get("book")
    if not isinstance(book, dict):
        problems.add(path, "missing [book] table", 'add [book] with title = "..." and language = "en"')
        problems.raise_if_any()
        raise AssertionError("unreachable")
    meta = read_meta(path, text, book, problems)
    chapter_files = mdbook.chapter_files if mdbook else read_chapter_list(path, text, book, problems)
    if overrides is not None and overrides.shared:
        data = under(overrides.shared, data)
    tables = read_book_tables(path, text, data, problems)
    pdf, theme, epub = tables.pdf, tables.theme, tables.epub
    if overrides is not None:
        pdf, theme = overridden(book_dir, pdf, theme, overrides, problems)
        if overrides.page_list:
            epub = replace(epub, page_list="always")
    if found is None or meta is None or not chapter_files:
        problems.raise_if_any()
    assert meta is not None
    if found is not None:
        found.problems.extend(problems.problems)
        found.warnings.extend(problems.warnings)
    return BookConfig(
        root=book_dir.resolve(),
        meta=meta,
        chapter_files=tuple(chapter_files),
        pdf=pdf,
        toc=tables.toc,
        epub=epub,
        theme=theme,
        markdown=tables.markdown,
        site=tables.site,
        glossary=tables.glossary,
        resources=tables.resources,
        printing=tables.printing,
        allow_remote=tables.allow_remote,
        transforms=tables.transforms,
        nesting=mdbook.nesting if mdbook else {},
        is_mdbook=mdbook is not None,
        summary=mdbook.summary if mdbook else None,
        parts=tuple(mdbook.parts) if mdbook else (),
        unnumbered=frozenset(mdbook.unnumbered) if mdbook else frozenset(),
        mathjax=mdbook is not None and mdbook.mathjax,
    )


def overridden(
    book_dir: Path, pdf: PdfSettings, theme: ThemeSettings, overrides: Overrides, problems: ProblemCollector
) -> tuple[PdfSettings, ThemeSettings]:
    """`--theme` and `--pdf-variant` in place of [theme] name and [pdf] variant; a name that is no
    theme or standard is a problem of the command line (no file, no line)."""
    from ..style.themes import available_themes

    if overrides.theme:
        themes = available_themes(book_dir.resolve())
        if overrides.theme in themes:
            theme = replace(theme, name=overrides.theme)
        else:
            problems.add(None, f"unknown theme {overrides.theme!r}", valid_choices(overrides.theme, tuple(themes)))
    if overrides.pdf_variant:
        if overrides.pdf_variant in PDF_VARIANTS:
            pdf = replace(pdf, variant=overrides.pdf_variant)
        else:
            problems.add(
                None,
                f"unknown PDF variant {overrides.pdf_variant!r}",
                valid_choices(overrides.pdf_variant, PDF_VARIANTS),
            )
    return pdf, theme


@dataclass
class MdBookView:
    """An mdBook's book.toml as Octavo's tables, and the chapter files SUMMARY.md lists."""

    data: dict[str, Any]
    chapter_files: list[Path]
    nesting: dict[Path, int]
    summary: Path
    parts: list[PartOpening] = field(default_factory=list)
    unnumbered: set[Path] = field(default_factory=set)
    mathjax: bool = False


MDBOOK_BOOK_KEYS = ("title", "authors", "language", "description")


def read_mdbook(book_dir: Path, data: dict[str, Any], problems: ProblemCollector) -> MdBookView:
    """mdBook's [book] keys as Octavo's metadata, [output.octavo] as Octavo's own tables, and
    SUMMARY.md's chapters in its order; what it says that Octavo leaves aside, in warnings."""
    settings = octavo_settings(data)
    source = source_folder(book_dir, data)
    summary_path = source / SUMMARY
    mdbook_book = data["book"]
    book = {key: mdbook_book[key] for key in MDBOOK_BOOK_KEYS if key in mdbook_book}
    book.setdefault("language", "en")  # mdBook's default
    extra = settings.get("book")
    if isinstance(extra, dict):
        book.update(extra)  # [output.octavo.book]: subtitle, date, publisher... Octavo's other keys
    if book.pop("chapters", None) is not None:
        left_aside = "left aside: [output.octavo.book] chapters"
        problems.warn(book_dir / CONFIG_NAME, left_aside, "an mdBook's chapters are in SUMMARY.md")
    view = {"book": book, **{name: settings[name] for name in TABLES if name != "book" and name in settings}}
    for note in ignored_settings(data):
        problems.warn(book_dir / CONFIG_NAME, f"left aside: {note}")
    octavo_keys = [key for key in mdbook_book if key in BOOK_KEYS and key not in MDBOOK_BOOK_KEYS]
    octavo_tables = [name for name in TABLES if name not in ("book", "build") and name in data]
    if octavo_keys or octavo_tables:
        found = ", ".join([*(f"[book] {key}" for key in octavo_keys), *(f"[{name}]" for name in octavo_tables)])
        problems.warn(
            book_dir / CONFIG_NAME,
            f"this folder is both an mdBook (src/SUMMARY.md) and an Octavo book ({found}): it is read as an mdBook",
            "move Octavo's settings under [output.octavo] ([output.octavo.pdf], [output.octavo.book] ...)",
        )
    summary = parse_summary(read_text(summary_path))
    for line, what, hint in summary.problems:
        problems.warn(summary_path, what, hint, line)
    files: list[Path] = []
    nesting: dict[Path, int] = {}
    parts: list[PartOpening] = []
    unnumbered: set[Path] = set()
    for item in summary.chapters:
        candidate = resolved(source / item.target)
        if candidate is None or not inside(candidate, book_dir):
            problems.add(summary_path, f"chapter '{item.target}' is outside the book folder", line=item.line)
        elif not candidate.is_file():
            problems.add(
                summary_path,
                f"chapter file not found: '{item.target}'",
                near_files_hint(source, item.target),
                item.line,
            )
        elif candidate not in files:
            files.append(candidate)
            if item.depth:
                nesting[candidate] = item.depth
            if item.kind != "numbered":
                unnumbered.add(candidate)
            elif item.part is not None and (not parts or parts[-1].line != item.part.line):
                parts.append(PartOpening(item.part.title, candidate, item.part.line))
    for part in summary.parts:
        if all(opening.line != part.line for opening in parts):
            problems.warn(summary_path, f"the part '{part.title}' holds no chapter: it is left out", line=part.line)
    if not files:
        problems.add(summary_path, "SUMMARY.md lists no chapter", "list them: - [Chapter](chapter.md)")
    output = data.get("output")
    html = output.get("html") if isinstance(output, dict) else None
    mathjax = isinstance(html, dict) and html.get("mathjax-support") is True
    return MdBookView(view, files, nesting, summary_path, parts, unnumbered, mathjax)


def read_theme(path: Path, text: str, theme: dict[str, Any], problems: ProblemCollector) -> ThemeSettings:
    """`[theme]`: a theme by name, values for its custom properties, and the book's own CSS files."""
    from ..style.themes import DEFAULT_THEME, available_themes, theme_variables

    theme = read_declared(path, text, "theme", theme, problems)
    root = path.parent.resolve()
    name = theme["name"]
    themes = available_themes(root)
    if name not in themes:
        problems.add(
            path, f"unknown theme {name!r}", valid_choices(str(name), tuple(themes)), **where(text, "theme", "name")
        )
        name = DEFAULT_THEME
    variables: list[tuple[str, str]] = []
    given = theme["variables"]
    valid = theme_variables()
    for key, value in given.items() if isinstance(given, dict) else ():
        place = where(text, "theme.variables", key)
        if key not in valid:
            problems.add(path, f"unknown theme variable '{key}'", valid_choices(key, valid), **place)
        elif (
            not isinstance(value, str | int | float)
            or isinstance(value, bool)
            or UNSAFE_CSS.search(str(value))
            or not safe_value(str(value))
        ):
            problems.add(
                path,
                f"theme variable '{key}' has a value CSS cannot take: {value!r}",
                'write it as in CSS: "#0b6e4f", "11pt"',
                **place,
            )
        else:
            variables.append((key, str(value)))
    css_files: list[Path] = []
    entries = theme["css"]
    if isinstance(entries, str):
        entries = [entries]
    for index, entry in enumerate(entries if isinstance(entries, list) else ()):
        place = where(text, "theme", "css", index if isinstance(theme["css"], list) else None)
        candidate = resolved(root / str(entry))
        if candidate is None:
            problems.add(path, f"stylesheet {str(entry)[:80]!r} cannot name a file", "check the file name", **place)
        elif not candidate.is_relative_to(root):
            problems.add(
                path, f"stylesheet '{entry}' is outside the book folder", "move it into the book folder", **place
            )
        elif not candidate.is_file():
            problems.add(path, f"stylesheet not found: '{entry}'", "paths are relative to the book folder", **place)
        else:
            css_files.append(candidate)
    return ThemeSettings(name=name, variables=tuple(variables), css=tuple(css_files))


def read_print(path: Path, text: str, table: dict[str, Any], problems: ProblemCollector) -> PrintSettings:
    """`[print]`: the service and its trim (one it offers), paper, ISBN, price and back cover."""
    from ..formats.press.services import SERVICES, parse_trim

    read = read_declared(path, text, "print", table, problems)
    service = SERVICES[read["service"]]
    trim = read["trim"]
    if trim:
        parsed = parse_trim(trim)
        offered = ", ".join(f'"{t.name or f"{t.width:g}x{t.height:g}"}"' for t in service.trims)
        if parsed is None:
            problems.add(
                path,
                f"[print] trim is no size: {trim!r}",
                'write trim = "6x9" (inches) or "148x210mm"',
                **where(text, "print", "trim"),
            )
            trim = ""
        elif service.trims and service.trim_named(parsed) is None:
            problems.add(
                path,
                f"{service.title} prints no {parsed.words} book",
                f"its trims: {offered}",
                **where(text, "print", "trim"),
            )
            trim = ""
    photo = None
    if read["author_photo"]:
        root = path.parent.resolve()
        candidate = resolved(root / str(read["author_photo"]))
        place = where(text, "print", "author_photo")
        if candidate is None or not candidate.is_relative_to(root):
            problems.add(
                path, "[print] author_photo is outside the book folder", "move it into the book folder", **place
            )
        elif not candidate.is_file():
            problems.add(
                path,
                f"author photo not found: '{read['author_photo']}'",
                "paths are relative to the book folder",
                **place,
            )
        elif candidate.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            problems.add(path, "[print] author_photo must be a JPEG or PNG", "save the photo as .jpg or .png", **place)
        else:
            photo = candidate
    return PrintSettings(
        service=service.name,
        trim=trim,
        paper=read["paper"],
        isbn=read["isbn"],
        price=read["price"],
        back_text=read["back_text"],
        author_photo=photo,
        crop_marks=read["crop_marks"],
    )


REFERENCE_SUFFIXES = (".bib", ".json", ".yaml", ".yml")


def read_resource_settings(
    path: Path, text: str, table: dict[str, Any], problems: ProblemCollector
) -> ResourceSettings:
    """`[resources]`: reference managers' files (BibTeX, CSL-JSON) inside the book folder, and the
    fields that hold an imported entry's annotation."""
    read = read_declared(path, text, "resources", table, problems)
    root = path.parent.resolve()
    entries = read["files"]
    if isinstance(entries, str):
        entries = [entries]
    if not isinstance(entries, list | tuple) or not all(isinstance(entry, str) for entry in entries):
        problems.add(
            path,
            "'files' must be a list of file names",
            'write files = ["references.bib"]',
            **where(text, "resources", "files"),
        )
        entries = []
    files: list[Path] = []
    for index, entry in enumerate(entries):
        place = where(text, "resources", "files", index if isinstance(read["files"], list) else None)
        if Path(entry).suffix.lower() not in REFERENCE_SUFFIXES:
            problems.add(
                path,
                f"reference file '{entry}' is not BibTeX (.bib), CSL-JSON (.json) or CSL-YAML (.yaml)",
                "export your library as BibTeX or CSL-JSON",
                **place,
            )
            continue
        candidate, wrong = listed_file(root, entry, "reference file", files)
        if wrong is not None:
            problems.add(path, *wrong, **place)
        elif candidate is not None:
            files.append(candidate)
    style = read_citation_style(path, text, root, read["style"], problems)
    return ResourceSettings(files=tuple(files), annotation_fields=read["annotation_fields"], style=style)


def read_citation_style(
    path: Path, text: str, root: Path, given: Any, problems: ProblemCollector
) -> CitationStyle | None:
    """`[resources] style`: None for Octavo's own numbers, else a CSL style by name or a .csl file of
    the book, read (never run) here so that a wrong one is reported at its line."""
    from .citation_styles import NUMERIC, StyleProblem, named_style, read_style

    place = where(text, "resources", "style")
    if not isinstance(given, str) or not given.strip():
        problems.add(path, "'style' must be the name of a citation style", 'write style = "apa"', **place)
        return None
    name = given.strip()
    try:
        if name == NUMERIC:
            return None
        if not name.endswith(".csl"):
            return named_style(name)
        candidate, wrong = listed_file(root, name, "citation style", [])
        if wrong is not None:
            problems.add(path, *wrong, **place)
            return None
        assert candidate is not None
        return read_style(candidate, name)
    except StyleProblem as problem:
        problems.add(path, problem.message, problem.hint, **place)
        return None


def read_markdown(path: Path, text: str, markdown: dict[str, Any], problems: ProblemCollector) -> MarkdownSettings:
    """`[markdown] extensions`: a list of names, or a table of names and their options; each one an
    extension of an installed package, tried here so a wrong option is reported at its line."""
    from markdown import Markdown

    from .extensions import refusal
    from .markdown import DIALECT

    given = read_declared(path, text, "markdown", markdown, problems)["extensions"]
    place = where(text, "markdown", "extensions")
    entries: list[tuple[str, dict[str, Any], Place]]
    if isinstance(given, list | tuple) and all(isinstance(name, str) for name in given):
        entries = [(name, {}, where(text, "markdown", "extensions", index)) for index, name in enumerate(given)]
    elif isinstance(given, dict) and all(isinstance(options, dict) for options in given.values()):
        entries = [(name, options, where(text, "markdown.extensions", name)) for name, options in given.items()]
    else:
        problems.add(
            path,
            "'extensions' must be a list of names, or a table of names and their options",
            'write extensions = ["pymdownx.mark"], or toc = { permalink = true } under [markdown.extensions]',
            **place,
        )
        return MarkdownSettings()
    chosen: list[tuple[str, dict[str, Any]]] = []
    for name, options, at in entries:
        refused = refusal(name)
        if refused is not None:
            problems.add(path, *refused, **at)
        elif name in DIALECT:
            problems.warn(path, f"'{name}' is part of Octavo's Markdown already: left as Octavo sets it", "", **at)
        else:
            try:
                Markdown(extensions=[name], extension_configs={name: options} if options else {})
            except KeyError as error:
                problems.add(
                    path, f"the Markdown extension '{name}' has no option {error}", "check its documentation", **at
                )
            except Exception as error:  # an installed package's code: whatever it raises, say what and where
                problems.add(path, f"the Markdown extension '{name}' cannot start: {error}", "check its options", **at)
            else:
                chosen.append((name, options))
    return MarkdownSettings(tuple(chosen))


def installed(path: Path, text: str, names: tuple[str, ...], problems: ProblemCollector) -> tuple[str, ...]:
    """`[build] transforms`: those of the named transforms that are installed, in the order they run."""
    from .transforms import installed_transforms, transform_hint

    for index, name in enumerate(names):
        if name not in installed_transforms():
            problems.add(
                path,
                f"no transform named '{name}' is installed",
                transform_hint(name),
                **where(text, "build", "transforms", index),
            )
    return tuple(name for name in names if name in installed_transforms())


def read_epub(path: Path, text: str, epub: dict[str, Any], problems: ProblemCollector) -> EpubSettings:
    """`[epub]`: fonts, page list, and the accessibility claims a publisher may want to word itself."""
    return EpubSettings(**read_declared(path, text, "epub", epub, problems))


def read_table(path: Path, text: str, data: dict[str, Any], name: str, problems: ProblemCollector) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.add(
            path, f"'{name}' must be a table", f"write [{name}] on a line of its own", **where(text, None, name)
        )
        return {}
    return value


def read_declared(
    path: Path, text: str, table: str, values: dict[str, Any], problems: ProblemCollector
) -> dict[str, Any]:
    """Every setting octavo/options.py declares for `table`, by key: the value its check makes of what
    the book gives, or its default, with a problem at the value's line and column when the value is
    wrong. A setting without a check is passed on as given, for its own reader; unknown keys get
    "did you mean"."""
    unknown_keys(path, text, table, values, keys(table), problems)
    read: dict[str, Any] = {}
    for option in options_of(table):
        if option.key not in values:
            if option.required:
                problems.add(path, f"[{table}] has no '{option.key}'", f"add {option.example}")
            read[option.key] = option.default
        elif option.check is None:
            read[option.key] = values[option.key]
        else:
            try:
                read[option.key] = option.check(option.key, values[option.key])
            except Invalid as wrong:
                hint = option.hint or wrong.hint
                problems.add(path, wrong.message, hint, **where(text, table, option.key))
                read[option.key] = option.default if wrong.instead is DEFAULT else wrong.instead
    return read


def unknown_keys(
    path: Path, text: str, name: str, values: dict[str, Any], valid: tuple[str, ...], problems: ProblemCollector
) -> None:
    for key in values:
        if key not in valid:
            problems.add(path, f"unknown key '{key}' in [{name}]", valid_choices(key, valid), **where(text, name, key))


def read_pdf(path: Path, text: str, pdf: dict[str, Any], problems: ProblemCollector) -> PdfSettings:
    """`[pdf]`: page size (a preset or "WIDTH HEIGHT"), margins, bleed and options."""
    read = read_declared(path, text, "pdf", pdf, problems)
    size = read["page_size"]
    if size.strip().lower() in PRESETS:
        width, height, margins = PRESETS[size.strip().lower()]
    else:
        width, height = size.split()
        margins = default_margins(width, height)
    given = read["margins"]
    if not isinstance(given, dict):
        problems.add(
            path,
            "'margins' must be a table",
            'write margins = { inner = "22mm", outer = "16mm" }',
            **where(text, "pdf", "margins"),
        )
        given = {}
    for key, value in given.items():
        place = where(text, "pdf.margins", key)
        if key not in MARGIN_KEYS:
            problems.add(path, f"unknown margin '{key}'", valid_choices(key, MARGIN_KEYS), **place)
        elif not isinstance(value, str) or not is_length(value):
            problems.add(
                path, f"margin '{key}' is not a length: {value!r}", 'write it like "20mm", "0.75in" or "54pt"', **place
            )
    margins = Margins(
        **{
            k: given[k] if isinstance(given.get(k), str) and is_length(given[k]) else getattr(margins, k)
            for k in MARGIN_KEYS
        }
    )
    return PdfSettings(
        str(size),
        width,
        height,
        margins,
        read["bleed"],
        recto_chapters=read["recto_chapters"],
        number_chapters=read["number_chapters"],
        variant=read["variant"],
    )


def pdf_variants() -> tuple[str, ...]:
    return PDF_VARIANTS


def read_toc(path: Path, text: str, toc: dict[str, Any], problems: ProblemCollector) -> TocSettings:
    return TocSettings(**read_declared(path, text, "toc", toc, problems))


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise BookError.single(path, "is not UTF-8 text", "save the file as UTF-8", line) from None


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = None
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        if match:
            line = int(match.group(1))
            message = message[: match.start()].strip()
        if message.startswith("Cannot overwrite a value"):
            message = "a key is given twice"
            hint = "keep one of them"
        else:
            message = f"invalid TOML: {message[0].lower()}{message[1:]}"
            hint = 'check quotes and brackets: key = "value"'
        raise BookError.single(path, message, hint, line) from None


def read_meta(path: Path, text: str, book: dict[str, Any], problems: ProblemCollector) -> BookMeta:
    """`[book]`: what the book says about itself."""
    read = read_declared(path, text, "book", book, problems)
    title, authors = read["title"] or "", read["authors"]
    return BookMeta(
        title=title,
        subtitle=read["subtitle"],
        authors=authors,
        language=read["language"] or "und",
        date=read["date"],
        version=read["version"],
        description=read["description"],
        publisher=read["publisher"],
        rights=read["rights"],
        subjects=read["subjects"],
        identifier=read["identifier"] or derived_identifier(title, authors),
        repository=read["repository"],
    )


def derived_identifier(title: str, authors: tuple[str, ...]) -> str:
    """A stable urn:uuid from title and authors, so rebuilds keep the book's identity."""
    name = "\n".join([title, *authors])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'octavo:book:' + name)}"


def read_chapter_list(path: Path, text: str, book: dict[str, Any], problems: ProblemCollector) -> list[Path]:
    root = path.parent.resolve()
    if "chapters" not in book:
        folder = root / "chapters"
        found = sorted(folder.rglob("*.md"), key=lambda p: p.relative_to(folder).as_posix()) if folder.is_dir() else []
        outside = [chapter for chapter in found if not inside(chapter, root)]
        for chapter in outside:
            problems.add(chapter, "this chapter leads outside the book folder", "make it a file of the book")
        found = [chapter for chapter in found if chapter not in outside]
        if not found and not outside:
            problems.add(
                path,
                "the book has no chapters",
                'put Markdown files in chapters/ or list them in [book] chapters = ["intro.md", ...]',
            )
        return found
    entries = book["chapters"]
    place = where(text, "book", "chapters")
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        problems.add(
            path, "'chapters' must be a list of file names", 'write chapters = ["intro.md", "one.md"]', **place
        )
        return []
    if not entries:
        problems.add(path, "'chapters' is empty: the book has no chapters", "list at least one Markdown file", **place)
    files: list[Path] = []
    for index, entry in enumerate(entries):
        at = where(text, "book", "chapters", index)
        candidate, wrong = listed_file(root, entry, "chapter", files)
        if wrong is not None:
            problems.add(path, *wrong, **at)
        elif candidate is not None:
            files.append(candidate)
    return files


def listed_file(root: Path, entry: str, what: str, listed: list[Path]) -> tuple[Path | None, tuple[str, str] | None]:
    """`entry` of a list of files ("chapter", "reference file") as a file of the book, or what is wrong
    with it and how to fix it."""
    candidate = resolved(root / entry)
    if candidate is None:
        return None, (f"{what} {entry[:80]!r} cannot name a file", "check the file name")
    if not candidate.is_relative_to(root):
        return None, (f"{what} '{entry}' is outside the book folder", "move it into the book folder")
    if not candidate.is_file():
        missing = what if what.endswith("file") else f"{what} file"
        return None, (f"{missing} not found: '{entry}'", near_files_hint(root, entry))
    if candidate in listed:
        return None, (f"{what} '{entry}' is listed twice", "list each file once")
    return candidate, None


def near_files_hint(root: Path, entry: str) -> str:
    pattern = "*" + (Path(entry).suffix or ".md")  # files of the kind asked for
    known = [p.relative_to(root).as_posix() for p in root.rglob(pattern) if inside(p, root)]
    close = difflib.get_close_matches(entry, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "paths are relative to the book folder"


def key_line(text: str, table: str | None, key: str) -> int | None:
    """The line of `key = ...` inside `[table]` (or of the table's header when table is None), from the
    TOML parser's places (see tomlplaces.py); an empty table, which holds no value to place, is found
    by its header."""
    place = place_of(text, table, key)
    if place is not None:
        return place[0]
    if table is None:
        for number, raw in enumerate(text.splitlines(), start=1):
            header = raw.strip().lstrip("[").rstrip("]").strip().strip('"')
            if raw.strip().startswith("[") and header.split(".")[0] == key:
                return number
    return None


def where(text: str, table: str | None, key: str, index: int | None = None) -> Place:
    """Where the value of `key` in `table` (or its `index`th item) stands: line, column and the line
    itself, from the TOML parser's places; a table without values is found by its header line."""
    place = place_of(text, table, key, index)
    if place is None and index is not None:
        place = place_of(text, table, key)
    if place is None:
        return {"line": key_line(text, table, key)}
    line, column = place
    return place_at(text, sum(len(earlier) + 1 for earlier in text.split("\n")[: line - 1]) + column - 1)
