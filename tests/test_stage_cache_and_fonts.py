"""The build cache's key and the PDF's font subsetter, in-process: what changes the key and what
does not; one subsetter whose bytes depend only on the font and the glyphs."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import time
from types import SimpleNamespace

import pytest
from conftest import write_book
from fontTools.misc.timeTools import timestampNow, timestampSinceEpoch
from fontTools.ttLib import TTFont

from octavo import builtin
from octavo.build.cache import BuildCache
from octavo.formats.pdf.fonts import fixed_font_timestamps, subset_font

OPTIONS = {"formats": ["epub", "pdf", "site"], "theme": None}
CHARIS = builtin.STYLES / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf"
INTER = builtin.STYLES / "fonts" / "inter" / "Inter-Regular.otf"


@pytest.fixture
def book(tmp_path):
    return write_book(
        tmp_path / "book",
        {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n', "chapters/a.md": "# A\n\nText.\n"},
    )


@pytest.fixture(autouse=True)
def octavo_at_rest(monkeypatch, tmp_path_factory):
    """Octavo's own files are in every key. These tests are about the book and the options, so they
    hash a small stand-in for Octavo: the real package folder may change while they run (a mutation
    run keeps its bookkeeping beside the code it mutates)."""
    package = tmp_path_factory.mktemp("octavo") / "octavo"
    package.mkdir()
    (package / "__init__.py").write_text('"""Octavo."""\n')
    monkeypatch.setattr(builtin, "PACKAGE", package)
    monkeypatch.setattr(builtin, "TEMPLATES", package / "templates")
    monkeypatch.setattr(builtin, "STYLES", package / "styles")
    return package


def key(book, out, options=OPTIONS) -> str:
    return BuildCache(book, out).inputs_digest(options)


def test_the_key_is_stable_and_ignores_what_is_no_input(book, tmp_path):
    out = book / "dist"
    first = key(book, out)
    out.mkdir()
    (out / "old.pdf").write_bytes(b"%PDF")  # the output folder, even inside the book
    (book / ".git").mkdir()
    (book / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert key(book, out) == first
    assert (book / ".octavo-cache").is_dir()  # the hashes are kept, and are no input either
    assert key(book, out) == first


def test_a_touched_file_with_the_same_content_keeps_the_key(book, tmp_path):
    first = key(book, tmp_path / "out")
    later = time.time() + 10
    os.utime(book / "chapters" / "a.md", (later, later))
    assert key(book, tmp_path / "out") == first


@pytest.mark.parametrize(
    "change",
    [
        lambda book: (book / "chapters" / "a.md").write_text("# A\n\nText!\n"),
        lambda book: (book / "chapters" / "b.md").write_text("# B\n"),
        lambda book: (book / "chapters" / "a.md").rename(book / "chapters" / "c.md"),
        lambda book: (book / "styles").mkdir() or (book / "styles" / "book.css").write_text("p { color: red }"),
    ],
    ids=["edit", "add", "rename", "stylesheet"],
)
def test_every_change_to_the_book_changes_the_key(book, tmp_path, change):
    first = key(book, tmp_path / "out")
    change(book)
    assert key(book, tmp_path / "out") != first


def test_other_options_give_another_key(book, tmp_path):
    assert key(book, tmp_path / "out") != key(book, tmp_path / "out", {**OPTIONS, "theme": "modern"})


def test_options_with_dates_are_keyed_by_the_date(book, tmp_path):
    """TOML dates reach the options as `datetime.date`, which JSON has no word for."""
    day = {**OPTIONS, "date": datetime.date(2024, 5, 1)}
    assert key(book, tmp_path / "out", day) != key(book, tmp_path / "out", {**day, "date": datetime.date(2024, 5, 2)})


def test_each_output_folder_has_its_own_record(book, tmp_path):
    """A build into `a/` says nothing of `b/`, even when `b/` holds the very same files."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    (first / "book.pdf").write_bytes(b"%PDF-1.7")
    shutil.copytree(first, second)  # the same names, sizes and times
    result = SimpleNamespace(files=[first / "book.pdf"], warnings=[], title="T", chapters=1, pages=1)
    BuildCache(book, first).remember("inputs", result)
    assert BuildCache(book, first).unchanged("inputs") is not None
    assert BuildCache(book, second).unchanged("inputs") is None


def test_an_mdbook_keeps_the_cache_in_its_build_folder_and_never_reads_that_folder(tmp_path):
    book = write_book(
        tmp_path / "guide",
        {"book.toml": '[book]\ntitle = "Guide"\n', "src/SUMMARY.md": "- [A](a.md)\n", "src/a.md": "# A\n"},
    )
    cache = BuildCache(book, book / "book" / "octavo")
    assert cache.folder == (book / "book" / ".octavo-cache").resolve()
    first = cache.inputs_digest(OPTIONS)
    (book / "book" / "index.html").write_text("<p>mdBook's own page</p>")  # what `mdbook build` wrote
    assert BuildCache(book, book / "book" / "octavo").inputs_digest(OPTIONS) == first
    assert not (book / ".octavo-cache").exists()


def test_octavos_templates_and_styles_beside_the_package_are_in_the_key(book, tmp_path, monkeypatch, octavo_at_rest):
    """In a checkout, templates/ and styles/ sit beside the package, not in it: hashed all the same."""
    checkout = octavo_at_rest.parent
    for name in ("templates", "styles"):
        (checkout / name).mkdir()
        monkeypatch.setattr(builtin, name.upper(), checkout / name)
    (checkout / "templates" / "page.html").write_text("<main>{{ body }}</main>")
    (checkout / "styles" / "base.css").write_text("p { margin: 0 }")
    first = key(book, tmp_path / "out")
    (checkout / "templates" / "page.html").write_text("<main class=book>{{ body }}</main>")
    second = key(book, tmp_path / "out")
    (checkout / "styles" / "base.css").write_text("p { margin: 1em }")
    assert len({first, second, key(book, tmp_path / "out")}) == 3


def set_mtime(path, seconds_ago: float) -> int:
    when = time.time_ns() - int(seconds_ago * 1e9)
    os.utime(path, ns=(when, when))
    return when


def test_a_remembered_hash_is_trusted_only_while_size_and_time_both_match(book, tmp_path):
    """Hashes are remembered by size and modification time; an edit that keeps one of them is seen."""
    chapter = book / "chapters" / "a.md"
    when = set_mtime(chapter, 3600)
    first = key(book, tmp_path / "out")  # hashed, and remembered: the file is an hour old
    chapter.write_text("# A\n\nText?\n")  # the same size, other words
    os.utime(chapter, ns=(when + 10**9, when + 10**9))  # another time, long ago
    second = key(book, tmp_path / "out")
    assert second != first
    chapter.write_text("# A\n\nLonger text.\n")  # another size, the same time
    os.utime(chapter, ns=(when + 10**9, when + 10**9))
    assert key(book, tmp_path / "out") not in (first, second)


def test_a_remembered_hash_is_used_while_size_and_time_match(book, tmp_path):
    """As git does: an edit that keeps both the size and the time (a restored backup) goes unseen,
    and that is what saves hashing every file of a large book on every build."""
    chapter = book / "chapters" / "a.md"
    when = set_mtime(chapter, 3600)
    first = key(book, tmp_path / "out")
    chapter.write_text("# A\n\nText?\n")  # the same size
    os.utime(chapter, ns=(when, when))  # and the same time
    assert key(book, tmp_path / "out") == first


def test_a_file_changed_a_moment_ago_is_hashed_again_next_time(book, tmp_path):
    """Its time may not move on its next edit (coarse clocks), so its hash is not remembered."""
    chapter = book / "chapters" / "a.md"
    when = set_mtime(chapter, 0.5)
    first = key(book, tmp_path / "out")
    chapter.write_text("# A\n\nText?\n")  # same size
    os.utime(chapter, ns=(when, when))  # and the same time
    assert key(book, tmp_path / "out") != first


def test_only_the_hashes_of_inputs_still_there_are_kept(book, tmp_path):
    import json

    (book / "chapters" / "b.md").write_text("# B\n")
    for path in (book / "chapters").iterdir():
        set_mtime(path, 3600)
    key(book, tmp_path / "out")
    kept = json.loads((book / ".octavo-cache" / "file-hashes.json").read_text())
    assert any(name.endswith("b.md") for name in kept)
    (book / "chapters" / "b.md").unlink()
    key(book, tmp_path / "out")
    kept = json.loads((book / ".octavo-cache" / "file-hashes.json").read_text())
    assert not any(name.endswith("b.md") for name in kept) and any(name.endswith("a.md") for name in kept)


def test_the_options_order_and_octavos_scratch_files_do_not_change_the_key(book, tmp_path):
    first = key(book, tmp_path / "out", {"formats": ["pdf"], "theme": None})
    assert key(book, tmp_path / "out", {"theme": None, "formats": ["pdf"]}) == first
    (book / ".dist.octavo-lock").write_text("")
    (book / ".dist.octavo-build-1234").mkdir()
    (book / ".dist.octavo-build-1234" / "half.pdf").write_text("%PDF")
    assert key(book, tmp_path / "out", {"formats": ["pdf"], "theme": None}) == first


# -- the PDF's font subsetter ------------------------------------------------------------------


def weasyprint_font(path, missing=None) -> SimpleNamespace:
    """What `subset_font` reads of a WeasyPrint font: its file, index, family and missing glyphs."""
    return SimpleNamespace(file_content=path.read_bytes(), index=0, family=path.stem, missing=missing or {})


@pytest.mark.parametrize("path", [CHARIS, INTER], ids=["truetype", "cff"])
def test_subsets_keep_the_used_glyphs_at_their_ids_and_nothing_a_viewer_never_reads(path):
    full = TTFont(path)
    cmap = full.getBestCmap()
    order = full.getGlyphOrder()
    used = {full.getGlyphID(cmap[ord(c)]): c for c in "Octavo"}
    font = weasyprint_font(path)
    subset_font(font, used, hinting=False)
    again = weasyprint_font(path)
    subset_font(again, used, hinting=False)
    assert font.file_content == again.file_content  # the same glyphs, the same bytes
    assert len(font.file_content) < path.stat().st_size / 5
    subset = TTFont(io.BytesIO(font.file_content))
    assert len(subset.getGlyphOrder()) == max(used) + 1  # ids kept: the PDF's text refers to them
    assert not {"GSUB", "GPOS", "Silf", "Silt", "Glat", "Gloc"} & set(subset.keys())
    kept_order = subset.getGlyphOrder()
    for gid in used:  # the same glyph at the same id: same advance width
        assert subset["hmtx"][kept_order[gid]] == full["hmtx"][order[gid]]
    if "glyf" in subset:
        assert all(subset["glyf"][kept_order[gid]].numberOfContours > 0 for gid in used)


def test_no_glyphs_leaves_the_font_alone():
    font = weasyprint_font(CHARIS)
    subset_font(font, {}, hinting=False)
    assert font.file_content == CHARIS.read_bytes()


def test_fonts_rewritten_by_fonttools_carry_the_books_date_not_the_clock():
    import datetime as dt

    when = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    before = os.environ.get("SOURCE_DATE_EPOCH")
    with fixed_font_timestamps(when):
        stamped = timestampNow()
        saved = io.BytesIO()
        TTFont(CHARIS).save(saved)  # fontTools sets head.modified as it saves
    assert stamped == timestampSinceEpoch(int(when.timestamp()))
    assert TTFont(saved)["head"].modified == stamped
    assert os.environ.get("SOURCE_DATE_EPOCH") == before


def test_weasyprint_subsets_through_octavo():
    from weasyprint.pdf.fonts import Font

    import octavo.formats.pdf.layout  # noqa: F401  (installs the subsetter)

    assert Font.subset is subset_font


def test_the_key_knows_the_versions_of_the_libraries_that_shape_the_outputs(monkeypatch, tmp_path):
    """The versions come from the .dist-info folders on sys.path, as importlib.metadata gives them."""
    from importlib.metadata import version

    from octavo.build.cache import library_versions, normalized

    assert normalized("Zope.Interface") == "zope_interface" and normalized("pymdown-extensions") == "pymdown_extensions"

    found = library_versions()
    for name in ("weasyprint", "ebooklib", "markdown", "pymdown-extensions", "python-barcode"):
        assert f"{normalized(name)}-{version(name)}" in [
            normalized(item.split("-")[0]) + "-" + item.split("-", 1)[1] for item in found
        ], name
    assert found == sorted(found) and not any(item.endswith(".dist-info") for item in found)
    # a library of another version installed ahead on the path is another key
    site = tmp_path / "site"
    (site / "weasyprint-99.0.dist-info").mkdir(parents=True)
    (site / "unrelated_tool-1.0.dist-info").mkdir()
    (site / "weasyprint_notes.txt").write_text("")
    monkeypatch.syspath_prepend(str(site))
    again = library_versions()
    assert "weasyprint-99.0" in again and not any(item.startswith("unrelated") for item in again)
    assert len(again) == len(found) + 1
    # "" on the path is the working folder, as Python reads it
    working = tmp_path / "working"
    (working / "weasyprint-98.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend("")
    monkeypatch.chdir(working)
    assert "weasyprint-98.0" in library_versions()
