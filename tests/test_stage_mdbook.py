"""An mdBook folder read as it is, in-process: SUMMARY.md as mdBook reads it, book.toml's [book]
as the metadata and [output.octavo] as Octavo's settings, sub-chapters as sections."""

from __future__ import annotations

from conftest import read_book, write_book
from lxml import html as lxml_html

from octavo.commands.cli import Defaults
from octavo.errors import BookError, ProblemCollector
from octavo.read.config import load_config
from octavo.read.mdbook import parse_summary

SUMMARY = """# Summary

[Introduction](README.md)

# User Guide

- [Installation](guide/installation.md)
- [Reading](guide/reading.md)
    - [Themes](guide/themes.md)
        * [Fonts](guide/fonts.md)
- [Not Yet Written]()

---

# Reference

- [Command Line](<cli/command line.md>)

[Contributors](misc/contributors.md)
"""

MDBOOK_TOML = """[book]
title = "The Tool Guide"
authors = ["Sam Reed", "Kit Lowe"]
language = "en"
description = "How to use the tool."
src = "src"

[output.html]
additional-css = ["theme/custom.css"]
mathjax-support = true

[preprocessor.katex]

[output.octavo.book]
subtitle = "Second Edition"

[output.octavo.pdf]
page_size = "A5"
"""


def mdbook_files() -> dict[str, str]:
    chapters = {
        "src/README.md": "# Introduction\n\nWhat the tool is for.\n",
        "src/guide/installation.md": "# Installation\n\nInstall it.\n",
        "src/guide/reading.md": "# Reading\n\nRead it.\n",
        "src/guide/themes.md": "# Themes\n\nTheme it.\n\n## Colours\n\nColour it.\n",
        "src/guide/fonts.md": "# Fonts\n\nSet it.\n",
        "src/cli/command line.md": "# Command Line\n\nRun it.\n",
        "src/misc/contributors.md": "# Contributors\n\nThanks.\n",
    }
    return {"book.toml": MDBOOK_TOML, "src/SUMMARY.md": SUMMARY, **chapters}


def test_summary_is_read_as_mdbook_reads_it():
    summary = parse_summary(SUMMARY)
    rows = [(item.title, item.target, item.kind, item.depth, item.part and item.part.title) for item in summary.items]
    assert rows == [
        ("Introduction", "README.md", "prefix", 0, None),
        ("Installation", "guide/installation.md", "numbered", 0, "User Guide"),
        ("Reading", "guide/reading.md", "numbered", 0, "User Guide"),
        ("Themes", "guide/themes.md", "numbered", 1, "User Guide"),
        ("Fonts", "guide/fonts.md", "numbered", 2, "User Guide"),
        ("Not Yet Written", "", "numbered", 0, "User Guide"),  # a draft: no file
        ("Command Line", "cli/command line.md", "numbered", 0, "Reference"),
        ("Contributors", "misc/contributors.md", "suffix", 0, None),
    ]
    assert [(part.title, part.line) for part in summary.parts] == [("User Guide", 5), ("Reference", 15)]
    assert [item.title for item in summary.chapters][-2:] == ["Command Line", "Contributors"]  # drafts left out
    assert summary.problems == []


def test_an_mdbooks_book_toml_gives_the_metadata_and_octavos_settings(tmp_path):
    folder = write_book(tmp_path, mdbook_files())
    found = ProblemCollector()
    config = load_config(folder, found)
    assert config.is_mdbook
    meta = config.meta
    assert (meta.title, meta.subtitle, meta.authors, meta.language) == (
        "The Tool Guide",
        "Second Edition",
        ("Sam Reed", "Kit Lowe"),
        "en",
    )
    assert meta.description == "How to use the tool." and config.pdf.page_size == "A5"
    names = [path.relative_to(folder.resolve()).as_posix() for path in config.chapter_files]
    assert names == [
        "src/README.md",
        "src/guide/installation.md",
        "src/guide/reading.md",
        "src/guide/themes.md",
        "src/guide/fonts.md",
        "src/cli/command line.md",
        "src/misc/contributors.md",
    ]
    assert {path.name: depth for path, depth in config.nesting.items()} == {"themes.md": 1, "fonts.md": 2}
    notes = [warning.message for warning in found.warnings]
    assert any("additional-css" in note for note in notes) and any("preprocessor.katex" in note for note in notes)
    assert not any("mathjax" in note for note in notes)  # Octavo reads the math itself
    assert found.problems == []  # [output], [preprocessor] and mdBook's keys are no unknown tables


def test_summary_without_its_own_title_and_with_a_part_first():
    summary = parse_summary("# Summary\n# Basics\n- [One](one.md)\n# More\n- [Two](two.md)\n[End](end.md)\n")
    assert [(part.title, part.line) for part in summary.parts] == [("Basics", 2), ("More", 4)]
    assert [(item.kind, item.part and item.part.title) for item in summary.items] == [
        ("numbered", "Basics"),
        ("numbered", "More"),
        ("suffix", None),
    ]


def test_sub_chapters_are_sections_of_their_parent(tmp_path):
    files = {name: text for name, text in mdbook_files().items() if name != "book.toml"}
    book = read_book(tmp_path, {"book.toml": MDBOOK_TOML, **files})
    titles = [chapter.title for chapter in book.chapters if chapter.kind != "part"]
    assert titles == ["Introduction", "Installation", "Reading", "Command Line", "Contributors"]
    reading = book.chapters[3]
    themes = reading.sections[0]
    assert (themes.title, themes.level) == ("Themes", 2)
    assert [(s.title, s.level) for s in themes.children] == [("Colours", 3), ("Fonts", 3)]


def test_a_missing_chapter_is_reported_at_its_summary_line(tmp_path):
    files = mdbook_files()
    del files["src/guide/fonts.md"]
    folder = write_book(tmp_path, files)
    found = ProblemCollector()
    try:
        load_config(folder, found)
    except BookError as error:
        problems = error.problems
    else:
        problems = found.problems
    (problem,) = problems
    assert (problem.file.name, problem.line) == ("SUMMARY.md", 10)
    assert "guide/fonts.md" in problem.message


def test_an_mdbook_builds_into_octavo_inside_mdbooks_own_build_folder(tmp_path):
    folder = write_book(tmp_path / "guide", mdbook_files())
    assert Defaults(None, None).out_dir(None, folder) == folder / "book" / "octavo"
    write_book(folder, {"book.toml": MDBOOK_TOML + '\n[build]\nbuild-dir = "site"\n'})
    assert Defaults(None, None).out_dir(None, folder) == folder / "site" / "octavo"
    plain = write_book(tmp_path / "plain", {"book.toml": '[book]\ntitle = "P"\nlanguage = "en"\n'})
    assert Defaults(None, None).out_dir(None, plain) == plain / "dist"


def test_mdbooks_own_directives_and_hidden_lines(tmp_path):
    chapter = (
        "# Examples\n\n{{#title Examples of Tally}}\n\n{{#playground ../listings/hello.rs editable}}\n\n"
        "```rust,ignore\n# fn main() {\nlet x = 1;\n## not hidden\n# }\n```\n\n"
        "```python hidelines=!!!\n!!!import os\nprint(1)\n```\n\n"
        "See [the start](index.html) and [more](more.html#details).\n"
    )
    files = {
        "book.toml": '[book]\ntitle = "T"\n',
        "src/SUMMARY.md": "- [Start](README.md)\n- [Examples](examples.md)\n- [More](more.md)\n",
        "src/README.md": "# Start\n\nHello.\n",
        "src/examples.md": chapter,
        "src/more.md": "# More\n\n## Details\n\nText.\n",
        "listings/hello.rs": 'fn main() {\n    println!("hi");\n}\n',
    }
    book = read_book(tmp_path, files)
    html = book.chapters[1].html
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    playground, rust, python = [pre.text_content() for pre in root.iter("pre")]
    assert "{{#" not in html and "Examples of Tally" not in html  # a web page's title: gone
    assert playground == 'fn main() {\n    println!("hi");\n}\n'  # the playground file, as a code block
    assert rust == "let x = 1;\n# not hidden\n"  # rustdoc's hidden lines gone, `##` is `#`
    assert python == "print(1)\n"  # hidelines=!!!
    links = {a.text: a.get("href") for a in root.iter("a")}
    assert links == {"the start": "#start", "more": "#details"}  # .html links mean the chapters


def test_a_folder_that_is_both_an_octavo_book_and_an_mdbook_is_told_so(tmp_path):
    files = mdbook_files()
    files["book.toml"] = MDBOOK_TOML.replace('src = "src"', 'src = "src"\nsubtitle = "Ignored Here"') + "\n[pdf]\n"
    found = ProblemCollector()
    config = load_config(write_book(tmp_path, files), found)
    (both,) = [w for w in found.warnings if "both an mdBook" in w.message]
    assert "[book] subtitle" in both.message and "[pdf]" in both.message and "[output.octavo]" in both.hint
    assert config.meta.subtitle == "Second Edition"  # read as an mdBook: [output.octavo.book] counts


def test_mathjax_delimiters_are_math_when_mdbook_turns_mathjax_on(tmp_path):
    chapter = "# Math\n\nInline \\\\( x^2 \\\\) here.\n\n\\\\[\na^2 + b^2 = c^2\n\\\\]\n\nCode `\\\\( kept \\\\)`.\n"
    files = {
        "book.toml": '[book]\ntitle = "M"\n\n[output.html]\nmathjax-support = true\n',
        "src/SUMMARY.md": "- [Math](math.md)\n",
        "src/math.md": chapter,
    }
    root = lxml_html.fragment_fromstring(read_book(tmp_path, files).chapters[0].html, create_parent="div")
    assert len(root.xpath("//math")) == 2  # one inline, one display, both MathML
    assert root.xpath("string(//code)") == "\\\\( kept \\\\)"
    without = {**files, "book.toml": '[book]\ntitle = "M"\n'}
    plain = lxml_html.fragment_fromstring(read_book(tmp_path / "plain", without).chapters[0].html, create_parent="div")
    assert not plain.xpath("//math")  # without mathjax-support, \\( is an escaped backslash and a bracket


def test_an_mdbook_cannot_send_octavo_outside_its_folder(tmp_path):
    outside = write_book(tmp_path / "elsewhere", {"src/SUMMARY.md": "- [A](a.md)\n", "src/a.md": "# A\n"})
    files = {**mdbook_files(), "book.toml": MDBOOK_TOML + '\n[build]\nbuild-dir = "../elsewhere/out"\n'}
    folder = write_book(tmp_path / "guide", files)
    assert Defaults(None, None).out_dir(None, folder) == folder / "book" / "octavo"  # not ../elsewhere/out
    write_book(folder, {"book.toml": MDBOOK_TOML.replace('src = "src"', 'src = "../elsewhere/src"')})
    try:
        load_config(folder, ProblemCollector())  # the SUMMARY.md outside is not read
    except BookError as error:
        (problem,) = error.problems
    assert "src leads outside the book folder" in problem.message and outside.is_dir()


def test_parts_open_before_their_first_chapter_and_hold_the_numbered_chapters(tmp_path):
    book = read_book(tmp_path, mdbook_files())
    layout = [(chapter.kind, chapter.title, chapter.part, chapter.ordinal) for chapter in book.chapters]
    assert layout == [
        ("chapter", "Introduction", "", 0),  # a prefix chapter: outside the parts, no number
        ("part", "User Guide", "", 0),
        ("chapter", "Installation", "user-guide", 1),
        ("chapter", "Reading", "user-guide", 2),
        ("part", "Reference", "", 0),
        ("chapter", "Command Line", "reference", 3),
        ("chapter", "Contributors", "", 0),  # a suffix chapter
    ]
    toc = [(entry.kind, entry.title, [child.title for child in entry.children]) for entry in book.toc()]
    assert toc == [
        ("", "Introduction", []),
        ("part", "User Guide", ["Installation", "Reading"]),
        ("part", "Reference", ["Command Line"]),
        ("", "Contributors", []),
    ]
    assert book.chapter_count == 5


def test_a_part_title_is_markdown_read_at_its_summary_line(tmp_path):
    files = mdbook_files()
    files["src/SUMMARY.md"] = "- [One](one.md)\n\n# The *Second* Part [broken](#nowhere)\n\n- [Two](two.md)\n"
    files["src/one.md"] = "# One\n\nSee [the part](#the-second-part-broken).\n"
    files["src/two.md"] = "# Two\n"
    try:
        read_book(tmp_path, files)
    except BookError as error:
        problems = [(p.file.name, p.line) for p in error.problems]
    assert ("SUMMARY.md", 3) in problems  # the part's broken link, at the part's line


def test_an_empty_part_is_left_out_and_told(tmp_path):
    files = mdbook_files()
    files["src/SUMMARY.md"] = "- [One](one.md)\n\n# Later\n\n- [Draft]()\n"
    files["src/one.md"] = "# One\n"
    found = ProblemCollector()
    config = load_config(write_book(tmp_path, files), found)
    assert config.parts == ()
    (warning,) = [w for w in found.warnings if "Later" in w.message]
    assert (warning.file.name, warning.line) == ("SUMMARY.md", 3)
