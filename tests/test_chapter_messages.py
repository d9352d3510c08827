"""The exact words for every way a chapter can go wrong (its links, citations, images and ids): its
message, hint and excerpt, and the HTML it makes (tests/golden/). After a deliberate change of wording:
OCTAVO_UPDATE_GOLDEN=1 pytest tests/test_chapter_messages.py, then read the golden file's diff."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import write_book
from goldens import matches_golden

from octavo.errors import BookError
from octavo.model import Book
from octavo.read.load import load_book

GOLDEN_FILE = "link-messages.txt"
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
    "a path no file can have": {"one.md": "# One\n\nSee [it](notes%00old.md).\n"},
    "a long path no file can have": {"one.md": "# One\n\nSee [it](" + "notes-" * 15 + "%00old.md).\n"},
    "two missing files, the second linked twice": {
        "one.md": "# One\n\nSee [a](gone-a.md), [b](gone-b.md)\nand [b again](gone-b.md).\n"
    },
    "a web page with no chapter behind it": {"one.md": "# One\n\nSee [it](notes.html) and [two](two.html).\n"},
    "a long path outside the book": {"one.md": "# One\n\nSee [it](../" + "archive/" * 12 + "old.md).\n"},
    "references to one missing file": {
        "one.md": "# One\n\nSee [the old notes][old] and [the other notes][other].\n\n"
        "[old]: gone.md\n[other]: gone.md\n"
    },
    "a heading whose id starts like GitHub's prefix": {
        "one.md": "# One\n\n## User content rules\n\nSee [rules](#user-content-rules).\n"
    },
    "a chapter file that holds nothing to read": {
        "book.toml": TOML.replace('"two.md"]', '"two.md", "notes.md"]'),
        "one.md": "# One\n\nSee [notes](notes.md) and [their top](notes.md#top).\n",
        "notes.md": "[later]: https://example.org/notes\n",
    },
}


def answer(folder: Path, files: dict[str, str], more: Callable[[Book], list[str]] = lambda book: []) -> str:
    """The problems, else the warnings and the first chapter's HTML, and `more` of the book read."""
    write_book(folder, {"book.toml": TOML, "two.md": TWO, **files})
    try:
        book = load_book(folder)
    except BookError as error:
        return "\n".join(problem.format(folder) for problem in [*error.problems, *error.warnings])
    said = [problem.format(folder) for problem in book.warnings]
    body = re.sub(r"^<h1[^>]*>.*?</h1>", "", book.chapters[0].html, count=1)  # but its title
    text = [line.strip() for line in body.splitlines() if line.strip()]
    return "\n".join([*said, *text, *more(book)])


def test_every_broken_link_gets_its_words(tmp_path):
    sections = [(name, answer(tmp_path / str(n), files)) for n, (name, files) in enumerate(CASES.items())]
    matches_golden(GOLDEN_FILE, sections)


CITATIONS_GOLDEN_FILE = "citation-messages.txt"
RESOURCES = (
    '[[resource]]\nid = "tides"\ntitle = "Tide Tables"\nauthors = ["Mara Quill"]\nyear = 2001\n'
    '[[resource]]\nid = "gulls"\ntitle = "A Census of Gulls"\n'
)
CITATION_CASES: dict[str, dict[str, str]] = {
    "a near id": {"one.md": "# One\n\nAs shown [@tide].\n"},
    "no near id": {"one.md": "# One\n\nAs shown [@zebra].\n"},
    "the same unknown id twice": {"one.md": "# One\n\nFirst [@zebra].\n\nThen [@zebra] again.\n"},
    "two unknown ids": {"one.md": "# One\n\nFirst [@zebra].\n\nThen [@yak],\nand [@yak] again.\n"},
    "no resource list": {"one.md": "# One\n\nAs shown [@tides].\n", "resources.toml": None},
    "locators and several": {"one.md": "# One\n\nAs shown [@tides, p. 12; @gulls] and [@gulls, ch. 3].\n"},
    "in two sections": {"one.md": "# One\n\nFirst [@tides].\n\n## Tides Again\n\nThen [@tides, p. 3 ].\n"},
    "in a style of the CSL repository": {
        "book.toml": TOML + '[resources]\nstyle = "apa"\n',
        "one.md": "# One\n\nFirst [@tides, p. 3 ; @gulls].\n\n## Gulls [@gulls]\n\nThen [see @tides, ch. 2].\n",
    },
}


def citation_answer(folder: Path, files: dict[str, str | None]) -> str:
    """The words and HTML, then where each citation stands (what the back-references are made of)."""
    written = {"book.toml": TOML, "two.md": TWO, "resources.toml": RESOURCES, **files}
    return answer(folder, {name: text for name, text in written.items() if text is not None}, citation_records)


def citation_records(book: Book) -> list[str]:
    return [
        f"@{rid}: {c.anchor} in #{c.chapter_id}, under {c.section_title!r} (#{c.section_id})"
        for rid, cited in book.citations.items()
        for c in cited
    ]


def test_every_citation_gets_its_words(tmp_path):
    sections = [
        (name, citation_answer(tmp_path / str(n), files)) for n, (name, files) in enumerate(CITATION_CASES.items())
    ]
    matches_golden(CITATIONS_GOLDEN_FILE, sections)


MARKDOWN_GOLDEN_FILE = "markdown-messages.txt"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
MARKDOWN_CASES: dict[str, dict[str, str | bytes]] = {
    "an image without a description": {"one.md": "# One\n\nShown: ![](dot.png)\n", "dot.png": PNG},
    "an image that is not there": {"one.md": "# One\n\nShown: ![A dot](gone.png)\n"},
    "an image from the web": {"one.md": "# One\n\nShown: ![A dot](https://example.org/dot.png)\n"},
    "an image kept": {"one.md": "# One\n\nShown: ![A dot](dot.png)\n", "dot.png": PNG},
    "an id given twice": {"one.md": "# One\n\n## Tides {#same}\n\n## Winds {#same}\n\nShown.\n"},
    "an id of another chapter": {"one.md": "# One\n\n## Later On\n\nShown.\n"},
    "two figures with one id": {
        "one.md": "# One\n\n![A dot](dot.png){#fig-dot}\n\nShown.\n\n![A second dot](dot.png){#fig-dot}\n",
        "dot.png": PNG,
    },
    "index marks": {
        "one.md": '# One\n\n## Tides\n\nShown: [closures]{.index} and [a closure]{.index term="closure" .define}, '
        '[lambdas]{.index see="closure"}, [arrows]{.index term="function!arrow" see-also="closure"} and [ ]{.index}.\n'
    },
    "a file with only a rule goes on with the chapter before": {"one.md": "# One\n\nShown.\n", "two.md": "***\n"},
    "a file with nothing in it adds nothing": {"one.md": "# One\n\nShown.\n", "two.md": "\n\n"},
    "a script link": {"one.md": "# One\n\nShown: [click](javascript:alert(1)) and [this](JavaScript:void(0)).\n"},
    "an image with no address": {"one.md": "# One\n\nShown: ![A dot]()\n"},
    "a heading id given three times": {"one.md": "# One\n\n## A {#same}\n\n## B {#same}\n\n## C {#same}\n"},
    "a figure id given three times": {
        "one.md": "# One\n\n" + "".join(f"![Dot {n}](dot.png){{#fig-dot}}\n\n" for n in range(3)),
        "dot.png": PNG,
    },
    "a README that says something before its first chapter": {
        "book.toml": TOML.replace('"one.md", "two.md"', '"README.md"').replace('title = "T"', 'title = "Tides"'),
        "README.md": '# Tides\n\n<p align="center">Shown: tables of the tides, by hand.</p>\n\n'
        "## Getting Started\n\nShown.\n",
    },
    "two figure ids each given again": {
        "one.md": "# One\n\n"
        + "".join(f"![Dot {n}](dot.png){{#fig-{name}}}\n\n" for n, name in enumerate(["a", "a", "b", "b", "b"])),
        "dot.png": PNG,
    },
    "a figure id given twice as a key and value": {
        "one.md": '# One\n\n![A dot](dot.png){id="fig-dot"}\n\n![A second dot](dot.png){id="fig-dot"}\n',
        "dot.png": PNG,
    },
    "an index term in no Latin letters": {"one.md": "# One\n\nShown: [π]{.index} and [円周率]{.index}.\n"},
    "badges and a logo before the first chapter of a README": {
        "book.toml": TOML.replace('"one.md", "two.md"', '"README.md"').replace('title = "T"', 'title = "Tides"'),
        "README.md": '# Tides\n\n<p align="center"><img src="logo.png" alt="Logo"></p>\n\n'
        "[![ci](ci.png)](https://example.org/ci) [![docs](docs.png)](https://example.org/docs) "
        "[![chat](ci.png)](https://example.org/chat)\n\n"
        "## Getting Started\n\nShown.\n",
        "logo.png": PNG,
        "ci.png": PNG,
        "docs.png": PNG,
    },
}


def index_lines(book: Book) -> list[str]:
    """The index's entries as the book holds them: term, marks (anchor, section, defining), see, see also."""
    if book.index is None:
        return []
    return [f"{letter}: {entry!r}" for letter, entries in book.index.groups for entry in entries]


def test_every_image_and_id_problem_gets_its_words(tmp_path):
    sections = [
        (name, answer(tmp_path / str(n), files, index_lines)) for n, (name, files) in enumerate(MARKDOWN_CASES.items())
    ]
    matches_golden(MARKDOWN_GOLDEN_FILE, sections)


SANITIZER_GOLDEN_FILE = "sanitizer-messages.txt"
SANITIZER_CASES: dict[str, dict[str, str | bytes]] = {
    "scripts, frames and objects": {
        "one.md": '# One\n\n<script>alert(1)</script>\n\n<iframe src="https://example.org"></iframe>\n\n'
        '<object data="x.swf"></object>\n\nShown.\n'
    },
    "style elements and attributes": {
        "one.md": "# One\n\n<style>p { color: red }</style>\n\n<style>@import url(x.css);</style>\n\n"
        '<p style="color: red">Shown red.</p>\n\n<p style="background: url(https://example.org/x.png)">Shown far.</p>\n'
    },
    "event handlers and script links": {
        "one.md": '# One\n\n<p onclick="alert(1)">Shown once.</p>\n\n<a href="javascript:alert(1)">Shown twice</a>\n\n'
        '<a href=" JavaScript:alert(2)">Shown thrice</a>\n'
    },
    "elements no output knows": {
        "one.md": "# One\n\n<Callout>Shown in a callout.</Callout>\n\n<marquee>Shown moving.</marquee>\n"
    },
    "drawings keep their own elements": {
        "one.md": '# One\n\n<svg viewBox="0 0 4 4" role="img" aria-label="Shown square"><title>Square</title>'
        '<rect width="4" height="4" onload="x()"/><foreignObject><p>Shown inside</p></foreignObject></svg>\n'
    },
    "raw MathML": {
        "one.md": '# One\n\n<math display="block"><mi>x</mi></math>\n\nShown <math><mi>y</mi></math> inline.\n'
    },
    "a raw image without a description": {"one.md": '# One\n\n<img src="dot.png"> Shown.\n', "dot.png": PNG},
    "media from elsewhere": {
        "one.md": '# One\n\n<video src="https://example.org/v.mp4" controls>Shown instead.</video>\n\n'
        '<img src="dot.png" srcset="dot.png 1x, big.png 2x" alt="A dot">\n',
        "dot.png": PNG,
    },
    "a drawing that reuses its shapes and shows an image": {
        "one.md": '# One\n\n<svg viewBox="0 0 4 4" role="img" aria-label="Shown dots"><defs><circle id="dot" r="1"/>'
        '</defs><use xlink:href="#dot"/><use href="#dot" xlink:href="https://example.org/x.svg#y"/>'
        '<image xlink:href="dot.png" width="4" height="4"/></svg>\n',
        "dot.png": PNG,
    },
}


def test_every_removal_of_the_sanitizer_gets_its_words(tmp_path):
    sections = [(name, answer(tmp_path / str(n), files)) for n, (name, files) in enumerate(SANITIZER_CASES.items())]
    matches_golden(SANITIZER_GOLDEN_FILE, sections)
