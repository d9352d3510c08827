"""The book laid out chapter by chapter (formats/pdf/units.py) is the same PDF, byte for byte, as the
book laid out whole; and a second layout after an edit lays out again only what the edit touched."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, write_book

from octavo import builtin
from octavo.formats.pdf import layout
from octavo.formats.pdf.units import UnitLayouts, split, splittable
from octavo.formats.templating import make_environment
from octavo.read.load import load_book

BOOKS = ROOT / "tests" / "books"


def pdf_bytes(folder: Path, kept: UnitLayouts | None = None, whole: bool = False, monkeypatch=None) -> bytes:
    """The book's PDF as its build writes it; `whole` lays it out as one document."""
    book = load_book(folder)
    if whole:
        monkeypatch.setattr(layout, "splittable", lambda texts: False)
    try:
        laid_out = layout.lay_out(book, make_environment(book.root), kept)
    finally:
        if whole:
            monkeypatch.undo()
    target = folder.parent / f"{folder.name}-{'whole' if whole else 'units'}.pdf"
    layout.write_pdf(laid_out, target)
    return target.read_bytes()


def chapter(title: str, paragraphs: int, extra: str = "") -> str:
    words = f"The {title.lower()} chapter has words enough to fill its pages, line after line. " * 9
    return f"# {title}\n\n" + "\n\n".join(words for _ in range(paragraphs)) + f"\n\n{extra}\n"


def crossing_book(folder: Path, toml_extra: str = "") -> Path:
    """Cross-references forward and back, a footnote at a chapter's very end, a resource cited in
    two chapters, parts, and chapters of odd and even page counts (blank pages before openers)."""
    long_note = "A long note at the very end of the chapter, " * 12
    return write_book(
        folder,
        {
            "book.toml": '[book]\ntitle = "Crossings"\nlanguage = "en"\nauthors = ["A. Writer"]\n' + toml_extra,
            "chapters/01-start.md": chapter(
                "Start", 6, "See [](03-far.md#far-section) and [](04-the-end.md).[^a]\n\n[^a]: Early."
            ),
            "chapters/02-middle.md": chapter("Middle", 11, "## Middle Section\n\nAs [](01-start.md) said, [@ahmed].")
            + f"\n\nLast words.[^z]\n\n[^z]: {long_note}\n",
            "chapters/03-far.md": chapter(
                "Far", 4, "## Far Section\n\nBack to [](02-middle.md#middle-section), [@ahmed]."
            ),
            "chapters/04-the-end.md": chapter("The End", 3),
            "resources.toml": '[[resource]]\nid = "ahmed"\ntitle = "A Cited Book"\nauthors = ["S. Ahmed"]\n'
            'year = 2001\nannotation = "Cited twice."\n',
        },
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["sample", "knots", "hebrew", "zh-guide", "mdbook-guide", "scholar", "reading-list", "kitchen-sink"]
)
def test_chapter_by_chapter_is_the_whole_books_pdf(name, tmp_path, monkeypatch):
    source = SAMPLE if name == "sample" else BOOKS / name
    import shutil

    folder = tmp_path / name
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".octavo-cache", "dist"))
    kept = UnitLayouts()
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    assert kept.layouts >= len(kept.laid_out) >= 2, "laid out unit by unit"


@pytest.mark.slow
@pytest.mark.parametrize(
    "settings",
    ["", "[pdf]\nrecto_chapters = false\n", '[pdf]\nvariant = "pdf/ua-1"\n', "[pdf]\nnumber_chapters = true"],
)
def test_references_across_chapters_and_notes_at_their_ends(settings, tmp_path, monkeypatch):
    folder = crossing_book(tmp_path / "book", settings)
    kept = UnitLayouts()
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    assert len(kept.laid_out) == 6  # the front matter, four chapters and the resource list
    assert kept.page_of["far-section"] > kept.page_of["middle-section"] > 1


@pytest.mark.slow
def test_an_edit_lays_out_again_only_what_it_touched(tmp_path, monkeypatch):
    folder = crossing_book(tmp_path / "book")
    kept = UnitLayouts()
    pdf_bytes(folder, kept)
    before = kept.layouts
    far = folder / "chapters" / "03-far.md"
    far.write_text(far.read_text(encoding="utf-8").replace("line after line", "line upon line", 1), encoding="utf-8")
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    assert kept.layouts == before + 1, "the edited chapter alone: its pages, and so every other unit's start, held"
    # Two more pages in the second chapter: every later unit starts elsewhere, and the contents
    # and the first chapter (which refers forward) are given new page numbers.
    middle = folder / "chapters" / "02-middle.md"
    middle.write_text(chapter("Middle", 16, "## Middle Section\n\nAs [](01-start.md) said."), encoding="utf-8")
    before = kept.layouts
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    assert kept.layouts - before >= 4


@pytest.mark.slow
def test_a_chapter_that_does_not_open_a_page_is_laid_out_with_the_whole_book(tmp_path, monkeypatch):
    folder = crossing_book(tmp_path / "book")
    write_book(folder, {"styles/book.css": ".chapter { break-before: auto; }\n"})
    kept = UnitLayouts()
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    assert not kept.laid_out, "nothing of the unit by unit layout is used"


@pytest.mark.slow
def test_the_benchmark_book_chapter_by_chapter_is_the_whole_books_pdf(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from run import synthetic_book
    finally:
        sys.path.remove(str(ROOT / "bench"))
    folder = synthetic_book(tmp_path / "book")
    kept = UnitLayouts()
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    assert len(kept.laid_out) == 81


@pytest.mark.parametrize(
    "css",
    [
        "h1 { counter-increment: chapter; } h1::before { content: counter(chapter); }",
        "@page { @bottom-right { content: counter(page) ' of ' counter(pages); } }",
        "header { position: running(head); }",
        "a::after { content: target-text(attr(href)); }",
        ".logo { position: fixed; }",
    ],
)
def test_what_a_unit_cannot_be_given_keeps_the_book_whole(css):
    assert not splittable([css])


def test_every_built_in_theme_is_laid_out_chapter_by_chapter():
    themes = sorted((builtin.STYLES / "themes").glob("*/*.css"))
    texts = [path.read_text(encoding="utf-8") for path in sorted(builtin.STYLES.glob("*.css"))]
    assert themes and splittable(texts + [path.read_text(encoding="utf-8") for path in themes])
    assert splittable(["@page :first { counter-reset: page 1; } .chapter { counter-reset: none; }"])


def test_a_unit_keeps_ids_and_links_beyond_ascii_as_written():
    printed = (
        '<!DOCTYPE html><html lang="zh"><head><title>书</title></head><body class="b">'
        '<nav class="toc"><a href="#前言">前言</a></nav>'
        '<section class="chapter"><h1 id="前言">前言</h1><a href="#结束">结束</a></section>'
        '<section class="chapter"><h1 id="结束">结束</h1></section></body></html>'
    )
    units = split(printed).units
    assert len(units) == 3
    assert 'href="#前言"' in units[0].html and units[0].references == ("前言",)
    assert units[1].references == ("结束",) and units[1].ids == frozenset({"前言"})
    assert '<body class="b"><div class="octavo-unit-start"></div><section class="chapter">' in units[2].html
    assert "<title>" not in units[0].html and "<title>书</title>" in split(printed).head


@pytest.mark.slow
def test_chapters_that_only_moved_keep_their_pages_with_new_numbers(tmp_path, monkeypatch):
    files = {"book.toml": '[book]\ntitle = "Plain"\nlanguage = "en"\n'}
    files |= {f"chapters/{n}.md": chapter(f"Number {n}", 5) for n in range(1, 6)}
    folder = write_book(tmp_path / "book", files)
    kept = UnitLayouts()
    pdf_bytes(folder, kept)
    layouts = kept.layouts
    (folder / "chapters" / "2.md").write_text(chapter("Number 2", 30), encoding="utf-8")  # pages more
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    # The contents, the edited chapter, and the next (its blank page before it may come or go);
    # the two after it are the same pages with other numbers.
    assert kept.layouts - layouts <= 3
    assert kept.renumberings >= 2


@pytest.mark.slow
def test_a_chapter_that_prints_its_own_page_numbers_is_laid_out_again_when_it_moves(tmp_path, monkeypatch):
    files = {"book.toml": '[book]\ntitle = "Plain"\nlanguage = "en"\n'}
    files |= {f"chapters/{n}.md": chapter(f"Number {n}", 5) for n in range(1, 5)}
    files["chapters/4.md"] = chapter("Number 4", 8, "## Late Section\n\nAs [](#late-section) shows.")
    folder = write_book(tmp_path / "book", files)
    kept = UnitLayouts()
    pdf_bytes(folder, kept)
    (folder / "chapters" / "2.md").write_text(chapter("Number 2", 30), encoding="utf-8")
    renumberings = kept.renumberings
    assert pdf_bytes(folder, kept) == pdf_bytes(folder, whole=True, monkeypatch=monkeypatch)
    assert kept.renumberings == renumberings, "its text holds a page number of its own: renumbering would miss it"
