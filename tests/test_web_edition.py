"""The web edition as files: its search index, the contents beside each page, the pagers, Octavo's one
script, the reading themes' colours, and the addresses a published site gives search engines and link
previews. What it does in a browser is in test_web_browser.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, SAMPLE, write_book

from octavo.build.pipeline import build
from octavo.errors import BookError
from octavo.read.config import load_config

SITE_URL = "https://books.example.org/second-interview/"
SCRIPT = ROOT / "octavo" / "formats" / "site" / "octavo.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The sample book's site, published at SITE_URL."""
    book = tmp_path_factory.mktemp("book") / "book"
    shutil.copytree(SAMPLE, book)
    with (book / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[site]\nurl = "{SITE_URL.rstrip("/")}"\n')
    out = tmp_path_factory.mktemp("site")
    build(book, out, formats=("site",))
    return out


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def chapter_pages(site: Path) -> list[Path]:
    """The pages of the web edition in reading order, after its contents page."""
    contents = page(site / "html" / "index.html")
    names = [a.get("href").split("#")[0] for a in contents.cssselect("nav.toc > ol > li > a")]
    return [site / "html" / name for name in dict.fromkeys(names)]


@pytest.mark.slow
def test_the_search_index_covers_the_chapters_and_not_the_bars_around_them(site):
    bundle = site / "html" / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["wasm"] == "en"  # English words stemmed: "panels" finds "panel"
    indexed = [path for path in chapter_pages(site) if path.name != "book-index.html"]  # the index finds nothing new
    assert entry["languages"]["en"]["page_count"] == len(indexed) == 12
    assert not page(site / "html" / "book-index.html").cssselect("[data-pagefind-body]")
    assert len(list((bundle / "fragment").iterdir())) == len(indexed)
    for path in indexed:
        assert page(path).cssselect("main[data-pagefind-body]"), path.name
    assert not page(site / "html" / "index.html").cssselect("[data-pagefind-body]")  # the contents: no result
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.en.pagefind").is_file()
    assert not list(bundle.glob("pagefind-*ui*")), "Pagefind's own interfaces are not shipped"
    # The first search loads the engine, the language's index and one fragment per result shown.
    first_search = ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"]
    size = sum((bundle / name).stat().st_size for name in first_search)
    size += sum(path.stat().st_size for path in bundle.glob("*.pf_meta")) + sum(
        path.stat().st_size for path in (bundle / "index").iterdir()
    )
    size += sum(sorted(path.stat().st_size for path in (bundle / "fragment").iterdir())[-8:])
    assert size < 300 * 1024, size


@pytest.mark.slow
def test_every_page_runs_octavos_one_script_and_nothing_else(site):
    pages = [site / "html" / "index.html", *chapter_pages(site)]
    for path in pages:
        scripts = page(path).iter("script")
        kinds = [(s.get("src"), s.get("type")) for s in scripts]
        assert kinds.count(("octavo.js", None)) == 1, path.name
        assert all(src == "octavo.js" or kind == "application/ld+json" for src, kind in kinds), (path.name, kinds)
        policy = page(path).cssselect("meta[http-equiv='Content-Security-Policy']")[0].get("content")
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy and "default-src 'self';" in policy
    assert (site / "html" / "octavo.js").read_bytes() == SCRIPT.read_bytes()
    assert not list(page(site / "index.html").iter("script"))[1:]  # the download page: its JSON-LD alone


@pytest.mark.slow
def test_a_books_template_cannot_bring_script_beside_octavos(tmp_path):
    book = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Guarded"\nlanguage = "en"\n',
            "chapters/a.md": "# One\n\nText.\n",
            "templates/web/chapter.html": (
                '{% extends "!base/web/chapter.html" %}\n'
                '{% block head %}<script src="octavo.js"></script><script>alert(1)</script>'
                '<script src="https://evil.example/x.js"></script>{% endblock %}\n'
            ),
        },
    )
    out = tmp_path / "out"
    build(book, out, formats=("site",))
    chapter = page(out / "html" / "one.html")
    assert [s.get("src") for s in chapter.iter("script")] == ["octavo.js"]
    assert "alert(1)" not in (out / "html" / "one.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_contents_stand_beside_each_page_with_its_own_chapter_opened(site):
    contents = page(site / "html" / "index.html")
    titles = [a.text_content() for a in contents.cssselect("nav.toc > ol > li > a")]
    for path in chapter_pages(site):
        view = page(path)
        sidebar = view.cssselect("nav#web-sidebar")[0]
        assert [a.text_content() for a in sidebar.cssselect(":scope > ol > li > a")] == titles
        current = sidebar.cssselect("a[aria-current='page']")
        assert len(current) == 1 and current[0].text_content() == view.cssselect("main h1")[0].text_content()
        sections = [a.get("href") for a in sidebar.cssselect(".web-toc-sections a")]
        own = [f"#{h.get('id')}" for h in view.cssselect("main h2[id]") if not h.get("id").startswith("fn")]
        assert sections == own[: len(sections)] and all(view.get_element_by_id(s[1:]) is not None for s in sections)
        assert len(sidebar.cssselect(".web-toc-sections")) <= 1  # other chapters stay closed
    assert sum(bool(page(p).cssselect(".web-toc-sections a")) for p in chapter_pages(site)) == 4
    assert not contents.cssselect("#web-sidebar")  # the contents page is the contents


@pytest.mark.slow
def test_previous_and_next_at_both_ends_of_every_page(site):
    pages = [site / "html" / "index.html", *chapter_pages(site)]
    for index, path in enumerate(pages):
        view = page(path)
        top, bottom = view.cssselect(".web-pager-top")[0], view.cssselect(".web-pager-bottom")[0]
        for pager in (top, bottom):
            nexts = [a.get("href") for a in pager.cssselect("a[rel=next]")]
            prevs = [a.get("href") for a in pager.cssselect("a[rel=prev]")]
            assert nexts == ([pages[index + 1].name] if index + 1 < len(pages) else [])
            assert prevs == ([pages[index - 1].name] if index else [])
    assert page(pages[1]).cssselect(".web-pager-top a[rel=prev]")[0].text_content().startswith("← ")


@pytest.mark.slow
def test_in_a_right_to_left_book_the_pagers_arrows_point_the_way_it_reads(tmp_path):
    book = write_book(
        tmp_path / "book",
        {"book.toml": '[book]\ntitle = "كتاب"\nlanguage = "ar"\n', "chapters/a.md": "# أ\n\nنص.\n\n# ب\n\nنص.\n"},
    )
    build(book, tmp_path / "out", formats=("site",))
    arrows = {}
    for path in (tmp_path / "out/html").glob("*.html"):
        for link in page(path).cssselect(".web-pager-top a[rel]"):
            arrows.setdefault(link.get("rel"), set()).update(set(link.text_content()) & {"←", "→"})
    assert arrows == {"prev": {"→"}, "next": {"←"}}


@pytest.mark.slow
def test_a_long_chapter_ends_with_a_link_back_to_its_top(tmp_path):
    long = " ".join(["word"] * 900)
    book = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Lengths"\nlanguage = "de"\n',
            "chapters/a.md": f"# Kurz\n\nEin Satz.\n\n# Lang\n\n{long}\n",
        },
    )
    build(book, tmp_path / "out", formats=("site",))
    short, long_page = page(tmp_path / "out/html/kurz.html"), page(tmp_path / "out/html/lang.html")
    assert not short.cssselect(".web-top")
    link = long_page.cssselect(".web-top a")[0]
    assert link.get("href") == "#top" and long_page.cssselect("body")[0].get("id") == "top"
    assert link.text_content().endswith("Nach oben")  # in the book's language
    entry = json.loads((tmp_path / "out/html/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["de"]["wasm"] == "de"  # German stemming


@pytest.mark.slow
def test_a_published_site_names_its_addresses(site):
    for path in [site / "html" / "index.html", *chapter_pages(site)]:
        view = page(path)
        expected = f"{SITE_URL}html/{path.name}"
        assert view.cssselect("link[rel=canonical]")[0].get("href") == expected
        assert view.cssselect("meta[property='og:url']")[0].get("content") == expected
        assert view.cssselect("meta[property='og:image']")[0].get("content") == f"{SITE_URL}cover.jpg"
        assert view.cssselect("meta[property='og:title']")[0].get("content")
        assert view.get("lang") == "en" and view.get("dir") == "ltr"
    download = page(site / "index.html")
    assert download.cssselect("link[rel=canonical]")[0].get("href") == SITE_URL
    assert download.cssselect("meta[property='og:image']")[0].get("content") == f"{SITE_URL}cover.jpg"
    sitemap = lxml.etree.fromstring((site / "sitemap.xml").read_bytes())
    listed = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = [f"{SITE_URL}html/{path.name}" for path in chapter_pages(site)]
    assert listed == [SITE_URL, f"{SITE_URL}html/index.html", *pages]
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert robots.startswith("User-agent: *\n") and f"Sitemap: {SITE_URL}sitemap.xml" in robots


@pytest.mark.slow
def test_a_site_without_an_address_claims_none(tmp_path):
    book = write_book(
        tmp_path / "book", {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n', "chapters/a.md": "# A\n\nB.\n"}
    )
    build(book, tmp_path / "out", formats=("site",))
    assert not (tmp_path / "out" / "sitemap.xml").exists() and not (tmp_path / "out" / "robots.txt").exists()
    view = page(tmp_path / "out" / "html" / "a.html")
    assert not view.cssselect("link[rel=canonical]") and not view.cssselect("meta[property='og:image']")


@pytest.mark.parametrize("written", ["example.org/book", "https://example.org/a book/", "ftp://example.org/"])
def test_a_site_address_must_be_a_whole_web_address(tmp_path, written):
    book = write_book(
        tmp_path / "book",
        {"book.toml": f'[book]\ntitle = "T"\nlanguage = "en"\n[site]\nurl = "{written}"\n', "chapters/a.md": "# A\n"},
    )
    with pytest.raises(BookError) as raised:
        load_config(book)
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (5, 7) and problem.message.startswith("'url' is not a web address")


# The reading themes' colours, read from the stylesheets as the browser reads them, against WCAG AA.
PAIRS = [
    *((name, "background", 4.5) for name in ("text-color", "heading-color", "muted-color", "accent")),
    *((f"code-{kind}", "code-background", 4.5) for kind in ("keyword", "string", "comment", "number", "name")),
    *((f"callout-{kind}", "callout-background", 4.5) for kind in ("note", "tip", "important", "warning", "caution")),
    ("text-color", "mark-background", 4.5),
    ("text-color", "code-background", 4.5),
]


def variables(theme: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in (ROOT / "styles" / "variables.css", ROOT / "styles" / "themes" / theme / "theme.css"):
        for block in re.findall(r":root\s*\{(.*?)\}", path.read_text(encoding="utf-8"), re.DOTALL):
            found.update(re.findall(r"--([a-z0-9-]+)\s*:\s*([^;]+);", block))
    return found


def colour(values: dict[str, str], name: str, dark: bool) -> tuple[float, float, float]:
    value = values[f"dark-{name}"] if dark and f"dark-{name}" in values else values[name]
    while value.startswith("var("):
        inner = value[len("var(--") : -1]
        value = values[f"dark-{inner}"] if dark and f"dark-{inner}" in values else values[inner]
    hex_value = value.strip().lstrip("#")
    return tuple(int(hex_value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(rgb: tuple[float, float, float]) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["classic", "modern", "compact"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_each_themes_colours_read_in_light_and_dark(theme, dark):
    values = variables(theme)
    for fore, back, least in PAIRS:
        ratio = contrast(colour(values, fore, dark), colour(values, back, dark))
        assert ratio >= least, (theme, "dark" if dark else "light", fore, back, round(ratio, 2))
    if dark:  # the dark theme is the theme's own: its accent is not another theme's
        assert colour(values, "accent", True) != colour(variables("classic"), "accent", True) or theme == "classic"
