"""Themes: three built-in looks, variables from book.toml, the book's own CSS and templates."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import NS, SAMPLE, build_book, describe, run_cli, run_epubcheck, write_book
from external import need
from PIL import Image

from octavo.build.pipeline import build
from octavo.style.themes import available_themes, theme_variables

THEMES = ["classic", "modern", "compact"]


def small_book(tmp_path: Path, toml_extra: str = "", files: dict | None = None) -> Path:
    book = {
        "book.toml": '[book]\ntitle = "Styled"\nlanguage = "en"\n\n[pdf]\nnumber_chapters = true\n' + toml_extra,
        "chapters/a.md": "# Opening\n\nSome text with a [link](https://example.org).\n\n## Part\n\nMore.\n",
    }
    book.update(files or {})
    return write_book(tmp_path / "book", book)


def page_pixels(pdf: Path, page: int, tmp_path: Path) -> set[tuple[int, int, int]]:
    prefix = tmp_path / f"page{page}"
    command = [
        need("pdftoppm"),
        "-png",
        "-r",
        "100",
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(pdf),
        str(prefix),
    ]
    subprocess.run(command, check=True)
    image = Image.open(f"{prefix}.png").convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1 << 24)}


def near(colour: tuple[int, int, int], pixels: set[tuple[int, int, int]], tolerance: int = 12) -> bool:
    return any(all(abs(a - b) <= tolerance for a, b in zip(colour, pixel, strict=True)) for pixel in pixels)


def test_three_built_in_themes_are_listed_with_a_description():
    result = run_cli("--list-themes")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["classic", "compact", "modern"]
    assert all(len(line.split(maxsplit=1)[1]) > 20 for line in lines)


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["modern", "compact"])
def test_every_theme_builds_the_sample_cleanly(theme, tmp_path):
    result = build(SAMPLE, tmp_path, theme=theme)
    epub = next(path for path in result.files if path.suffix == ".epub")
    messages = run_epubcheck(epub)
    assert messages == [], describe(messages)


@pytest.mark.slow
def test_themes_look_clearly_different(tmp_path):
    fonts = {}
    for theme in THEMES:
        pdf = next(p for p in build(SAMPLE, tmp_path / theme, ("pdf",), theme=theme).files if p.suffix == ".pdf")
        report = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
        fonts[theme] = {row.split()[0].split("+")[-1].split("-")[0] for row in report.splitlines()[2:]}
    assert fonts["classic"] == {"Charis"}
    assert fonts["modern"] == {"Inter"}
    assert fonts["compact"] == {"Gentium"} or fonts["compact"] == {"GentiumBookPlus"}


@pytest.mark.slow
def test_variables_from_book_toml_reach_the_pdf_and_the_epub(tmp_path):
    folder = small_book(tmp_path, '\n[theme.variables]\naccent = "#0b6e4f"\nfont-size = "12pt"\n')
    built = build_book(folder)
    css = built.epub_file("EPUB/styles/book.css").decode()
    assert "--accent: #0b6e4f;" in css and css.rindex("--accent: #0b6e4f") > css.rindex("--accent: #7a2e1f")
    pixels = page_pixels(built.pdf, 7, tmp_path)  # the opener, with its "Chapter 1" label in the accent colour
    assert near((0x0B, 0x6E, 0x4F), pixels)
    default = build_book(small_book(tmp_path / "plain"))
    assert not near((0x0B, 0x6E, 0x4F), page_pixels(default.pdf, 7, tmp_path / "plain"))


@pytest.mark.slow
def test_the_books_own_css_comes_last(tmp_path):
    folder = small_book(
        tmp_path,
        '\n[theme]\nname = "modern"\ncss = ["look/custom.css"]\n',
        {"look/custom.css": "h1 { color: #c8102e; }\n"},
    )
    built = build_book(folder)
    css = built.epub_file("EPUB/styles/book.css").decode()
    assert css.rstrip().endswith("h1 { color: #c8102e; }")
    assert near((0xC8, 0x10, 0x2E), page_pixels(built.pdf, 7, tmp_path))


@pytest.mark.slow
def test_a_book_template_replaces_exactly_that_template(tmp_path):
    folder = small_book(
        tmp_path,
        files={
            "templates/partials/copyright.html": '<section class="copyright"><p>Printed by hand.</p></section>\n',
            "templates/epub/chapter.xhtml": '{% extends "!base/epub/chapter.xhtml" %}'
            "{% block title %}Ch. {{ chapter.number }}: {{ chapter.title }}{% endblock %}\n",
        },
    )
    built = build_book(folder)
    titlepage = built.epub_xml("EPUB/titlepage.xhtml")
    assert "Printed by hand." in "".join(titlepage.itertext())
    assert titlepage.find(".//x:h1", NS).text == "Styled"  # the title page itself is still the built-in one
    chapter = built.epub_xml("EPUB/opening.xhtml")
    assert chapter.findtext(".//x:title", namespaces=NS) == "Ch. 1: Opening"
    assert chapter.find(".//x:section[@role='doc-chapter']", NS) is not None  # the rest of the base template
    import pdfplumber

    with pdfplumber.open(built.pdf) as pdf:
        assert "Printed by hand." in pdf.pages[3].extract_text()


@pytest.mark.slow
def test_a_book_can_bring_a_theme_of_its_own(tmp_path):
    folder = small_book(
        tmp_path,
        '\n[theme]\nname = "house"\n',
        {"styles/themes/house/theme.css": "/* house: our look. */\n:root { --accent: #123456; }\n"},
    )
    assert "house" in available_themes(folder)
    built = build_book(folder)
    assert "--accent: #123456;" in built.epub_file("EPUB/styles/book.css").decode()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '\n[theme]\nname = "fancy"\n',
            "book.toml:9:8: error: unknown theme 'fancy' (valid: classic, compact, modern)",
        ),
        (
            '\n[theme.variables]\naccnt = "#000"\n',
            "book.toml:9:9: error: unknown theme variable 'accnt' (did you mean 'accent'?",
        ),
        ('\n[theme.variables]\naccent = "red; } body { display: none"\n', "has a value CSS cannot take"),
        ('\n[theme]\ncss = ["missing.css"]\n', "book.toml:9:8: error: stylesheet not found: 'missing.css'"),
    ],
)
def test_theme_mistakes_are_clear_errors(toml, message, tmp_path):
    folder = small_book(tmp_path, toml)
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_unknown_theme_on_the_command_line(tmp_path):
    result = run_cli(str(small_book(tmp_path)), "--out", str(tmp_path / "out"), "--theme", "fancy")
    assert result.returncode == 1
    assert "unknown theme 'fancy' (valid: classic, compact, modern)" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_variable_is_declared_once_in_one_documented_file():
    names = theme_variables()
    assert {"accent", "font-body", "font-size", "leading", "measure", "text-color", "chapter-drop"} <= set(names)
    assert len(names) == len(set(names))
    text = (Path(__file__).parent.parent / "styles" / "variables.css").read_text(encoding="utf-8")
    assert "[theme.variables]" in text.split(":root")[0]  # the file says how a book sets them
