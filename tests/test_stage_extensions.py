"""`[markdown] extensions` in book.toml, in-process: extensions of installed packages with their
options, in a list or a table; every wrong name, option or reach outside the book reported at its
line of book.toml."""

from __future__ import annotations

import pytest
from conftest import read_book, write_book
from lxml import html as lxml_html

from octavo.errors import BookError, ProblemCollector
from octavo.read.config import load_config

HEAD = '[book]\ntitle = "Keys"\nlanguage = "en"\n\n'
CHAPTER = {"chapters/a.md": "# Keys\n\nPress ++ctrl+c++ to ==copy== it.\n"}


def problems_of(folder, toml: str) -> list[tuple[str, int | None, str]]:
    write_book(folder, {"book.toml": HEAD + toml, **CHAPTER})
    found = ProblemCollector()
    try:
        load_config(folder, found)
    except BookError as error:
        return [(p.message, p.line, p.hint) for p in error.problems]
    return [(p.message, p.line, p.hint) for p in found.problems + found.warnings]


def test_extensions_with_their_options_reach_the_chapter(tmp_path):
    toml = '[markdown.extensions]\n"pymdownx.mark" = {}\n"pymdownx.keys" = { separator = "-" }\n'
    book = read_book(tmp_path, {"book.toml": HEAD + toml, **CHAPTER})
    root = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    assert root.xpath("string(//mark)") == "copy"
    assert root.xpath("string(//span[@class='keys'])") == "Ctrl-C"  # the option: the separator
    listed = read_book(
        tmp_path / "listed", {"book.toml": HEAD + '[markdown]\nextensions = ["pymdownx.mark"]\n', **CHAPTER}
    )
    assert "<mark>copy</mark>" in listed.chapters[0].html and "++ctrl+c++" in listed.chapters[0].html


@pytest.mark.parametrize(
    ("toml", "message", "line", "hint"),
    [
        (
            '[markdown]\nextensions = ["pymdownx.marc"]\n',
            "unknown Markdown extension 'pymdownx.marc'",
            6,
            "did you mean 'pymdownx.mark'?",
        ),
        (
            '[markdown.extensions]\n"pymdownx.keys" = { separatr = "-" }\n',
            "the Markdown extension 'pymdownx.keys' has no option 'separatr'",
            6,
            "check its documentation",
        ),
        (
            '[markdown]\nextensions = ["pymdownx.snippets"]\n',
            "the Markdown extension 'pymdownx.snippets' is not allowed in a book: it reads files",
            6,
            "take it out",
        ),
        ('[markdown]\nextensions = ["os"]\n', "unknown Markdown extension 'os'", 6, "pip install"),
        (
            '[markdown]\nextensions = "pymdownx.mark"\n',
            "'extensions' must be a list of names",
            6,
            "[markdown.extensions]",
        ),
        ('[markdown]\nextensions = ["tables"]\n', "'tables' is part of Octavo's Markdown already", 6, ""),
    ],
)
def test_every_wrong_extension_is_told_at_its_line(tmp_path, toml, message, line, hint):
    ((found_message, found_line, found_hint),) = problems_of(tmp_path, toml)
    assert found_message.startswith(message) and found_line == line and hint in found_hint
