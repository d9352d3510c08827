"""Preview images of every built-in theme: the sample book's title page, a chapter opener and a
body page, side by side, for the README. Run with `make previews` (needs poppler-utils)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
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


if __name__ == "__main__":
    main()
