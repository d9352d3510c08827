"""dist/ ready for any static host: download page, web edition, OPDS feed, checksums, manifest;
checked as files and in a real browser over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import re
import socketserver
import subprocess
import threading
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, SAMPLE, build_book
from external import need
from lxml import etree

from octavo.build.pipeline import build

ARTIFACTS = ROOT / "build" / "test-artifacts"
ATOM = {"a": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/"}
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
STEM = "meaning-of-a-second-interview"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build(SAMPLE, out)
    return out


def page(path: Path):
    return lxml.html.fromstring(path.read_bytes())


@pytest.mark.slow
def test_layout_of_dist(dist):
    names = {path.name for path in dist.iterdir()}
    assert names == {
        f"{STEM}.pdf",
        f"{STEM}.epub",
        f"{STEM}-resources.json",
        f"{STEM}-resources.bib",
        "html",
        "index.html",
        "SHA256SUMS",
        "opds.xml",
        "manifest.json",
        "cover.jpg",
        "cover-thumbnail.jpg",
    }
    assert not [p for p in dist.iterdir() if p.name.startswith(".")]  # no staging leftovers


def test_checksums_verify_with_sha256sum(dist):
    result = subprocess.run([need("sha256sum"), "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert {f"{STEM}.pdf", f"{STEM}.epub", "cover.jpg"} <= checked


def test_manifest_lists_formats_with_size_hash_and_media_type(dist):
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["title"] == "Meaning of a Second Interview"
    formats = {item["format"]: item for item in manifest["formats"]}
    assert formats["PDF"]["media_type"] == "application/pdf"
    assert formats["EPUB"]["media_type"] == "application/epub+zip"
    for item in manifest["formats"]:
        data = (dist / item["file"]).read_bytes()
        assert item["size"] == len(data)
        assert item["sha256"] == hashlib.sha256(data).hexdigest()


def test_opds_feed_meets_opds_1_2(dist):
    feed = etree.parse(str(dist / "opds.xml")).getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert feed.findtext(required, namespaces=ATOM), required
    assert rfc3339.match(feed.findtext("a:updated", namespaces=ATOM))
    rels = {link.get("rel"): link.get("type") for link in feed.iterfind("a:link", ATOM)}
    assert rels["self"] == ACQUISITION_FEED and rels["start"] == ACQUISITION_FEED
    entries = feed.findall("a:entry", ATOM)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext("a:id", namespaces=ATOM).startswith("urn:uuid:")
    assert entry.findtext("a:title", namespaces=ATOM) == "Meaning of a Second Interview"
    assert rfc3339.match(entry.findtext("a:updated", namespaces=ATOM))
    assert entry.findtext("dc:language", namespaces=ATOM) == "en"
    assert entry.findtext("a:summary", namespaces=ATOM).startswith("The meaning of a second interview")
    links = entry.findall("a:link", ATOM)
    acquisitions = {
        link.get("type"): link for link in links if link.get("rel") == "http://opds-spec.org/acquisition/open-access"
    }
    assert set(acquisitions) == {"application/epub+zip", "application/pdf"}
    images = {link.get("rel"): link.get("href") for link in links if "opds-spec.org/image" in link.get("rel")}
    assert images == {
        "http://opds-spec.org/image": "cover.jpg",
        "http://opds-spec.org/image/thumbnail": "cover-thumbnail.jpg",
    }
    for link in links:
        if not link.get("href").startswith("html/"):
            assert (dist / link.get("href")).is_file(), link.get("href")
    for link in acquisitions.values():
        assert int(link.get("length")) == (dist / link.get("href")).stat().st_size


def test_download_page_has_everything_and_needs_nothing_from_outside(dist):
    root = page(dist / "index.html")
    assert root.get("lang") == "en"
    assert [h.text_content() for h in root.iter("h1")] == ["Meaning of a Second Interview"]
    assert root.find(".//img").get("alt")
    assert not [s for s in root.iter("script") if s.get("type") != "application/ld+json"]
    requests = [
        el.get("src") or el.get("href") for el in root.iter("img", "link", "script") if el.get("src") or el.get("href")
    ]
    assert requests and not [r for r in requests if re.match(r"^(https?:)?//", r)]
    schema = json.loads(root.find(".//script[@type='application/ld+json']").text)
    assert schema["@type"] == "Book" and schema["name"] == "Meaning of a Second Interview"
    assert root.find(".//meta[@property='og:title']").get("content") == "Meaning of a Second Interview"
    hashes = {code.get("data-file"): code.text for code in root.iter("code") if code.get("data-file")}
    assert hashes[f"{STEM}.epub"] == hashlib.sha256((dist / f"{STEM}.epub").read_bytes()).hexdigest()
    text = root.text_content()
    assert "Additional Resources" in text and "Decoding the Second Interview" in text  # the resource list
    toc = [a.get("href") for a in root.get_element_by_id("contents").iter("a")]
    assert toc[0] == "html/introduction.html" and all((dist / href.split("#")[0]).is_file() for href in toc)


def test_web_edition_pages_chain_and_every_link_lands(dist):
    html = dist / "html"
    order = ["index.html"]
    while True:
        nexts = [a.get("href") for a in page(html / order[-1]).iter("a") if a.get("rel") == "next"]
        if not nexts:
            break
        order.append(nexts[0])
    assert order[1] == "introduction.html" and order[-3:] == [
        "glossary.html",
        "further-reading.html",
        "book-index.html",
    ]
    assert len(order) == 14  # contents, ten chapters, the glossary, the resource list, the index
    for name in order:
        root = page(html / name)
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith(("http", "mailto:")):
                continue
            target, _, anchor = href.partition("#")
            document = html / target if target else html / name
            assert document.is_file(), (name, href)
            if anchor:
                assert page(document).get_element_by_id(anchor, None) is not None, (name, href)


def test_web_edition_keeps_citations_cross_references_and_faq_data(dist):
    html = dist / "html"
    chapter = page(html / "what-is-a-second-interview.html")
    cites = [a.get("href") for a in chapter.iter("a") if a.get("role") == "doc-biblioref"]
    assert cites == [
        "further-reading.html#resource-decoding-the-second-interview",
        "further-reading.html#resource-the-meaning-behind-the-second-interview",
    ]
    faq = page(html / "frequently-asked-questions.html")
    data = json.loads(faq.find(".//script[@type='application/ld+json']").text)
    assert data["@type"] == "FAQPage" and len(data["mainEntity"]) == 10
    assert data["mainEntity"][0]["acceptedAnswer"]["text"].startswith("A second interview indicates")
    xref = next(a for a in faq.iter("a") if "xref" in (a.get("class") or ""))
    assert xref.text == "chapter 6" and xref.get("href") == "how-to-prepare-for-a-second-interview.html"
    css = (html / "styles" / "book.css").read_text(encoding="utf-8")
    for font in re.findall(r'url\("([^"]+)"\)', css):
        assert (html / "styles" / font).is_file()


@pytest.mark.slow
def test_web_edition_footnotes_link_both_ways(tmp_path):
    built = build_book(ROOT / "tests" / "books" / "manuscript", tmp_path / "out")
    lamp = page(built.out / "html" / "the-lamp.html")
    refs = [a for a in lamp.iter("a") if a.get("role") == "doc-noteref"]
    assert len(refs) == 2
    for ref in refs:
        note = lamp.get_element_by_id(ref.get("href")[1:])
        back = next(a for a in note.iter("a") if a.get("role") == "doc-backlink")
        assert lamp.get_element_by_id(back.get("href")[1:]) is not None
    assert (built.out / "html" / "images" / "figures" / "lens.png").is_file()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served(dist):
    handler = functools.partial(QuietHandler, directory=str(dist))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_download_page_in_a_real_browser(served, dist):
    from playwright import sync_api as playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=need("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            for name, width, height in (("desktop", 1200, 900), ("phone", 390, 844)):
                view = browser.new_page(viewport={"width": width, "height": height})
                view.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
                view.on("pageerror", lambda e: errors.append(str(e)))
                view.goto(f"{served}/index.html")
                view.screenshot(path=str(ARTIFACTS / f"download-page-{name}.png"), full_page=True)
            links = view.eval_on_selector_all(
                "a.download-link[download]",
                "els => els.map(a => [a.getAttribute('href'), a.closest('li').querySelector('code').textContent])",
            )
            assert len(links) == 4
            for href, shown_hash in links:
                response = view.request.get(f"{served}/{href}")
                assert response.status == 200
                assert hashlib.sha256(response.body()).hexdigest() == shown_hash
            view.click("a.web-edition")
            assert view.url.endswith("/html/index.html")
            view.click("a[rel=next]")
            assert view.url.endswith("/html/introduction.html")
            view.click("a[rel=next] >> nth=0")
            assert view.url.endswith("/html/what-is-a-second-interview.html")
            view.click("a[rel=prev] >> nth=0")
            assert view.url.endswith("/html/introduction.html")
            view.click("a.web-contents >> nth=0")
            assert "/html/index.html" in view.url
            view.screenshot(path=str(ARTIFACTS / "web-edition-phone.png"))
        finally:
            browser.close()
    assert errors == []
