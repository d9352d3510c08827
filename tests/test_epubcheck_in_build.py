"""EPUBCheck inside `build`: when the book brings something that could break the EPUB (raw HTML, its
own templates, SVG), the EPUB is checked before anything is published, and its errors stop the build
at the author's Markdown file, with the previous good output left in place."""

from __future__ import annotations

import zipfile

import pytest
from conftest import read_book, run_cli, write_book

from octavo.formats.epub.check import element_at, has_raw_html, located, reasons_to_check


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("Plain *Markdown* with an autolink <https://example.org> and <me@example.org>.", False),
        ("Code: `<div>` and\n\n```html\n<div>fenced</div>\n```\n", False),
        ('A <span class="x">raw span</span>.', True),
        ("<details>\n<summary>More</summary>\n\nText.\n</details>", True),
    ],
)
def test_raw_html_is_told_from_autolinks_and_code(text, raw):
    assert has_raw_html(text) is raw


def test_what_makes_a_build_check_its_epub(tmp_path):
    plain = read_book(tmp_path / "plain", {"chapters/a.md": "# A\n\nJust Markdown.\n"})
    assert reasons_to_check(plain) == []
    raw = read_book(tmp_path / "raw", {"chapters/a.md": "# A\n\n<center>Old HTML</center>\n"})
    assert reasons_to_check(raw) == ["raw HTML"]
    (tmp_path / "own" / "templates").mkdir(parents=True)
    own = read_book(tmp_path / "own", {"chapters/a.md": "# A\n\nText.\n"})
    assert reasons_to_check(own) == ["templates of its own"]


def test_an_epubcheck_message_is_reported_at_the_markdown_line_its_element_came_from(tmp_path):
    book = read_book(tmp_path, {"chapters/a.md": "# A\n\nText.\n\n<kbd>Ctrl</kbd> and <marquee>moving</marquee>\n"})
    chapter = book.chapters[0]
    epub = tmp_path / "book.epub"
    xhtml = '<html>\n<body>\n<p><kbd>Ctrl</kbd> and <span class="marquee">moving</span></p>\n</body>\n</html>\n'
    with zipfile.ZipFile(epub, "w") as archive:
        archive.writestr(f"EPUB/{chapter.file_name}", xhtml)
    assert element_at(epub, f"EPUB/{chapter.file_name}", 3, 12) == "<kbd"
    message = {
        "ID": "RSC-005",
        "severity": "ERROR",
        "message": 'element "kbd" not allowed here',
        "locations": [{"path": f"EPUB/{chapter.file_name}", "line": 3, "column": 12}],
    }
    (problem,) = located(message, epub, book)
    assert (problem.file.name, problem.line, problem.column) == ("a.md", 5, 1)
    assert problem.message.startswith("EPUBCheck RSC-005: element")
    elsewhere = {**message, "locations": [{"path": "EPUB/nav.xhtml", "line": 3, "column": 1}]}
    (problem,) = located(elsewhere, epub, book)
    assert problem.file is None and "Octavo bug" in problem.hint


@pytest.mark.slow
def test_an_invalid_epub_stops_the_build_and_the_last_good_output_stays(tmp_path):
    book = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Checked"\nlanguage = "en"\n',
            "chapters/a.md": "# A\n\nText with <kbd>raw</kbd> HTML.\n",
        },
    )
    out = tmp_path / "dist"
    first = run_cli(str(book), "--out", str(out), "--format", "epub")
    assert first.returncode == 0, first.stderr
    assert "check EPUB" in first.stdout + first.stderr  # raw HTML: the EPUB was checked, and passed
    good = (out / "checked.epub").read_bytes()
    # A template of the book's own that writes what no EPUB may hold.
    page = '{% extends "epub/page.xhtml" %}{% block body %}<p><div>{{ chapter_xhtml | safe }}</div></p>{% endblock %}'
    write_book(book, {"templates/epub/chapter.xhtml": page})
    second = run_cli(str(book), "--out", str(out), "--format", "epub")
    assert second.returncode == 1
    assert "EPUBCheck RSC-005" in second.stderr and "chapters/a.md" in second.stderr
    assert "Traceback" not in second.stderr
    assert (out / "checked.epub").read_bytes() == good


def test_raw_html_brought_in_by_an_include_is_a_reason_too(tmp_path):
    files = {"chapters/a.md": '# A\n\n--8<-- "../parts/figure.html"\n', "parts/figure.html": "<center>Old</center>\n"}
    assert reasons_to_check(read_book(tmp_path, files)) == ["raw HTML"]
