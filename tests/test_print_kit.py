"""The print-on-demand kit on real output: the sample book built for two services at two trims, and
an almanac (tests/books/almanac: a reference annual, long enough for spine text) for a third. The
cover's boxes are measured against the spine formula, its barcode is read back from its picture,
the interior's boxes and fonts are checked with pypdf and pdffonts, and the preflight is seen to
refuse what the services refuse."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import zxingcpp
from conftest import BOOKS, SAMPLE, run_cli, write_book
from external import need
from PIL import Image
from pypdf import PdfReader

from octavo.build.pipeline import build
from octavo.formats.press.cover import SPINE_TEXT_MARGIN
from octavo.formats.press.preflight import Expected, preflight_interior
from octavo.formats.press.services import INGRAM, KDP, LULU

pytestmark = pytest.mark.slow

STEM = "meaning-of-a-second-interview"
INCH = 72.0
KITS = {
    # name: (the [print] table, service, trim width, height, inches a page)
    "kdp-6x9": (
        'service = "kdp"\ntrim = "6x9"\nisbn = "978-0-306-40615-7"\nprice = "USD 18.99"\n',
        KDP,
        6,
        9,
        0.002252,
    ),
    "lulu-a5": ('service = "lulu"\ntrim = "A5"\npaper = "cream"\nisbn = "9781861972712"\n', LULU, 5.83, 8.27, 1 / 444),
}


def with_print_table(tmp_path: Path, table: str, source: Path = SAMPLE) -> Path:
    book = tmp_path / "book"
    shutil.copytree(source, book)
    with (book / "book.toml").open("a", encoding="utf-8") as config:
        config.write("\n[print]\n" + table)
    return book


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    built = {}
    for name, (table, *_) in KITS.items():
        folder = tmp_path_factory.mktemp(name)
        book = with_print_table(folder, table)
        build(book, folder / "dist", ("print",))
        built[name] = folder / "dist" / "print"
    return built


def boxes(page) -> dict[str, list[float]]:
    return {name: [float(v) / INCH for v in page[f"/{name}"]] for name in ("MediaBox", "TrimBox", "BleedBox")}


def size(box: list[float]) -> tuple[float, float]:
    return box[2] - box[0], box[3] - box[1]


@pytest.mark.parametrize("name", KITS)
def test_the_cover_is_bleed_back_spine_front_bleed(kits, name):
    _, service, width, height, per_page = KITS[name]
    pages = len(PdfReader(kits[name] / f"{STEM}-interior.pdf").pages)
    spine = pages * per_page + service.spine_allowance
    cover = PdfReader(kits[name] / f"{STEM}-cover.pdf")
    assert len(cover.pages) == 1
    measured = boxes(cover.pages[0])
    assert size(measured["MediaBox"]) == pytest.approx((0.125 + width + spine + width + 0.125, height + 0.25), abs=0.01)
    assert size(measured["TrimBox"]) == pytest.approx((2 * width + spine, height), abs=0.01)
    assert measured["BleedBox"] == pytest.approx(measured["MediaBox"], abs=0.01)
    trim, media = measured["TrimBox"], measured["MediaBox"]
    assert [trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3]] == pytest.approx(
        [0.125] * 4, abs=0.01
    )


@pytest.mark.parametrize("name", KITS)
def test_the_interior_is_the_trim_with_bleed_on_the_outer_edges(kits, name):
    _, service, width, height, _ = KITS[name]
    reader = PdfReader(kits[name] / f"{STEM}-interior.pdf")
    assert len(reader.pages) % 2 == 0 and len(reader.pages) >= service.min_pages
    for number, page in enumerate(reader.pages, start=1):
        measured = boxes(page)
        trim, media = measured["TrimBox"], measured["MediaBox"]
        assert size(trim) == pytest.approx((width, height), abs=0.01)
        binding = 0.125 if service.bleed_binding_edge else 0.0
        left, right = (binding, 0.125) if number % 2 else (0.125, binding)  # a recto binds on its left
        assert [trim[0] - media[0], media[2] - trim[2]] == pytest.approx([left, right], abs=0.01), number
        assert [trim[1] - media[1], media[3] - trim[3]] == pytest.approx([0.125, 0.125], abs=0.01), number


@pytest.mark.parametrize("name", KITS)
def test_every_font_of_both_files_is_embedded(kits, name):
    for pdf in (f"{STEM}-interior.pdf", f"{STEM}-cover.pdf"):
        report = subprocess.run(
            [need("pdffonts"), str(kits[name] / pdf)], capture_output=True, text=True, check=True
        ).stdout
        rows = report.splitlines()[2:]
        assert rows
        for row in rows:
            assert " yes yes " in row, row  # embedded, subset


def rendered(pdf: Path, dpi: int, folder: Path) -> Image.Image:
    subprocess.run(
        [need("pdftoppm"), "-png", "-r", str(dpi), "-singlefile", str(pdf), str(folder / "page")], check=True
    )
    return Image.open(folder / "page.png")


@pytest.mark.parametrize(("name", "reads"), [("kdp-6x9", "978030640615751899"), ("lulu-a5", "978186197271290000")])
def test_the_barcode_reads_back_as_the_isbn_and_its_add_on(kits, name, reads, tmp_path):
    picture = rendered(kits[name] / f"{STEM}-cover.pdf", 300, tmp_path)
    found = zxingcpp.read_barcodes(picture, ean_add_on_symbol=zxingcpp.EanAddOnSymbol.Require)
    assert [(code.format.name, code.text) for code in found] == [("EAN13", reads)]


def spine_text(cover: Path, spine: float) -> str:
    """The text between the cover's two folds, top to bottom."""
    with pdfplumber.open(cover) as pdf:
        page = pdf.pages[0]
        left = page.trimbox[0] / INCH
        panel = ((page.trimbox[2] - page.trimbox[0]) / INCH - spine) / 2
        between = [
            c
            for c in page.chars
            if c["text"].strip()
            and c["x0"] / INCH - left >= panel - 0.01
            and c["x1"] / INCH - left <= panel + spine + 0.01
        ]
        return "".join(c["text"] for c in sorted(between, key=lambda c: c["top"]))


def interior_pages(folder: Path, stem: str = STEM) -> int:
    return len(PdfReader(folder / f"{stem}-interior.pdf").pages)


def test_a_thin_spine_has_no_text(kits):
    """The sample's 34 pages are under every service's least for spine text."""
    for name, (_, service, _, _, per_page) in KITS.items():
        pages = interior_pages(kits[name])
        assert pages < service.spine_text_pages
        assert spine_text(kits[name] / f"{STEM}-cover.pdf", pages * per_page + service.spine_allowance) == ""


@pytest.fixture(scope="module")
def almanac_kit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("almanac")
    shutil.copytree(BOOKS / "almanac", folder / "book")
    build(folder / "book", folder / "dist", ("print",))
    return folder / "dist" / "print"


def test_a_spine_wide_enough_carries_title_and_author(almanac_kit, tmp_path):
    cover = almanac_kit / "the-harbour-almanac-cover.pdf"
    pages = len(PdfReader(almanac_kit / "the-harbour-almanac-interior.pdf").pages)
    assert pages >= INGRAM.spine_text_pages
    spine = pages / 444
    text = spine_text(cover, spine).replace(" ", "")
    assert "TheHarbourAlmanac" in text and "MaraQuill" in text
    measured = boxes(PdfReader(cover).pages[0])
    assert size(measured["MediaBox"])[0] == pytest.approx(0.25 + 11 + spine, abs=0.01)
    # the spine's ink keeps its margin from both folds: the strips beside them are the spine's ground
    picture = rendered(cover, 300, tmp_path).convert("RGB")
    ground = picture.getpixel((round((0.125 + 5.5 + spine / 2) * 300), 60))
    fold, other_fold = (0.125 + 5.5) * 300, (0.125 + 5.5 + spine) * 300
    inked = []  # the x of each column of the spine with ink in it
    for x in range(math.ceil(fold), math.floor(other_fold)):
        column = {picture.getpixel((x, y)) for y in range(300, round(8.5 * 300))}
        if any(max(abs(a - b) for a, b in zip(pixel, ground, strict=True)) > 48 for pixel in column):
            inked.append(x)
    margin = SPINE_TEXT_MARGIN * 300
    assert inked and min(inked) >= fold + margin - 1 and max(inked) <= other_fold - margin + 1


def test_ingram_gets_a_blank_last_page(almanac_kit):
    reader = PdfReader(almanac_kit / "the-harbour-almanac-interior.pdf")
    assert reader.pages[-1].extract_text().strip() == ""
    assert reader.pages[-2].extract_text().strip() != "" or reader.pages[-3].extract_text().strip() != ""


def test_the_back_cover_and_copyright_page_carry_the_paperbacks_details(almanac_kit, tmp_path):
    with pdfplumber.open(almanac_kit / "the-harbour-almanac-cover.pdf") as pdf:
        words = pdf.pages[0].extract_text()
        assert "A year of tides and daylight at Gullhaven" in words and "Saltmarsh Press" in words
        assert "ISBN 979-8-88645-000-2" in words
        assert len(pdf.pages[0].images) == 1  # the author's photo
    interior = PdfReader(almanac_kit / "the-harbour-almanac-interior.pdf")
    assert any("ISBN 9798886450002" in page.extract_text() for page in interior.pages[:6])
    picture = rendered(almanac_kit / "the-harbour-almanac-cover.pdf", 300, tmp_path)
    found = zxingcpp.read_barcodes(picture, ean_add_on_symbol=zxingcpp.EanAddOnSymbol.Require)
    assert [code.text for code in found] == ["979888645000251495"]


def test_the_guides_picture_is_the_sheet_at_60_dpi(almanac_kit):
    guides = Image.open(almanac_kit / "the-harbour-almanac-cover-guides.png")
    pages = len(PdfReader(almanac_kit / "the-harbour-almanac-interior.pdf").pages)
    assert guides.size[0] == pytest.approx((11.25 + pages / 444) * 60, abs=2)
    assert guides.size[1] == pytest.approx(8.75 * 60, abs=2)
    assert (230, 30, 30) in {guides.getpixel((x, round(0.125 * 60))) for x in range(40, 200)}  # the trim line


def test_print_files_are_the_same_bytes_when_built_again(kits, tmp_path):
    build(kits["kdp-6x9"].parent.parent / "book", tmp_path / "dist", ("print",))
    again = tmp_path / "dist" / "print"
    for name in (f"{STEM}-interior.pdf", f"{STEM}-cover.pdf", f"{STEM}-cover-guides.png"):
        assert (again / name).read_bytes() == (kits["kdp-6x9"] / name).read_bytes(), name


def test_too_few_pages_fails_the_build_and_keeps_the_last_good_files(tmp_path):
    book = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Leaflet"\nlanguage = "en"\n[print]\nservice = "generic"\n',
            "chapters/01.md": "# One\n\nA short text.\n",
        },
    )
    out = tmp_path / "dist"
    build(book, out, ("print",))
    good = (out / "print" / "leaflet-cover.pdf").read_bytes()
    config = (book / "book.toml").read_text(encoding="utf-8").replace('"generic"', '"lulu"\ntrim = "A5"')
    (book / "book.toml").write_text(config, encoding="utf-8")
    result = run_cli("build", str(book), "--out", str(out), "--format", "print")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "leaflet-interior.pdf: error:" in result.stderr and "Lulu prints no fewer than 32" in result.stderr
    assert (out / "print" / "leaflet-cover.pdf").read_bytes() == good


def test_check_print_refuses_a_low_resolution_image_that_a_build_warns_about(tmp_path):
    small = Image.new("RGB", (240, 160), "#3a6")
    book = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "Snapshots"\nlanguage = "en"\n[print]\nservice = "kdp"\ntrim = "5x8"\n',
            "chapters/01.md": "# One\n\n![A small picture](../images/small.png)\n\n" + "Words. " * 6000,
        },
    )
    (book / "images").mkdir()
    small.save(book / "images" / "small.png")
    built = run_cli("build", str(book), "--out", str(tmp_path / "dist"), "--format", "print")
    assert built.returncode == 0, built.stderr
    assert "images/small.png: warning: prints at" in built.stderr and "Amazon KDP asks for 300 dpi" in built.stderr
    checked = run_cli("check", str(book), "--print", "--no-validators")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "print/snapshots-interior.pdf: error: page" in checked.stderr and "an image prints at" in checked.stderr


def test_preflight_refuses_a_pdf_made_for_another_trim(tmp_path):
    """The PDF edition (A5, no bleed) is no KDP 6 x 9 interior: every page's boxes are wrong."""
    build(SAMPLE, tmp_path / "dist", ("pdf",))
    pdf = next((tmp_path / "dist").glob("*.pdf"))
    found = preflight_interior(
        pdf,
        Expected(KDP, KITS["kdp-6x9"][1].trim_named(__import__("octavo").formats.press.services.Trim(6, 9)), "white"),
    )
    messages = [problem.message for problem in found]
    assert any("not the 6 x 9 in trim" in message for message in messages)
    assert any("bleeds 0.000 in at its top edge" in message for message in messages)


def test_a_font_left_out_of_the_pdf_and_text_in_the_margin_are_refused(tmp_path):
    """A hand-written PDF at KDP's 6 x 9 with bleed, its text in Helvetica, not embedded, 0.2 in from
    the foot."""
    content = b"BT /F1 12 Tf 40 23.4 Td (Hello) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 -9 441 657] /TrimBox [0 0 432 648] /BleedBox [0 -9 441 657]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [-9 -9 432 657] /TrimBox [0 0 432 648] /BleedBox [-9 -9 432 657]"
        b" /Resources << >> >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    pdf = tmp_path / "hand.pdf"
    pdf.write_bytes(out)
    messages = [problem.message for problem in preflight_interior(pdf, Expected(KDP, KDP.trims[4], "white"))]
    assert "page 1: the font /Helvetica is not embedded" in messages
    assert any(message.startswith("page 1: text 0.2") and "bottom trim edge" in message for message in messages)
    assert "2 pages: Amazon KDP prints no fewer than 24" in messages[0]
    assert not any("bleeds" in message for message in messages)


def lines_outside_the_trim(pdf_path: Path, page_index: int) -> int:
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_index]
        x0, top, x1, bottom = page.trimbox
        return sum(
            1
            for line in page.lines
            if min(line["x0"], line["x1"]) < x0 - 0.5
            or max(line["x0"], line["x1"]) > x1 + 0.5
            or line["top"] < top - 0.5
            or line["bottom"] > bottom + 0.5
        )


def test_crop_marks_only_when_asked_for(kits, tmp_path):
    assert lines_outside_the_trim(kits["kdp-6x9"] / f"{STEM}-interior.pdf", 2) == 0
    book = with_print_table(tmp_path, 'service = "generic"\ntrim = "6x9"\ncrop_marks = true\n')
    build(book, tmp_path / "dist", ("print",))
    assert lines_outside_the_trim(tmp_path / "dist" / "print" / f"{STEM}-interior.pdf", 2) >= 4
