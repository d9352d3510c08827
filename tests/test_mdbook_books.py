"""An mdBook built whole as it is (tests/books/mdbook-guide): SUMMARY.md's order in every table of
contents, sub-chapters as sections, no mdBook directive left in any output, and nothing written into
the author's folder but Octavo's output and cache inside mdBook's own build folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import zipfile

import pypdf
import pytest
from conftest import BOOKS, NS, ROOT, run_cli, serving, write_book
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
    listings = [
        "".join(pre.itertext())
        for pre in built.epub_xml("EPUB/configuration.xhtml").iter(f"{{{NS['x']}}}pre")
        if "words" in "".join(pre.itertext())
    ]
    assert listings == [
        '    let words = std::env::args().skip(1);\n    println!("{}", words.count());\n}\n',  # lines 3 to 5
        '    println!("{}", words.count());\n',  # rustdoc_include: the lines around it hidden
    ]
    output = built.epub_xml("EPUB/counting.xhtml")
    scripts = ["".join(pre.itertext()) for pre in output.iter(f"{{{NS['x']}}}pre") if "json" in "".join(pre.itertext())]
    assert scripts == ['print(json.load(sys.stdin)["count"])\n']  # hidelines=!!
    hrefs = {"".join(a.itertext()): a.get("href") for a in output.iter(f"{{{NS['x']}}}a")}
    assert hrefs["the preface"] == "preface.xhtml"  # ../preface.html#preface: across folders, to its start
    filters = {
        "".join(a.itertext()): a.get("href") for a in built.epub_xml("EPUB/configuration.xhtml").iter(f"{{{NS['x']}}}a")
    }
    assert filters["filters"] == "counting.xhtml#filters"  # a sub-chapter's heading, in its parent's file


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


TINY_MDBOOK = {
    "book.toml": '[book]\ntitle = "Tiny Guide"\nauthors = ["A. Writer"]\n',
    "src/SUMMARY.md": "# Summary\n\n[Intro](README.md)\n\n# Basics\n\n- [Start](start.md)\n",
    "src/README.md": "# Intro\n\nHello.\n",
    "src/start.md": "# Start\n\nFirst text.\n",
}


def test_check_reads_an_mdbook_and_writes_nothing_into_it(tmp_path):
    folder = write_book(tmp_path / "tiny", TINY_MDBOOK)
    before = sorted(folder.rglob("*"))
    result = run_cli("check", str(folder))
    assert result.returncode == 0, result.stderr
    assert "No problems in “Tiny Guide”: 2 chapters" in result.stdout  # the part page is no chapter
    assert "EPUBCheck" in result.stdout  # the trial EPUB was validated
    assert sorted(folder.rglob("*")) == before
    write_book(folder, {"src/SUMMARY.md": TINY_MDBOOK["src/SUMMARY.md"] + "- [Next](next.md)\n"})
    result = run_cli("check", str(folder))
    assert result.returncode == 1
    summary = folder / "src" / "SUMMARY.md"
    assert f"{summary}:8: error: chapter file not found: 'next.md'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_previews_an_mdbook_and_rebuilds_on_its_changes_only(tmp_path):
    folder = write_book(tmp_path / "tiny", TINY_MDBOOK)
    command = [sys.executable, "-m", "octavo", "serve", str(folder), "--port", "0"]  # the octavo command's defaults
    with serving(command, cwd=ROOT) as served:
        assert "First text." in served.get("/html/start.html")
        assert (folder / "book" / "octavo" / "html" / "start.html").is_file()  # the default output folder
        before = served.get("/__octavo__/version")
        (folder / "book" / "index.html").write_text("<p>what mdbook serve writes</p>", encoding="utf-8")
        time.sleep(2)  # the watcher's debounce is 0.3 s: a rebuild would have begun
        assert served.get("/__octavo__/version") == before  # mdBook's build folder is not the book
        (folder / "src" / "start.md").write_text("# Start\n\nChanged text.\n", encoding="utf-8")
        served.wait_for(lambda: served.get("/__octavo__/version") != before)
        assert "Changed text." in served.get("/html/start.html")
        write_book(folder, {"src/SUMMARY.md": TINY_MDBOOK["src/SUMMARY.md"].replace("# Basics", "# Essentials")})
        served.wait_for(lambda: "Essentials" in served.get("/html/index.html"))
        assert "Essentials" in served.get("/html/index.html")  # SUMMARY.md is the book's too: a part renamed


def test_the_build_cache_knows_an_mdbook(tmp_path):
    folder = write_book(tmp_path / "tiny", TINY_MDBOOK)

    def build() -> str:
        command = [sys.executable, "-m", "octavo", "build", str(folder), "--format", "epub"]
        result = subprocess.run(
            command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, cwd=ROOT
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "Built" in build()
    assert "Up to date" in build()  # its own output and cache, in mdBook's build folder, are no change
    (folder / "book" / "index.html").write_text("<p>mdBook's own output</p>", encoding="utf-8")
    assert "Up to date" in build()  # nor is what mdBook writes there
    write_book(folder, {"src/SUMMARY.md": TINY_MDBOOK["src/SUMMARY.md"].replace("# Basics", "# Essentials")})
    assert "Built" in build()  # SUMMARY.md is
    nav = zipfile.ZipFile(folder / "book" / "octavo" / "tiny-guide.epub").read("EPUB/nav.xhtml").decode()
    assert "Essentials" in nav
