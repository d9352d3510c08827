"""Every way book.toml can be wrong, and the exact words Octavo answers with: the file and line,
the message, the hint and the excerpt. The messages are the tool's interface for the person whose
book does not build, so a change to any of them shows here, in tests/golden/config-messages.txt.

After a deliberate change of wording: OCTAVO_UPDATE_GOLDEN=1 pytest tests/test_config_messages.py,
then read the diff of the golden file before committing it."""

from __future__ import annotations

from pathlib import Path

from conftest import write_book
from goldens import matches_golden

from octavo.errors import BookError, ProblemCollector
from octavo.read.config import load_config

GOLDEN_FILE = "config-messages.txt"
HEAD = '[book]\ntitle = "T"\nlanguage = "en"\n'

CASES: dict[str, str] = {
    "no title": '[book]\nlanguage = "en"\n',
    "empty title": '[book]\ntitle = " "\nlanguage = "en"\n',
    "title not text": '[book]\ntitle = 1\nlanguage = "en"\n',
    "no language": '[book]\ntitle = "T"\n',
    "bad language": '[book]\ntitle = "T"\nlanguage = "english!"\n',
    "bad date": HEAD + 'date = "2024-13-01"\n',
    "date in words": HEAD + 'date = "yesterday"\n',
    "version not text": HEAD + "version = true\n",
    "authors not a list": HEAD + "authors = 3\n",
    "subjects not text": HEAD + "subjects = [1]\n",
    "description too long": HEAD + f'description = "{"x" * 12000}"\n',
    "repository no address": HEAD + 'repository = "github"\n',
    "identifier not text": HEAD + "identifier = 5\n",
    "chapter missing": HEAD + 'chapters = ["chapters/missing.md"]\n',
    "chapter outside": HEAD + 'chapters = ["../outside.md"]\n',
    "chapters not a list": HEAD + 'chapters = "chapters/a.md"\n',
    "unknown table": HEAD + "[bok]\nx = 1\n",
    "book not a table": 'book = "T"\n',
    "page size": HEAD + '[pdf]\npage_size = "b9"\n',
    "margins not a table": HEAD + '[pdf]\nmargins = "2cm"\n',
    "unknown margin": HEAD + '[pdf]\nmargins = { gutter = "2cm" }\n',
    "margin not a length": HEAD + '[pdf]\nmargins = { inner = "2 cm" }\n',
    "bleed": HEAD + '[pdf]\nbleed = "1 cm"\n',
    "recto chapters": HEAD + '[pdf]\nrecto_chapters = "yes"\n',
    "pdf variant": HEAD + '[pdf]\nvariant = "pdf/z"\n',
    "embed fonts": HEAD + '[epub]\nembed_fonts = "no"\n',
    "page list": HEAD + '[epub]\npage_list = "sometimes"\n',
    "hazards": HEAD + '[epub]\naccessibility_hazards = ["loud"]\n',
    "summary not text": HEAD + "[epub]\naccessibility_summary = 5\n",
    "toc depth": HEAD + "[toc]\ndepth = 9\n",
    "toc depth text": HEAD + '[toc]\ndepth = "2"\n',
    "toc title": HEAD + "[toc]\ntitle = 5\n",
    "theme name": HEAD + '[theme]\nname = "fancy"\n',
    "theme variable value": HEAD + '[theme.variables]\naccent = "red;}"\n',
    "theme variable unknown": HEAD + '[theme.variables]\npaper = "white"\n',
    "theme css missing": HEAD + '[theme]\ncss = ["styles/missing.css"]\n',
    "theme css outside": HEAD + '[theme]\ncss = ["../outside.css"]\n',
    "markdown extension unknown": HEAD + '[markdown]\nextensions = ["pymdownx.markk"]\n',
    "markdown extension refused": HEAD + '[markdown]\nextensions = ["pymdownx.snippets"]\n',
    "resource file missing": HEAD + '[resources]\nfiles = ["missing.bib"]\n',
    "resource file kind": HEAD + '[resources]\nfiles = ["chapters/a.md"]\n',
    "citation style": HEAD + '[resources]\nstyle = "nosuchstyle"\n',
    "annotation fields": HEAD + '[resources]\nannotation_fields = ["summary"]\n',
    "glossary link first": HEAD + '[glossary]\nlink_first = "yes"\n',
    "site url": HEAD + '[site]\nurl = "example.org"\n',
    "allow remote": HEAD + '[build]\nallow_remote = "yes"\n',
    "transforms unknown": HEAD + '[build]\ntransforms = ["nosuch"]\n',
    "transforms not names": HEAD + "[build]\ntransforms = [1]\n",
    "print service": HEAD + '[print]\nservice = "press"\n',
    "print trim": HEAD + '[print]\nservice = "kdp"\ntrim = "A5"\n',
    "print isbn": HEAD + '[print]\nisbn = "978-0-306-40615-8"\n',
    "print price": HEAD + '[print]\nprice = "EUR 12"\n',
    "print photo": HEAD + '[print]\nauthor_photo = "missing.jpg"\n',
    "toml syntax": HEAD + "[pdf\n",
    "key twice": HEAD + 'title = "U"\n',
    "date a number": HEAD + "date = 2024\n",
    "page size one length": HEAD + '[pdf]\npage_size = "6in"\n',
    "bleed a number": HEAD + "[pdf]\nbleed = 3\n",
    "site url not text": HEAD + "[site]\nurl = 5\n",
    "repository not text": HEAD + "repository = 5\n",
    "chapter named without .md": HEAD + 'chapters = ["chapters/a"]\n',
    "nothing wrong": HEAD
    + 'date = "2024-05"\nrepository = "https://example.org/X/book"\n'
    + '[pdf]\nvariant = ""\npage_size = "6in 9in"\n[site]\nurl = "https://example.org/X"\n',
}


def answer(folder: Path, text: str) -> str:
    """What Octavo says of a book whose book.toml is `text`: each problem and warning, formatted."""
    write_book(folder, {"book.toml": text, "chapters/a.md": "# A\n"})
    found = ProblemCollector()
    try:
        load_config(folder, found)
    except BookError as error:
        return "\n".join(problem.format(folder) for problem in [*error.problems, *error.warnings])
    return "\n".join(problem.format(folder) for problem in [*found.problems, *found.warnings]) or "(nothing)"


def test_every_wrong_book_toml_gets_its_words(tmp_path):
    sections = [(name, answer(tmp_path / str(number), text)) for number, (name, text) in enumerate(CASES.items())]
    matches_golden(GOLDEN_FILE, sections)


RESOURCES_GOLDEN_FILE = "resources-messages.txt"
RESOURCE_CASES: dict[str, str] = {
    "unknown field": '[[resource]]\nid = "a"\ntitle = "A"\nauthr = "Ada"\n',
    "no id": '[[resource]]\ntitle = "A"\n',
    "blank title": '[[resource]]\nid = "a"\ntitle = "  "\n',
    "bad id": '[[resource]]\nid = "a b"\ntitle = "A"\n',
    "subtitle not text": '[[resource]]\nid = "a"\ntitle = "A"\nsubtitle = 3\n',
    "authors not names": '[[resource]]\nid = "a"\ntitle = "A"\nauthors = [1]\n',
    "year not a number": '[[resource]]\nid = "a"\ntitle = "A"\nyear = "1999"\n',
    "url not an address": '[[resource]]\nid = "a"\ntitle = "A"\n\nurl = "javascript:alert(1)"\n',
    "more than an imported entry may add": '[[resource]]\nid = "tides"\ntitle = "Tides"\nyear = 1999\n',
    "an imported entry's annotation not text": '[[resource]]\nid = "tides"\nannotation = 5\n',
    "an id used twice": '[[resource]]\nid = "a"\ntitle = "A"\n\n[[resource]]\nid = "a"\ntitle = "B"\n',
    "second entry": '[[resource]]\nid = "a"\ntitle = "A"\n\n[[resource]]\nid = "b"\ntitle = "B"\nyear = "x"\n',
}


IMPORTED = '[{"id": "tides", "type": "book", "title": "Tide Tables"}]'


def resources_answer(folder: Path, text: str) -> str:
    from octavo.read.load import load_book

    toml = HEAD + '[resources]\nfiles = ["refs.json"]\n'
    write_book(folder, {"book.toml": toml, "refs.json": IMPORTED, "chapters/a.md": "# A\n", "resources.toml": text})
    try:
        book = load_book(folder)
    except BookError as error:
        return "\n".join(problem.format(folder) for problem in [*error.problems, *error.warnings])
    return "\n".join(problem.format(folder) for problem in book.warnings) or "(nothing)"


def test_every_wrong_resource_entry_gets_its_words(tmp_path):
    sections = [
        (name, resources_answer(tmp_path / str(n), text)) for n, (name, text) in enumerate(RESOURCE_CASES.items())
    ]
    matches_golden(RESOURCES_GOLDEN_FILE, sections)


MDBOOK_GOLDEN_FILE = "mdbook-messages.txt"
MDBOOK_TOML = '[book]\ntitle = "Guide"\nauthors = ["Ada"]\nlanguage = "fr"\n'
MDBOOK_CASES: dict[str, dict[str, str]] = {
    "a plain mdBook": {
        "src/SUMMARY.md": "# Summary\n\n[Intro](intro.md)\n\n- [One](one.md)\n    - [Deeper](deeper.md)\n"
    },
    "settings left aside": {
        "book.toml": MDBOOK_TOML
        + '[output.html]\nmathjax-support = true\ngit-repository-url = "x"\n[preprocessor.toc]\n',
        "src/SUMMARY.md": "# Summary\n\n- [One](one.md)\n",
    },
    "both an mdBook and an Octavo book": {
        "book.toml": MDBOOK_TOML + 'description = "D"\n[pdf]\npage_size = "a4"\n',
        "src/SUMMARY.md": "# Summary\n\n- [One](one.md)\n",
    },
    "Octavo's own settings": {
        "book.toml": MDBOOK_TOML + '[output.octavo.book]\nsubtitle = "S"\n[output.octavo.pdf]\npage_size = "a4"\n',
        "src/SUMMARY.md": "# Summary\n\n- [One](one.md)\n",
    },
    "a missing chapter and an empty part": {
        "src/SUMMARY.md": "# Summary\n\n# Part One\n\n- [One](one.md)\n- [Gone](gone.md)\n\n# Part Two\n\n---\n",
    },
    "a chapter outside": {"src/SUMMARY.md": "# Summary\n\n- [One](one.md)\n- [Out](../../out.md)\n"},
    "no chapters": {"src/SUMMARY.md": "# Summary\n\nNothing here.\n"},
    "no language": {"book.toml": '[book]\ntitle = "Guide"\n', "src/SUMMARY.md": "- [One](one.md)\n"},
    "a chapter list under [output.octavo.book]": {
        "book.toml": MDBOOK_TOML + '[output.octavo.book]\nchapters = ["src/deeper.md"]\n',
        "src/SUMMARY.md": "- [One](one.md)\n",
    },
    "mdBook's own [build]": {
        "book.toml": MDBOOK_TOML + '[build]\nbuild-dir = "site"\n',
        "src/SUMMARY.md": "- [One](one.md)\n",
    },
    "both, in two ways": {
        "book.toml": MDBOOK_TOML + 'subtitle = "S"\n[pdf]\npage_size = "a4"\n',
        "src/SUMMARY.md": "- [One](one.md)\n",
    },
    "output not a table": {"book.toml": MDBOOK_TOML + 'output = "html"\n', "src/SUMMARY.md": "- [One](one.md)\n"},
}


def mdbook_answer(folder: Path, files: dict[str, str]) -> str:
    chapters = {f"src/{name}": f"# {name}\n" for name in ("intro.md", "one.md", "deeper.md")}
    write_book(folder, {"book.toml": MDBOOK_TOML, **chapters, **files})
    found = ProblemCollector()
    try:
        config = load_config(folder, found)
    except BookError as error:
        return "\n".join(problem.format(folder) for problem in [*error.problems, *error.warnings])
    said = [problem.format(folder) for problem in [*found.problems, *found.warnings]]
    meta = config.meta
    said.append(f"title={meta.title!r} subtitle={meta.subtitle!r} authors={meta.authors} language={meta.language}")
    said.append(f"page_size={config.pdf.page_size} mathjax={config.mathjax}")
    said.append("chapters: " + ", ".join(path.relative_to(config.root).as_posix() for path in config.chapter_files))
    said.append("unnumbered: " + ", ".join(sorted(path.name for path in config.unnumbered)))
    said.append("nesting: " + ", ".join(f"{path.name}={depth}" for path, depth in sorted(config.nesting.items())))
    said.append("parts: " + ", ".join(f"{part.title}@{part.line}" for part in config.parts))
    return "\n".join(said)


def test_every_mdbook_configuration_gets_its_words(tmp_path):
    sections = [(name, mdbook_answer(tmp_path / str(n), files)) for n, (name, files) in enumerate(MDBOOK_CASES.items())]
    matches_golden(MDBOOK_GOLDEN_FILE, sections)
