"""library.toml: a library's name and its books, and the settings every book of it shares.

    [library]
    title = "Harbour Press"                 required
    url = "https://books.example.org/"      where the library is published (optional)
    publisher = "Harbour Press"
    language = "en"
    books = ["books/*", "../other-book"]    book folders (Octavo books and mdBooks), globs allowed
    scheduler = "tcp://host:8786"           a Dask cluster to build on (optional)

    [defaults.theme]                        any table of book.toml but [book]: under each book's own
    name = "modern"

The file is the publisher's own, so unlike a book it may name folders outside its own; each book
is still read as untrusted input, confined to its folder.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BookError, ProblemCollector, valid_choices
from ..read.config import CONFIG_NAME, TABLES, parse_toml, read_book_tables, read_text, unknown_keys, where

LIBRARY_NAME = "library.toml"
LIBRARY_KEYS = ("title", "url", "publisher", "language", "books", "scheduler")
SCHEDULER_SCHEMES = ("tcp://", "tls://", "inproc://")


@dataclass(frozen=True)
class LibraryConfig:
    root: Path
    title: str
    books: tuple[Path, ...]  # the book folders, resolved, each once, in the order library.toml gives
    url: str = ""
    publisher: str = ""
    language: str = "en"
    scheduler: str = ""
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)  # book.toml table -> shared settings


def is_library(folder: Path) -> bool:
    return (folder / LIBRARY_NAME).is_file()


def load_library(folder: Path) -> LibraryConfig:
    """Read and check library.toml; raise BookError listing everything wrong, each at its line."""
    path = folder / LIBRARY_NAME
    if not path.is_file():
        raise BookError.single(path, "no library.toml in the library folder", 'create one with [library] title = "..."')
    text = read_text(path)
    data = parse_toml(path, text)
    problems = ProblemCollector()
    for table in data:
        if table not in ("library", "defaults"):
            problems.add(
                path, f"unknown table [{table}]", "valid: [library], [defaults.<table>]", **where(text, None, table)
            )
    library = data.get("library")
    if not isinstance(library, dict):
        problems.add(path, "missing [library] table", 'add [library] with title = "..." and books = ["books/*"]')
        problems.raise_if_any()
        raise AssertionError  # unreachable: raise_if_any raised
    unknown_keys(path, text, "library", library, LIBRARY_KEYS, problems)
    strings = {}
    for key in ("title", "url", "publisher", "language", "scheduler"):
        value = library.get(key, "")
        if not isinstance(value, str):
            problems.add(path, f"[library] {key} must be a string", f'{key} = "..."', **where(text, "library", key))
            value = ""
        strings[key] = value.strip()
    if not strings["title"] and "title" not in library:
        problems.add(path, "[library] has no title", 'add title = "Your Library"', **where(text, None, "library"))
    elif not strings["title"]:
        problems.add(path, "[library] title is empty", 'title = "Your Library"', **where(text, "library", "title"))
    if strings["url"] and not strings["url"].startswith(("https://", "http://")):
        problems.add(
            path,
            "[library] url must start with https:// or http://",
            'url = "https://books.example.org/"',
            **where(text, "library", "url"),
        )
    if strings["scheduler"] and not strings["scheduler"].startswith(SCHEDULER_SCHEMES):
        problems.add(
            path,
            f"[library] scheduler '{strings['scheduler']}' is not a Dask scheduler address",
            'scheduler = "tcp://host:8786"',
            **where(text, "library", "scheduler"),
        )
    books = book_folders(path, text, library.get("books"), problems)
    defaults = read_defaults(path, text, data.get("defaults", {}), problems)
    problems.raise_if_any()
    return LibraryConfig(
        root=folder,
        title=strings["title"],
        books=books,
        url=strings["url"] and strings["url"].rstrip("/") + "/",
        publisher=strings["publisher"],
        language=strings["language"] or "en",
        scheduler=strings["scheduler"],
        defaults=defaults,
    )


def book_folders(path: Path, text: str, books: Any, problems: ProblemCollector) -> tuple[Path, ...]:
    """Each entry of `books` as the folders it names: a path, or a glob whose matches holding a
    book.toml are books (a README or an images folder beside them is not)."""
    if books is None:
        problems.add(path, "[library] has no books", 'add books = ["books/*"]', **where(text, None, "library"))
        return ()
    if not isinstance(books, list) or not all(isinstance(entry, str) for entry in books):
        problems.add(
            path,
            "[library] books must be a list of folder paths",
            'books = ["books/*", "../other-book"]',
            **where(text, "library", "books"),
        )
        return ()
    root = path.parent
    found: dict[Path, None] = {}
    for index, entry in enumerate(books):
        place = where(text, "library", "books", index)
        if glob.has_magic(entry):
            matches = sorted(Path(match) for match in glob.glob(str(root / entry)))
            folders = [match for match in matches if (match / CONFIG_NAME).is_file()]
            if not folders:
                problems.add(path, f"'{entry}' matches no book folder", "a book folder holds book.toml", **place)
            found.update(dict.fromkeys(folder.resolve() for folder in folders))
        elif not (root / entry / CONFIG_NAME).is_file():
            what = "no book.toml in" if (root / entry).is_dir() else "no folder"
            problems.add(path, f"{what} '{entry}'", "give the folder that holds a book's book.toml", **place)
        else:
            found[(root / entry).resolve()] = None
    return tuple(found)


def read_defaults(path: Path, text: str, defaults: Any, problems: ProblemCollector) -> dict[str, dict[str, Any]]:
    """`[defaults.<table>]`: the tables of book.toml every book starts from (never [book], which is
    each book's own), checked as a book's own are."""
    if not isinstance(defaults, dict):
        problems.add(path, "[defaults] must hold tables such as [defaults.theme]", "", **where(text, None, "defaults"))
        return {}
    shared = tuple(table for table in TABLES if table != "book")
    found = {}
    for table, settings in defaults.items():
        if table not in shared:
            problems.add(
                path,
                f"unknown table [defaults.{table}]",
                valid_choices(table, shared),
                **where(text, "defaults", table),
            )
        elif not isinstance(settings, dict):
            problems.add(
                path, f"[defaults] {table} must be a table", f"[defaults.{table}]", **where(text, "defaults", table)
            )
        else:
            found[table] = settings
    read_book_tables(path, text, found, problems)  # checked as a book's, each problem at its line here
    return found
