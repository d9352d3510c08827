"""Preview images for the README: of every built-in theme, the sample book's title page, a chapter
opener and a body page, side by side; and the web edition in its light and dark themes, with the
contents beside the page and a search's results, as Chromium shows them. Run with `make previews`
(needs poppler-utils and Chromium)."""

from __future__ import annotations

import functools
import http.server
import socketserver
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from octavo.build.pipeline import build  # noqa: E402
from octavo.style.themes import available_themes  # noqa: E402

OUT = ROOT / "docs" / "previews"
CHAPTER = "Purpose of a Second Interview"  # an opener followed by a body page


def pages_to_show(pdf: Path) -> list[int]:
    reader = PdfReader(pdf)
    title_page = next(i for i, page in enumerate(reader.pages) if i > 0 and "Meaning" in (page.extract_text() or ""))
    entry = next(item for item in reader.outline if not isinstance(item, list) and item.title == CHAPTER)
    opener = reader.get_destination_page_number(entry)
    openers = {reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}
    body = next(
        i
        for i in range(opener + 1, len(reader.pages))
        if i not in openers and (reader.pages[i].extract_text() or "").strip()
    )
    return [title_page, opener, body]


def render(pdf: Path, page: int, folder: Path) -> Image.Image:
    prefix = folder / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    return Image.open(f"{prefix}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in available_themes(ROOT / "book"):
        with tempfile.TemporaryDirectory() as tmp:
            result = build(ROOT / "book", Path(tmp), ("pdf",), theme=name)
            pdf = result.files[0]
            images = [render(pdf, page, Path(tmp)) for page in pages_to_show(pdf)]
            width, height = images[0].size
            sheet = Image.new("RGB", (width * 3 + 40, height + 20), "#d9d9d9")
            for index, image in enumerate(images):
                sheet.paste(image, (10 + index * (width + 10), 10))
            sheet.save(OUT / f"{name}.png", optimize=True)
            print(f"docs/previews/{name}.png")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def web_previews() -> None:
    """docs/previews/web-light.png and web-dark.png: a chapter with the contents beside it, and a
    search for a word typed into the box."""
    from playwright import sync_api as playwright

    with tempfile.TemporaryDirectory() as tmp:
        build(ROOT / "book", Path(tmp), ("site",))
        handler = functools.partial(QuietHandler, directory=tmp)
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with playwright.sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for scheme, query in (("light", "panel"), ("dark", "cultural fit")):
                    page = browser.new_page(viewport={"width": 1200, "height": 760}, color_scheme=scheme)
                    page.goto(f"{base}/html/types-of-second-interviews.html")
                    if query:
                        page.fill("input[type=search]", query)
                        page.wait_for_selector("#web-search-results li")
                    page.screenshot(path=str(OUT / f"web-{scheme}.png"))
                    print(f"docs/previews/web-{scheme}.png")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    for scheme in ("light", "dark"):
        path = OUT / f"web-{scheme}.png"
        Image.open(path).convert("RGB").save(path, optimize=True)


def citation_style_previews() -> None:
    """docs/previews/citation-styles.png: the opening page of the scholar fixture book's list, printed
    in APA, Chicago author-date and IEEE, side by side."""
    import shutil

    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        for style in ("apa", "chicago-author-date", "ieee"):
            book = Path(tmp) / style
            shutil.copytree(ROOT / "tests" / "books" / "scholar", book, ignore=shutil.ignore_patterns(".octavo-cache"))
            toml = (book / "book.toml").read_text(encoding="utf-8")
            (book / "book.toml").write_text(toml.replace("[resources]\n", f'[resources]\nstyle = "{style}"\n'))
            pdf = build(book, Path(tmp) / f"{style}-out", ("pdf",)).files[0]
            reader = PdfReader(pdf)
            entry = next(item for item in reader.outline if not isinstance(item, list) and item.title == "Sources")
            pages.append(render(pdf, reader.get_destination_page_number(entry), pdf.parent))
    width, height = pages[0].size
    sheet = Image.new("RGB", (width * 3 + 40, height + 20), "#d9d9d9")
    for index, image in enumerate(pages):
        sheet.paste(image, (10 + index * (width + 10), 10))
    sheet.save(OUT / "citation-styles.png", optimize=True)
    print("docs/previews/citation-styles.png")


def print_cover_previews() -> None:
    """docs/previews/print-cover.png and print-cover-guides.png: the almanac fixture's cover spread for
    IngramSpark as it prints (bleed included), and the same with its trim, folds and safe areas."""
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "almanac"
        shutil.copytree(ROOT / "tests" / "books" / "almanac", book, ignore=shutil.ignore_patterns(".octavo-cache"))
        build(book, Path(tmp) / "out", ("print",))
        kit = Path(tmp) / "out" / "print"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(kit / "the-harbour-almanac-cover.pdf"), str(kit / "c")],
            check=True,
        )
        Image.open(kit / "c.png").convert("RGB").save(OUT / "print-cover.png", optimize=True)
        shutil.copyfile(kit / "the-harbour-almanac-cover-guides.png", OUT / "print-cover-guides.png")
    print("docs/previews/print-cover.png, docs/previews/print-cover-guides.png")


if __name__ == "__main__":
    main()
    web_previews()
    print_cover_previews()
