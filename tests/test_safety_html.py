"""No script in any output: an XSS corpus through the reading stage (in-process), then through a
whole build opened in headless Chromium (the web edition) and in epub.js (the EPUB), counting
dialogs and requests to anywhere but the book's own origin."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import threading
import zipfile
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, describe, read_book, run_epubcheck, write_book
from external import need, need_node_package
from lxml import etree
from xss_corpus import HOSTILE_SVG, chapter

from octavo.build.pipeline import build
from octavo.pageguard import guarded_page, guarded_xhtml
from octavo.read.svgsafety import MAX_SHAPES, SvgProblem, clean_svg_file
from octavo.style.cssfilter import safe_declarations

TOML = '[book]\ntitle = "Hostile"\nlanguage = "en"\n'
RUNNING_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "base", "meta", "link", "form", "style"}


def running_parts(fragment: str, port: int) -> list[str]:
    """Whatever in the HTML could run script or reach the listener, found independently of Octavo's code."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname.lower()
        if tag in RUNNING_TAGS:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            plain = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.lower().startswith("on") or name.lower() in ("srcdoc", "formaction", "srcset", "background"):
                found.append(f"{tag} {name}")
            elif (
                "script:" in plain
                or plain.startswith("data:text")
                or f"127.0.0.1:{port}" in plain
                or ("url(" in plain and "url(#" not in plain)
            ):
                found.append(f"{tag} {name}={value[:40]}")
    return found


def hostile_folder(tmp_path, port: int):
    return write_book(
        tmp_path / "book", {"book.toml": TOML, "chapters/a.md": chapter(port), "chapters/drawing.svg": HOSTILE_SVG}
    )


def test_the_reading_stage_lets_nothing_that_runs_through(tmp_path):
    book = read_book(hostile_folder(tmp_path, 9), {})
    html = book.chapters[0].html
    assert "First words." in html and "Last words." in html and "A paragraph with attributes." in html
    assert running_parts(html, 9) == []
    assert len(book.warnings) >= 20  # each removal is reported where it stands


def test_resource_annotations_are_allowlisted_and_urls_must_be_web_addresses(tmp_path):
    from octavo.errors import BookError

    resources = (
        '[[resource]]\nid = "a"\ntitle = "A"\nannotation = "Fine <script>alert(1)</script><b onclick=x>bold</b>"\n'
    )
    book = read_book(tmp_path / "1", {"chapters/a.md": "# A\n", "resources.toml": resources})
    annotation = book.resources.resources[0].annotation_html
    assert "<b>bold</b>" in annotation and running_parts(annotation, 9) == []
    for url in ("javascript:alert(1)", "java&#9;script:alert(1)", "data:text/html,x", "file:///etc/passwd"):
        with pytest.raises(BookError) as failure:
            read_book(
                tmp_path / url.replace("/", "_").replace(":", "_"),
                {"chapters/a.md": "# A\n", "resources.toml": f'[[resource]]\nid = "a"\ntitle = "A"\nurl = "{url}"\n'},
            )
        assert "not a web address" in failure.value.problems[0].message


def test_svg_files_are_cleaned_and_bombs_refused():
    cleaned, removed = clean_svg_file(HOSTILE_SVG.replace("PORT", "9").encode())
    text = cleaned.decode()
    assert "<rect" in text and "script" not in text and "onload" not in text and "127.0.0.1" not in text
    assert "foreignObject" not in text and "<script>" in removed
    bomb = ['<svg xmlns="http://www.w3.org/2000/svg"><g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, 20):
        bomb.append(f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * 10 + "</g>")
    bomb.append("</svg>")
    with pytest.raises(SvgProblem) as failure:
        clean_svg_file("".join(bomb).encode())
    assert f"{MAX_SHAPES:,}" in str(failure.value)


def test_an_inline_svg_bomb_is_an_error_at_its_line(tmp_path):
    from octavo.errors import BookError

    uses = "".join(f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 12))
    with pytest.raises(BookError) as failure:
        read_book(tmp_path, {"chapters/a.md": f'# A\n\nText.\n\n<svg><g id="l0"><rect/></g>{uses}</svg>\n'})
    [problem] = failure.value.problems
    assert problem.line == 5 and "shapes" in problem.message


@pytest.mark.parametrize(
    ("style", "kept"),
    [
        ("color: red; background: u\\72l(http://e/x.png)", "color: red"),
        ("background: image-set('x.png' 1x); margin: 0", "margin: 0"),
        ("fill: url(#g)", "fill: url(#g)"),
        ("width: expression(alert(1))", ""),
    ],
)
def test_css_escapes_do_not_hide_a_fetch(style, kept):
    assert safe_declarations(style) == kept


def test_a_page_from_a_hostile_template_is_defused_and_keeps_its_policy():
    page = guarded_page(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><base href="javascript:x//">'
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"></head>'
        '<body onload="alert(1)"><script>alert(1)</script><script type="application/ld+json">{"a": 1}</script>'
        '<a href="java&#9;script:alert(1)">x</a><iframe srcdoc="x"></iframe></body></html>'
    )
    assert "Content-Security-Policy" in page and "script-src 'self'" in page
    assert running_parts(page.split("<body")[1].split(">", 1)[1], 9) == ["<script>"]  # the JSON-LD data only
    assert "onload" not in page and "refresh" not in page and "<base" not in page
    xhtml = guarded_xhtml(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        '<script>alert(1)</script><a href="javascript:x">a</a></body></html>'
    )
    assert "script" not in xhtml


@pytest.mark.slow
def test_a_hostile_book_runs_nothing_and_fetches_nothing_in_a_browser_or_a_reading_engine(tmp_path, listener):
    port, connections = listener
    folder = hostile_folder(tmp_path, port)
    out = tmp_path / "out"
    result = build(folder, out)
    assert len(result.warnings) >= 20
    epub = next(path for path in result.files if path.suffix == ".epub")
    messages = run_epubcheck(epub)
    assert messages == [], describe(messages)
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".svg")):
                text = archive.read(name).decode()
                assert "alert(" not in text.split("<body")[-1] or running_parts(text.split("<body")[-1], port) == []
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    dialogs: list[str] = []
    elsewhere: list[str] = []
    from playwright import sync_api

    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=need("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on(
                "request",
                lambda request: None if request.url.startswith((origin, "data:")) else elsewhere.append(request.url),
            )
            for name in ("index.html", "html/index.html", "html/hostile.html"):
                page.goto(f"{origin}/{name}")
                page.wait_for_timeout(300)
                for selector in ("a", "button", "input", "summary"):
                    for element in page.query_selector_all(selector)[:40]:
                        element.focus()
                page.wait_for_timeout(300)
            assert "Last words." in page.content()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert dialogs == [] and elsewhere == []
    screenshot = tmp_path / "epubjs.png"
    reader = subprocess.run(
        [
            need("node"),
            str(ROOT / "tests" / "tools" / "epubjs-render.mjs"),
            str(epub),
            str(screenshot),
            "hostile.xhtml",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CHROMIUM": need("chromium")},
        timeout=300,
    )
    need_node_package("playwright-core")
    assert reader.returncode == 0, reader.stderr
    info = json.loads(reader.stdout)
    assert info["renderedH1"] == "Hostile"
    assert info["dialogs"] == [] and info["foreignRequests"] == []
    assert connections == []


def test_stylesheets_for_the_epub_and_web_load_only_book_fonts(tmp_path):
    """However a fetch is spelt in the book's CSS (escapes, image-set, @import), the stylesheet the
    readers' browsers get loads nothing but fonts packaged with the book."""
    from octavo.read.config import load_config
    from octavo.style.fonts import fonts_in, with_packaged_fonts
    from octavo.style.themes import style_parts

    css = (
        '@import "http://127.0.0.1:9/a.css";\n@\\69mport "http://127.0.0.1:9/b.css";\n'
        '@font-face { font-family: Own; src: u\\72l(own.ttf), url("http://127.0.0.1:9/f.woff2"); }\n'
        'p { background: image-set("http://127.0.0.1:9/x.png" 1x); }\n'
        "h1 { background: u\\72l(http://127.0.0.1:9/y.png); border-image: url(//127.0.0.1:9/z.png) }\n"
    )
    font = Path(__file__).parent.parent / "styles" / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf"
    folder = write_book(tmp_path / "book", {"book.toml": TOML, "chapters/a.md": "# A\n", "styles/book.css": css})
    (folder / "styles" / "own.ttf").write_bytes(font.read_bytes())
    parts = style_parts(load_config(folder), "screen")
    refused: list[str] = []
    packaged = "\n".join(with_packaged_fonts(part, refused) for part in parts)
    assert "127.0.0.1" not in packaged and "image-set" not in packaged and "@import" not in packaged.lower()
    assert 'url("fonts/styles/own.ttf")' in packaged
    assert {f.source.name for f in fonts_in(parts)} >= {"own.ttf"}
    assert len(refused) == 6


def test_theme_variables_may_not_load_anything(tmp_path):
    from octavo.errors import BookError
    from octavo.read.config import load_config

    toml = TOML + '\n[theme.variables]\ntext-color = "image-set(\\"http://127.0.0.1:9/x.png\\" 1x)"\n'
    with pytest.raises(BookError) as failure:
        load_config(write_book(tmp_path / "book", {"book.toml": toml, "chapters/a.md": "# A\n"}))
    assert "value CSS cannot take" in failure.value.problems[0].message


def test_a_script_dressed_as_data_is_still_removed():
    page = guarded_page(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<SCRIPT type="text/javascript" data-x="application/ld+json">alert(1)</SCRIPT>'
        '<script type="application/ld+json">{"@type": "Book"}</script></body></html>'
    )
    assert "alert" not in page and '{"@type": "Book"}' in page
