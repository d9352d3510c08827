"""Pictures for docs/markdown.md: each section of the kitchen-sink book as it prints, cut from its PDF.

Run with `make previews` (needs poppler-utils). Each picture spans a section from its heading to the
next one, or to the foot of its page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pdfplumber
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from octavo.build.pipeline import build  # noqa: E402

OUT = ROOT / "docs" / "markdown"
BOOK = ROOT / "tests" / "books" / "kitchen-sink"
SECTIONS = {  # heading -> picture, in the classic theme
    "Code": "code.png",
    "GitHub Habits": "github-habits.png",
    "Callouts": "callouts.png",
    "Numbered Things": "numbered.png",
    "Math": "math.png",
}
OTHER_THEMES = {"modern": {"Code": "code-modern.png"}}
DPI = 110


def built_pdf(folder: Path, theme: str) -> Path:
    book = folder / f"book-{theme}"
    shutil.copytree(BOOK, book)
    with (book / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[theme]\nname = "{theme}"\n')
    result = build(book, folder / f"out-{theme}", formats=("pdf",))
    return next(path for path in result.files if path.suffix == ".pdf")


def section_parts(pdf: Path, headings: list[str]) -> dict[str, list[tuple[int, float, float]]]:
    """heading -> the (page index, left, top, right, bottom) pieces, in PDF points, from the heading to
    the next one: one piece, or two when the section runs on to the next page."""
    parts: dict[str, list[tuple[int, float, float, float, float]]] = {}
    with pdfplumber.open(pdf) as document:
        lines = []  # (page, top, text, size) of every line of text
        for index, page in enumerate(document.pages):
            for line in page.extract_text_lines():
                lines.append((index, line["top"], line["text"].strip(), max(c["size"] for c in line["chars"])))
        heights = [page.height for page in document.pages]
        blocks = [
            (min(c["x0"] for c in page.chars), max(c["x1"] for c in page.chars))
            if page.chars
            else (36, page.width - 36)
            for page in document.pages
        ]
    heading_size = max(size for _, _, text, size in lines if text in headings)
    starts = [(i, top, text) for i, top, text, size in lines if abs(size - heading_size) < 0.1]
    for number, (index, top, text) in enumerate(starts):
        if text not in headings:
            continue
        following = starts[number + 1] if number + 1 < len(starts) else (index + 1, 0.0, "")
        left, right = blocks[index]
        if following[0] == index:
            parts[text] = [(index, left - 6, top - 8, right + 6, following[1] - 6)]
            continue
        pieces = [(index, left - 6, top - 8, right + 6, heights[index] - 40)]
        if following[0] == index + 1 and following[1]:
            body_top = sorted(t for i, t, _, _ in lines if i == index + 1)[1]  # below the running head
            left, right = blocks[index + 1]
            if following[1] - body_top > 20:
                pieces.append((index + 1, left - 6, body_top - 8, right + 6, following[1] - 6))
        parts[text] = pieces
    return parts


def cut(pdf: Path, page: int, left: float, top: float, right: float, bottom: float, folder: Path) -> Image.Image:
    prefix = folder / f"page-{page}"
    pages = ["-f", str(page + 1), "-l", str(page + 1), "-singlefile"]
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), *pages, str(pdf), str(prefix)], check=True)
    image = Image.open(prefix.with_suffix(".png"))
    scale = DPI / 72
    picture = image.crop((int(left * scale), int(top * scale), int(right * scale), int(bottom * scale)))
    ink = ImageOps.invert(picture.convert("L")).getbbox()  # trim the empty foot of a short piece
    if ink:
        picture = picture.crop((0, 0, picture.width, min(picture.height, ink[3] + int(10 * scale))))
    return picture


def stacked(pictures: list[Image.Image]) -> Image.Image:
    whole = Image.new("RGB", (max(p.width for p in pictures), sum(p.height for p in pictures)), "white")
    top = 0
    for picture in pictures:
        whole.paste(picture, (0, top))
        top += picture.height
    return whole


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for theme, pictures in {"classic": SECTIONS, **OTHER_THEMES}.items():
            pdf = built_pdf(folder, theme)
            for heading, pieces in section_parts(pdf, list(pictures)).items():
                stacked([cut(pdf, *piece, folder) for piece in pieces]).save(OUT / pictures[heading], optimize=True)
                print(f"docs/markdown/{pictures[heading]}")


if __name__ == "__main__":
    main()
