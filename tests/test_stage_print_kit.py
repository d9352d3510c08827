"""The print kit's parts, in-process: [print] read and checked at its lines, the services' rules,
the barcode's bars against the EAN-13 and EAN-5 tables, the cover's geometry and safe areas, and
docs/print.md's table kept equal to the services' figures."""

from __future__ import annotations

import pytest
import zxingcpp
from conftest import ROOT, read_book
from PIL import Image, ImageDraw

from octavo.errors import BookError
from octavo.formats import default_formats, registry
from octavo.formats.pdf.layout import PrintLayout
from octavo.formats.press import PrintPlan
from octavo.formats.press.barcode import ADD_ON_GAP, Barcode, ean5_modules, ean13_modules
from octavo.formats.press.cover import CoverGeometry, back_paragraphs, geometry, price_add_on
from octavo.formats.press.interior import interior_settings, is_blank, padded
from octavo.formats.press.preflight import cover_area
from octavo.formats.press.services import INGRAM, KDP, LULU, SERVICES, Trim, parse_trim, services_table
from octavo.model import PdfSettings
from octavo.read.pagesizes import points

BOOK = '[book]\ntitle = "Tiny"\nlanguage = "en"\n'

# GS1's EAN-13 tables: set A ("L") codes; B ("G") is C reversed; C ("R") is A with bars and spaces swapped
L_CODES = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
FIRST_DIGIT = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def r_code(digit: int) -> str:
    return "".join("1" if bit == "0" else "0" for bit in L_CODES[digit])


def ean13_by_the_table(digits: str) -> str:
    left = [
        L_CODES[int(d)] if side == "L" else r_code(int(d))[::-1]
        for side, d in zip(FIRST_DIGIT[int(digits[0])], digits[1:7], strict=True)
    ]
    right = [r_code(int(d)) for d in digits[7:]]
    return "101" + "".join(left) + "01010" + "".join(right) + "101"


@pytest.mark.parametrize("isbn", ["9780306406157", "9781234567897", "9798886450002", "9781861972712", "9791032305690"])
def test_the_main_symbol_is_the_ean13_table(isbn):
    assert ean13_modules(isbn) == ean13_by_the_table(isbn)


def drawn(modules: str, scale: int = 4) -> Image.Image:
    """The modules as black bars on white with quiet zones, as a scanner would see them."""
    image = Image.new("L", ((len(modules) + 24) * scale, 60 * scale), 255)
    draw = ImageDraw.Draw(image)
    for index, module in enumerate(modules):
        if module == "1":
            x = (12 + index) * scale
            draw.rectangle((x, 10 * scale, x + scale - 1, 50 * scale), fill=0)
    return image


def add_on_checksum(digits: str) -> int:
    """GS1's: three times the odd places plus nine times the even ones, modulo 10."""
    return (3 * sum(int(d) for d in digits[0::2]) + 9 * sum(int(d) for d in digits[1::2])) % 10


ONE_FOR_EACH_CHECKSUM = [
    next(f"{n:05d}" for n in range(100_000) if add_on_checksum(f"{n:05d}") == c) for c in range(10)
]


@pytest.mark.parametrize("add_on", ["52499", "90000", "01599", "69999", *ONE_FOR_EACH_CHECKSUM])
def test_the_add_on_reads_back_as_its_digits(add_on):
    """A reader decodes the symbol with its add-on, in each checksum's parity pattern."""
    modules = ean13_modules("9780306406157") + "0" * ADD_ON_GAP + ean5_modules(add_on)
    found = zxingcpp.read_barcodes(drawn(modules), ean_add_on_symbol=zxingcpp.EanAddOnSymbol.Require)
    assert [code.text for code in found] == ["9780306406157" + add_on]


def test_the_barcode_svg_carries_every_bar():
    svg = Barcode("9780306406157", "ISBN 978-0-306-40615-7", "52499").svg()
    bars = sum(len(run) for run in ean13_modules("9780306406157").split("0") if run)
    bars += sum(len(run) for run in ean5_modules("52499").split("0") if run)
    import re

    widths = [int(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="(\d+)"', svg)]
    assert sum(widths) == bars
    assert "ISBN 978-0-306-40615-7" in svg and ">5<" in svg


@pytest.mark.parametrize(
    ("price", "add_on"),
    [("", "90000"), ("USD 24.99", "52499"), ("GBP 7.50", "00750"), ("CAD 120.00", "69999"), ("AUD 99.99", "39999")],
)
def test_the_price_becomes_the_add_on(price, add_on):
    assert price_add_on(price) == add_on


def test_print_settings_are_read_and_checked(tmp_path):
    config = (
        BOOK
        + '[print]\nservice = "kdp"\ntrim = "6x9"\npaper = "cream"\nisbn = "978-0-306-40615-7"\nprice = "usd 18.5"\n'
    )
    book = read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})
    settings = book.config.printing
    assert (settings.service, settings.trim, settings.paper) == ("kdp", "6x9", "cream")
    assert settings.isbn == "9780306406157" and settings.price == "USD 18.50"
    plan = PrintPlan.of(book)
    assert plan.service is KDP and plan.trim == Trim(6, 9)


def test_an_isbn10_becomes_its_isbn13(tmp_path):
    config = BOOK + '[print]\nisbn = "0-306-40615-2"\n'
    book = read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})
    assert book.config.printing.isbn == "9780306406157"


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        ('isbn = "978-0-306-40615-8"', 6, "not a valid isbn"),
        ('price = "EUR 12.00"', 6, "not a price the barcode can carry"),
        ('service = "createspace"', 6, "must be one of kdp, ingram, lulu, generic"),
        ('paper = "glossy"', 6, "must be one of white, cream, colour"),
        ('service = "kdp"\ntrim = "A5"', 7, "amazon kdp prints no a5"),
        ('trim = "large"', 6, "trim is no size"),
        ('service = "lulu"\ntrim = "5x8"', 7, "lulu prints no 5 x 8 in book"),
        ('author_photo = "../me.jpg"', 6, "outside the book folder"),
        ('author_photo = "me.jpg"', 6, "author photo not found"),
        ("crop_marks = 1", 6, "must be true or false"),
        ('bleed = "1mm"', 6, "unknown key 'bleed' in [print]"),
    ],
)
def test_a_wrong_print_setting_is_named_at_its_line(tmp_path, lines, line, words):
    config = BOOK + "\n[print]\n" + lines + "\n"
    with pytest.raises(BookError) as error:
        read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})
    problem = error.value.problems[0]
    assert problem.file.name == "book.toml" and problem.line == line
    assert words in problem.message.lower()


def test_a_page_size_that_the_service_does_not_print_is_said_when_no_trim_is_given(tmp_path):
    config = BOOK + '[pdf]\npage_size = "a4"\n[print]\nservice = "kdp"\n'
    assert PrintPlan.of(read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})).trim.name == "A4"
    config = BOOK + '[pdf]\npage_size = "a5"\n[print]\nservice = "kdp"\n'
    book = read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})
    with pytest.raises(BookError) as error:
        PrintPlan.of(book)
    assert "Amazon KDP prints no 5.83 x 8.27 in book" in error.value.problems[0].message
    assert 'trim = "6x9"' in error.value.problems[0].hint


@pytest.mark.parametrize(
    ("text", "trim"),
    [
        ("6x9", Trim(6, 9)),
        ("5.5 x 8.5 in", Trim(5.5, 8.5)),
        ("148x210mm", Trim(5.83, 8.27)),
        ("A5", Trim(5.83, 8.27, "A5")),
    ],
)
def test_trims_are_read_in_inches_or_millimetres(text, trim):
    assert parse_trim(text).same_as(trim)


def test_the_spine_is_pages_times_the_paper_plus_the_service_allowance():
    assert KDP.spine(300, "white") == pytest.approx(0.6756)
    assert KDP.spine(300, "cream") == pytest.approx(0.75)
    assert LULU.spine(444, "white") == pytest.approx(1.06)
    shape = geometry(KDP, Trim(6, 9), 200, "white")
    assert shape.sheet == pytest.approx((0.125 + 6 + 200 * 0.002252 + 6 + 0.125, 9.25))


def test_the_gutter_grows_with_the_page_count():
    assert [KDP.gutter(pages) for pages in (24, 150, 151, 300, 301, 700, 828)] == [
        0.375,
        0.375,
        0.5,
        0.5,
        0.625,
        0.75,
        0.875,
    ]
    assert INGRAM.gutter(900) == 0.5


def test_interior_margins_are_widened_to_the_service_least():
    tight = PdfSettings(page_size="trade", width="6in", height="9in")
    settings = interior_settings(tight, INGRAM, Trim(6, 9), 100)
    margins = settings.margins
    assert points(margins.inner) >= 0.5 * 72 and points(margins.outer) >= 0.5 * 72
    assert points(margins.top) >= (0.5 + 0.4) * 72 - 0.01 and points(margins.bottom) >= (0.5 + 0.4) * 72 - 0.01
    assert (settings.width, settings.height, settings.bleed) == ("6.0000in", "9.0000in", "0.1250in")
    assert points(interior_settings(tight, KDP, Trim(6, 9), 600).margins.inner) >= 0.75 * 72


def test_the_cover_safe_areas():
    shape = CoverGeometry(panel=6, spine=0.5, height=9, bleed=0.125, safe=0.25)
    assert cover_area(0.3, 1, 0.3, 1, shape) == "back"
    assert cover_area(6.1, 6.4, 2, 7, shape) == "spine"
    assert cover_area(6.8, 8, 4, 5, shape) == "front"
    assert cover_area(0.1, 1, 0.3, 1, shape) == "outside"  # too near the trim
    assert cover_area(5.7, 5.95, 2, 3, shape) == "outside"  # nearer the fold than the safe margin
    assert cover_area(5.9, 6.3, 2, 3, shape) == "spine"  # its middle between the folds: its ink is measured
    assert cover_area(7, 8, 8.9, 8.95, shape) == "outside"


def test_back_text_keeps_its_paragraphs():
    assert back_paragraphs("One\nline.\n\n  Two.  \n\n\n") == ["One line.", "Two."]


def test_the_print_kit_is_a_format_built_only_when_asked_for():
    assert "print" in registry() and "print" not in default_formats()


def test_docs_table_is_the_services_figures():
    doc = (ROOT / "docs" / "print.md").read_text(encoding="utf-8")
    assert services_table() in doc
    assert set(SERVICES) == {"kdp", "ingram", "lulu", "generic"}


def laid_out(pages_with_text: int) -> PrintLayout:
    """A small document in pages, as the interior's layout holds it."""
    import datetime as dt

    from weasyprint import CSS, HTML

    from octavo.formats.pagemap import PageMap

    body = "".join(f"<p style='break-before: page'>Page {n}</p>" for n in range(pages_with_text))
    css = CSS(string="@page { size: 6in 9in; bleed: 0.125in; margin: 1in }")
    document = HTML(string=f"<html><body>{body}</body></html>").render(stylesheets=[css])
    labels = [str(n) for n in range(1, len(document.pages) + 1)]
    return PrintLayout(document, labels, 0, PageMap({}, labels), {}, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("service", "pages_with_text", "pages", "last_blank"),
    [(KDP, 3, 4, True), (KDP, 2, 2, False), (INGRAM, 2, 4, True), (INGRAM, 3, 4, True), (LULU, 5, 6, True)],
)
def test_the_page_count_is_padded_with_blank_pages(service, pages_with_text, pages, last_blank):
    settings = PdfSettings(width="6in", height="9in", bleed="0.125in")
    padded_layout = padded(laid_out(pages_with_text), settings, service, crop_marks=False)
    assert len(padded_layout.document.pages) == pages == len(padded_layout.labels)
    assert is_blank(padded_layout.document.pages[-1]) == last_blank
    assert not any(is_blank(page) for page in padded_layout.document.pages[:pages_with_text])


@pytest.mark.parametrize(("service", "pages", "spine_text"), [(KDP, 78, False), (KDP, 79, True), (LULU, 79, False)])
def test_spine_text_waits_for_the_service_page_count(tmp_path, service, pages, spine_text):
    """Given a spine wide enough for type, the service's page count alone decides."""
    from octavo.formats.press.cover import cover_html
    from octavo.formats.templating import make_environment

    book = read_book(tmp_path, {"chapters/a.md": "# A\n"})
    wide = CoverGeometry(panel=6, spine=0.6, height=9, bleed=0.125, safe=0.25)
    html = cover_html(book, make_environment(book.root), wide, pages, service)
    assert ('class="spine-text"' in html) == spine_text
    thin = CoverGeometry(panel=6, spine=0.12, height=9, bleed=0.125, safe=0.25)
    assert 'class="spine-text"' not in cover_html(book, make_environment(book.root), thin, 500, service)


def written_cover(tmp_path, pages: int, spine: float, files: dict | None = None):
    """A cover drawn for a tiny book, as if it had `pages` pages and a spine `spine` inches wide."""
    from octavo.formats.press.cover import write_cover
    from octavo.formats.templating import make_environment

    book = read_book(tmp_path, {"chapters/a.md": "# A\n", **(files or {})})
    shape = CoverGeometry(panel=6, spine=spine, height=9, bleed=0.125, safe=0.25)
    target = tmp_path / "cover.pdf"
    write_cover(book, make_environment(book.root), shape, pages, KDP, target)
    return book, shape, target


def test_the_cover_preflight_refuses_spine_text_on_too_few_pages_and_a_wrong_width(tmp_path):
    from octavo.formats.press.preflight import preflight_cover

    _, shape, cover = written_cover(tmp_path, 200, 0.6)
    assert preflight_cover(cover, shape, 200, KDP) == []
    said = [problem.message for problem in preflight_cover(cover, shape, 60, KDP)]
    assert said == ["text on the spine of a 60-page book"]
    wider = CoverGeometry(panel=6, spine=0.7, height=9, bleed=0.125, safe=0.25)
    said = [problem.message for problem in preflight_cover(cover, wider, 200, KDP)]
    assert any("200 pages need 12.950 x 9.250 in" in message for message in said)
    assert any("TrimBox is not its trim" in message for message in said)


def test_the_cover_art_and_photo_print_at_their_resolution(tmp_path):
    import io

    from octavo.formats.press.cover import cover_images
    from octavo.formats.press.preflight import preflight_cover

    def png(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), "#345").save(out, "PNG")
        return out.getvalue()

    files = {"cover.png": png(1600, 2560), "me.png": png(200, 250)}
    book = read_book(
        tmp_path, {"book.toml": BOOK + '[print]\nauthor_photo = "me.png"\n', "chapters/a.md": "# A\n", **files}
    )
    shape = CoverGeometry(panel=6, spine=0.3, height=9, bleed=0.125, safe=0.25)
    found = {path.name: round(dpi) for path, dpi, _ in cover_images(book, shape)}
    assert found == {"cover.png": round(1600 / 6.125), "me.png": round(200 / 1.15)}  # the art spans panel and bleed
    _, shape, cover = written_cover(tmp_path / "b", 30, 0.1, {"cover.png": png(1600, 2560)})
    said = [problem.message for problem in preflight_cover(cover, shape, 30, KDP)]
    assert said == ["the cover: an image prints at 261 dpi (1600 pixels across 6.12 in)"]
    said = [problem.message for problem in preflight_cover(cover, shape, 30, INGRAM)]
    assert "the cover: an RGB image where IngramSpark prints CMYK" in said


def test_back_text_is_text_not_markup(tmp_path):
    from octavo.formats.press.cover import cover_html
    from octavo.formats.templating import make_environment

    config = BOOK + '[print]\nback_text = "<img src=\\"file:///etc/passwd\\"> & <script>alert(1)</script>"\n'
    book = read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})
    shape = CoverGeometry(panel=6, spine=0.3, height=9, bleed=0.125, safe=0.25)
    html = cover_html(book, make_environment(book.root), shape, 30, KDP)
    assert "&lt;img src=" in html and "&lt;script&gt;" in html and "<script" not in html
