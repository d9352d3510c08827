"""library.toml: the library's name, its book folders (paths and globs, outside the library folder
too), the settings every book shares, and each mistake reported at its line."""

from __future__ import annotations

import pytest
from conftest import write_book

from octavo.errors import BookError
from octavo.library.config import is_library, load_library

BOOK = '[book]\ntitle = "A"\nlanguage = "en"\n'


def library(tmp_path, toml: str, books: tuple[str, ...] = ("books/one", "books/two")):
    files = {"library/library.toml": toml}
    files.update({f"library/{folder}/book.toml": BOOK for folder in books})
    files.update({f"library/{folder}/chapters/one.md": "# One\n\nText.\n" for folder in books})
    files["library/books/README.md"] = "Not a book.\n"
    files["other-book/book.toml"] = BOOK
    write_book(tmp_path, files)
    return tmp_path / "library"


def test_globs_and_paths_name_the_book_folders_each_once_in_order(tmp_path):
    toml = """
        [library]
        title = "Harbour Press"
        url = "https://books.example.org"
        books = ["books/*", "../other-book", "books/one"]

        [defaults.theme]
        name = "modern"

        [defaults.pdf]
        recto_chapters = false
    """
    folder = library(tmp_path, toml)
    config = load_library(folder)
    assert is_library(folder) and config.title == "Harbour Press"
    assert [book.name for book in config.books] == ["one", "two", "other-book"]
    assert config.url == "https://books.example.org/" and config.language == "en"
    assert config.defaults == {"theme": {"name": "modern"}, "pdf": {"recto_chapters": False}}


@pytest.mark.parametrize(
    ("toml", "message", "line"),
    [
        ('[library]\nbooks = ["books/*"]\n', "[library] has no title", 1),
        ('[library]\ntitle = "L"\nbooks = ["books/*"]\nshelves = 3\n', "unknown key 'shelves' in [library]", 4),
        ('[library]\ntitle = "L"\nbooks = ["books/*", "novels/*"]\n', "'novels/*' matches no book folder", 3),
        ('[library]\ntitle = "L"\nbooks = ["books/three"]\n', "no folder 'books/three'", 3),
        ('[library]\ntitle = "L"\nbooks = ["books"]\n', "no book.toml in 'books'", 3),
        ('[library]\ntitle = "L"\nbooks = "books/*"\n', "[library] books must be a list of folder paths", 3),
        (
            '[library]\ntitle = "L"\nbooks = ["books/*"]\n\n[defaults.book]\ntitle = "X"\n',
            "unknown table [defaults.book]",
            5,
        ),
        ('[library]\ntitle = "L"\nbooks = ["books/*"]\nscheduler = "8786"\n', "is not a Dask scheduler address", 4),
        ('[library]\ntitle = "L"\nurl = "books.example.org"\nbooks = ["books/*"]\n', "url must start with https://", 3),
        ('[shelf]\ntitle = "L"\n', "unknown table [shelf]", 1),
    ],
)
def test_each_mistake_is_an_error_at_its_line(tmp_path, toml, message, line):
    with pytest.raises(BookError) as raised:
        load_library(library(tmp_path, toml))
    problem = next(p for p in raised.value.problems if message in p.message)
    assert problem.file.name == "library.toml" and problem.line == line, problem


def test_a_folder_without_library_toml_is_no_library(tmp_path):
    folder = write_book(tmp_path / "book", {"book.toml": BOOK})
    assert not is_library(folder)
    with pytest.raises(BookError, match=r"no library\.toml"):
        load_library(folder)


def test_a_wrong_default_is_an_error_at_its_line_in_library_toml(tmp_path):
    toml = '[library]\ntitle = "L"\nbooks = ["books/*"]\n\n[defaults.pdf]\npaper_size = "A5"\n'
    with pytest.raises(BookError) as raised:
        load_library(library(tmp_path, toml))
    [problem] = raised.value.problems
    assert problem.file.name == "library.toml" and problem.line == 6 and "paper_size" in problem.message


def test_a_book_reads_the_shared_tables_under_its_own(tmp_path):
    """The library's [defaults] apply where the book says nothing; the book's own keys win, and
    [theme.variables] are merged name by name."""
    from octavo.read.config import Overrides, load_config

    toml = """
        [library]
        title = "L"
        books = ["books/*"]

        [defaults.theme]
        name = "modern"
        variables = { accent = "#224466", font-size = "11pt" }

        [defaults.pdf]
        recto_chapters = false
        page_size = "A5"
    """
    folder = library(tmp_path, toml)
    own = BOOK + '\n[pdf]\npage_size = "6in 9in"\n\n[theme.variables]\nfont-size = "10pt"\n'
    (folder / "books/one/book.toml").write_text(own, encoding="utf-8")
    shared = load_library(folder).defaults
    config = load_config(folder / "books/one", overrides=Overrides(shared=shared))
    assert config.theme.name == "modern" and config.pdf.width == "6in" and not config.pdf.recto_chapters
    assert dict(config.theme.variables) == {"accent": "#224466", "font-size": "10pt"}
    plain = load_config(folder / "books/two", overrides=Overrides(shared=shared))
    assert plain.pdf.page_size == "A5" and dict(plain.theme.variables)["font-size"] == "11pt"


def test_the_catalogue_speaks_the_librarys_language_and_groups_by_author_and_subject(tmp_path):
    from octavo.library.pages import ShelvedBook, catalogue

    config = load_library(library(tmp_path, '[library]\ntitle = "L"\nlanguage = "de"\nbooks = ["books/*"]\n'))
    books = [
        ShelvedBook("a", {"title": "Ebbe", "authors": ["Ann Reed"], "subjects": ["Meer"], "modified": "2026-01-02"}),
        ShelvedBook("b", {"title": "Flut", "authors": ["Ann Reed", "Bo Lind"], "modified": "2026-03-04"}),
    ]
    navigation, acquisition = catalogue(config, books)
    root = navigation[0]
    assert [entry.title for entry in root.entries] == ["Alle Bücher", "Neueste", "Nach Autor", "Nach Thema"]
    feeds = {feed.name: [book.title for book in feed.books] for feed in acquisition}
    assert feeds["newest.xml"] == ["Flut", "Ebbe"] and feeds["authors/ann-reed.xml"] == ["Ebbe", "Flut"]
    assert feeds["authors/bo-lind.xml"] == ["Flut"] and feeds["subjects/meer.xml"] == ["Ebbe"]


def test_a_book_folder_never_takes_the_name_of_the_librarys_own_folders(tmp_path):
    from octavo.library.build import book_slugs

    toml = '[library]\ntitle = "L"\nbooks = ["books/*"]\n'
    config = load_library(library(tmp_path, toml, books=("books/fonts", "books/authors", "books/tides")))
    assert sorted(book_slugs(config).values()) == ["authors-2", "fonts-2", "tides"]
