"""An mdBook built whole as it is (tests/books/mdbook-guide): SUMMARY.md's order in every table of
contents, sub-chapters as sections, no mdBook directive left in any output, and nothing written into
the author's folder but Octavo's output and cache inside mdBook's own build folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pypdf
import pytest
from conftest import BOOKS, NS
from pdfinspect import outline

pytestmark = pytest.mark.slow


def test_the_contents_follow_summary_md(fixture_books):
    built = fixture_books["mdbook-guide"]
    entries = outline(built.pdf)
    tree = [(entry.title, [child.title for child in entry.children]) for entry in entries]
    assert tree == [
        ("Contents", []),
        ("Preface", []),  # a prefix chapter, before the parts
        ("Using Tally", ["Getting Started", "Counting"]),  # the draft "Scripting" left out
        ("Reference", ["Configuration"]),
        ("Changelog", []),  # a suffix chapter, after them
    ]
    counting = entries[2].children[1]
    assert [child.title for child in counting.children] == ["Filters", "Output Formats"]  # nested: its sections
    nav = built.epub_xml("EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']/x:ol", NS)
    top = ["".join(li.find("x:a", NS).itertext()) for li in toc.iterfind("x:li", NS)]
    assert top == ["Preface", "Using Tally", "Reference", "Changelog"]
    part = toc.find("x:li[2]", NS)
    assert ["".join(a.itertext()) for a in part.iterfind("x:ol/x:li/x:a", NS)] == ["Getting Started", "Counting"]
    assert part.find("x:a", NS).get("href") == "using-tally.xhtml"


def test_a_part_title_prints_a_part_page_alone_on_a_right_hand_page(fixture_books):
    built = fixture_books["mdbook-guide"]
    reader = pypdf.PdfReader(built.pdf)
    texts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    index = texts.index("Using Tally")  # the part's title and nothing else: no running head, no folio
    first_chapter = next(i for i, text in enumerate(texts) if text.startswith("Preface"))
    assert (index - first_chapter) % 2 == 0  # the same side as the first chapter opens on: a recto
    assert texts[index + 1] == ""  # the blank verso before the part's first chapter
    assert texts[index + 2].startswith("Getting Started")
    part_page = built.epub_xml("EPUB/using-tally.xhtml")
    section = part_page.find(".//x:section", NS)
    assert section.get(f"{{{NS['epub']}}}type") == "part" and section.get("role") == "doc-part"
    web = (built.out / "html" / "using-tally.html").read_text(encoding="utf-8")
    assert 'href="getting-started.html"' in web and 'href="counting.html"' in web  # the part's chapters


def test_no_mdbook_directive_is_left_in_any_output(fixture_books):
    built = fixture_books["mdbook-guide"]
    with zipfile.ZipFile(built.epub) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".css", ".opf")):
                assert b"{{#" not in archive.read(name), name
    for page in (built.out / "html").glob("*.html"):
        assert "{{#" not in page.read_text(encoding="utf-8"), page.name
    chapter = "".join(built.epub_xml("EPUB/getting-started.xhtml").itertext())
    assert "words.count()" in chapter and "ANCHOR" not in chapter
    counting = built.epub_xml("EPUB/counting.xhtml")
    text = "".join(counting.itertext())
    assert 'println!("Counted: {}", 3);' in text  # {{#playground}}: a code block
    assert "let lines" not in text and "let todo" in text  # rustdoc's hidden lines
    assert "Filters in Tally" not in text  # {{#title}}: the web page's title
    links = {"".join(a.itertext()): a.get("href") for a in counting.iter(f"{{{NS['x']}}}a")}
    assert links["output formats"] == "#output-formats"  # output.html: the chapter's own file
    configuration = built.epub_file("EPUB/configuration.xhtml").decode()
    assert configuration.count("<math") == 2 and "\\(" not in configuration  # mathjax-support


def test_an_mdbook_folder_gets_nothing_but_octavos_folder_inside_mdbooks_build_folder(tmp_path):
    folder = tmp_path / "guide"
    shutil.copytree(BOOKS / "mdbook-guide", folder)
    before = {path.relative_to(folder) for path in folder.rglob("*")}
    result = subprocess.run(
        [sys.executable, "-m", "octavo", "build", str(folder), "--format", "epub"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    added = {path.relative_to(folder) for path in folder.rglob("*")} - before
    assert {path.parts[0] for path in added} == {"book"}  # mdBook's build folder: output, cache and lock
    assert (folder / "book" / "octavo" / "tally-a-field-guide.epub").is_file()
    assert "<Callout> is no HTML element" in result.stderr + result.stdout
    assert (result.stderr + result.stdout).count("<Callout>") == 1  # one warning for the element, not one per use
