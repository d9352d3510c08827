"""The resource list's back-references on a book whose citations stand pages after their headings:
in print, every page a resource is cited on, in order, each once, consecutive pages as a range
("pp. 3, 9–10"); on screen, a link back to every citation."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from conftest import NS, build_book, write_book
from pypdf import PdfReader

from octavo.formats.templating import citations_by_section
from octavo.model import Citation

pytestmark = pytest.mark.slow

FILLER = (
    "The survey team walked the shore at dawn, measuring the dunes against last year's stakes and "
    "writing each height into the field book before the tide came in over the flats. "
) * 3


def paragraphs(count: int, cite: dict[int, str]) -> str:
    """`count` paragraphs of filler; paragraph n ends with the citation `cite[n]` when given."""
    return "\n\n".join(FILLER + (f" As the records show {cite[n]}." if n in cite else "") for n in range(count))


@pytest.fixture(scope="module")
def surveyed(tmp_path_factory):
    """One long section cites [@dunes] on its first page and again pages later, [@tides] on three
    pages running, and [@gulls] twice on one page; a second section cites [@dunes] once more."""
    folder = tmp_path_factory.mktemp("back-references") / "book"
    long_section = paragraphs(
        40,
        {
            1: "[@dunes]",
            2: "[@gulls]",
            3: "[@gulls]",
            14: "[@tides]",
            17: "[@tides]",
            20: "[@tides]",
            23: "[@tides]",
            33: "[@dunes]",
        },
    )
    write_book(
        folder,
        {
            "book.toml": '[book]\ntitle = "Shifting Sands"\nlanguage = "en"\n',
            "chapters/01-shore.md": "# The Shore\n\n## Measuring the Dunes\n\n" + long_section + "\n",
            "chapters/02-after.md": "# Afterwards\n\n## Back at the Office\n\n" + paragraphs(3, {1: "[@dunes]"}) + "\n",
            "resources.toml": (
                'title = "Sources"\n'
                '[[resource]]\nid = "dunes"\ntitle = "Dune Heights of the North Shore"\n'
                '[[resource]]\nid = "tides"\ntitle = "Tide Tables, Annotated"\n'
                '[[resource]]\nid = "gulls"\ntitle = "A Census of Gulls"\n'
                '[[resource]]\nid = "uncited"\ntitle = "Never Cited"\n'
            ),
        },
    )
    return build_book(folder)


def cited_pages(pdf, texts: list[str], number: int) -> list[str]:
    """The labels of the pages whose text cites resource `number` ("[2]"), the resource list's own aside."""
    labels = PdfReader(pdf).page_labels
    return [labels[i] for i, text in enumerate(texts) if f"[{number}]" in text and "Sources" not in text]


def as_printed(labels: list[str]) -> str:
    """Consecutive pages as ranges, the others one by one: "3, 9–10"."""
    runs: list[list[int]] = []
    for number in (int(label) for label in labels):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def back_reference(texts: list[str], title: str) -> str:
    listing = "\n".join(text for text in texts if "Sources" in text)
    return re.search(rf"{title}\s*Cited on (pp?\. [\d, –]+)", listing).group(1).strip()


def test_every_cited_page_is_printed_once_in_order_with_ranges(surveyed):
    with pdfplumber.open(surveyed.pdf) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    dunes, tides, gulls = (cited_pages(surveyed.pdf, texts, n) for n in (1, 2, 3))
    assert len(dunes) == 3 and dunes[1] > dunes[0]  # the long section cites it pages after its heading
    assert int(dunes[0]) > 1 or len(set(dunes)) == 3
    assert len(tides) >= 3 and as_printed(tides).count("–") >= 1  # pages running: a range
    assert len(gulls) == 1  # twice on one page: once
    assert back_reference(texts, "Dune Heights of the North Shore") == f"pp. {as_printed(dunes)}"
    assert back_reference(texts, "Tide Tables, Annotated") == f"pp. {as_printed(tides)}"
    assert back_reference(texts, "A Census of Gulls") == f"p. {gulls[0]}"
    assert "Never Cited\nCited" not in "\n".join(texts)


def test_each_printed_page_number_links_to_its_first_citation_there(surveyed):
    reader = PdfReader(surveyed.pdf)
    listing = next(
        i
        for i, page in enumerate(reader.pages)
        if "Dune Heights" in (page.extract_text() or "") and "Cited on" in (page.extract_text() or "")
    )
    targets = []
    for annotation in reader.pages[listing].get("/Annots") or []:
        link = annotation.get_object()
        destination = link.get("/Dest") or (link.get("/A") or {}).get("/D")
        if destination is not None and str(destination).startswith("cite-"):
            targets.append(str(destination))
    assert "cite-dunes-1" in targets and "cite-dunes-2" in targets and "cite-gulls-1" in targets
    assert "cite-gulls-2" not in targets  # the same page as cite-gulls-1


def test_every_citation_has_a_link_back_in_the_epub(surveyed):
    root = surveyed.epub_xml("EPUB/further-reading.xhtml")
    dunes = root.find(".//x:li[@id='resource-dunes']", NS)
    cited = dunes.find(".//x:p[@class='resource-cited']", NS)
    links = [(a.text, a.get("href")) for a in cited.iter("{http://www.w3.org/1999/xhtml}a")]
    assert links == [
        ("Measuring the Dunes", "the-shore.xhtml#cite-dunes-1"),
        ("2", "the-shore.xhtml#cite-dunes-2"),
        ("Back at the Office", "afterwards.xhtml#cite-dunes-3"),
    ]
    tides = root.find(".//x:li[@id='resource-tides']", NS)
    assert len(list(tides.iter("{http://www.w3.org/1999/xhtml}a"))) == 4
    chapter = surveyed.epub_xml("EPUB/the-shore.xhtml")
    for anchor in ("cite-dunes-1", "cite-dunes-2", "cite-tides-4"):
        assert chapter.find(f".//*[@id='{anchor}']", NS) is not None


def test_citations_by_section_keep_reading_order():
    citations = [
        Citation("r", "c1", "ch", "A", "a"),
        Citation("r", "c2", "ch", "B", "b"),
        Citation("r", "c3", "ch", "A", "a"),
    ]
    assert citations_by_section(citations) == [("A", ["c1", "c3"]), ("B", ["c2"])]


def test_every_citation_has_a_link_back_on_the_web(surveyed):
    import lxml.html

    root = lxml.html.fromstring((surveyed.out / "html" / "further-reading.html").read_text(encoding="utf-8"))
    dunes = root.get_element_by_id("resource-dunes")
    hrefs = [a.get("href") for a in dunes.xpath(".//p[@class='resource-cited']//a")]
    assert hrefs == ["the-shore.html#cite-dunes-1", "the-shore.html#cite-dunes-2", "afterwards.html#cite-dunes-3"]
