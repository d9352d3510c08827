"""The author's day on the command line: new, build, check, serve, clean; progress and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_epubcheck, serving, write_book
from PIL import Image

GOOD = {"book.toml": '[book]\ntitle = "Small"\nlanguage = "en"\n', "chapters/a.md": "# A\n\nText.\n"}


@pytest.mark.slow
def test_new_then_build_gives_a_valid_book(tmp_path):
    result = run_cli("new", str(tmp_path / "novel"), "--title", "The Novel", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "python build.py build" in result.stdout
    toml = (tmp_path / "novel" / "book.toml").read_text(encoding="utf-8")
    for key in ("subtitle", "authors", "date", "version", "[theme]", "[pdf]", "[epub]", "[toc]"):
        assert f"# {key}" in toml or f"# [{key}" in toml or key in toml
    built = run_cli("build", str(tmp_path / "novel"), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""  # the starter book has nothing to warn about
    assert run_epubcheck(tmp_path / "out" / "the-novel.epub") == []


def test_new_refuses_a_folder_with_files(tmp_path):
    write_book(tmp_path / "taken", {"notes.txt": "mine"})
    result = run_cli("new", str(tmp_path / "taken"))
    assert result.returncode == 1
    assert "the folder is not empty" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_check_writes_nothing_and_reports_validators(tmp_path):
    folder = write_book(tmp_path / "book", GOOD)
    result = run_cli("check", str(folder))
    assert result.returncode == 0, result.stderr
    assert "No problems in “Small”" in result.stdout and "EPUBCheck" in result.stdout
    assert not (folder / "dist").exists()


def test_check_finds_what_build_finds(tmp_path):
    folder = write_book(tmp_path / "book", {**GOOD, "chapters/a.md": "# A\n\n[x](#gone)\n"})
    result = run_cli("check", str(folder), "--no-validators")
    assert result.returncode == 1
    assert "a.md:3:5: error: link to a missing anchor '#gone'" in result.stderr


@pytest.mark.slow
def test_warnings_are_separate_and_strict_makes_them_fatal(tmp_path):
    folder = write_book(tmp_path / "book", {**GOOD, "chapters/a.md": "# A\n\n![](dot.png)\n"})
    Image.new("RGB", (4, 4)).save(folder / "chapters" / "dot.png")
    relaxed = run_cli("build", str(folder), "--out", str(tmp_path / "out"), "--format", "epub")
    assert relaxed.returncode == 0
    assert "warning: image 'dot.png' has no description" in relaxed.stderr
    strict = run_cli("build", str(folder), "--out", str(tmp_path / "strict"), "--strict")
    assert strict.returncode == 1
    assert "error: image 'dot.png' has no description" in strict.stderr
    assert not (tmp_path / "strict").exists()
    assert run_cli("check", str(folder), "--strict", "--no-validators").returncode == 1


@pytest.mark.slow
def test_progress_is_plain_when_not_on_a_terminal_and_quiet_is_quiet(tmp_path):
    folder = write_book(tmp_path / "book", GOOD)
    loud = run_cli(str(folder), "--out", str(tmp_path / "a"))
    stages = [line.rsplit(None, 2)[0].strip() for line in loud.stdout.splitlines() if line.rstrip().endswith(" s")]
    assert stages == ["look for changes", "read", "lay out pages", "write PDF", "finish EPUB, web", "write downloads"]
    assert "\x1b[" not in loud.stdout  # no terminal codes in logs
    assert "pages" in loud.stdout and "small.pdf" in loud.stdout
    quiet = run_cli(str(folder), "--out", str(tmp_path / "b"), "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


@pytest.mark.slow
def test_clean_removes_the_output_folder_and_nothing_else(tmp_path):
    folder = write_book(tmp_path / "book", GOOD)
    assert run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "epub").returncode == 0
    assert run_cli("clean", str(folder), "--out", str(tmp_path / "out")).returncode == 0
    assert not (tmp_path / "out").exists() and folder.exists()
    write_book(tmp_path / "precious", {"thesis.tex": "mine"})
    refused = run_cli("clean", str(folder), "--out", str(tmp_path / "precious"))
    assert refused.returncode == 1 and (tmp_path / "precious" / "thesis.tex").exists()


@pytest.mark.slow
def test_the_console_script_is_the_same_program(tmp_path):
    script = Path(sys.executable).parent / "octavo"
    assert script.exists()
    folder = write_book(tmp_path / "book", GOOD)
    result = subprocess.run(
        [str(script), "build", "--format", "epub", "-q"], cwd=folder, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (folder / "dist" / "small.epub").is_file()  # the console script defaults to BOOK_DIR/dist
    assert "commands:" in subprocess.run([str(script), "--help"], capture_output=True, text=True).stdout


@pytest.mark.parametrize(
    ("chapter", "expected"),
    [
        ("# A\n\n```python\nprint('never closed')\n", "a.md:3: error: a code block opened with ``` is never closed"),
        ("\n\n", "a.md: error: the chapter file is empty"),
        ("Text without a heading.\n", "a.md:1: error: opens no chapter, and the book's first file must"),
        ("# A\n\nSee ![map](maps/old.png) here.\n", "a.md:3:12: error: image not found: 'maps/old.png'"),
    ],
)
def test_error_catalogue(chapter, expected, tmp_path):
    folder = write_book(tmp_path / "book", {**GOOD, "chapters/a.md": chapter})
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_error_shows_the_line_and_points_at_the_problem(tmp_path):
    folder = write_book(tmp_path / "book", {**GOOD, "chapters/a.md": "# A\n\nSee ![map](maps/old.png) here.\n"})
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    lines = result.stderr.splitlines()
    index = next(i for i, line in enumerate(lines) if "image not found" in line)
    assert lines[index + 1] == "    See ![map](maps/old.png) here."
    assert lines[index + 2] == "    " + " " * 11 + "^"  # under the file name


@pytest.mark.slow
def test_serve_rebuilds_and_reloads_on_a_change(tmp_path):
    folder = write_book(tmp_path / "book", GOOD)
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "serve",
        str(folder),
        "--out",
        str(tmp_path / "out"),
        "--port",
        "0",
    ]
    with serving(command) as served:
        before = served.get("/__octavo__/version")
        page = served.get("/html/a.html")
        assert "Text." in page and '<script src="/__octavo__/reload.js">' in page  # live reload, only when served
        assert "/__octavo__/version" in served.get("/__octavo__/reload.js")
        assert "__octavo__" not in (tmp_path / "out" / "html" / "a.html").read_text(encoding="utf-8")
        (folder / "chapters" / "a.md").write_text("# A\n\nChanged text.\n", encoding="utf-8")
        served.wait_for(lambda: served.get("/__octavo__/version") != before)
        assert served.get("/__octavo__/version") != before
        assert "Changed text." in served.get("/html/a.html")
