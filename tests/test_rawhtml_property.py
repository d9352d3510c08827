"""The guarantee, tested as a property: whatever raw HTML a manuscript holds, a build that exits 0
gives an EPUB EPUBCheck accepts. Hypothesis puts random sequences of real-world snippets
(rawhtml_corpus.py) into chapters; each book is built whole and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BOOKS, run_epubcheck, write_book
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rawhtml_corpus import SNIPPETS

from octavo.build.pipeline import build
from octavo.errors import BookError

pytestmark = pytest.mark.slow

MARK = (BOOKS / "raw-html" / "chapters" / "mark.png").read_bytes()


def manuscript(folder: Path, chapters: list[list[str]]) -> Path:
    files: dict[str, str | bytes] = {
        "book.toml": '[book]\ntitle = "Raw"\nlanguage = "en"\n',
        "chapters/mark.png": MARK,
        "CONTRIBUTING.md": "A file of the book that is no chapter.\n",
    }
    for number, snippets in enumerate(chapters, 1):
        body = "\n\n".join(snippets)
        files[f"chapters/{number:02}.md"] = f"# Chapter {number}\n\nSome text first.\n\n{body}\n\nSome text last.\n"
    return write_book(folder, files)


def built_epub(folder: Path) -> Path | None:
    """The EPUB of a build that succeeded, or None when the build refused the book (exit 1)."""
    out = folder / "dist"
    try:
        result = build(folder, out, ("epub",), parallel=False)
    except BookError as error:
        assert all(problem.file is not None for problem in error.problems), error.problems  # at the author's file
        return None
    return next(path for path in result.files if path.suffix == ".epub")


def test_every_snippet_at_once_gives_a_valid_epub(tmp_path):
    epub = built_epub(manuscript(tmp_path, [SNIPPETS[: len(SNIPPETS) // 2], SNIPPETS[len(SNIPPETS) // 2 :]]))
    assert epub is not None
    assert run_epubcheck(epub) == []


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,  # the same books on every run and in CI
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=10), min_size=1, max_size=3))
def test_a_build_that_exits_0_gives_an_epub_epubcheck_accepts(tmp_path, chapters):
    folder = tmp_path / "book"
    shutil.rmtree(folder, ignore_errors=True)
    epub = built_epub(manuscript(folder, chapters))
    if epub is not None:
        assert run_epubcheck(epub) == [], chapters
