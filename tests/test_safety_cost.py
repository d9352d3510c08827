"""Bounded cost: any input under a megabyte builds, or fails with one clear message, within 60 s
and 1 GB. Each case found against Octavo is here, first in-process (the reading stage refuses it
before any cost is paid), then through the command line with its time and memory measured."""

from __future__ import annotations

import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, read_book, write_book

from octavo.commands.new import new_book
from octavo.errors import BookError, Problem

TOML = '[book]\ntitle = "Cost"\nlanguage = "en"\n'


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size it does not have: the header is all an image check may read."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


CASES = {
    "_a 5,000 times": ({"chapters/a.md": "# A\n\n" + "_a" * 5000 + "\n"}, "characters without a space"),
    "a 500,000-character word": ({"chapters/a.md": "# A\n\n" + "w" * 500_000 + "\n"}, "characters without a space"),
    "a long token in code": (
        {"chapters/a.md": "# A\n\n```\n" + "x" * 300_000 + "\n```\n"},
        "characters without a space",
    ),
    "10,000 footnotes": (
        {
            "chapters/a.md": "# A\n\n"
            + "".join(f"N[^{i}]. " for i in range(10_000))
            + "\n\n"
            + "".join(f"[^{i}]: n\n" for i in range(10_000))
        },
        "footnotes",
    ),
    "a 200,000-character publisher": (
        {"book.toml": TOML + 'publisher = "' + "x" * 200_000 + '"\n', "chapters/a.md": "# A\n"},
        "'publisher' is 200,000 characters long",
    ),
    "lists 2,000 deep": (
        {"chapters/a.md": "# A\n\n" + "".join("  " * i + "- item\n" for i in range(2000))},
        "nested",
    ),
    "quotes 200 deep": ({"chapters/a.md": "# A\n\n" + "> " * 200 + "deep\n"}, "nested 200 deep"),
    "a 30,000 x 30,000 cover": (
        {"chapters/a.md": "# A\n", "cover.png": png_header(30_000, 30_000)},
        "too large to lay out",
    ),
    "a 144-megapixel cover": (
        {"chapters/a.md": "# A\n", "cover.png": png_header(12_000, 12_000)},
        "too large to lay out",
    ),
    "an SVG of nested <use>": (
        {
            "chapters/a.md": "# A\n\n![drawing](d.svg)\n",
            "chapters/d.svg": '<svg xmlns="http://www.w3.org/2000/svg"><g id="l0"><rect/></g>'
            + "".join(f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 15))
            + "</svg>",
        },
        "shapes",
    ),
    "a NUL in a chapter name": (
        {"book.toml": TOML + 'chapters = ["a\\u0000.md"]\n', "a.md": "# A\n"},
        "cannot name a file",
    ),
    "a NUL in an image and a link": ({"chapters/a.md": "# A\n\n![x](a%00.png) [l](b%00.md)\n"}, "cannot name a file"),
}


def book_files(files: dict) -> dict:
    return {"book.toml": TOML, **files}


@pytest.mark.parametrize("case", list(CASES))
def test_each_costly_input_is_refused_while_the_book_is_read(tmp_path, case):
    files, message = CASES[case]
    started = time.monotonic()
    with pytest.raises(BookError) as failure:
        read_book(tmp_path / "book", book_files(files))
    assert any(message in problem.message for problem in failure.value.problems), failure.value
    assert time.monotonic() - started < 20  # no cost paid: a whole second would mean a pass over the input


def test_the_limits_leave_real_books_alone(tmp_path):
    """Deep-ish lists, long URLs, a hundred footnotes: all of it reads without a word."""
    url = "https://example.org/" + "a/" * 100
    text = "# A\n\n" + "".join("    " * i + "- level\n" for i in range(12))
    text += f"\nSee {url} and the note.[^1]\n\n" + "".join(f"Text.[^n{i}]\n\n[^n{i}]: Note.\n\n" for i in range(100))
    text += "[^1]: A note.\n"
    book = read_book(tmp_path, {"chapters/a.md": text})
    assert book.warnings == []


def test_long_source_lines_are_shown_around_the_column_only():
    line = "data:image/png;base64," + "A" * 1_000_000
    problem = Problem(Path("a.md"), "something", line=3, column=500_000, excerpt=line)
    shown = problem.format()
    assert len(shown) < 400
    excerpt, caret = shown.splitlines()[1:3]
    assert excerpt.strip().startswith("…") and caret.index("^") < len(excerpt)


def test_a_new_book_title_with_quotes_and_backslashes_is_valid_toml(tmp_path):
    import tomllib

    new_book(tmp_path / "b", title='A "B" \\ C', language="en")
    assert tomllib.loads((tmp_path / "b" / "book.toml").read_text())["book"]["title"] == 'A "B" \\ C'


@pytest.mark.slow
@pytest.mark.parametrize("case", ["_a 5,000 times", "10,000 footnotes", "lists 2,000 deep", "a 30,000 x 30,000 cover"])
def test_each_costly_input_fails_through_the_command_line_within_its_bound(tmp_path, case):
    files, message = CASES[case]
    folder = write_book(tmp_path / "book", book_files(files))
    command = [sys.executable, str(ROOT / "build.py"), str(folder), "--out", str(tmp_path / "out")]
    elapsed, peak_kb, returncode, stderr = run_measured(command)
    assert returncode == 1 and message in stderr and "Traceback" not in stderr
    assert elapsed < 60 and peak_kb < 1_000_000
    assert len(stderr) < 2_000


def run_measured(command: list[str]) -> tuple[float, int, int, str]:
    """Wall time, the peak of the resident memory of the command and its children (sampled; their
    ru_maxrss would include the test process's own, which a child inherits across exec), its exit
    status and what it wrote to stderr."""
    import psutil

    started = time.monotonic()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None and time.monotonic() - started < 60:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(part.memory_info().rss for part in tree if part.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.02)
    if process.poll() is None:
        process.kill()
    _, stderr = process.communicate()
    return time.monotonic() - started, peak // 1024, process.returncode, stderr


@pytest.mark.slow
def test_a_book_at_the_limits_builds_within_the_bound(tmp_path):
    """Twenty 2,000-character words and a 2,000-character token in code: laid out, not refused."""
    text = "# A\n\n" + " ".join(["w" * 2000] * 20) + "\n\n```\n" + "x" * 2000 + "\n```\n"
    folder = write_book(tmp_path / "book", book_files({"chapters/a.md": text}))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), str(folder), "--out", str(tmp_path / "out"), "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60
