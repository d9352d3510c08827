"""Citations and the resource list worded in a CSL style ([resources] style): APA, Chicago author-date
and IEEE against strings checked by hand against the style guides; pandoc's citation syntax (locators,
prefixes, suffixes, several items, suppressed authors); the list in the style's order with the
annotations and back-references kept; styles by name, by alias, by journal, or a book's own file."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import BOOKS, NS, build_book, run_ace, run_epubcheck, write_book
from pdfinspect import page_texts
from pypdf import PdfReader

from octavo.errors import BookError
from octavo.model import Book
from octavo.read.citation_styles import styles_folder
from octavo.read.load import load_book

SCHOLAR = BOOKS / "scholar"


def scholar_in(folder: Path, style: str) -> Path:
    """The scholar fixture book, its citations worded in `style`."""
    shutil.copytree(SCHOLAR, folder, ignore=shutil.ignore_patterns(".octavo-cache"))
    toml = (folder / "book.toml").read_text(encoding="utf-8")
    (folder / "book.toml").write_text(toml.replace("[resources]\n", f'[resources]\nstyle = "{style}"\n'), "utf-8")
    return folder


def text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def citations(book: Book) -> list[str]:
    """The words of every citation, in reading order."""
    found = []
    for chapter in book.chapters:
        tree = chapter.tree()
        found += [" ".join(span.text_content().split()) for span in tree.cssselect("span.citation")]
    return found


def entries(book: Book) -> dict[str, str]:
    return {r.id: text(r.entry_html) for r in book.resources.resources}


@pytest.fixture(scope="module")
def apa(tmp_path_factory) -> Book:
    return load_book(scholar_in(tmp_path_factory.mktemp("apa") / "book", "apa"))


def test_apa_citations(apa):
    worded = citations(apa)
    assert worded[:3] == [
        "(Müller & Sørensen, 2019b, p. 12)",  # two works of the same authors and year: 2019a and 2019b
        "(Müller, 2021)",
        "(Nakamura, 2020, Chapter 3; Okafor, 2018)",  # APA orders the works of one citation by author
    ]
    assert "(Lindqvist et al., 2022)" in worded  # three authors or more: the first, et al.
    assert "(2019a)" in worded  # [-@mueller2019b]: the author named in the sentence already
    assert "(see Müller & Sørensen, 2019b, pp. 33–35; also Müller & Sørensen, 2019a, Chapter 2)" in worded
    assert "(Itō, 2021, Section 4)" in worded


def test_apa_reference_list(apa):
    worded = entries(apa)
    assert worded["mueller2019"] == (
        "Müller, J., & Sørensen, A. (2019b). Field Notes as Data: The NASA Protocol Revisited. "
        "Journal of Field Methods, 14(2), 101–127. https://doi.org/10.5555/jfm.2019.014"
    )
    assert worded["okafor2018"] == (
        "Okafor, C. N. (2018). Annotated Worlds: How Readers Keep Track of Sources (2nd ed.). Meridian Press."
    )
    assert worded["castellanos2017"] == (
        "Castellanos, R. (2017). Notes in the Margin. In H. Brandt & J. van der Berg (Eds.), The Edited Debate "
        "(pp. 45–68). Harbour & Sons."
    )
    assert worded["lindqvist2022"] == (
        "Lindqvist, M., Ahmed, Y., & Tanaka, H. (2022). Fast Indexing of Field Notes. Proceedings of the 12th "
        "Conference on Research Methods, 210–219. https://doi.org/10.5555/crm.2022.210"
    )
    assert worded["kim2016"] == (
        "Kim, M. (2016, February 14). Readers Fight Back. The Harbour Times. https://example.org/harbour/2016/readers"
    )
    assert worded["ito2021"] == (
        "Itō, H. (2021). One Archive, Read Twice [Master’s thesis, Northbay University]. "
        "https://example.org/theses/ito-2021"
    )
    article = next(r for r in apa.resources.resources if r.id == "mueller2019")
    assert "<em>Journal of Field Methods</em>, <em>14</em>(2)" in article.entry_html  # journal and volume italic
    assert '<a href="https://doi.org/10.5555/jfm.2019.014">' in article.entry_html  # the DOI a link


def test_the_list_is_in_the_styles_order_and_keeps_its_annotations(apa):
    ids = [r.id for r in apa.resources.resources]
    assert ids[:3] == ["survey2022", "afterword", "castellanos2017"]  # APA: by author
    assert ids.index("mueller2019b") == ids.index("mueller2019") - 1  # 2019a before 2019b
    assert [r.number for r in apa.resources.resources] == list(range(1, len(ids) + 1))
    by_id = {r.id: r for r in apa.resources.resources}
    assert "<strong>well</strong>" in by_id["dubois2023"].annotation_html  # resources.toml's, in Markdown
    assert "annotation" not in by_id["mueller2019"].entry_html.casefold()
    assert "coding scheme" not in by_id["mueller2019"].entry_html  # the annotation is shown apart, not in the entry
    assert by_id["afterword"].entry_html == "Alvarado, I. (2026). <em>A Note on Method</em>."  # resources.toml's own
    assert by_id["mueller2019"].entry_label == ""  # author-date: no numbers


def test_every_citation_links_to_its_entry_and_keeps_its_back_reference_anchor(apa):
    for chapter in apa.chapters:
        for link in chapter.tree().cssselect("a.citation-ref"):
            resource = next(r for r in apa.resources.resources if r.id == link.get("data-resource"))
            assert link.get("href") == f"#{resource.anchor}" and link.get("role") == "doc-biblioref"
    anchors = {a.get("id") for c in apa.chapters for a in c.tree().cssselect("span.citation a[id]")}
    recorded = {citation.anchor for cited in apa.citations.values() for citation in cited}
    assert recorded and recorded == anchors


def test_chicago_author_date(tmp_path):
    book = load_book(scholar_in(tmp_path / "book", "chicago-author-date"))
    worded = citations(book)
    assert worded[:3] == [
        "(Müller and Sørensen 2019b, 12)",
        "(Müller 2021)",
        "(Okafor 2018; Nakamura 2020, chap. 3)",  # Chicago keeps the author's order
    ]
    assert "(see Müller and Sørensen 2019b, 33–35; also Müller and Sørensen 2019a, chap. 2)" in worded
    assert "(2019a)" in worded and "(Itō 2021, sec. 4)" in worded
    listed = entries(book)
    assert listed["mueller2019"] == (
        "Müller, Jörg, and Ane Sørensen. 2019b. “Field Notes as Data: The NASA Protocol Revisited.” "
        "Journal of Field Methods 14 (2): 101–27. https://doi.org/10.5555/jfm.2019.014."
    )
    assert listed["mueller2021"] == (
        "Müller, Jörg. 2021. “What the Notes Leave Out.” Journal of Field Methods 16 (1): 5–29. "
        "https://doi.org/10.5555/jfm.2021.016."
    )
    assert listed["okafor2018"] == (
        "Okafor, Chiamaka N. 2018. Annotated Worlds: How Readers Keep Track of Sources. 2nd ed. Meridian Press."
    )
    assert listed["haddad2020"] == (
        "Haddad, Layla. 2020. “Sources in Motion.” PhD thesis, University of Eastport. "
        "https://example.org/theses/haddad-2020."
    )
    assert listed["kim2016"] == (
        "Kim, Min-jun. 2016. “Readers Fight Back.” The Harbour Times, February 14. "
        "https://example.org/harbour/2016/readers."
    )
    assert listed["lindqvist2022"] == (
        "Lindqvist, Maja, Yusuf Ahmed, and Hiroshi Tanaka. 2022. “Fast Indexing of Field Notes.” Proceedings of "
        "the 12th Conference on Research Methods, 210–19. https://doi.org/10.5555/crm.2022.210."
    )


def test_ieee(tmp_path):
    book = load_book(scholar_in(tmp_path / "book", "ieee"))
    worded = citations(book)
    assert worded[:3] == ["[1, p. 12]", "[2]", "[3], [4, Ch. 3]"]  # numbered in the order first cited
    assert "see [1, pp. 33–35], also [9, Ch. 2]" in worded and "[10, Sec. 4]" in worded
    listed = entries(book)
    labels = [r.entry_label for r in book.resources.resources]
    assert labels == [f"[{n}]" for n in range(1, len(labels) + 1)]  # the list in citation order
    assert listed["mueller2019"] == (
        "J. Müller and A. Sørensen, “Field Notes as Data: The NASA Protocol Revisited,” Journal of Field Methods, "
        "vol. 14, no. 2, pp. 101–127, 2019, doi: 10.5555/jfm.2019.014."
    )
    assert listed["okafor2018"] == (
        "C. N. Okafor, Annotated Worlds: How Readers Keep Track of Sources, 2nd ed. Lagos: Meridian Press, 2018."
    )
    assert listed["castellanos2017"] == (
        "R. Castellanos, “Notes in the Margin,” in The Edited Debate, H. Brandt and J. van der Berg, Eds., "
        "Harbour & Sons, 2017, pp. 45–68."
    )
    assert listed["lindqvist2022"] == (
        "M. Lindqvist, Y. Ahmed, and H. Tanaka, “Fast Indexing of Field Notes,” in Proceedings of the 12th "
        "Conference on Research Methods, Methods Society, 2022, pp. 210–219. doi: 10.5555/crm.2022.210."
    )
    assert listed["haddad2020"] == (
        "L. Haddad, “Sources in Motion,” PhD thesis, University of Eastport, 2020. "
        "Available: https://example.org/theses/haddad-2020"
    )
    assert listed["fieldwiki2024"] == (
        "“Field Methods Wiki: Annotation.” Accessed: Jan. 15, 2024. [Online]. "
        "Available: https://example.org/wiki/annotation"
    )


def test_a_citation_may_break_over_lines_and_carry_markup_in_its_words(tmp_path):
    files = {
        "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n[resources]\nstyle = "chicago-author-date"\n',
        "resources.toml": '[[resource]]\nid = "doe"\ntitle = "A Book"\nauthors = ["Jane Doe"]\nyear = 2020\n',
        "chapters/a.md": "# A\n\nAs shown [compare\n@doe, 45 <b>*x*</b>] here.\n",
    }
    book = load_book(write_book(tmp_path, files))
    [worded] = citations(book)
    assert worded == "(compare Doe 2020, 45 <b>*x*</b>)"  # the words as written, never markup
    assert "<b>" not in book.chapters[0].html


def test_german_locale_terms(tmp_path):
    files = {
        "book.toml": '[book]\ntitle = "T"\nlanguage = "de"\n[resources]\nstyle = "apa"\n',
        "resources.toml": '[[resource]]\nid = "a"\ntitle = "Buch"\nauthors = ["Anna Bauer", "Ben Roth"]\nyear = 2020\n',
        "chapters/a.md": "# A\n\nSiehe [@a, S. 4].\n",
    }
    book = load_book(write_book(tmp_path, files))
    assert citations(book) == ["(Bauer & Roth, 2020, S. 4)"]


@pytest.mark.parametrize(
    ("style", "title", "numeric"),
    [
        ("vancouver", "Vancouver - NLM", True),  # an alias
        ("nature-chemistry", "Nature Chemistry", True),  # a journal's name for another style
        ("harvard", "Cite Them Right", False),
        ("mla", "MLA Handbook", False),
    ],
)
def test_styles_by_name_alias_or_journal(tmp_path, style, title, numeric):
    book = load_book(scholar_in(tmp_path / "book", style))
    assert title in book.config.resources.style.title and book.config.resources.style.numeric is numeric
    assert all(r.entry_html for r in book.resources.resources)


def test_a_books_own_style_file(tmp_path):
    folder = scholar_in(tmp_path / "book", "styles/house.csl")
    (folder / "styles").mkdir()
    shutil.copy(styles_folder() / "ieee.csl", folder / "styles" / "house.csl")
    book = load_book(folder)
    assert citations(book)[0] == "[1, p. 12]"


@pytest.mark.parametrize(
    ("style", "message", "hint"),
    [
        ("apa7", "unknown citation style 'apa7'", "did you mean 'apa'?"),
        ("chicago-notes-bibliography", "puts citations in footnotes, which Octavo does not do yet", "chicago-author"),
        ("../house.csl", "citation style '../house.csl' is outside the book folder", "move it into the book"),
        ("missing.csl", "citation style file not found: 'missing.csl'", ""),
        ("broken.csl", "the style broken.csl is not valid XML", ""),
        ("book.csl", "book.csl is not a CSL style", ""),
    ],
)
def test_a_style_octavo_cannot_use_is_an_error_at_its_line(tmp_path, style, message, hint):
    (tmp_path / "house.csl").write_text("<style/>", encoding="utf-8")
    folder = scholar_in(tmp_path / "book", style)
    (folder / "broken.csl").write_text("<style", encoding="utf-8")
    (folder / "book.csl").write_text("<book/>", encoding="utf-8")
    with pytest.raises(BookError) as raised:
        load_book(folder)
    [problem] = raised.value.problems
    assert problem.file.name == "book.toml" and problem.line == 9 and message in problem.message
    assert hint in problem.hint


@pytest.mark.parametrize("where", ["text", "attribute"])
def test_a_style_file_reads_nothing_outside_the_book(tmp_path, where):
    """An entity naming a file outside the book: the style is refused, the file never read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-WORDS", encoding="utf-8")
    folder = scholar_in(tmp_path / "book", "evil.csl")
    ieee = (styles_folder() / "ieee.csl").read_text(encoding="utf-8")
    doctype = f'<!DOCTYPE style [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
    evil = ieee.replace("<style ", doctype + "<style ", 1)
    if where == "text":
        evil = evil.replace("<terms>", '<terms><term name="and">&leak;</term>', 1)
    else:
        evil = evil.replace('prefix="[" suffix="]"', 'prefix="[&leak;"', 1)
    (folder / "evil.csl").write_text(evil, encoding="utf-8")
    with pytest.raises(BookError) as raised:
        load_book(folder)
    [problem] = raised.value.problems
    assert problem.file.name == "book.toml"
    assert "declares entities" in problem.message or "references external entity 'leak'" in problem.message
    assert "TOP-SECRET" not in problem.format()


def test_numeric_stays_the_default_and_is_octavos_own(tmp_path):
    book = load_book(SCHOLAR)
    assert book.config.resources.style is None
    assert citations(book)[0] == "[1, p. 12]" and all(not r.entry_html for r in book.resources.resources)


@pytest.mark.slow
def test_a_styled_book_prints_its_back_references_and_passes_the_gates(tmp_path):
    built = build_book(scholar_in(tmp_path / "book", "apa"), tmp_path / "out")
    pages = page_texts(built.pdf)
    cited_on = {}
    for number, page in enumerate(pages, start=1):
        for match in re.finditer(r"Cited on pp?\. ([\d, –]+)", page):
            cited_on.setdefault(number, []).append(match.group(1))
    assert cited_on, "no back-references printed"
    labels = PdfReader(built.pdf).page_labels  # the page numbers as printed
    where = {}  # the page each citation's words stand on
    for number, page in enumerate(pages, start=1):
        folded = " ".join(page.split())
        for words in ("(Müller, 2021)", "(Kim, 2016)", "(Itō, 2021, Section 4)"):
            if words in folded:
                where[words] = labels[number - 1]
    assert len(where) == 3
    listed = " ".join(" ".join(pages[n - 1].split()) for n in cited_on)
    for words, citation_page in where.items():
        author = words.strip("(").split(",")[0]
        entry = re.search(rf"{author}, [A-Z]\..*?Cited on pp?\. ([\d, –]+)", listed)
        assert entry and citation_page in entry.group(1).strip().split(", "), (words, citation_page)
    nav = built.epub_xml("EPUB/further-reading.xhtml")
    assert nav.find(".//x:section[@role='doc-bibliography']", NS) is not None
    links = built.epub_xml("EPUB/where-sources-come-from.xhtml").findall(".//x:a[@role='doc-biblioref']", NS)
    assert links and all(link.get("href").startswith("further-reading.xhtml#resource-") for link in links)
    assert run_epubcheck(built.epub) == []
    assert run_ace(built.epub) == []


def test_a_sort_in_resources_toml_gives_way_to_the_style(tmp_path):
    folder = scholar_in(tmp_path / "book", "apa")
    toml = (folder / "resources.toml").read_text(encoding="utf-8")
    (folder / "resources.toml").write_text('sort = "year"\n' + toml, encoding="utf-8")
    book = load_book(folder)
    [warning] = [w for w in book.warnings if w.file.name == "resources.toml"]
    assert warning.line == 1 and "orders the list: 'sort' is not used" in warning.message
    assert [r.id for r in book.resources.resources][:2] == ["survey2022", "afterword"]  # APA's order


# --- what a review found: each case once wrong -----------------------------------------------------


def scholar_with(folder: Path, style: str, chapter: str) -> Book:
    book = scholar_in(folder, style)
    (book / "chapters" / "01-sources.md").write_text(chapter, encoding="utf-8")
    return load_book(book)


def test_a_style_that_sets_parts_of_an_entry_as_blocks_keeps_them_in_the_paragraph(tmp_path):
    book = load_book(scholar_in(tmp_path / "book", "american-anthropological-association"))
    entry = next(r for r in book.resources.resources if r.id == "castellanos2017")
    assert "<div" not in entry.entry_html and "Castellanos, Rosa" in text(entry.entry_html)
    assert entry.entry_label == "2017"


def test_code_escapes_and_entities_in_a_citation_are_its_words(tmp_path):
    chapter = "# A\n\nOne [@okafor2018, `x` p. 3]. Two [back\\\\slash @okafor2018]. Three [@okafor2018, p.&nbsp;4].\n"
    book = scholar_with(tmp_path / "book", "apa", chapter)
    worded = citations(book)
    assert worded[0] == "(Okafor, 2018, x p. 3)" and worded[1] == "(back\\slash Okafor, 2018)"
    assert worded[2] == "(Okafor, 2018, p. 4)"  # the entity read, the locator worded by the style
    assert "\x02" not in book.chapters[0].html and "klzzwxh" not in book.chapters[0].html


def test_a_heading_that_cites_is_named_by_author_and_year_in_the_contents(tmp_path):
    book = scholar_with(tmp_path / "book", "apa", "# A\n\nText.\n\n## Later work [@mueller2021]\n\nMore.\n")
    assert [s.title for s in book.chapters[0].sections] == ["Later work Müller 2021"]


def test_an_entry_the_style_cannot_read_is_an_error_at_the_entry(tmp_path):
    folder = scholar_in(tmp_path / "book", "apa")
    (folder / "more-references.json").write_text(
        '[\n{"id": "roe", "type": "book", "title": "T",\n "author": "Jane Roe"}\n]\n', encoding="utf-8"
    )
    with pytest.raises(BookError) as raised:
        load_book(folder)
    [problem] = [p for p in raised.value.problems if p.file.name == "more-references.json"]  # others: cited ids gone
    assert problem.line == 2
    assert problem.message.startswith("the entry 'roe' cannot be worded by the style")


def test_what_pandoc_warns_of_in_a_books_style_is_a_warning(tmp_path):
    folder = scholar_in(tmp_path / "book", "house.csl")
    ieee = (styles_folder() / "ieee.csl").read_text(encoding="utf-8")
    broken = re.sub(r"(<citation>.*?<layout[^>]*>)", r'\1<text macro="nonexistent"/>', ieee, count=1, flags=re.S)
    assert 'macro="nonexistent"' in broken
    (folder / "house.csl").write_text(broken, encoding="utf-8")
    book = load_book(folder)
    assert any("the citation style says" in w.message and "nonexistent" in w.message for w in book.warnings)


def test_numbers_follow_the_reading_order_notes_included(tmp_path):
    chapter = "# A\n\nFirst.[^1] Then [@okafor2018].\n\n[^1]: See [@lindqvist2022].\n"
    book = scholar_with(tmp_path / "book", "ieee", chapter)
    labels = {r.id: r.entry_label for r in book.resources.resources}
    assert (labels["lindqvist2022"], labels["okafor2018"]) == ("[1]", "[2]")


def test_a_second_key_in_one_item_stays_text_and_raw_html_cannot_break_the_build(tmp_path):
    chapter = '# A\n\nSee [@okafor2018, p. 3 @mueller2019]. <span class="citation" data-citation="c99">x</span>\n'
    book = scholar_with(tmp_path / "book", "apa", chapter)
    assert citations(book)[0] == "(Okafor, 2018, p. 3 @mueller2019)"


def test_a_numbered_style_sets_aside_the_categories_with_a_warning(tmp_path):
    folder = scholar_in(tmp_path / "book", "ieee")
    toml = (folder / "resources.toml").read_text(encoding="utf-8")
    (folder / "resources.toml").write_text(toml.replace('category = ""', 'category = "Papers"'), encoding="utf-8")
    book = load_book(folder)
    labels = [r.entry_label for r in book.resources.resources]
    assert labels == [f"[{n}]" for n in range(1, len(labels) + 1)]
    assert any("categories are not shown" in w.message for w in book.warnings)


def test_style_names_ignore_case_and_chinese_gets_its_own_script():
    from octavo.read.citation_styles import csl_locale, named_style

    assert named_style("APA").path.name == "apa.csl"
    assert [csl_locale(tag) for tag in ("zh-Hant", "zh-TW", "zh", "zh-Hans", "de")] == [
        "zh-TW",
        "zh-TW",
        "zh-CN",
        "zh-CN",
        "de",
    ]
