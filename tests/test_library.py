"""A library built in one command: every book into OUT/<slug>/ in a process pool, a broken book
reported on its own while the others build, the front page, the OPDS catalogue, manifest.json and
SHA256SUMS over what is published, and the cache skipping unchanged books."""

from __future__ import annotations

import hashlib
import json

import lxml.html
import pytest
from conftest import run_cli, write_book
from lxml import etree

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"


def octavo_book(title: str, author: str) -> dict[str, str]:
    toml = f'[book]\ntitle = "{title}"\nlanguage = "en"\nauthors = ["{author}"]\n'
    return {"book.toml": toml, "chapters/one.md": f"# One\n\nThe first chapter of {title}.\n"}


def mdbook() -> dict[str, str]:
    return {
        "book.toml": '[book]\ntitle = "Rope Notes"\nauthors = ["Ida Quay"]\nlanguage = "en"\n',
        "src/SUMMARY.md": "# Summary\n\n- [Knots](knots.md)\n",
        "src/knots.md": "# Knots\n\nA bowline holds.\n",
    }


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("library")
    files = {"library.toml": '[library]\ntitle = "Harbour Press"\nbooks = ["books/*", "../rope-notes"]\n'}
    for name, book in {"tides": octavo_book("Tides", "Ann Reed"), "gulls": octavo_book("Gulls", "Bo Lind")}.items():
        files.update({f"books/{name}/{path}": text for path, text in book.items()})
    files.update({f"books/wreck/{path}": text for path, text in octavo_book("Wreck", "Cy Moss").items()})
    files["books/wreck/chapters/two.md"] = "# Two\n\n![A chart](missing-chart.png)\n"
    write_book(root / "press", files)
    write_book(root / "rope-notes", mdbook())
    out = root / "out"
    result = run_cli(str(root / "press"), "--out", str(out), "--jobs", "2")
    return root / "press", out, result


def test_a_broken_book_is_reported_alone_and_the_others_build(library):
    _, out, result = library
    assert result.returncode == 1
    assert "wreck" in result.stderr and "missing-chart.png" in result.stderr and "two.md:3" in result.stderr
    assert "3 of 4 books built" in result.stdout
    for slug in ("gulls", "tides", "rope-notes"):
        assert (out / slug / "manifest.json").is_file() and list((out / slug).glob("*.pdf")), slug
    assert not (out / "wreck").exists()


def test_the_front_page_and_the_catalogue_list_the_books_that_built(library):
    _, out, _ = library
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    titles = [span.text for span in page.cssselect(".book-title")]
    assert titles == ["Gulls", "Tides", "Rope Notes"]
    assert not page.xpath("//script") and all((out / img.get("src")).is_file() for img in page.xpath("//img"))
    feed = etree.parse(str(out / "opds.xml"))
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Gulls", "Tides", "Rope Notes"]
    for entry in entries:
        links = [link.get("href") for link in entry.findall(f"{ATOM}link") if "acquisition" in link.get("rel")]
        assert any(href.endswith(".epub") for href in links) and all((out / href).is_file() for href in links)


def test_the_checksums_cover_every_published_file(library):
    _, out, _ = library
    listed = {}
    for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    files = {name for name in files if not any(part.startswith(".") for part in name.split("/"))}  # locks
    assert set(listed) == files - {"SHA256SUMS"}
    assert all(hashlib.sha256((out / name).read_bytes()).hexdigest() == digest for name, digest in listed.items())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [book["slug"] for book in manifest["books"]] == ["gulls", "tides", "rope-notes"]


def test_a_second_build_skips_every_unchanged_book_and_a_fixed_book_joins(library):
    folder, out, _ = library
    again = run_cli(str(folder), "--out", str(out))
    assert again.returncode == 1 and again.stdout.count("up to date") == 3
    (folder / "books/wreck/chapters/two.md").write_text("# Two\n\nThe chart is lost.\n", encoding="utf-8")
    fixed = run_cli(str(folder), "--out", str(out))
    assert fixed.returncode == 0 and fixed.stdout.count("up to date") == 3, fixed.stdout + fixed.stderr
    titles = [e.findtext(f"{ATOM}title") for e in etree.parse(str(out / "opds.xml")).findall(f"{ATOM}entry")]
    assert titles == ["Gulls", "Tides", "Wreck", "Rope Notes"]
