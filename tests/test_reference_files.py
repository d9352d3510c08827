"""Reference managers' files in the resource list, read in-process: BibTeX and CSL-JSON entries of every
type as CSL-JSON, LaTeX decoded, annotations from the fields the book names or from resources.toml,
mistakes at their file and line, and exports that give back what was imported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import BOOKS, read_book, write_book

from octavo.errors import BookError, ProblemCollector
from octavo.formats.bibliography import bibtex, csl_json
from octavo.read.load import load_book
from octavo.read.reference_files import read_reference_file

SCHOLAR = BOOKS / "scholar"
BOOK_TOML = '[book]\ntitle = "Refs"\nlanguage = "en"\n[resources]\nfiles = [{files}]\n'


def items(path: Path) -> dict[str, dict]:
    problems = ProblemCollector()
    found = {entry.item["id"]: entry.item for entry in read_reference_file(path, problems)}
    assert problems.problems == [], [p.format() for p in problems.problems]
    return found


def test_bibtex_entries_of_every_type_become_csl_json_with_their_latex_decoded():
    bib = items(SCHOLAR / "references.bib")
    assert len(bib) == 14
    article = bib["mueller2019"]
    assert article["type"] == "article-journal"
    assert article["author"] == [{"family": "Müller", "given": "Jörg"}, {"family": "Sørensen", "given": "Ane"}]
    assert (
        article["title"] == 'Field Notes as Data: The <span class="nocase">NASA</span> Protocol Revisited'
    )  # braces kept case
    assert (article["container-title"], article["volume"], article["issue"]) == ("Journal of Field Methods", "14", "2")
    assert article["page"] == "101–127" and article["DOI"] == "10.5555/jfm.2019.014"
    assert article["issued"] == {"date-parts": [[2019]]}
    assert article["annote"].startswith("The survey every later study starts from. Read the second section first")
    assert "coding scheme & its limits" in article["annote"]
    assert bib["mueller2021"]["issued"] == {"date-parts": [[2021, 6]]}  # BibLaTeX's date, journaltitle
    assert bib["mueller2021"]["container-title"] == "Journal of Field Methods"
    book = bib["okafor2018"]
    assert book["title"] == "Annotated Worlds: How Readers Keep Track of Sources"  # BibLaTeX's subtitle joined
    assert (book["publisher"], book["publisher-place"], book["edition"]) == ("Meridian Press", "Lagos", "2")
    chapter = bib["castellanos2017"]
    assert chapter["type"] == "chapter" and chapter["container-title"] == "The Edited Debate"
    assert chapter["editor"][1] == {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"}
    assert chapter["publisher"] == "Harbour & Sons"
    assert bib["lindqvist2022"]["type"] == "paper-conference" and len(bib["lindqvist2022"]["author"]) == 3
    assert "80% of the cost" in bib["lindqvist2022"]["annote"]
    assert bib["dubois2023"]["author"] == [{"family": "Dubois", "given": "Élodie"}]
    thesis = bib["haddad2020"]
    assert (thesis["type"], thesis["genre"], thesis["publisher"]) == ("thesis", "PhD thesis", "University of Eastport")
    report = bib["statbureau2019"]
    assert report["type"] == "report" and report["author"] == [{"literal": "National Statistics Bureau"}]
    assert report["number"] == "SR-2019-4"
    web = bib["fieldwiki2024"]
    assert web["type"] == "webpage" and web["accessed"] == {"date-parts": [[2024, 1, 15]]}
    assert bib["tallytool2023"]["type"] == "webpage" and bib["tallytool2023"]["medium"] == "Software, version 2.1"
    assert bib["pereira2016"]["type"] == "manuscript" and bib["pereira2016"]["author"][0]["given"] == "João"
    old = bib["oldham1998"]
    assert old["title"] == 'Reading for the <span class="nocase">Record</span>: α to ω'
    assert old["author"][1] == {"literal": "World Reading Council"}
    assert old["custom"] == {"keywords": "classic, method"}  # kept for the exports


def test_csl_json_entries_are_read_as_they_are():
    json_items = items(SCHOLAR / "more-references.json")
    assert list(json_items) == ["nakamura2020", "who2021", "survey2022", "ross2015", "kim2016", "abstractonly2019"]
    assert json_items["kim2016"]["accessed"] == {"date-parts": [[2024, 3, 1]]}


def test_the_resource_list_joins_the_files_and_resources_toml():
    book = load_book(SCHOLAR)
    resources = {r.id: r for r in book.resources.resources}
    assert [r.id for r in book.resources.resources][:3] == ["mueller2019", "mueller2021", "okafor2018"]
    assert len(resources) == 21 and book.resources.title == "Sources"
    article = resources["mueller2019"]
    assert article.authors == ("Jörg Müller", "Ane Sørensen")
    assert article.published_in == "Journal of Field Methods 14 (2): 101–127"
    assert article.link == "https://doi.org/10.5555/jfm.2019.014" and article.source == "references.bib:3"
    assert "<em>second</em>" not in article.annotation_html and "second section" in article.annotation_html
    assert resources["castellanos2017"].published_in == "In The Edited Debate, 45–68"
    assert resources["haddad2020"].published_in == "PhD thesis, University of Eastport"
    # resources.toml's annotation, Markdown, wins over the file's
    assert "<strong>well</strong>" in resources["dubois2023"].annotation_html
    assert resources["nakamura2020"].annotation.startswith("Chapter three")  # CSL-JSON's note
    assert resources["abstractonly2019"].annotation == ""  # an abstract is no annotation unless asked
    assert resources["afterword"].source == "" and resources["afterword"].annotation.startswith("The author's")
    cited = {citation.resource_id for citations in book.citations.values() for citation in citations}
    assert {"mueller2019", "nakamura2020", "who2021", "castellanos2017"} <= cited


def test_a_book_may_ask_for_abstracts(tmp_path):
    shutil.copy(SCHOLAR / "more-references.json", tmp_path / "refs.json")
    toml = BOOK_TOML.format(files='"refs.json"') + 'annotation_fields = ["abstract"]\n'
    book = read_book(
        tmp_path,
        {"book.toml": toml, "refs.json": (SCHOLAR / "more-references.json").read_text(), "chapters/a.md": "# A\n"},
    )
    annotated = {r.id: r.annotation for r in book.resources.resources}
    assert annotated["abstractonly2019"].startswith("An abstract") and annotated["nakamura2020"] == ""


def test_an_id_in_two_files_names_both_places(tmp_path):
    files = {
        "book.toml": BOOK_TOML.format(files='"a.bib", "b.json"'),
        "a.bib": "@book{same,\n  title = {One},\n  year = 2000\n}\n",
        "b.json": (
            '[\n  {"id": "other", "type": "book", "title": "Two"},\n'
            '  {"id": "same", "type": "book", "title": "Three"}\n]\n'
        ),
        "chapters/a.md": "# A\n",
    }
    with pytest.raises(BookError) as raised:
        read_book(tmp_path, files)
    [problem] = raised.value.problems
    assert (problem.file.name, problem.line) == ("b.json", 3)
    assert problem.message == "the entry id 'same' is given twice: at a.bib:1 and here"


def test_a_malformed_entry_is_an_error_at_its_line_and_the_others_are_read(tmp_path):
    files = {
        "book.toml": BOOK_TOML.format(files='"refs.bib", "refs.json"'),
        "refs.bib": (
            "@book{good, title = {Good}}\n\n@book{broken,\n  title = {No end,\n  year = 2001\n}\n\n"
            "@book{fine, title={Fine}}\n"
        ),
        "refs.json": '[\n  {"id": "x", "type": "book",\n   "title": "X"\n]\n',
        "chapters/a.md": "# A\n",
    }
    with pytest.raises(BookError) as raised:
        read_book(tmp_path, files)
    found = sorted((p.file.name, p.line, p.message.split(":")[0]) for p in raised.value.problems)
    assert found == [("refs.bib", 3, "this entry cannot be read"), ("refs.json", 4, "is not valid JSON")]


def test_resources_toml_adds_only_an_annotation_and_a_category_to_an_imported_entry(tmp_path):
    files = {
        "book.toml": BOOK_TOML.format(files='"refs.bib"'),
        "refs.bib": "@book{knuth84, author = {Knuth, Donald E.}, title = {The \\TeX book}, year = 1984}\n",
        "resources.toml": '[[resource]]\nid = "knuth84"\ntitle = "Another title"\nannotation = "Mine."\n',
        "chapters/a.md": "# A\n",
    }
    with pytest.raises(BookError) as raised:
        read_book(tmp_path, files)
    [problem] = raised.value.problems
    assert problem.message == (
        "resource 'knuth84' comes from refs.bib:1: here it may only add annotation, category, not title"
    )
    assert problem.line == 1


@pytest.mark.parametrize("entry", ['{"id": "a b", "type": "book"}', '{"title": "no id", "type": "book"}'])
def test_an_entry_that_cannot_be_cited_is_an_error(tmp_path, entry):
    files = {"book.toml": BOOK_TOML.format(files='"r.json"'), "r.json": f"[{entry}]", "chapters/a.md": "# A\n"}
    with pytest.raises(BookError) as raised:
        read_book(tmp_path, files)
    assert raised.value.problems[0].file.name == "r.json"


def test_the_exports_give_back_every_imported_entry(tmp_path):
    """Import, export, import again: the same entries, fields and annotations, both ways."""
    book = load_book(SCHOLAR)
    imported = {r.id: r.csl_item for r in book.resources.resources if r.csl}
    folder = tmp_path / "again"
    write_book(
        folder,
        {
            "book.toml": BOOK_TOML.format(files='"out.bib", "out.json"'),
            "out.bib": bibtex(book.resources),
            "out.json": "[]",
            "chapters/a.md": "# A\n",
        },
    )
    from_bib = items(folder / "out.bib")
    for key in items(SCHOLAR / "references.bib"):
        if key != "dubois2023":  # its annotation is the book's own: below
            assert from_bib[key] == imported[key], key
    exported = json.loads(csl_json(book.resources))
    (folder / "out.json").write_text(json.dumps(exported), encoding="utf-8")
    from_json = items(folder / "out.json")
    for key, item in imported.items():
        again = dict(from_json[key])
        if key == "dubois2023":  # the annotation resources.toml gave it travels with it, beside the file's own
            assert again["annote"] == item["annote"]
            book_annotation = next(r.annotation for r in book.resources.resources if r.id == key)
            assert again.pop("custom") == {**item.get("custom", {}), "annotation": book_annotation}
            assert book_annotation != item["annote"] and "custom" not in item
        assert again == item, key
    assert from_json["afterword"]["note"] == "The author's own note, kept in resources.toml."


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        ('"../outside.bib"', "reference file '../outside.bib' is outside the book folder"),
        ('"refs.txt"', "reference file 'refs.txt' is not BibTeX (.bib), CSL-JSON (.json) or CSL-YAML (.yaml)"),
        ('"ref.bib"', "reference file not found: 'ref.bib'"),
    ],
)
def test_a_reference_file_the_book_cannot_use_is_an_error_at_its_name(tmp_path, listed, message):
    (tmp_path / "outside.bib").write_text("@book{x, title={X}}\n")
    folder = tmp_path / "book"
    files = {"book.toml": BOOK_TOML.format(files=listed), "refs.bib": "", "refs.txt": "", "chapters/a.md": "# A\n"}
    with pytest.raises(BookError) as raised:
        read_book(folder, files)
    [problem] = raised.value.problems
    assert problem.message == message and (problem.line, problem.column) == (5, 10)
    if listed == '"ref.bib"':
        assert problem.hint == "did you mean 'refs.bib'?"


def test_keys_as_reference_managers_make_them_are_cited_and_linked(tmp_path):
    files = {
        "book.toml": BOOK_TOML.format(files='"r.json"'),
        "r.json": json.dumps(
            [{"id": "knuth:1984", "type": "book", "title": "T"}, {"id": "2020doe.x", "type": "book", "title": "U"}]
        ),
        "chapters/a.md": "# A\n\nSee [@knuth:1984, p. 3; @2020doe.x].\n",
    }
    book = read_book(tmp_path, files)
    html = book.chapters[0].html
    anchors = {r.id: r.anchor for r in book.resources.resources}
    assert anchors["knuth:1984"].startswith("resource-knuth-1984-") and anchors["2020doe.x"].startswith("resource-2020")
    assert f'href="#{anchors["knuth:1984"]}"' in html and f'href="#{anchors["2020doe.x"]}"' in html
    assert 'id="cite-knuth-1984-1"' in html


def test_ids_that_differ_only_in_punctuation_keep_their_own_anchors(tmp_path):
    entries = [{"id": key, "type": "book", "title": key} for key in ("knuth:1984", "knuth-1984", "knuth.1984")]
    files = {
        "book.toml": BOOK_TOML.format(files='"r.json"'),
        "r.json": json.dumps(entries),
        "chapters/a.md": "# A\n\n[@knuth:1984] [@knuth-1984] [@knuth.1984]\n",
    }
    book = read_book(tmp_path, files)
    anchors = [r.anchor for r in book.resources.resources]
    assert len(set(anchors)) == 3 and "resource-knuth-1984" in anchors
    for anchor in anchors:
        assert f'href="#{anchor}"' in book.chapters[0].html


def test_dates_and_texts_as_other_tools_write_them_are_read(tmp_path):
    entries = [
        {"id": "a", "type": "book", "title": ["Listed Title"], "issued": {"date-parts": [2020]}},
        {"id": "b", "type": "book", "title": "B", "issued": {"date-parts": [["2019", "May"]]}},
        {"id": "c", "type": "book", "title": "C", "issued": {"raw": "2018-03"}},
        {"id": "d", "type": "book", "title": "D", "issued": "Spring 2017", "accessed": {"date-parts": [["x"]]}},
    ]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    found = items(path)
    assert found["a"]["title"] == "Listed Title" and found["a"]["issued"] == {"date-parts": [[2020]]}
    assert found["b"]["issued"] == {"date-parts": [[2019]]}
    assert found["d"]["issued"] == {"raw": "Spring 2017"} and found["d"]["accessed"] == {"raw": "x"}
    book = read_book(
        tmp_path / "book",
        {"book.toml": BOOK_TOML.format(files='"r.json"'), "r.json": path.read_text(), "chapters/a.md": "# A\n"},
    )
    years = {r.id: r.year for r in book.resources.resources}
    assert years == {"a": 2020, "b": 2019, "c": 2018, "d": 2017}
    bib = bibtex(book.resources)
    assert "date = {2018-03}" in bib and "date = {Spring 2017}" in bib


def test_a_custom_field_that_is_not_an_object_is_an_error_at_its_entry(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('[\n{"id": "a", "type": "book", "custom": "x"}\n]\n', encoding="utf-8")
    problems = ProblemCollector()
    assert read_reference_file(path, problems) == []
    [problem] = problems.problems
    assert problem.message == "'custom' of this entry is not an object" and problem.line == 2


BIBTEX_CORNERS = r"""@book{shop,
  author = {{Barnes \& Noble} and M{\"u}ller, J{\"o}rg},
  subtitle = {A Subtitle Alone},
  year = {2001},
  month = {Spring},
  publisher = {A \& B},
}

@proceedings{procs,
  title = {Proceedings of Things},
  editor = {Ada Lovelace},
  publisher = {Society},
  year = {2010},
}

@inproceedings{talk,
  author = {Grace Hopper},
  title = {A Talk},
  crossref = {procs},
  pages = {1--9},
}

@article{twice,
  author = {Alan Turing},
  title = {Both Names},
  journal = {Journal One},
  journaltitle = {Journal Two},
  address = {Here},
  location = {There},
  year = {1950},
}
"""


def test_bibtex_corners_import_and_export_faithfully(tmp_path):
    """Escaped names and fields, a subtitle with no title, a month that is a season, crossref, and a
    field given under two names: imported as meant, exported once, read back the same."""
    path = tmp_path / "r.bib"
    path.write_text(BIBTEX_CORNERS, encoding="utf-8")
    found = items(path)
    assert found["shop"]["author"][0] == {"literal": "Barnes & Noble"}
    assert found["shop"]["author"][1] == {"family": "Müller", "given": "Jörg"}
    assert found["shop"]["title"] == "A Subtitle Alone" and found["shop"]["publisher"] == "A & B"
    assert found["shop"]["issued"] == {"date-parts": [[2001]]} and found["shop"]["custom"]["month"] == "Spring"
    assert found["talk"]["container-title"] == "Proceedings of Things"
    assert found["talk"]["editor"] == [{"family": "Lovelace", "given": "Ada"}]
    assert found["talk"]["issued"] == {"date-parts": [[2010]]} and found["talk"]["publisher"] == "Society"
    assert found["twice"]["container-title"] == "Journal One" and found["twice"]["publisher-place"] == "Here"
    assert "custom" not in found["twice"]
    problems = ProblemCollector()
    read_reference_file(path, problems)
    assert [(w.message, w.line) for w in problems.warnings] == [
        (
            "entry 'twice' has both 'journal' and 'journaltitle', two names for one field: 'journaltitle' is left out",
            27,
        ),
        ("entry 'twice' has both 'address' and 'location', two names for one field: 'location' is left out", 29),
    ]
    book = read_book(
        tmp_path / "book",
        {"book.toml": BOOK_TOML.format(files='"r.bib"'), "r.bib": BIBTEX_CORNERS, "chapters/a.md": "# A\n"},
    )
    exported = bibtex(book.resources)
    assert r"author = {{Barnes \& Noble} and Müller, Jörg}" in exported
    assert exported.count("journaltitle =") == 1 and "booktitle = {Proceedings of Things}" in exported
    again = tmp_path / "again.bib"
    again.write_text(exported, encoding="utf-8")
    assert items(again) == found


def test_a_reference_file_larger_than_a_book_needs_is_refused_before_it_is_parsed(tmp_path):
    folder = write_book(tmp_path / "book", {"book.toml": BOOK_TOML.format(files='"big.bib"'), "chapters/a.md": "# A\n"})
    with (folder / "big.bib").open("w") as big:
        big.write("@misc{x, note = {" + "a" * 20_000_001 + "}}\n")
    with pytest.raises(BookError) as raised:
        load_book(folder)
    assert raised.value.problems[0].message == "is too large to read (20 MB)"


def test_a_chapter_called_index_does_not_take_the_web_editions_front_page(tmp_path):
    book = read_book(tmp_path, {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n', "chapters/a.md": "# Index\n"})
    assert book.chapters[0].file_name != "index.xhtml"


CSL_YAML = """references:
- id: doe2020
  type: book
  title: A Book in YAML
  author:
    - family: Doe
      given: Jane
  issued: 2020-05-01
  publisher: Press
  note: Its *annotation*, in Markdown.
- id: roe2019
  type: article-journal
  title: An Article
  issued:
    date-parts: [[2019]]
"""


def test_csl_yaml_entries_are_read_like_csl_json(tmp_path):
    path = tmp_path / "refs.yaml"
    path.write_text(CSL_YAML, encoding="utf-8")
    found = items(path)
    assert found["doe2020"]["author"] == [{"family": "Doe", "given": "Jane"}]
    assert found["doe2020"]["issued"] == {"raw": "2020-05-01"} and found["roe2019"]["issued"] == {
        "date-parts": [[2019]]
    }
    problems = ProblemCollector()
    assert [entry.line for entry in read_reference_file(path, problems)] == [2, 11]
    files = {
        "book.toml": BOOK_TOML.format(files='"refs.yaml"'),
        "refs.yaml": CSL_YAML,
        "chapters/a.md": "# A\n[@doe2020]\n",
    }
    book = read_book(tmp_path / "book", files)
    doe = next(r for r in book.resources.resources if r.id == "doe2020")
    assert doe.year == 2020 and "<em>annotation</em>" in doe.annotation_html


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("- &a {id: a, type: book}\n- *a\n", "uses a YAML alias (*name)", 2),
        ("- id: a\n  type: [book\n", "is not valid YAML", 3),
    ],
)
def test_a_csl_yaml_file_with_aliases_or_broken_syntax_is_refused(tmp_path, text, message, line):
    path = tmp_path / "refs.yaml"
    path.write_text(text, encoding="utf-8")
    problems = ProblemCollector()
    assert read_reference_file(path, problems) == []
    [problem] = problems.problems
    assert problem.message.startswith(message) and problem.line == line


def test_csl_yaml_values_are_read_as_written_and_a_deep_file_is_refused(tmp_path):
    path = tmp_path / "refs.yaml"
    path.write_text("- id: yes\n  type: book\n  title: T\n- id: '010'\n  type: book\n  title: U\n", encoding="utf-8")
    assert list(items(path)) == ["yes", "010"]
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    problems = ProblemCollector()
    assert read_reference_file(path, problems) == []
    assert problems.problems[0].message == "is nested too deeply to read"


def test_an_imported_entry_becomes_a_resource_field_by_field(tmp_path):
    """Every field of a CSL-JSON entry lands where the list prints it; an unsafe address is dropped;
    resources.toml's annotation and category win over the file's."""
    entries = [
        {
            "id": "wave",
            "type": "book",
            "title": "Waves <i>and</i> Tides",
            "editor": [{"given": "Ana", "family": "Lima"}, {"literal": "Harbour Board"}, "not a name", {"given": " "}],
            "issued": {"date-parts": [[1999, 4]]},
            "publisher": "Saltmarsh <b>Press</b>",
            "URL": " https://example.org/wave ",
            "ISBN": " 978-0-306-40615-7 ",
            "note": "From the *file*.",
        },
        {"id": "bare", "type": "article", "URL": "javascript:alert(1)", "annote": "First field.", "note": "Not this."},
        {
            "id": "silent",
            "type": "book",
            "title": "Silent",
            "author": [{"family": "Quill"}],
            "annote": " ",
            "note": "Kept.",
        },
        {
            "id": "fables",
            "type": "book",
            "title": "Fables",
            "author": [
                {"given": "Jean", "dropping-particle": "de", "family": "La Fontaine"},
                {"given": "Jan", "non-dropping-particle": "van der", "family": "Berg", "suffix": "Jr."},
            ],
        },
    ]
    files = {
        "book.toml": BOOK_TOML.format(files='"refs/library.json"'),
        "refs/library.json": json.dumps(entries, indent=1),
        "resources.toml": '[[resource]]\nid = "wave"\nannotation = "Mine, **bold**."\ncategory = " Sea "\n',
        "chapters/a.md": "# A\n",
    }
    book = read_book(tmp_path, files)
    wave, bare, silent, fables = sorted(
        book.resources.resources, key=lambda resource: ["wave", "bare", "silent", "fables"].index(resource.id)
    )
    assert (wave.title, wave.authors, wave.year, wave.publisher) == (
        "Waves and Tides",
        ("Ana Lima", "Harbour Board"),
        1999,
        "Saltmarsh Press",
    )
    assert (wave.url, wave.isbn, wave.category) == ("https://example.org/wave", "978-0-306-40615-7", "Sea")
    assert wave.annotation == "Mine, **bold**." and "<strong>bold</strong>" in wave.annotation_html
    assert json.loads(wave.csl) == entries[0] and wave.source == "refs/library.json:3"
    assert (bare.title, bare.url, bare.annotation, bare.authors) == ("bare", "", "First field.", ())
    assert (bare.publisher, bare.isbn, bare.category, bare.year) == ("", "", "", None)
    assert fables.authors == ("Jean de La Fontaine", "Jan van der Berg Jr.")
    assert (silent.authors, silent.annotation) == (("Quill",), "Kept.")  # a blank field is no annotation
    assert wave.number != bare.number != silent.number


def test_a_resources_toml_entry_becomes_a_resource_field_by_field(tmp_path):
    text = (
        '[[resource]]\nid = "tide"\ntitle = " Tide Tables "\nsubtitle = " Annotated "\nauthors = " Mara Quill "\n'
        'year = 2001\npublisher = " Saltmarsh "\nurl = " https://example.org/t "\nisbn = " 978-0-306-40615-7 "\n'
        'category = " Sea "\nannotation = " Read *first*. "\n'
        '[[resource]]\nid = "b"\ntitle = "B"\nauthors = ["Ada", " ", "Bo"]\nurl = "HTTPS://Example.org/B"\n'
    )
    book = read_book(tmp_path, {"chapters/a.md": "# A\n", "resources.toml": text})
    tide, b = book.resources.resources
    assert (tide.id, tide.title, tide.subtitle, tide.authors, tide.year) == (
        "tide",
        "Tide Tables",
        "Annotated",
        ("Mara Quill",),
        2001,
    )
    assert (tide.publisher, tide.url, tide.isbn, tide.category) == (
        "Saltmarsh",
        "https://example.org/t",
        "978-0-306-40615-7",
        "Sea",
    )
    assert tide.annotation == "Read *first*." and "<em>first</em>" in tide.annotation_html
    assert (b.authors, b.subtitle, b.publisher, b.isbn, b.category, b.annotation) == (("Ada", "Bo"), "", "", "", "", "")
    assert b.url == "HTTPS://Example.org/B"  # a scheme in capitals is a web address all the same
    assert b.annotation_html == ""  # nothing for the list to print
    assert (tide.number, b.number) == (1, 2)


def test_resources_sort_by_title_author_or_year_and_group_by_category():
    from octavo.model import Resource
    from octavo.read.resource_list import ordered, surname

    def made(rid, title, authors=(), year=None, category="", subtitle=""):
        return Resource(rid, title, 0, subtitle=subtitle, authors=authors, year=year, category=category)

    resources = [
        made("c", "b title", ("Zed Young",), 2001, "Sea"),
        made("a", "B title", ("Amy Old",), 1990, "Sea", subtitle="b"),
        made("b", "B Title", ("Old, Amy",), None, "Sea", subtitle="a"),
        made("d", "a title", (), 2001, "Land"),
    ]
    ids = lambda items: [r.id for r in items]  # noqa: E731
    assert ids(ordered(resources, "title")) == ["d", "c", "b", "a"]  # Land first: the first category after sorting
    assert ids(ordered(resources, "author")) == ["a", "b", "c", "d"]  # by surname, no author last
    assert ids(ordered(resources, "year")) == ["a", "c", "b", "d"]  # no year last
    assert ids(ordered(resources, "as written")) == ["c", "a", "b", "d"]  # the file's order, grouped
    assert [surname(n) for n in ("Ada Lovelace", "Lovelace, Ada", "  Plato ", "")] == [
        "Lovelace",
        "Lovelace",
        "Plato",
        "",
    ]


def test_a_citations_short_name_is_the_first_author_or_editor_and_the_year():
    import json

    from octavo.model import Resource
    from octavo.read.citations import short_name

    def made(csl=None, authors=(), year=None, title="Title"):
        return Resource("r", title, 1, authors=authors, year=year, csl=json.dumps(csl) if csl else "")

    assert short_name(made({"author": [{"family": "Quill", "given": "M"}]}, year=2001)) == "Quill 2001"
    assert short_name(made({"editor": [{"literal": "Harbour Board"}]})) == "Harbour Board"
    assert short_name(made({"author": ["not a name"]}, authors=("Ada Lovelace",), year=1843)) == "Lovelace 1843"
    assert short_name(made(authors=("Lovelace, Ada",))) == "Lovelace"
    assert short_name(made(title="Anonymous Tract", year=1700)) == "Anonymous Tract 1700"


def test_the_list_is_numbered_in_the_order_it_is_printed(tmp_path):
    text = 'sort = "title"\n' + "".join(
        f'[[resource]]\nid = "{rid}"\ntitle = "{title}"\n' for rid, title in [("c", "Cod"), ("a", "Auk")]
    )
    book = read_book(tmp_path, {"chapters/a.md": "# A\n", "resources.toml": text})
    assert [(r.id, r.number) for r in book.resources.resources] == [("a", 1), ("c", 2)]
