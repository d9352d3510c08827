"""book.toml read into BookConfig: defaults, derived values, accepted forms."""

from __future__ import annotations

import pytest
from conftest import write_book

from octavo.errors import BookError
from octavo.options import TABLES
from octavo.read.config import load_config


def config_of(tmp_path, toml: str, chapters=("chapters/a.md",)):
    files = {"book.toml": toml}
    files.update({name: "# A\n" for name in chapters})
    return load_config(write_book(tmp_path, files))


def test_identifier_is_derived_from_title_and_authors_and_stable(tmp_path):
    one = config_of(tmp_path / "1", '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n')
    again = config_of(tmp_path / "2", '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n')
    other = config_of(tmp_path / "3", '[book]\ntitle = "T"\nauthors = ["B"]\nlanguage = "en"\n')
    assert one.meta.identifier.startswith("urn:uuid:")
    assert one.meta.identifier == again.meta.identifier != other.meta.identifier


def test_given_identifier_is_kept(tmp_path):
    config = config_of(tmp_path, '[book]\ntitle = "T"\nlanguage = "en"\nidentifier = "urn:isbn:9780000000002"\n')
    assert config.meta.identifier == "urn:isbn:9780000000002"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("2024-05-01", "2024-05-01"),
        ('"2024-05"', "2024-05"),
        ('"2024"', "2024"),
        ("2024-05-01T10:00:00Z", "2024-05-01"),
    ],
)
def test_dates_in_iso_forms(tmp_path, written, kept):
    config = config_of(tmp_path, f'[book]\ntitle = "T"\nlanguage = "en"\ndate = {written}\n')
    assert config.meta.date == kept


def test_bad_date_is_an_error_with_its_line(tmp_path):
    with pytest.raises(BookError) as error:
        config_of(tmp_path, '[book]\ntitle = "T"\nlanguage = "en"\ndate = "May 2024"\n')
    assert error.value.problems[0].line == 4


def test_chapters_default_to_every_markdown_file_under_chapters_by_name(tmp_path):
    config = config_of(
        tmp_path,
        '[book]\ntitle = "T"\nlanguage = "en"\n',
        chapters=("chapters/10-z.md", "chapters/02-b.md", "chapters/part/01-a.md", "notes.md"),
    )
    names = [path.relative_to(tmp_path.resolve()).as_posix() for path in config.chapter_files]
    assert names == ["chapters/02-b.md", "chapters/10-z.md", "chapters/part/01-a.md"]


def test_chapters_listed_in_book_toml_keep_their_order(tmp_path):
    config = config_of(
        tmp_path,
        '[book]\ntitle = "T"\nlanguage = "en"\nchapters = ["z.md", "a.md"]\n',
        chapters=("z.md", "a.md"),
    )
    assert [path.name for path in config.chapter_files] == ["z.md", "a.md"]


def test_a_single_author_may_be_written_as_text(tmp_path):
    config = config_of(tmp_path, '[book]\ntitle = "T"\nlanguage = "en"\nauthors = "Ada"\n')
    assert config.meta.authors == ("Ada",)


def test_unknown_table_is_an_error(tmp_path):
    with pytest.raises(BookError) as error:
        config_of(tmp_path, '[book]\ntitle = "T"\nlanguage = "en"\n\n[bok]\nx = 1\n')
    problem = error.value.problems[0]
    assert "unknown table [bok]" in problem.message and problem.line == 5


def test_every_problem_in_book_toml_is_reported_at_once_with_its_line(tmp_path):
    toml = '[book]\ntitle = "T"\nlanguage = "en"\ntitel = "typo"\n\n[pdf]\npage_size = "A55"\n'
    with pytest.raises(BookError) as error:
        config_of(tmp_path, toml)
    found = {problem.line: problem for problem in error.value.problems}
    assert set(found) == {4, 7}
    assert "titel" in found[4].message and "title" in found[4].hint  # did you mean
    assert "A55" in found[7].message


def test_invalid_toml_is_one_error_with_line_and_column(tmp_path):
    with pytest.raises(BookError) as error:
        config_of(tmp_path, '[book]\ntitle = "T\nlanguage = "en"\n')
    [problem] = error.value.problems
    assert problem.file.name == "book.toml" and problem.line == 2


def test_page_geometry_and_contents_settings_are_read(tmp_path):
    toml = '[book]\ntitle = "T"\nlanguage = "en"\n\n[pdf]\npage_size = "6in 9in"\nbleed = "3mm"\n\n[toc]\ndepth = 1\n'
    config = config_of(tmp_path, toml)
    assert (config.pdf.width, config.pdf.height, config.pdf.bleed) == ("6in", "9in", "3mm")
    assert config.toc_depth == 1


def test_the_reference_page_says_what_the_declared_settings_are():
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "tools"))
    from make_reference import PAGE, with_tables

    page = PAGE.read_text(encoding="utf-8")
    assert with_tables(page) == page, "docs/reference.md is behind octavo/options.py: run tools/make_reference.py"


def test_every_setting_octavo_new_shows_is_one_book_toml_takes(tmp_path):
    """Every commented example of the scaffold, un-commented at once, reads without a problem, and
    every key the reading stage knows is declared (and so documented)."""
    from octavo.errors import ProblemCollector
    from octavo.options import OPTIONS, commented_book_toml
    from octavo.read import config

    scaffold = commented_book_toml('title = "T"', 'language = "en"')
    toml = "\n".join(
        line[2:] if line.startswith("# ") and "=" in line.split("#")[1] else line for line in scaffold.splitlines()
    )
    toml = toml.replace("# [", "[")
    shown = sum(1 for option in OPTIONS if option.example)
    assert shown >= 20 and toml.count(" = ") >= shown
    files = {
        "book.toml": toml,
        "chapters/01-welcome.md": "# A\n",
        "chapters/02-writing.md": "# B\n",
        "styles/book.css": "",
        "references.bib": "",
    }
    found = ProblemCollector()
    read = config.load_config(write_book(tmp_path, files), found)
    assert found.problems == [] and found.warnings == []
    assert read.pdf.bleed == "0.125in" and read.theme.variables == (("accent", "#0b6e4f"),)
    assert read.markdown.names == ["pymdownx.mark"]
    # Every setting is checked by its declared check, but for those whose reading needs the book folder
    # or an installed package: adding a setting without a check is a decision this list records.
    read_by_own_code = {(option.table, option.key) for option in OPTIONS if option.check is None}
    assert read_by_own_code == {
        *(("book", "chapters"), ("theme", "name"), ("theme", "variables"), ("theme", "css")),
        *(("theme.variables", "accent"), ("pdf", "margins"), ("markdown", "extensions"), ("resources", "files")),
        *(("resources", "style"), ("print", "author_photo")),
    }


def test_places_in_book_toml_come_from_the_toml_parser():
    """Where a pattern would misread: a table header inside a multi-line string, a key repeated in
    another table, quoted dotted keys, arrays over lines, inline tables, tables out of order."""
    from octavo.read.config import key_line
    from octavo.read.tomlplaces import place_of

    text = (
        '[book]\ntitle = "T"\ndescription = """\n[pdf]\npage_size = "not here"\n"""\n'  # 1-6
        'authors = [\n  "A",\n  "B",\n]\n'  # 7-10
        '[pdf]\nmargins = { top = "1mm", inner = "2mm" }\npage_size = "a4"\n'  # 11-13
        '[markdown.extensions]\n"pymdownx.keys" = { separator = "-" }\n'  # 14-15
        "[output.html]\nmathjax-support = true\n[output.octavo.toc]\ndepth = 3\n"  # 16-19
    )
    assert key_line(text, "pdf", "page_size") == 13  # not line 5, inside the description
    assert key_line(text, "book", "authors") == 7
    assert place_of(text, "pdf", "margins")[0] == 12 and place_of(text, "pdf.margins", "inner") == (12, 34)
    assert key_line(text, "markdown.extensions", "pymdownx.keys") == 15
    assert key_line(text, "toc", "depth") == 19  # an mdBook's [output.octavo.toc]
    assert key_line(text, None, "pdf") == 11 and key_line(text, None, "output") == 16
    assert key_line(text, "pdf", "bleed") is None


def test_every_mistake_in_book_toml_is_reported_at_once_at_its_value(tmp_path):
    """One run names them all, each at the line and column of its value as the TOML parser places it:
    the second item of a list over several lines (a comment before it names it too), a key of a
    [pdf.margins] table, values in every table."""
    toml = (
        "[book]\n"
        'title = "T"\n'
        'language = "english"\n'  # 3
        "chapters = [\n"
        '  "a.md",  # not "b.md" yet\n'
        '  "b.md",\n'  # 6
        "]\n"
        "[pdf]\n"
        'recto_chapters = "yes"\n'  # 9
        "[pdf.margins]\n"
        'inner = "wide"\n'  # 11
        "[toc]\n"
        "depth = 9\n"  # 13
        "[epub]\n"
        'accessibility_hazards = ["loud"]\n'  # 15
        "[build]\n"
        'transforms = ["nonesuch"]\n'  # 17
    )
    folder = write_book(tmp_path, {"book.toml": toml, "a.md": "# A\n"})
    with pytest.raises(BookError) as raised:
        load_config(folder)
    found = {(problem.line, problem.column): problem.message for problem in raised.value.problems}
    assert found == {
        (3, 12): "'language' is not a BCP 47 language tag: 'english'",
        (6, 3): "chapter file not found: 'b.md'",
        (9, 18): "'recto_chapters' must be true or false",
        (11, 9): "margin 'inner' is not a length: 'wide'",
        (13, 9): "'depth' must be a number from 1 to 6, not 9",
        (15, 25): "unknown accessibility hazards ['loud']",
        (17, 15): "no transform named 'nonesuch' is installed",
    }
    assert all(problem.excerpt == toml.split("\n")[problem.line - 1] for problem in raised.value.problems)


@pytest.mark.parametrize(("key", "value"), [("bleed", "false"), ("bleed", "0"), ("variant", "false")])
def test_a_length_or_variant_that_is_not_text_is_an_error(tmp_path, key, value):
    with pytest.raises(BookError) as error:
        config_of(tmp_path, f'[book]\ntitle = "T"\nlanguage = "en"\n[pdf]\n{key} = {value}\n')
    [problem] = error.value.problems
    assert problem.line == 5 and value in problem.message.lower()


@pytest.mark.parametrize("table", [name for name in TABLES if name != "book"])
def test_an_unknown_key_in_any_table_is_named_at_its_line(tmp_path, table):
    """Each table of book.toml says where its unknown key stands: `book.toml:N:`, not just the file."""
    text = '[book]\ntitle = "T"\nlanguage = "en"\n\n# a comment, to move the line on\n' + f"[{table}]\npaper_size = 1\n"
    write_book(tmp_path, {"book.toml": text, "chapters/a.md": "# A\n"})
    with pytest.raises(BookError) as error:
        load_config(tmp_path)
    problem = next(p for p in error.value.problems if "paper_size" in p.message)
    assert problem.message == f"unknown key 'paper_size' in [{table}]"
    assert problem.line == 7 and "book.toml:7:" in problem.format(tmp_path)


@pytest.mark.parametrize(
    ("table", "key", "message"),
    [
        ("book", "paper_size", "unknown key 'paper_size' in [book]"),
        ("pdf.margins", "gutter", "unknown margin 'gutter'"),
        ("theme.variables", "paper-size", "unknown theme variable 'paper-size'"),
    ],
)
def test_an_unknown_key_in_book_and_the_inner_tables_is_named_at_its_line(tmp_path, table, key, message):
    text = '[book]\ntitle = "T"\nlanguage = "en"\n'
    text += f'{key} = "1"\n' if table == "book" else f'\n[{table}]\n{key} = "1"\n'
    write_book(tmp_path, {"book.toml": text, "chapters/a.md": "# A\n"})
    with pytest.raises(BookError) as error:
        load_config(tmp_path)
    problem = next(p for p in error.value.problems if key in p.message)
    line = 4 if table == "book" else 6
    assert problem.message == message and problem.line == line and f"book.toml:{line}:" in problem.format(tmp_path)


def test_the_checks_at_their_edges():
    """What each kind of setting takes and makes of it, at the edges of what it takes."""
    from octavo import checks
    from octavo.checks import Invalid

    between = checks.number_between(1, 6)
    assert (between("depth", 1), between("depth", 6)) == (1, 6)
    for wrong in (0, 7, True, "2", 2.0):
        with pytest.raises(Invalid, match="must be a number from 1 to 6"):
            between("depth", wrong)
    assert checks.site_url("url", "") == ""
    assert checks.site_url("url", " https://example.org/book ") == "https://example.org/book/"
    assert checks.site_url("url", "https://example.org/book/") == "https://example.org/book/"
    for wrong in ("example.org", "https://example.org/a b", "https://example.org/?q", "https://example.org/#x"):
        with pytest.raises(Invalid) as raised:
            checks.site_url("url", wrong)
        assert raised.value.hint == 'write url = "https://example.org/my-book/"'
    hazards = checks.any_of(("none", "sound"), "hazards")
    assert hazards("h", "none") == ("none",) and hazards("h", ["none", "sound"]) == ("none", "sound")
    for wrong in ([], ["loud"], ["none", "loud"], 5):
        with pytest.raises(Invalid) as raised:
            hazards("h", wrong)
        assert raised.value.message.startswith("unknown hazards") and raised.value.hint == "valid: none, sound"
    paper = checks.one_of(("white", "cream"))
    assert paper("paper", "cream") == "cream"
    with pytest.raises(Invalid) as raised:
        paper("paper", "glossy")
    assert (raised.value.message, raised.value.hint) == (
        "'paper' must be one of white, cream, not 'glossy'",
        'write paper = "white"',
    )
    assert checks.isbn("isbn", "") == "" and checks.isbn("isbn", " 978 0 306 40615 7 ") == "9780306406157"
    assert checks.price("price", "") == "" and checks.price("price", "cad 7") == "CAD 7.00"


def test_a_books_own_tables_go_over_the_shared_ones_key_by_key():
    """A catalogue's shared settings under each book's own: [theme.variables] name by name, and a
    book's table that is no table at all is kept as written, to be reported as such."""
    from octavo.read.config import under

    shared = {"theme": {"name": "modern", "variables": {"accent": "red", "paper": "white"}}, "pdf": {"page_size": "a5"}}
    data = {"book": {"title": "T"}, "theme": {"variables": {"accent": "blue"}}, "pdf": 5}
    assert under(shared, data) == {
        "book": {"title": "T"},
        "theme": {"name": "modern", "variables": {"accent": "blue", "paper": "white"}},
        "pdf": 5,
    }
    assert under(shared, {"theme": {"name": "classic"}})["theme"] == {
        "name": "classic",
        "variables": {"accent": "red", "paper": "white"},
    }
    assert under(shared, {})["pdf"] == {"page_size": "a5"}


def test_a_chapter_in_the_chapters_folder_that_leads_outside_is_an_error(tmp_path):
    """Chapters found in chapters/ (no list in book.toml), in the order of their paths as written."""
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n")
    book = write_book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n',
            "chapters/a-b.md": "# A-B\n",
            "chapters/a/c.md": "# C\n",
        },
    )
    assert [p.relative_to(book).as_posix() for p in load_config(book).chapter_files] == [
        "chapters/a-b.md",  # "-" before "/", as the paths are written
        "chapters/a/c.md",
    ]
    (book / "chapters" / "escape.md").symlink_to(secret)
    with pytest.raises(BookError) as raised:
        load_config(book)
    [problem] = raised.value.problems
    assert (problem.file.name, problem.message, problem.hint) == (
        "escape.md",
        "this chapter leads outside the book folder",
        "make it a file of the book",
    )
