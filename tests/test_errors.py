"""Bad input: one clear line per problem naming file and line, exit status 1, no traceback,
nothing written, and the previous good output left as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, write_book

GOOD = {
    "book.toml": """
        [book]
        title = "Small Book"
        language = "en"
    """,
    "chapters/01-one.md": """
        # One

        See [two](02-two.md#second-part).
    """,
    "chapters/02-two.md": """
        # Two

        ## Second part

        Text.
    """,
}

# name -> (files replacing GOOD's, expected "file:line" prefix, words the message must contain)
CASES = {
    "no book.toml": ({"book.toml": None}, "book.toml", ["no book.toml", "title", "language"]),
    "invalid TOML": ({"book.toml": '[book]\ntitle = "Small Book\nlanguage = "en"\n'}, "book.toml:2", ["invalid TOML"]),
    "missing title": ({"book.toml": '[book]\nlanguage = "en"\n'}, "book.toml", ["no 'title'", 'title = "My Book"']),
    "missing language": ({"book.toml": '[book]\ntitle = "T"\n'}, "book.toml", ["no 'language'", 'language = "en"']),
    "unknown key": (
        {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\nsubtitel = "x"\n'},
        "book.toml:4",
        ["unknown key 'subtitel'", "did you mean 'subtitle'", "valid: title, subtitle"],
    ),
    "bad language tag": (
        {"book.toml": '[book]\ntitle = "T"\nlanguage = "English language"\n'},
        "book.toml:3",
        ["BCP 47"],
    ),
    "chapter file not found": (
        {
            "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\nchapters = [\n  "chapters/01-one.md",\n'
            '  "chapters/03-three.md",\n]\n'
        },
        "book.toml:6",
        ["chapter file not found: 'chapters/03-three.md'"],
    ),
    "chapter outside the book": (
        {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\nchapters = ["../elsewhere.md"]\n'},
        "book.toml:4",
        ["outside the book folder"],
    ),
    "no chapters at all": (
        {"chapters/01-one.md": None, "chapters/02-two.md": None},
        "book.toml",
        ["no chapters", "chapters/"],
    ),
    "duplicate resource field": (
        {"resources.toml": '[[resource]]\nid = "a"\ntitle = "A"\ntitle = "B"\n'},
        "resources.toml:4",
        ["given twice"],
    ),
    "unknown resource field": (
        {"resources.toml": '[[resource]]\nid = "a"\ntitle = "A"\nauthor = "Someone"\n'},
        "resources.toml:4",
        ["unknown field 'author'", "did you mean 'authors'"],
    ),
    "resource without title": (
        {"resources.toml": '[[resource]]\nid = "a"\n'},
        "resources.toml:1",
        ["has no 'title'"],
    ),
    "image not found": (
        {"chapters/02-two.md": "# Two\n\n## Second part\n\n![A map](img/map.png)\n"},
        "chapters/02-two.md:5",
        ["image not found: 'img/map.png'"],
    ),
    "link to a missing chapter": (
        {"chapters/01-one.md": "# One\n\nSee [two](02-tow.md#second-part).\n"},
        "chapters/01-one.md:3",
        ["missing file '02-tow.md#second-part'", "did you mean '02-two.md'"],
    ),
    "link to a missing anchor": (
        {"chapters/01-one.md": "# One\n\nText.\n\nSee [two](02-two.md#secnd-part).\n"},
        "chapters/01-one.md:5",
        ["missing anchor '#secnd-part' in '02-two.md'", "did you mean '#second-part'"],
    ),
    "first chapter without heading": (
        {"chapters/01-one.md": "Just text, no heading.\n"},
        "chapters/01-one.md:1",
        ["opens no chapter, and the book's first file must", "# Title"],
    ),
    "chapter not UTF-8": (
        {"chapters/02-two.md": "# Two\n\nCaf\xe9\n".encode("latin-1")},
        "chapters/02-two.md:3",
        ["not UTF-8"],
    ),
}


def make(tmp_path: Path, changes: dict) -> Path:
    folder = write_book(tmp_path / "book", {k: v for k, v in GOOD.items() if k not in changes})
    for name, content in changes.items():
        if content is not None:
            write_book(folder, {name: content})
    return folder


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_the_good_book_builds(tmp_path):
    result = run_cli(str(make(tmp_path, {})), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"small-book.epub", "small-book.pdf", "index.html", "html", "SHA256SUMS"} <= names


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_fails_clearly_and_writes_nothing(case, tmp_path):
    changes, where, words = CASES[case]
    out = tmp_path / "out"
    result = run_cli(str(make(tmp_path, changes)), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    problem_lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(problem_lines) == 1, result.stderr
    line = problem_lines[0]
    assert line.startswith(str(tmp_path / "book" / where) + ":"), line
    for word in words:
        assert word in line, line
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_output_as_it_was(tmp_path):
    folder = make(tmp_path, {})
    out = tmp_path / "out"
    assert run_cli(str(folder), "--out", str(out)).returncode == 0
    before = digest(out)
    write_book(folder, {"chapters/02-two.md": "# Two\n\n![gone](missing.png)\n"})
    result = run_cli(str(folder), "--out", str(out))
    assert result.returncode == 1
    assert digest(out) == before  # no temporary files left, nothing replaced


def test_every_problem_is_reported_in_one_run(tmp_path):
    folder = make(
        tmp_path,
        {
            "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\ncolour = "red"\nauthor = "X"\n',
            "chapters/01-one.md": "# One\n\n[a](#nowhere) and ![b](nothing.png)\n",
        },
    )
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 4, result.stderr  # book.toml's unknown keys do not hide the chapter's problems
    assert "colour" in errors[0] and "author" in errors[1] and "did you mean 'authors'" in errors[1]
    assert "#nowhere" in errors[2] and "nothing.png" in errors[3]  # in the order of the lines


def test_warnings_are_reported_with_the_errors(tmp_path):
    folder = make(tmp_path, {"chapters/01-one.md": "# One\n\n![](picture.png)\n\n[a](#nowhere)\n"})
    (folder / "chapters" / "picture.png").write_bytes(
        (ROOT / "tests" / "books" / "manuscript" / "cover.png").read_bytes()
    )
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert [": warning: " in line for line in lines] == [True, False], result.stderr
    assert "has no description" in lines[0] and "01-one.md:3" in lines[0]
    assert "Nothing was built: 1 problem to fix (and 1 warning)." in result.stderr


def test_chapter_problems_are_all_reported_together(tmp_path):
    folder = make(tmp_path, {"chapters/01-one.md": "# One\n\n[a](#nowhere)\n\n![b](nothing.png)\n"})
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2, result.stderr
    assert "2 problems" in result.stderr


@pytest.mark.parametrize("args", [["--format", "mobi"], ["--frobnicate"], ["a", "b"]])
def test_bad_usage_exits_with_status_2(args, tmp_path):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_documents_the_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("BOOK_DIR", "--out", "--format", "pdf,epub", "exit status", "new DIR", "serve"):
        assert word in result.stdout


@pytest.mark.slow
def test_format_option_builds_only_what_is_asked(tmp_path):
    out = tmp_path / "out"
    result = run_cli(str(make(tmp_path, {})), "--out", str(out), "--format", "epub")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["small-book.epub"]  # no PDF, no site


@pytest.mark.slow
def test_default_book_is_the_sample_and_default_out_is_dist(tmp_path):
    result = run_cli("--format", "epub", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (ROOT / "dist" / "meaning-of-a-second-interview.epub").is_file()
    assert "meaning-of-a-second-interview.epub" in result.stdout
