"""The back-of-book index and the glossary: marks in the text and terms of index.toml, entries
sorted and grouped as the book's language does, the index's page numbers in print equal to the
pages the marked words stand on (ranges collapsed, the defining page bold), links that resolve in
the EPUB and on the web, glossary definitions linked from the first use in each chapter."""

from __future__ import annotations

import re

import lxml.html
import pdfplumber
import pytest
from conftest import BOOKS, NS, write_book
from pypdf import PdfReader

from octavo.errors import BookError
from octavo.formats.pdf.book_index import MarkPlace, mark_positions, page_locators, unwrap_marks
from octavo.model import IndexEntry, IndexMark
from octavo.read.collation import grouped_by_letter
from octavo.read.load import load_book

KNOTS = BOOKS / "knots"


def book_with(tmp_path, chapters: dict[str, str], language: str = "en", **files: str):
    toml = f'[book]\ntitle = "T"\nlanguage = "{language}"\n' + files.pop("toml", "")
    files = {"book.toml": toml, **{f"chapters/{name}": text for name, text in chapters.items()}, **files}
    return load_book(write_book(tmp_path, {name.replace("_", "."): text for name, text in files.items()}))


def entries(book) -> dict[str, IndexEntry]:
    return {entry.term: entry for entry in book.index.entries()}


# --- reading: marks, terms, warnings -------------------------------------------------------------


def test_marks_name_entries_sub_entries_and_cross_references(tmp_path):
    text = (
        '# Functions\n\nA [closure]{.index .define} captures. [Arrow functions]{.index term="function!arrow"}'
        " are short. [lambdas]{.index see=\"closure\"}, []{.index term='scope' seealso=closure}.\n"
    )
    book = book_with(tmp_path, {"a.md": text})
    found = entries(book)
    assert [mark.defining for mark in found["closure"].marks] == [True]
    function = found["function"]
    assert function.marks == () and [sub.term for sub in function.subentries] == ["arrow"]
    assert found["lambdas"].see == (("closure", found["closure"].anchor),)
    assert found["scope"].see_also == (("closure", found["closure"].anchor),)
    html = book.chapters[0].html
    assert (
        '<span class="index-mark" data-index-define="" data-index-term="closure" id="ix-1-closure">closure</span>'
        in html
    )
    assert re.search(r'<span class="index-mark"[^>]*data-index-term="scope"[^>]*></span>', html)  # a place, no words


def test_index_toml_terms_are_found_in_running_text_only(tmp_path):
    chapter = (
        "# Closures and more\n\nClosures close over a scope. A closure is a value; so is the API.\n\n"
        "`closure` in code, [a closure](https://example.org) in a link, and the api in lowercase.\n"
    )
    index = '[[term]]\nterm = "closure"\n\n[[term]]\nterm = "API"\n'
    book = book_with(tmp_path, {"a.md": chapter}, index_toml=index)
    marks = {term: [m.anchor for m in entry.marks] for term, entry in entries(book).items()}
    assert (
        len(marks["closure"]) == 2
    )  # "Closures" (a plural, capitalised) and "closure"; not in the heading, code or link
    assert len(marks["API"]) == 1  # a form with capitals matches as written
    html = book.chapters[0].html
    assert "<code>closure</code>" in html and 'href="https://example.org">a closure</a>' in html


def test_terms_that_find_nothing_are_warnings_at_their_line(tmp_path):
    index = '[[term]]\nterm = "closure"\n\n[[term]]\nterm = "monad"\n'
    glossary = (
        '[[term]]\nterm = "scope"\ndefinition = "Where a name holds."\n\n[[term]]\nterm = "thunk"\ndefinition = "x"\n'
    )
    book = book_with(tmp_path, {"a.md": "# A\n\nA closure has a scope.\n"}, index_toml=index, glossary_toml=glossary)
    found = [(w.file.name, w.line, w.message) for w in book.warnings]
    assert ("index.toml", 4, "the index term 'monad' is found nowhere in the text") in found
    assert ("glossary.toml", 5, "the glossary term 'thunk' is used nowhere in the text") in found
    assert not any("scope" in message or "'closure'" in message for _, _, message in found)


@pytest.mark.parametrize(
    ("index", "message", "line"),
    [
        ('[[term]]\nterm = "a"\ncolour = "red"\n', "unknown field 'colour' in this term", 1),
        ('[[term]]\nforms = ["a"]\n', "this term has no 'term'", 1),
        ('[[term]]\nterm = "a"\n\n[[term]]\nterm = "A"\n', "the term 'A' is listed twice", 4),
        ("title = 3\n", "'title' must be text", 1),
    ],
)
def test_a_wrong_index_toml_is_an_error_at_its_line(tmp_path, index, message, line):
    with pytest.raises(BookError) as raised:
        book_with(tmp_path, {"a.md": "# A\n\nA.\n"}, index_toml=index)
    [problem] = raised.value.problems
    assert (problem.file.name, problem.line, problem.message) == ("index.toml", line, message)


def test_the_first_use_of_a_glossary_term_in_each_chapter_links_to_its_definition(tmp_path):
    glossary = '[[term]]\nterm = "panel interview"\ndefinition = "An interview with *several* people."\n'
    chapters = {
        "a.md": "# One\n\nA panel interview, then another panel interview.\n",
        "b.md": "# Two\n\nPanel interviews again.\n",
    }
    book = book_with(tmp_path, chapters, toml="[glossary]\nlink_first = true\n", glossary_toml=glossary)
    [term] = book.glossary.terms
    assert term.anchor == "glossary-panel-interview" and "<em>several</em>" in term.definition_html
    for chapter, words in zip(book.chapters, ("panel interview", "Panel interviews"), strict=True):
        assert chapter.html.count('class="glossary-ref"') == 1
        assert f'<a class="glossary-ref" href="#glossary-panel-interview">{words}</a>' in chapter.html
    assert [entry.title for entry in book.toc()] == ["One", "Two", "Glossary"]


def test_without_link_first_the_text_stays_as_written(tmp_path):
    glossary = '[[term]]\nterm = "scope"\ndefinition = "Where a name holds."\n'
    book = book_with(tmp_path, {"a.md": "# A\n\nA scope.\n"}, glossary_toml=glossary)
    assert "glossary-ref" not in book.chapters[0].html and not book.warnings


# --- sorting -------------------------------------------------------------------------------------


def index_of(tmp_path, language: str, words: list[str]):
    text = "# A\n\n" + " ".join(f"[{word}]{{.index}}" for word in words) + "\n"
    return [
        (letter, [e.term for e in found])
        for letter, found in book_with(tmp_path, {"a.md": text}, language).index.groups
    ]


def test_english_sorts_accents_with_their_letters_and_ignores_case(tmp_path):
    words = ["zebra", "éclair", "Eagle", "apple", "Äsir", "2nd edition", "earth"]
    assert index_of(tmp_path, "en", words) == [
        ("", ["2nd edition"]),
        ("A", ["apple", "Äsir"]),
        ("E", ["Eagle", "earth", "éclair"]),
        ("Z", ["zebra"]),
    ]


def test_swedish_puts_a_ring_a_umlaut_and_o_umlaut_after_z(tmp_path):
    words = ["öl", "ägg", "zon", "ål", "apa", "Åsa", "ost"]
    assert index_of(tmp_path, "sv", words) == [
        ("A", ["apa"]),
        ("O", ["ost"]),
        ("Z", ["zon"]),
        ("Å", ["ål", "Åsa"]),
        ("Ä", ["ägg"]),
        ("Ö", ["öl"]),
    ]


def test_spanish_puts_n_tilde_after_n(tmp_path):
    words = ["ñandú", "nube", "oso", "Ángel", "árbol"]
    assert index_of(tmp_path, "es", words) == [
        ("A", ["Ángel", "árbol"]),
        ("N", ["nube"]),
        ("Ñ", ["ñandú"]),
        ("O", ["oso"]),
    ]


def test_grouping_by_letter_keeps_every_item_once():
    items = ["b", "a", "ä", "c", "1"]
    groups = grouped_by_letter("de", items, str)
    assert sorted(item for _, found in groups for item in found) == sorted(items)


# --- print locators --------------------------------------------------------------------------------


def test_pages_are_given_once_consecutive_ones_as_a_range_and_the_defining_one_apart():
    def entry(*marks: tuple[str, bool]) -> IndexEntry:
        return IndexEntry("t", "index-t", tuple(IndexMark(a, "c", "C", "c", d) for a, d in marks))

    where = {"m1": 0, "m2": 0, "m3": 1, "m4": 2, "m5": 4, "m6": 6, "m7": 7, "m8": 8}
    labels = [str(n) for n in range(1, 10)]
    plain = entry(("m1", False), ("m2", False), ("m3", False), ("m4", False), ("m5", False))
    assert page_locators(plain, where, labels) == [("1–3", "#m1", False), ("5", "#m5", False)]
    defined = entry(("m6", False), ("m7", True), ("m8", False))
    assert page_locators(defined, where, labels) == [("7", "#m6", False), ("8", "#m7", True), ("9", "#m8", False)]
    two = entry(("m6", False), ("m7", False))
    assert page_locators(two, where, labels) == [("7", "#m6", False), ("8", "#m7", False)]


MARKED = """<div>
<p id="p1">{filler} <span class="index-mark" id="ix-1-alpha">alpha</span> {filler}
{filler} <span class="index-mark" id="ix-1-beta">beta</span> {filler}</p>
<ul><li id="l1"><p id="p2">One <em>two</em> <span class="index-mark" id="ix-1-gamma">gamma</span></p>
and then <span class="index-mark" id="ix-1-delta">delta</span></li></ul>
<table><tr id="r1"><td>cell</td><td>the <span class="index-mark" id="ix-1-epsilon">epsilon</span></td></tr></table>
<p id="p3">Called<span class="footnote">a note on <span class="index-mark" id="ix-1-zeta">zeta</span></span> and
<span class="index-mark" id="ix-1-eta">eta</span><span class="index-mark" id="ix-1-theta"></span></p>
</div>"""


def test_marks_set_as_plain_words_are_found_in_the_text_box_that_sets_them():
    """In print a mark is plain text, found after layout by counting its block's word characters:
    numbers a stylesheet generates (::before, footnote calls, list markers) do not count, a
    paragraph that runs on to the next page is followed there, a footnote keeps its mark's span."""
    from weasyprint import CSS, HTML

    filler = " ".join(f"word{n}" for n in range(120))
    root = lxml.html.fragment_fromstring(MARKED.format(filler=filler))
    places: dict[str, MarkPlace] = {}
    unwrap_marks(root, places)
    assert set(places) == {f"ix-1-{w}" for w in ("alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta")}
    assert places["ix-1-delta"].block == "l1" and places["ix-1-epsilon"].block == "r1"
    assert [span.get("id") for span in root.cssselect(".index-mark")] == ["ix-1-zeta"]  # in its footnote
    assert "One two gamma" in root.get_element_by_id("p2").text_content()
    style = """@page { size: 260px 220px; margin: 10px; }
        p::before { content: "1234 567 "; } ul { list-style: decimal; }
        .footnote { float: footnote; } body { font-size: 10px; }"""
    html = lxml.html.tostring(root, encoding="unicode")
    pages = HTML(string=html).render(stylesheets=[CSS(string=style)]).pages
    found = mark_positions(pages, places)
    assert set(found) == set(places)
    for anchor, (number, rectangle) in found.items():
        words = {
            box.text
            for box in pages[number]._page_box.descendants()
            if getattr(box, "text", None) and (box.position_x, box.position_y) == rectangle[:2]
        }
        word = anchor.split("-")[-1]
        assert any(word in text for text in words) or word == "theta", (anchor, words)
    assert found["ix-1-alpha"][0] < found["ix-1-beta"][0]  # the paragraph runs on to another page
    assert found["ix-1-theta"] == found["ix-1-eta"]  # no words of its own: where the block ends


# --- the built book ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def knots(fixture_books):
    return fixture_books["knots"]


def index_lines(pdf) -> dict[str, str]:
    """The index's entries as printed: term -> the rest of its line(s)."""
    reader = PdfReader(pdf)
    start = next(i for i, o in enumerate(reader.outline) if not isinstance(o, list) and o.title == "Index")
    first = reader.get_destination_page_number(reader.outline[start])
    columns = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages[first:]:  # two columns: the left, then the right
            half = page.width / 2
            columns += [page.crop((0, 0, half, page.height)), page.crop((half, 0, page.width, page.height))]
            columns = [column for column in columns if column is not None]
        text = "\n".join(column.extract_text() or "" for column in columns)
    found = {}  # an entry that runs on to a second line is left out (its second line reads as no entry)
    for line in text.splitlines():
        match = re.match(r"^([a-z][a-z -]*?)(?:, |\. )(.*)$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def mark_pages(pdf) -> dict[str, str]:
    """Each marked place's page, as printed, from the PDF's named destinations."""
    reader = PdfReader(pdf)
    labels = reader.page_labels
    return {
        str(name): labels[reader.get_destination_page_number(dest)]
        for name, dest in reader.named_destinations.items()
        if str(name).startswith("ix-")
    }


def test_index_pages_are_the_pages_the_marked_words_stand_on(knots):
    lines = index_lines(knots.pdf)
    pages = mark_pages(knots.pdf)
    book = load_book(KNOTS)
    checked = 0
    for entry in book.index.entries():
        if not entry.marks or entry.see or entry.term not in lines:
            continue
        expected = sorted({int(pages[mark.anchor]) for mark in entry.marks})
        printed = []
        for part in re.findall(r"\d+(?:–\d+)?", lines[entry.term].split(". ")[0]):
            low, _, high = part.partition("–")
            printed += list(range(int(low), int(high or low) + 1))
        assert printed == expected, entry.term
        checked += 1
    assert checked >= 8
    with pdfplumber.open(knots.pdf) as document:
        labels = PdfReader(knots.pdf).page_labels
        for page_number in {int(pages[m.anchor]) for m in entries(book)["sheet bend"].marks}:
            text = document.pages[labels.index(str(page_number))].extract_text()
            assert "sheet bend" in " ".join(text.split()).lower()


def test_consecutive_pages_collapse_into_a_range(knots):
    assert index_lines(knots.pdf)["standing part"] == "1–3"


def test_the_defining_page_is_bold(knots):
    """ "clove hitch" is defined on page 2, "bowline" is not: in the index, 2 is bold there, 3 not."""
    found = {}
    with pdfplumber.open(knots.pdf) as document:
        for page in document.pages[-3:]:
            words = page.extract_words(extra_attrs=["fontname"])
            for before, term, number in zip(words, words[1:], words[2:], strict=False):
                if (before["text"], term["text"]) in (("clove", "hitch,"), ("bowline,", "3")):
                    found[before["text"]] = (number if before["text"] == "clove" else term)["fontname"]
    assert "Bold" in found["clove"] and "Bold" not in found["bowline,"]


def index_links(pdf) -> list[tuple[str, str, str]]:
    """Each link of the printed index: (the words under it, its target's page as printed, target)."""
    reader = PdfReader(pdf)
    labels = reader.page_labels
    targets = {str(name): dest for name, dest in reader.named_destinations.items()}
    start = next(i for i, o in enumerate(reader.outline) if not isinstance(o, list) and o.title == "Index")
    first = reader.get_destination_page_number(reader.outline[start])
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages[first:]:
            for link in page.annots:
                name = link["data"].get("Dest")
                name = name.decode() if isinstance(name, bytes) else str(name)
                under = "".join(
                    char["text"]
                    for char in page.chars
                    if link["x0"] <= (char["x0"] + char["x1"]) / 2 <= link["x1"]
                    and link["top"] - 1 <= (char["top"] + char["bottom"]) / 2 <= link["bottom"] + 1
                )
                target = labels[reader.get_destination_page_number(targets[name])] if name in targets else "?"
                found.append((under, target, name))
    return found


def test_each_page_number_of_the_printed_index_is_a_link_to_the_marked_place(knots):
    """The numbers are set as plain text and made links after layout: each link covers its number,
    and no more, and goes to the page that number names, where the marked words stand."""
    links = [(under, target, name) for under, target, name in index_links(knots.pdf) if name.startswith("ix-")]
    assert len(links) >= 15
    for under, target, name in links:
        assert re.fullmatch(r"\d+(–\d+)?", under), (under, name)
        assert under.split("–")[0] == target, (under, target, name)
    assert mark_pages(knots.pdf)[links[0][2]] == links[0][1]


@pytest.mark.slow
def test_a_tagged_pdf_keeps_its_index_links_in_its_structure(tmp_path):
    """PDF/UA asks every link annotation to stand in the structure tree: its index keeps real links."""
    from conftest import build_book

    files = {
        "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n[pdf]\nvariant = "pdf/ua-1"\n',
        "chapters/a.md": "# One\n\nA [closure]{.index} and a [scope]{.index}.\n",
    }
    built = build_book(write_book(tmp_path / "book", files), tmp_path / "out")
    links = index_links(built.pdf)
    assert {under for under, _, name in links if name.startswith("ix-")} == {"1"}
    reader = PdfReader(built.pdf)
    parents = [
        annotation.get_object().get("/StructParent")
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
        if str(annotation.get_object().get("/Dest", "")).startswith("ix-")
    ]
    assert len(parents) == 2 and None not in parents


def test_epub_index_and_glossary_links_resolve(knots):
    names = knots.spine_documents()
    assert "EPUB/glossary.xhtml" in names and names[-1] == "EPUB/book-index.xhtml"
    ids = {name.removeprefix("EPUB/"): set(knots.epub_xml(name).xpath("//@id")) for name in names}
    index = knots.epub_xml("EPUB/book-index.xhtml")
    links = [a.get("href") for a in index.iterfind(".//x:a", NS)]
    assert len(links) >= 20
    for href in links:
        target, _, anchor = href.partition("#")
        assert anchor in ids[target or "book-index.xhtml"], href
    glossary_links = [
        a.get("href") for name in names for a in knots.epub_xml(name).iterfind(".//x:a[@class='glossary-ref']", NS)
    ]
    assert glossary_links and all(h.split("#")[1] in ids["glossary.xhtml"] for h in glossary_links)
    assert index.find(".//x:section[@role='doc-index']", NS).get("{http://www.idpf.org/2007/ops}type") == "index"
    nav = knots.epub_xml("EPUB/nav.xhtml")
    landmarks = [
        a.get("{http://www.idpf.org/2007/ops}type") for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)
    ]
    assert "index" in landmarks and "glossary" in landmarks


def test_the_web_edition_shows_a_definition_on_hover_or_focus(knots):
    page = lxml.html.fromstring((knots.out / "html" / "bends-and-hitches.html").read_bytes())
    uses = page.cssselect(".glossary-use")
    assert uses
    link, tip = uses[0].cssselect("a.glossary-ref")[0], uses[0].cssselect(".glossary-tip")[0]
    assert link.get("aria-describedby") == tip.get("id") and tip.get("role") == "tooltip"
    assert tip.text_content().strip() and tip.get("data-pagefind-ignore") is not None
    index = lxml.html.fromstring((knots.out / "html" / "book-index.html").read_bytes())
    hrefs = [a.get("href") for a in index.cssselect(".index-locator")]
    assert hrefs and all(h.split("#")[0].endswith(".html") for h in hrefs)


def test_the_fonts_carry_the_glossary_and_index_characters(tmp_path):
    """Characters only the glossary's definitions or the index's letters hold are in the subset fonts."""
    glossary = '[[term]]\nterm = "scope"\ndefinition = "Ωmega ŋ þ: where a name holds."\n'
    book = book_with(tmp_path, {"a.md": "# A\n\nA scope and [Ærø]{.index}.\n"}, glossary_toml=glossary)
    assert {"Ω", "ŋ", "þ", "Æ", "ø"} <= set(book.characters)


@pytest.mark.slow
def test_an_index_that_opens_on_a_left_hand_page_keeps_its_side_and_number(tmp_path):
    """With chapters on any page, the index may open on a verso: it keeps that page's margins and
    number, though laid out by itself (a document's first page is a recto)."""
    from conftest import build_book

    files = {
        "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n[pdf]\nrecto_chapters = false\n',
        "chapters/a.md": "# One\n\nA [closure]{.index}.\n",
        "chapters/b.md": "# Two\n\nA [scope]{.index}.\n",
    }
    built = build_book(write_book(tmp_path / "book", files), tmp_path / "out")
    reader = PdfReader(built.pdf)
    titles = {o.title: reader.get_destination_page_number(o) for o in reader.outline if not isinstance(o, list)}
    index_page, chapter_page = titles["Index"], titles["Two"]
    assert index_page % 2 == 1 and index_page == chapter_page + 1  # a left-hand page, right after chapter two
    with pdfplumber.open(built.pdf) as document:
        left = min(char["x0"] for char in document.pages[index_page].chars)
        other_left = min(char["x0"] for char in document.pages[titles["One"]].chars)
        assert (left < other_left) == (titles["One"] % 2 == 0)  # mirrored margins, as for any verso
        folio = [
            w["text"]
            for w in document.pages[index_page].extract_words()
            if w["top"] > document.pages[index_page].height * 0.85
        ]
    assert folio == [reader.page_labels[index_page]]
