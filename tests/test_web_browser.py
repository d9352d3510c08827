"""The web edition in a real browser (Debian's Chromium, driven by Playwright), served over HTTP on
127.0.0.1 as any static host serves it: axe-core finds nothing in either reading theme, search finds a
section and lands on it, the contents work on a phone and a desktop, keys turn pages, the reader's
choices are remembered, and without script every page still reads. Screenshots of each view are kept
in build/test-artifacts/."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from conftest import BOOKS, ROOT, SAMPLE
from external import need

from octavo.build.pipeline import build

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "build" / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHAPTER = "html/types-of-second-interviews.html"
PHONE, DESKTOP = {"width": 375, "height": 740}, {"width": 1280, "height": 800}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    book = tmp_path_factory.mktemp("book") / "book"
    shutil.copytree(SAMPLE, book)
    out = tmp_path_factory.mktemp("site")
    build(book, out, formats=("site",))
    return out


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1, as a static host serves it; yields its address."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(site) -> Iterator[str]:
    with serving(site) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api as playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=need("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield launched
        launched.close()


def open_page(browser, url: str, errors: list[str] | None = None, **options):
    view = browser.new_page(**{"viewport": DESKTOP, **options})
    if errors is not None:
        view.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
        view.on("pageerror", lambda e: errors.append(str(e)))
    view.goto(url)
    return view


def axe_violations(view) -> list[str]:
    """axe-core's findings on the page as it is now, one line each."""
    view.add_script_tag(path=str(AXE))
    found = view.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})" for v in found]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_download_page_the_contents_and_a_chapter(browser, served, scheme):
    need("node")
    assert AXE.is_file(), "npm ci installs axe-core (package.json)"
    found = {}
    for name in ("index.html", "html/index.html", CHAPTER):
        # axe's own script is injected; the pages' policy lets only their own scripts run
        view = open_page(browser, f"{served}/{name}", color_scheme=scheme, bypass_csp=True)
        if name == CHAPTER:
            view.fill("input[type=search]", "panel")
            view.wait_for_selector("#web-search-results li")
        view.screenshot(path=str(ARTIFACTS / f"web-{scheme}-{name.replace('/', '-')}.png"))
        found[name] = axe_violations(view)
        view.close()
    assert found == {name: [] for name in found}


def test_search_finds_the_one_section_with_a_word_and_lands_on_it(browser, served):
    errors: list[str] = []
    loaded: list[int] = []
    view = open_page(browser, f"{served}/html/introduction.html", errors)
    view.on("response", lambda r: loaded.append(len(r.body())) if "/pagefind/" in r.url and r.ok else None)
    view.keyboard.press("/")  # the key that goes to the search box
    assert view.evaluate("document.activeElement.type") == "search"
    view.keyboard.type("simultaneously")  # in the panel interviews' section and nowhere else
    view.wait_for_selector("#web-search-results li")
    first = view.locator("#web-search-results li a").first
    assert first.get_attribute("href").endswith("/html/types-of-second-interviews.html#panel-interviews")
    assert first.inner_text().replace("\n", " ") == "Types of Second Interviews › Panel Interviews"
    assert view.locator("#web-search-results li mark").first.inner_text().lower().startswith("simultaneously")
    view.screenshot(path=str(ARTIFACTS / "web-search.png"))
    assert sum(loaded) < 300 * 1024, sum(loaded)  # the engine, the index and the results' fragments
    first.click()
    view.wait_for_url("**/types-of-second-interviews.html#panel-interviews")
    heading = view.locator("#panel-interviews").bounding_box()
    assert heading is not None and 0 <= heading["y"] < 200  # the section is at the top of the window
    view.keyboard.press("/")
    view.keyboard.type("panels")  # stemmed: the plural finds the singular
    view.wait_for_selector("#web-search-results li")
    assert "Panel" in view.locator("#web-search-results").inner_text()
    view.fill("input[type=search]", "qqqzzzxx")
    view.wait_for_selector("#web-search-results .web-search-note")
    assert view.locator("#web-search-results").inner_text() == "Nothing found"
    assert errors == []


def test_the_contents_beside_the_text_on_a_desktop_and_behind_a_button_on_a_phone(browser, served):
    errors: list[str] = []
    desktop = open_page(browser, f"{served}/{CHAPTER}", errors)
    assert desktop.locator("#web-sidebar").is_visible()
    assert not desktop.locator(".web-menu-button").is_visible()
    current = desktop.locator("#web-sidebar a[aria-current=page]")
    assert current.inner_text() == "Types of Second Interviews" and current.is_visible()
    assert desktop.locator("#web-sidebar .web-toc-sections a").count() == 4
    desktop.locator("#web-sidebar a", has_text="Frequently Asked Questions").click()
    desktop.wait_for_url("**/frequently-asked-questions.html")
    desktop.screenshot(path=str(ARTIFACTS / "web-desktop.png"))

    phone = open_page(browser, f"{served}/{CHAPTER}", errors, viewport=PHONE)
    sidebar, button = phone.locator("#web-sidebar"), phone.locator("button.web-menu-button")
    assert not sidebar.is_visible() and button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    phone.screenshot(path=str(ARTIFACTS / "web-phone.png"))
    button.click()
    assert sidebar.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert phone.evaluate("document.activeElement.getAttribute('aria-current')") == "page"
    phone.screenshot(path=str(ARTIFACTS / "web-phone-menu.png"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing wider than the phone"
    sidebar.locator("a", has_text="Introduction").click()
    phone.wait_for_url("**/introduction.html")
    assert errors == []


def test_keys_turn_pages_and_the_readers_choices_are_remembered(browser, served):
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    view = context.new_page()
    view.goto(f"{served}/{CHAPTER}")
    view.keyboard.press("ArrowRight")
    view.wait_for_url("**/how-to-prepare-for-a-second-interview.html")
    view.keyboard.press("ArrowLeft")
    view.wait_for_url("**/types-of-second-interviews.html")
    toggle = view.locator("button[data-action=theme]")
    assert toggle.get_attribute("aria-pressed") == "false"
    light = view.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    toggle.click()
    dark = view.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert toggle.get_attribute("aria-pressed") == "true" and dark != light
    size = view.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    view.locator("button[data-action=larger]").click()
    view.locator("button[data-action=larger]").click()
    larger = view.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger > size * 1.15
    view.screenshot(path=str(ARTIFACTS / "web-dark-larger.png"))
    view.goto(f"{served}/html/introduction.html")  # another page: the same choices
    assert view.evaluate("document.documentElement.dataset.theme") == "dark"
    assert view.evaluate("getComputedStyle(document.documentElement).backgroundColor") == dark
    assert view.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == larger
    context.close()


def test_without_script_every_page_reads_and_the_menu_is_a_link(browser, served):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    view = context.new_page()
    view.goto(f"{served}/{CHAPTER}")
    assert not view.locator("form.web-search").is_visible() and not view.locator(".web-controls").is_visible()
    assert view.locator("main h1").inner_text() == "Types of Second Interviews"
    assert not view.locator("#web-sidebar").is_visible()
    view.locator("a.web-menu-button").click()
    assert view.url.endswith("#web-sidebar") and view.locator("#web-sidebar").is_visible()
    view.locator("#web-sidebar a", has_text="Introduction").click()
    view.wait_for_url("**/introduction.html")
    context.close()


def test_from_a_file_search_says_it_needs_a_web_server(browser, site):
    errors: list[str] = []
    view = open_page(browser, (site / CHAPTER).as_uri(), errors)
    view.fill("input[type=search]", "panel")
    note = view.locator("#web-search-results .web-search-note")
    note.wait_for()
    assert "web server" in note.inner_text()
    assert view.locator("#web-sidebar a[aria-current=page]").is_visible()  # the rest works from a file
    assert errors == []


def test_a_printed_page_is_its_text_alone(browser, served):
    view = open_page(browser, f"{served}/{CHAPTER}")
    view.emulate_media(media="print")
    hidden = view.evaluate(
        """() => ['.web-bar', '#web-sidebar', '.web-pager-top', '.web-pager-bottom']
            .map(s => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert hidden == ["none"] * 4
    assert view.locator("main h1").is_visible()
    view.pdf(path=str(ARTIFACTS / "web-printed.pdf"))


@pytest.mark.parametrize("book", ["js-notebook", "kitchen-sink"])
def test_code_callouts_and_tables_read_in_both_themes(browser, tmp_path, book):
    """axe-core's contrast check on highlighted code, callouts, tables and figures, light and dark."""
    out = tmp_path / "site"
    build(BOOKS / book, out, formats=("site",))
    rich = [
        path
        for path in sorted((out / "html").glob("*.html"))
        if lxml.html.fromstring(path.read_bytes()).cssselect("main .highlight, main .callout, main table")
    ]
    assert rich
    found = {}
    with serving(out) as address:
        for scheme in ("light", "dark"):
            for path in rich[:3]:
                view = open_page(browser, f"{address}/html/{path.name}", color_scheme=scheme, bypass_csp=True)
                view.screenshot(path=str(ARTIFACTS / f"web-{book}-{scheme}-{path.stem}.png"), full_page=True)
                found[(scheme, path.name)] = axe_violations(view)
                view.close()
    assert found == {key: [] for key in found}


@pytest.mark.parametrize(
    ("book", "query", "expected"),
    [
        ("zh-guide", "提示符", "基础"),  # a word inside a run of Chinese characters: split into words at build time
        ("hebrew", "מוחלט", "נתיבים"),  # right to left
    ],
)
def test_search_and_keys_in_the_books_own_script(browser, tmp_path, book, query, expected):
    out = tmp_path / "site"
    build(BOOKS / book, out, formats=("site",))
    errors: list[str] = []
    with serving(out) as address:
        contents = lxml.html.fromstring((out / "html" / "index.html").read_bytes())
        first, second = [a.get("href") for a in contents.cssselect("nav.toc > ol > li > a")][:2]
        view = open_page(browser, f"{address}/html/{first}", errors)
        view.fill("input[type=search]", query)
        view.wait_for_selector("#web-search-results li")
        assert expected in view.locator("#web-search-results li a").first.inner_text()
        view.screenshot(path=str(ARTIFACTS / f"web-{book}-search.png"))
        rtl = view.evaluate("document.documentElement.dir") == "rtl"
        sidebar = view.locator("#web-sidebar").bounding_box()
        main = view.locator("main").bounding_box()
        assert sidebar and main and (sidebar["x"] > main["x"] if rtl else sidebar["x"] < main["x"])
        view.locator("main h1").click()  # out of the search box
        view.keyboard.press("ArrowLeft" if rtl else "ArrowRight")  # the next page lies the way the book reads
        view.wait_for_url(f"**/{second}")
    assert errors == []
