"""Could the print layout use more cores? A measurement, not a feature.

WeasyPrint's laid-out pages hold Pango's objects, which cannot be pickled: pages laid out in one
process cannot join a PDF written in another. What remains is for each process to lay out and
write its share of the chapters as a PDF of its own, and to merge the PDFs (pikepdf). This script
measures that against one process doing both, on the 80-chapter benchmark book, with every unit's
starting point known (as the preview knows it from its last build):

- one process: lay out every unit, write one PDF;
- N processes (forked once the book is read): each lays out and writes its share, then the PDFs
  are merged.

The merged PDF is not the same file: each share subsets its own copy of every font, and its links
and outline entries into another share are lost (mending them is work the numbers below do not
count). Run with `python bench/parallel_layout.py [N]` (pikepdf must be installed).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weasyprint import CSS  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from octavo.formats.pdf import layout  # noqa: E402
from octavo.formats.pdf.fetcher import BookFetcher  # noqa: E402
from octavo.formats.pdf.units import Carried, UnitLayouts, lay_out_one, lay_out_units, split  # noqa: E402
from octavo.formats.templating import make_environment  # noqa: E402
from octavo.read.load import load_book  # noqa: E402
from octavo.style.bookstyles import book_style_parts  # noqa: E402
from octavo.style.fonts import book_characters  # noqa: E402
from octavo.style.themes import StylePart  # noqa: E402

SHARED: dict = {}  # what the forked processes find already made


def prepare(folder: Path) -> None:
    book = load_book(folder)
    fonts = FontConfiguration()
    fetcher = BookFetcher(book.root, book.assets, book_characters(book) if book.script_fonts else "")
    parts = book_style_parts(book, "print")
    parts.append(StylePart("[pdf]", layout.page_css(book.config.pdf, book.meta.direction), book.root, "octavo"))
    sheets = [
        CSS(string=part.text, base_url=part.folder.as_uri() + "/", font_config=fonts, url_fetcher=fetcher)
        for part in parts
    ]
    printed = split(layout.print_html(book, make_environment(book.root)))
    SHARED.update(book=book, fonts=fonts, fetcher=fetcher, sheets=sheets, printed=printed)
    SHARED["base"] = book.root.as_uri() + "/"


def one_process() -> tuple[float, int]:
    s = SHARED
    start = time.perf_counter()
    kept = UnitLayouts(page_of=dict(s["page_of"]))
    document = lay_out_units(s["printed"], s["base"], s["fetcher"], s["fonts"], s["sheets"], {}, "ltr", kept)
    assert document is not None
    data = document.write_pdf()
    return time.perf_counter() - start, len(data)


def share(items: list[tuple[int, Carried]]) -> bytes:
    s = SHARED
    pages = []
    first = None
    for number, carried in items:
        unit = s["printed"].units[number]
        laid = lay_out_one(unit, number == 0, carried, s["base"], s["fetcher"], s["fonts"], s["sheets"], {})
        assert laid is not None
        first = first or laid
        pages.extend(laid.pages)
    assert first is not None
    return first.document.copy(pages).write_pdf()


def processes(count: int) -> tuple[float, int]:
    import pikepdf

    starts = SHARED["starts"]
    start = time.perf_counter()
    size = -(-len(starts) // count)
    shares = [starts[i : i + size] for i in range(0, len(starts), size)]
    with multiprocessing.get_context("fork").Pool(count) as pool:
        pdfs = pool.map(share, shares)
    merged = pikepdf.new()
    warnings.simplefilter("ignore")  # that links between shares are lost is said above
    for data in pdfs:
        merged.pages.extend(pikepdf.open(io.BytesIO(data)).pages)
    out = io.BytesIO()
    merged.save(out)
    return time.perf_counter() - start, len(out.getvalue())


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else (os.cpu_count() or 2)
    sys.path.insert(0, str(ROOT / "bench"))
    from run import synthetic_book

    with tempfile.TemporaryDirectory() as tmp:
        prepare(synthetic_book(Path(tmp) / "book"))
        kept = UnitLayouts()  # a first layout: every unit's starting point, as a preview knows it
        s = SHARED
        lay_out_units(s["printed"], s["base"], s["fetcher"], s["fonts"], s["sheets"], {}, "ltr", kept)
        by_digest = {digest: carried for digest, carried in kept.laid_out}
        s["starts"] = [(n, by_digest[unit.digest]) for n, unit in enumerate(s["printed"].units)]
        s["page_of"] = kept.page_of
        del kept
        alone, alone_size = one_process()
        shared, shared_size = processes(count)
    print(f"one process: lay out and write {alone:6.2f} s, {alone_size / 1024:,.0f} KB")
    print(f"{count} processes: lay out, write, merge {shared:6.2f} s, {shared_size / 1024:,.0f} KB")
    print(f"speed-up {alone / shared:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
