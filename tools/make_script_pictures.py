"""Pictures for docs/manuscripts.md: spreads of the Chinese and the Hebrew fixture books as they print.

Run with `make previews` (needs poppler-utils). Each picture is two facing pages, side by side as a
reader holds the book: a right-to-left book's recto on the left.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from octavo.build.pipeline import build  # noqa: E402

OUT = ROOT / "docs" / "manuscripts"
SPREADS = {  # book -> (picture, the two pages of a spread, left first, 1-based)
    "zh-guide": ("zh-guide.png", (10, 11)),
    "hebrew": ("hebrew.png", (11, 10)),  # right to left: the earlier page on the right
}
DPI = 70


def page_image(pdf: Path, number: int, folder: Path) -> Image.Image:
    stem = folder / f"page-{number}"
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(number), "-l", str(number), pdf, stem], check=True)
    (made,) = folder.glob(f"page-{number}*.png")
    return ImageOps.expand(Image.open(made).convert("RGB"), border=1, fill="#bbbbbb")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, (picture, pages) in SPREADS.items():
            result = build(ROOT / "tests" / "books" / name, folder / name, ("pdf",), parallel=False)
            pdf = next(path for path in result.files if path.suffix == ".pdf")
            left, right = (page_image(pdf, number, folder) for number in pages)
            spread = Image.new("RGB", (left.width + right.width, max(left.height, right.height)), "white")
            spread.paste(left, (0, 0))
            spread.paste(right, (left.width, 0))
            spread.save(OUT / picture, optimize=True)
            print(f"docs/manuscripts/{picture}")


if __name__ == "__main__":
    main()
