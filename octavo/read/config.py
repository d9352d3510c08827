"""book.toml -> BookConfig. Every problem is collected, each with its file and line."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bookfiles import inside, resolved
from ..errors import BookError, ProblemCollector, valid_choices
from ..model import (
    BookConfig,
    BookMeta,
    EpubSettings,
    Margins,
    MarkdownSettings,
    PartOpening,
    PdfSettings,
    ThemeSettings,
    TocSettings,
)
from ..options import OPTIONS, default, keys, option
from ..options import TABLES as OPTION_TABLES
from ..standards import PDF_VARIANTS
from ..style.cssfilter import safe_value
from .limits import MAX_META_TEXT
from .mdbook import SUMMARY, ignored_settings, is_mdbook, octavo_settings, parse_summary, source_folder
from .pagesizes import PRESETS, default_margins, is_length
from .tomlplaces import place_of

CONFIG_NAME = "book.toml"

# The keys of each table, from the declared options (octavo/options.py).
BOOK_KEYS = keys("book")
TABLES = OPTION_TABLES
BUILD_KEYS = keys("build")
THEME_KEYS = keys("theme")
MARKDOWN_KEYS = keys("markdown")
UNSAFE_CSS = re.compile(r"[;{}<>\\]|/\*")
EPUB_KEYS = keys("epub")
HAZARDS = option("epub", "accessibility_hazards").choices
PDF_KEYS = keys("pdf")
MARGIN_KEYS = ("top", "bottom", "inner", "outer")
TOC_KEYS = keys("toc")
TEXT_KEYS = tuple(option.key for option in OPTIONS if option.table == "book" and option.type in ("text", "web address"))

# BCP 47, loosely: a 2-3 letter language, then subtags of 1-8 letters or digits ("en", "pt-BR", "zh-Hant-TW").
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Overrides:
    """What the command line says over book.toml for one build (`--theme`, `--pdf-variant`)."""

    theme: str | None = None
    pdf_variant: str | None = None


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
        raise BookError.single(
            path,
            "[book] src leads outside the book folder",
            "keep the mdBook's sources inside it",
            key_line(text, "book", "src"),
        )
    if is_mdbook(book_dir, data):
        mdbook = read_mdbook(book_dir, data, problems)
        data = mdbook.data
    for table in data:
        if table not in TABLES:
            problems.add(path, f"unknown table [{table}]", valid_choices(table, TABLES), key_line(text, None, table))
    book = data.get("book")
    if not isinstance(book, dict):
        problems.add(path, "missing [book] table", 'add [book] with title = "..." and language = "en"')
        problems.raise_if_any()
        raise AssertionError("unreachable")
    for key in book:
        if key not in BOOK_KEYS:
            problems.add(
                path, f"unknown key '{key}' in [book]", valid_choices(key, BOOK_KEYS), key_line(text, "book", key)
            )
    meta = read_meta(path, text, book, problems)
    chapter_files = mdbook.chapter_files if mdbook else read_chapter_list(path, text, book, problems)
    pdf = read_pdf(path, text, read_table(path, text, data, "pdf", problems), problems)
    toc = read_toc(path, text, read_table(path, text, data, "toc", problems), problems)
    epub = read_epub(path, text, read_table(path, text, data, "epub", problems), problems)
    theme = read_theme(path, text, read_table(path, text, data, "theme", problems), problems)
    markdown = read_markdown(path, text, read_table(path, text, data, "markdown", problems), problems)
    if overrides is not None:
        pdf, theme = overridden(book_dir, pdf, theme, overrides, problems)
    build = read_table(path, text, data, "build", problems)
    unknown_keys(path, text, "build", build, BUILD_KEYS, problems)
    allow_remote = build.get("allow_remote", default("build", "allow_remote"))
    if not isinstance(allow_remote, bool):
        problems.add(
            path,
            "'allow_remote' must be true or false",
            "write allow_remote = true",
            key_line(text, "build", "allow_remote"),
        )
        allow_remote = False
    transforms = read_transforms(path, text, build, problems)
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
        toc=toc,
        epub=epub,
        theme=theme,
        markdown=markdown,
        allow_remote=allow_remote,
        transforms=transforms,
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
    from dataclasses import replace

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
    extra = settings.get("book", {})
    if isinstance(extra, dict):
        book.update(extra)  # [output.octavo.book]: subtitle, date, publisher... Octavo's other keys
    book.pop("chapters", None)
    view = {"book": book, **{name: settings[name] for name in TABLES if name != "book" and name in settings}}
    for note in ignored_settings(data):
        problems.warn(book_dir / CONFIG_NAME, f"left aside: {note}", "", None)
    octavo_keys = [key for key in mdbook_book if key in BOOK_KEYS and key not in MDBOOK_BOOK_KEYS]
    octavo_tables = [name for name in TABLES if name not in ("book", "build") and name in data]
    if octavo_keys or octavo_tables:
        found = ", ".join([*(f"[book] {key}" for key in octavo_keys), *(f"[{name}]" for name in octavo_tables)])
        problems.warn(
            book_dir / CONFIG_NAME,
            f"this folder is both an mdBook (src/SUMMARY.md) and an Octavo book ({found}): it is read as an mdBook",
            "move Octavo's settings under [output.octavo] ([output.octavo.pdf], [output.octavo.book] ...)",
            None,
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
            problems.add(summary_path, f"chapter '{item.target}' is outside the book folder", "", item.line)
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
            problems.warn(summary_path, f"the part '{part.title}' holds no chapter: it is left out", "", part.line)
    if not files:
        problems.add(summary_path, "SUMMARY.md lists no chapter", "list them: - [Chapter](chapter.md)", None)
    html = data.get("output", {}).get("html", {}) if isinstance(data.get("output"), dict) else {}
    mathjax = isinstance(html, dict) and html.get("mathjax-support") is True
    return MdBookView(view, files, nesting, summary_path, parts, unnumbered, mathjax)


def read_theme(path: Path, text: str, theme: dict[str, Any], problems: ProblemCollector) -> ThemeSettings:
    """`[theme]`: a theme by name, values for its custom properties, and the book's own CSS files."""
    from ..style.themes import DEFAULT_THEME, available_themes, theme_variables

    unknown_keys(path, text, "theme", theme, THEME_KEYS, problems)
    root = path.parent.resolve()
    name = theme.get("name", default("theme", "name"))
    themes = available_themes(root)
    if name not in themes:
        problems.add(
            path, f"unknown theme {name!r}", valid_choices(str(name), tuple(themes)), key_line(text, "theme", "name")
        )
        name = DEFAULT_THEME
    variables: list[tuple[str, str]] = []
    given = theme.get("variables", {})
    valid = theme_variables()
    for key, value in given.items() if isinstance(given, dict) else ():
        line = key_line(text, "theme.variables", key) or key_line(text, "theme", "variables")
        if key not in valid:
            problems.add(path, f"unknown theme variable '{key}'", valid_choices(key, valid), line)
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
                line,
            )
        else:
            variables.append((key, str(value)))
    css_files: list[Path] = []
    entries = theme.get("css", [])
    if isinstance(entries, str):
        entries = [entries]
    for entry in entries if isinstance(entries, list) else ():
        line = line_of_value(text, str(entry)) or key_line(text, "theme", "css")
        candidate = resolved(root / str(entry))
        if candidate is None:
            problems.add(path, f"stylesheet {str(entry)[:80]!r} cannot name a file", "check the file name", line)
        elif not candidate.is_relative_to(root):
            problems.add(path, f"stylesheet '{entry}' is outside the book folder", "move it into the book folder", line)
        elif not candidate.is_file():
            problems.add(path, f"stylesheet not found: '{entry}'", "paths are relative to the book folder", line)
        else:
            css_files.append(candidate)
    return ThemeSettings(name=name, variables=tuple(variables), css=tuple(css_files))


def read_markdown(path: Path, text: str, markdown: dict[str, Any], problems: ProblemCollector) -> MarkdownSettings:
    """`[markdown] extensions`: a list of names, or a table of names and their options; each one an
    extension of an installed package, tried here so a wrong option is reported at its line."""
    from markdown import Markdown

    from .extensions import refusal
    from .markdown import DIALECT

    unknown_keys(path, text, "markdown", markdown, MARKDOWN_KEYS, problems)
    given = markdown.get("extensions", [])
    line = key_line(text, "markdown", "extensions") or key_line(text, None, "markdown")
    entries: list[tuple[str, dict[str, Any], int | None]]
    if isinstance(given, list) and all(isinstance(name, str) for name in given):
        entries = [(name, {}, line_of_value(text, name) or line) for name in given]
    elif isinstance(given, dict) and all(isinstance(options, dict) for options in given.values()):
        entries = [
            (name, options, key_line(text, "markdown.extensions", name) or line) for name, options in given.items()
        ]
    else:
        problems.add(
            path,
            "'extensions' must be a list of names, or a table of names and their options",
            'write extensions = ["pymdownx.mark"], or toc = { permalink = true } under [markdown.extensions]',
            line,
        )
        return MarkdownSettings()
    chosen: list[tuple[str, dict[str, Any]]] = []
    for name, options, where in entries:
        refused = refusal(name)
        if refused is not None:
            problems.add(path, *refused, where)
        elif name in DIALECT:
            problems.warn(path, f"'{name}' is part of Octavo's Markdown already: left as Octavo sets it", "", where)
        else:
            try:
                Markdown(extensions=[name], extension_configs={name: options} if options else {})
            except KeyError as error:
                problems.add(
                    path, f"the Markdown extension '{name}' has no option {error}", "check its documentation", where
                )
            except Exception as error:  # an installed package's code: whatever it raises, say what and where
                problems.add(path, f"the Markdown extension '{name}' cannot start: {error}", "check its options", where)
            else:
                chosen.append((name, options))
    return MarkdownSettings(tuple(chosen))


def read_transforms(path: Path, text: str, build: dict[str, Any], problems: ProblemCollector) -> tuple[str, ...]:
    """`[build] transforms`: installed transforms, by name, in the order they run."""
    from .transforms import installed_transforms, transform_hint

    given = build.get("transforms", [])
    line = key_line(text, "build", "transforms")
    if not isinstance(given, list) or not all(isinstance(name, str) for name in given):
        problems.add(path, "'transforms' must be a list of names", 'write transforms = ["name"]', line)
        return ()
    for name in given:
        if name not in installed_transforms():
            problems.add(path, f"no transform named '{name}' is installed", transform_hint(name), line)
    return tuple(name for name in given if name in installed_transforms())


def read_epub(path: Path, text: str, epub: dict[str, Any], problems: ProblemCollector) -> EpubSettings:
    """`[epub]`: fonts, page list, and the accessibility claims a publisher may want to word itself."""
    unknown_keys(path, text, "epub", epub, EPUB_KEYS, problems)
    defaults = EpubSettings()

    def line(key: str) -> int | None:
        return key_line(text, "epub", key)

    flags: dict[str, Any] = read_flags(
        path, text, "epub", epub, {k: getattr(defaults, k) for k in ("embed_fonts", "page_list")}, problems
    )
    texts: dict[str, Any] = {}
    for key in ("accessibility_summary", "certified_by"):
        value = epub.get(key, "")
        if not isinstance(value, str):
            problems.add(path, f"'{key}' must be text", f'write {key} = "..."', line(key))
            value = ""
        texts[key] = value.strip()
    hazards = epub.get("accessibility_hazards", list(defaults.accessibility_hazards))
    if isinstance(hazards, str):
        hazards = [hazards]
    if not isinstance(hazards, list) or not hazards or any(h not in HAZARDS for h in hazards):
        problems.add(
            path,
            f"unknown accessibility hazards {hazards!r}",
            f"valid: {', '.join(HAZARDS)}",
            line("accessibility_hazards"),
        )
        hazards = list(defaults.accessibility_hazards)
    return EpubSettings(accessibility_hazards=tuple(hazards), **flags, **texts)


def read_table(path: Path, text: str, data: dict[str, Any], name: str, problems: ProblemCollector) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.add(
            path, f"'{name}' must be a table", f"write [{name}] on a line of its own", key_line(text, None, name)
        )
        return {}
    return value


def read_flags(
    path: Path, text: str, table: str, values: dict[str, Any], defaults: dict[str, bool], problems: ProblemCollector
) -> dict[str, bool]:
    """The true/false settings of a table, each defaulting when absent or not a boolean."""
    flags = {}
    for key, fallback in defaults.items():
        value = values.get(key, fallback)
        if not isinstance(value, bool):
            problems.add(path, f"'{key}' must be true or false", f"write {key} = true", key_line(text, table, key))
            value = fallback
        flags[key] = value
    return flags


def unknown_keys(
    path: Path, text: str, name: str, values: dict[str, Any], valid: tuple[str, ...], problems: ProblemCollector
) -> None:
    for key in values:
        if key not in valid:
            problems.add(path, f"unknown key '{key}' in [{name}]", valid_choices(key, valid), key_line(text, name, key))


def read_pdf(path: Path, text: str, pdf: dict[str, Any], problems: ProblemCollector) -> PdfSettings:
    """`[pdf]`: page size (a preset or "WIDTH HEIGHT"), margins, bleed and options."""
    unknown_keys(path, text, "pdf", pdf, PDF_KEYS, problems)

    def line(key: str) -> int | None:
        return key_line(text, "pdf", key)

    defaults = PdfSettings()
    size = pdf.get("page_size", defaults.page_size)
    width, height, margins = defaults.width, defaults.height, defaults.margins
    if isinstance(size, str) and size.strip().lower() in PRESETS:
        width, height, margins = PRESETS[size.strip().lower()]
    elif isinstance(size, str) and len(size.split()) == 2 and all(is_length(part) for part in size.split()):
        width, height = size.split()
        margins = default_margins(width, height)
    else:
        presets = ", ".join(PRESETS)
        problems.add(
            path, f"unknown page_size {size!r}", f'use one of {presets}, or a size like "6in 9in"', line("page_size")
        )
        size = defaults.page_size

    given = pdf.get("margins", {})
    if not isinstance(given, dict):
        problems.add(
            path, "'margins' must be a table", 'write margins = { inner = "22mm", outer = "16mm" }', line("margins")
        )
        given = {}
    for key, value in given.items():
        if key not in MARGIN_KEYS:
            problems.add(path, f"unknown margin '{key}'", valid_choices(key, MARGIN_KEYS), line("margins"))
        elif not isinstance(value, str) or not is_length(value):
            problems.add(
                path,
                f"margin '{key}' is not a length: {value!r}",
                'write it like "20mm", "0.75in" or "54pt"',
                line("margins"),
            )
    margins = Margins(
        **{
            k: given[k] if isinstance(given.get(k), str) and is_length(given[k]) else getattr(margins, k)
            for k in MARGIN_KEYS
        }
    )

    bleed = pdf.get("bleed", "")
    if bleed and (not isinstance(bleed, str) or not is_length(bleed)):
        problems.add(
            path,
            f"'bleed' is not a length: {bleed!r}",
            'print-on-demand services ask for "0.125in" (3.175mm)',
            line("bleed"),
        )
        bleed = ""

    flags = read_flags(
        path, text, "pdf", pdf, {k: getattr(defaults, k) for k in ("recto_chapters", "number_chapters")}, problems
    )

    variant = pdf.get("variant", "")
    if variant and variant not in pdf_variants():
        problems.add(path, f"unknown PDF variant {variant!r}", f"valid: {', '.join(pdf_variants())}", line("variant"))
        variant = ""
    return PdfSettings(str(size), width, height, margins, bleed, variant=variant, **flags)


def pdf_variants() -> tuple[str, ...]:
    return PDF_VARIANTS


def read_toc(path: Path, text: str, toc: dict[str, Any], problems: ProblemCollector) -> TocSettings:
    unknown_keys(path, text, "toc", toc, TOC_KEYS, problems)
    depth = toc.get("depth", default("toc", "depth"))
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= 6:
        problems.add(
            path,
            f"'depth' must be a number from 1 to 6, not {depth!r}",
            "1 lists chapters only; 2 adds sections",
            key_line(text, "toc", "depth"),
        )
        depth = 2
    title = toc.get("title", "")
    if not isinstance(title, str):
        problems.add(path, "'title' of [toc] must be text", 'write title = "Contents"', key_line(text, "toc", "title"))
        title = ""
    return TocSettings(depth=depth, title=title.strip())


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


def read_meta(path: Path, text: str, book: dict[str, Any], problems: ProblemCollector) -> BookMeta | None:
    def line(key: str) -> int | None:
        return key_line(text, "book", key)

    values: dict[str, Any] = {}
    for key in TEXT_KEYS:
        value = book.get(key, "")
        if not isinstance(value, str):
            problems.add(path, f"'{key}' must be text", f'write {key} = "..."', line(key))
            value = ""
        values[key] = value.strip()
        longest = MAX_META_TEXT.get(key, MAX_META_TEXT["*"])
        if len(values[key]) > longest:
            problems.add(
                path, f"'{key}' is {len(values[key]):,} characters long", f"keep it under {longest:,}", line(key)
            )
            values[key] = values[key][:longest]
    if values["repository"] and not re.match(r"https?://[^\s/]+", values["repository"]):
        problems.add(
            path,
            "'repository' is not a web address",
            'give the address files are read at: "https://github.com/me/book/blob/main/"',
            line("repository"),
        )
        values["repository"] = ""
    for key in ("title", "language"):
        if key not in book:
            example = 'title = "My Book"' if key == "title" else 'language = "en"'
            problems.add(path, f"[book] has no '{key}'", f"add {example}")
        elif key == "title" and not values["title"]:
            problems.add(path, "'title' is empty", 'write title = "My Book"', line(key))

    language = book.get("language", "")
    if "language" in book and (not isinstance(language, str) or not LANGUAGE_TAG.match(language)):
        problems.add(
            path,
            f"'language' is not a BCP 47 language tag: {language!r}",
            'for example "en", "fr" or "pt-BR"',
            line("language"),
        )
        language = "und"

    authors = text_list(path, book, "authors", problems, line("authors"))
    subjects = text_list(path, book, "subjects", problems, line("subjects"))

    version = book.get("version", "")
    if isinstance(version, int | float):
        version = str(version)
    if not isinstance(version, str):
        problems.add(path, "'version' must be text", 'write version = "1.0"', line("version"))
        version = ""

    date = read_date(path, book.get("date"), problems, line("date"))
    identifier = values["identifier"] or derived_identifier(values["title"], authors)
    return BookMeta(
        title=values["title"],
        subtitle=values["subtitle"],
        authors=authors,
        language=language if isinstance(language, str) else "und",
        date=date,
        version=version.strip(),
        description=values["description"],
        publisher=values["publisher"],
        rights=values["rights"],
        subjects=subjects,
        identifier=identifier,
        repository=values["repository"],
    )


def text_list(
    path: Path, book: dict[str, Any], key: str, problems: ProblemCollector, line: int | None
) -> tuple[str, ...]:
    value = book.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(path, f"'{key}' must be a list of text", f'write {key} = ["First", "Second"]', line)
        return ()
    return tuple(item.strip() for item in value if item.strip())


def read_date(path: Path, value: Any, problems: ProblemCollector, line: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        text = value.strip()
        try:
            dt.date.fromisoformat(text if len(text) == 10 else (text + "-01-01")[:10])
            return text
        except ValueError:
            pass
    problems.add(
        path, f"'date' is not an ISO 8601 date: {value!r}", 'write date = 2024-05-01 (or "2024-05", "2024")', line
    )
    return ""


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
    line = key_line(text, "book", "chapters")
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        problems.add(path, "'chapters' must be a list of file names", 'write chapters = ["intro.md", "one.md"]', line)
        return []
    if not entries:
        problems.add(path, "'chapters' is empty: the book has no chapters", "list at least one Markdown file", line)
    files: list[Path] = []
    for entry in entries:
        entry_line = line_of_value(text, entry) or line
        candidate = resolved(root / entry)
        if candidate is None:
            problems.add(path, f"chapter {entry[:80]!r} cannot name a file", "check the file name", entry_line)
        elif not candidate.is_relative_to(root):
            problems.add(
                path, f"chapter '{entry}' is outside the book folder", "move it into the book folder", entry_line
            )
        elif not candidate.is_file():
            problems.add(path, f"chapter file not found: '{entry}'", near_files_hint(root, entry), entry_line)
        elif candidate in files:
            problems.add(path, f"chapter '{entry}' is listed twice", "list each file once", entry_line)
        else:
            files.append(candidate)
    return files


def near_files_hint(root: Path, entry: str) -> str:
    known = [p.relative_to(root).as_posix() for p in root.rglob("*.md") if inside(p, root)]
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


def line_of_value(text: str, value: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if f'"{value}"' in line or f"'{value}'" in line:
            return number
    return None
