"""The exact words for every way a chapter's link can go wrong: its file, line and column, the
message and the hint (tests/golden/link-messages.txt). After a deliberate change of wording:
OCTAVO_UPDATE_GOLDEN=1 pytest tests/test_link_messages.py, then read the golden file's diff."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import write_book

from octavo.errors import BookError
from octavo.read.load import load_book

GOLDEN = Path(__file__).parent / "golden" / "link-messages.txt"
TOML = '[book]\ntitle = "T"\nlanguage = "en"\nchapters = ["one.md", "two.md"]\n'
TWO = "# Two\n\n## Later On\n\nText.\n"

CASES: dict[str, dict[str, str]] = {
    "missing file, a near name": {"one.md": "# One\n\nSee [two](tow.md).\n"},
    "missing file, nothing near": {"one.md": "# One\n\nSee [it](elsewhere/gone.md).\n"},
    "missing anchor here": {"one.md": "# One\n\n## My Part\n\nSee [part](#my-prat).\n"},
    "missing anchor, nothing near": {"one.md": "# One\n\nSee [part](#zzz).\n"},
    "missing anchor in another chapter": {"one.md": "# One\n\nSee [later](two.md#later-of).\n"},
    "anchor written like GitHub's": {"one.md": "# One\n\n## My Part\n\nSee [part](#user-content-my-part).\n"},
    "outside the book": {"one.md": "# One\n\nSee [it](../../secret.md).\n"},
    "a file that is no chapter": {"one.md": "# One\n\nSee [rules](CONTRIBUTING.md).\n", "CONTRIBUTING.md": "Rules.\n"},
    "no chapter, with a repository": {
        "book.toml": TOML + 'repository = "https://example.org/me/book/blob/main/"\n',
        "one.md": "# One\n\nSee [rules](docs/CONTRIBUTING.md).\n",
        "docs/CONTRIBUTING.md": "Rules.\n",
    },
    "a chapter linked whole": {"one.md": "# One\n\nSee [two](two.md) and [later](two.md#later-on).\n"},
}


def answer(folder: Path, files: dict[str, str]) -> str:
    write_book(folder, {"book.toml": TOML, "two.md": TWO, **files})
    try:
        book = load_book(folder)
    except BookError as error:
        return "\n".join(problem.format(folder) for problem in [*error.problems, *error.warnings])
    said = [problem.format(folder) for problem in book.warnings]
    links = [
        line.strip()
        for chapter in book.chapters
        for line in chapter.html.splitlines()
        if ("<a " in line and "See" in line) or "shown" in line
    ]
    return "\n".join([*said, *links]) or "(nothing)"


def test_every_broken_link_gets_its_words(tmp_path):
    said = [f"## {name}\n{answer(tmp_path / str(n), files)}\n" for n, (name, files) in enumerate(CASES.items())]
    written = "\n".join(said)
    if os.environ.get("OCTAVO_UPDATE_GOLDEN"):
        GOLDEN.write_text(written, encoding="utf-8")
    assert written == GOLDEN.read_text(encoding="utf-8")


CITATIONS_GOLDEN = Path(__file__).parent / "golden" / "citation-messages.txt"
RESOURCES = (
    '[[resource]]\nid = "tides"\ntitle = "Tide Tables"\nauthors = ["Mara Quill"]\nyear = 2001\n'
    '[[resource]]\nid = "gulls"\ntitle = "A Census of Gulls"\n'
)
CITATION_CASES: dict[str, dict[str, str]] = {
    "a near id": {"one.md": "# One\n\nAs shown [@tide].\n"},
    "no near id": {"one.md": "# One\n\nAs shown [@zebra].\n"},
    "the same unknown id twice": {"one.md": "# One\n\nFirst [@zebra].\n\nThen [@zebra] again.\n"},
    "no resource list": {"one.md": "# One\n\nAs shown [@tides].\n", "resources.toml": None},
    "locators and several": {"one.md": "# One\n\nAs shown [@tides, p. 12; @gulls] and [@gulls, ch. 3].\n"},
}


def citation_answer(folder: Path, files: dict[str, str | None]) -> str:
    written = {"book.toml": TOML, "two.md": TWO, "resources.toml": RESOURCES, **files}
    return answer(folder, {name: text for name, text in written.items() if text is not None})


def test_every_citation_gets_its_words(tmp_path):
    said = [
        f"## {name}\n{citation_answer(tmp_path / str(n), files)}\n"
        for n, (name, files) in enumerate(CITATION_CASES.items())
    ]
    written = "\n".join(said)
    if os.environ.get("OCTAVO_UPDATE_GOLDEN"):
        CITATIONS_GOLDEN.write_text(written, encoding="utf-8")
    assert written == CITATIONS_GOLDEN.read_text(encoding="utf-8")
