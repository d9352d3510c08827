"""Only the book folder is read: every file, links followed, must stay inside it. A link that leads
out is an error for what the book cannot do without (book.toml, chapters, resources.toml,
stylesheets, templates) and a warning for what it can (a cover, an image, a font)."""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import read_book, write_book

from octavo.build.pipeline import build
from octavo.errors import BookError
from octavo.read.config import load_config
from octavo.style.fonts import fonts_in
from octavo.style.themes import style_parts

SECRET = "SECRET-OUTSIDE-THE-BOOK-7f3a"
TOML = '[book]\ntitle = "Linked"\nlanguage = "en"\n'


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the book holding files the book must never publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(f"# {SECRET}\n\n{SECRET}\n")
    (folder / "secret.css").write_text(f"/* {SECRET} */ body {{ color: red }}\n")
    (folder / "secret.toml").write_text(f'title = "{SECRET}"\n')
    (folder / "secret.html").write_text(f"{SECRET}\n")
    (folder / "secret.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><text>{SECRET}</text></svg>')
    (folder / "chapters").mkdir()
    (folder / "chapters" / "leak.md").write_text(f"# {SECRET}\n")
    return folder


def book(tmp_path, files=None, links=None) -> Path:
    folder = write_book(tmp_path / "book", {"book.toml": TOML, "chapters/a.md": "# A\n\nText.\n", **(files or {})})
    for name, target in (links or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        if (folder / name).exists():
            (folder / name).unlink()
        (folder / name).symlink_to(target)
    return folder


def problems_of(call) -> list:
    with pytest.raises(BookError) as failure:
        call()
    return failure.value.problems


def test_a_chapter_that_links_out_is_an_error(tmp_path, outside):
    folder = book(tmp_path, links={"chapters/b.md": outside / "secret.md"})
    [problem] = problems_of(lambda: read_book(folder, {}))
    assert problem.file.name == "b.md" and "outside the book folder" in problem.message
    assert SECRET not in problem.format()


def test_a_chapters_folder_that_links_out_is_an_error(tmp_path, outside):
    folder = book(tmp_path)
    (folder / "chapters" / "a.md").unlink()
    (folder / "chapters").rmdir()
    (folder / "chapters").symlink_to(outside / "chapters")
    [problem] = problems_of(lambda: read_book(folder, {}))
    assert "outside the book folder" in problem.message


def test_a_listed_chapter_that_links_out_is_an_error(tmp_path, outside):
    folder = book(
        tmp_path, {"book.toml": TOML + 'chapters = ["chapters/a.md", "b.md"]\n'}, {"b.md": outside / "secret.md"}
    )
    [problem] = problems_of(lambda: load_config(folder))
    assert problem.file.name == "book.toml" and "outside the book folder" in problem.message


def test_book_toml_and_resources_toml_that_link_out_are_errors(tmp_path, outside):
    folder = book(tmp_path / "1", links={"book.toml": outside / "secret.toml"})
    assert "outside the book folder" in problems_of(lambda: load_config(folder))[0].message
    folder = book(tmp_path / "2", links={"resources.toml": outside / "secret.toml"})
    [problem] = problems_of(lambda: read_book(folder, {}))
    assert problem.file.name == "resources.toml" and "outside the book folder" in problem.message


def test_a_template_that_links_out_is_an_error(tmp_path, outside):
    resources = '[[resource]]\nid = "k"\ntitle = "K"\n'
    folder = book(
        tmp_path,
        {"resources.toml": resources, "chapters/a.md": "# A\n\nAs [@k].\n"},
        {"templates/partials/citation.html": outside / "secret.html"},
    )
    [problem] = problems_of(lambda: read_book(folder, {}))
    assert problem.file.name == "citation.html" and "outside the book folder" in problem.message


@pytest.mark.parametrize("name", ["styles/book.css", "styles/print.css", "styles/themes/own/theme.css"])
def test_a_stylesheet_that_links_out_is_an_error(tmp_path, outside, name):
    toml = TOML + ('\n[theme]\nname = "own"\n' if "themes/own" in name else "")
    folder = book(tmp_path, {"book.toml": toml}, {name: outside / "secret.css"})
    config = load_config(folder)
    [problem] = problems_of(lambda: style_parts(config, "print"))
    assert "outside the book folder" in problem.message and SECRET not in problem.format()


def test_a_cover_or_image_that_links_out_is_left_out_with_a_warning(tmp_path, outside):
    folder = book(
        tmp_path,
        {"chapters/a.md": "# A\n\n![A map](map.svg)\n"},
        {"cover.svg": outside / "secret.svg", "chapters/map.svg": outside / "secret.svg"},
    )
    loaded = read_book(folder, {})
    assert loaded.cover is None and loaded.assets == {}
    assert {w.file.name for w in loaded.warnings} == {"cover.svg", "a.md"}
    assert all("outside the book folder" in w.message for w in loaded.warnings)


def test_fonts_come_only_from_the_book_or_octavo(tmp_path):
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    font = Path(__file__).parent.parent / "styles" / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf"
    (sibling / "f.ttf").write_bytes(font.read_bytes())
    css = "@font-face { font-family: X; src: url(../sibling/f.ttf); }\n@font-face { font-family: Y; src: url(in.ttf); }"
    folder = book(tmp_path, {"book.toml": TOML + '\n[theme]\ncss = ["own.css"]\n', "own.css": css})
    (folder / "in.ttf").write_bytes(font.read_bytes())
    (folder / "linked.ttf").symlink_to(sibling / "f.ttf")
    found = {font.source.name for font in fonts_in(style_parts(load_config(folder), "screen"))}
    assert "in.ttf" in found and "f.ttf" not in found


def all_bytes(out: Path) -> bytes:
    """Every output file's bytes, with the EPUB's members and the PDF's streams unpacked."""
    chunks = []
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        chunks.append(data)
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                chunks.extend(archive.read(name) for name in archive.namelist())
        if path.suffix == ".pdf":
            for start in range(len(data)):
                if data.startswith(b"stream", start):
                    begin = start + 6 + (2 if data[start + 6 : start + 8] == b"\r\n" else 1)
                    with contextlib.suppress(zlib.error):
                        chunks.append(zlib.decompressobj().decompress(data[begin : begin + 2_000_000]))
    return b"\n".join(chunks)


@pytest.mark.slow
def test_a_book_full_of_links_out_builds_and_publishes_nothing_from_outside(tmp_path, outside):
    folder = book(
        tmp_path,
        {"chapters/a.md": "# A\n\nVisible words.\n\n![A map](map.svg)\n\n![A photo](photo.png)\n"},
        {
            "cover.svg": outside / "secret.svg",
            "chapters/map.svg": outside / "secret.svg",
            "chapters/photo.png": outside / "secret.md",
        },
    )
    out = tmp_path / "out"
    result = build(folder, out)
    assert len(result.warnings) == 3
    published = all_bytes(out)
    assert b"Visible words." in published  # the search does see the text of the outputs
    assert SECRET.encode() not in published


def test_a_link_out_of_the_book_says_nothing_of_what_is_there(tmp_path, outside):
    text = f"# A\n\n[a]({outside / 'secret.md'}) and [b]({outside / 'nothing-here.md'})\n"
    problems = problems_of(lambda: read_book(book(tmp_path, {"chapters/a.md": text}), {}))
    assert [p.message.split("'")[-1] for p in problems] == [", which is outside the book folder"] * 2


@pytest.mark.slow
def test_a_file_the_pdf_may_not_read_is_a_warning_at_its_stylesheet_line(tmp_path):
    css = "p { color: red; }\n\nh1 { background: url(../../outside.png); }\n"
    folder = book(tmp_path, {"styles/book.css": css})
    result = build(folder, tmp_path / "out", ("pdf",))
    [warning] = result.warnings
    assert (warning.file.name, warning.line, warning.severity) == ("book.css", 3, "warning")
    assert "left out of the PDF" in warning.message
