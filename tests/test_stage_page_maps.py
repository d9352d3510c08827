"""The page map a layout leaves for the next build of the same text, and the fonts' code points kept
between builds: both only ever stand for the exact inputs they were made from."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import read_book

from octavo import builtin
from octavo.build.pagemaps import KEPT, PageMapStore
from octavo.errors import BookError
from octavo.formats.epub import EpubFormat
from octavo.formats.pagemap import PageMap
from octavo.style import scriptfonts

MAP = PageMap({"pb1-0": ["1"], "pb1-9": ["2", "3"]}, ["1", "2", "3"])
CHARIS = builtin.STYLES / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf"


def test_a_kept_page_map_comes_back_whole_under_its_own_key_only(tmp_path):
    store = PageMapStore(tmp_path / "cache", "a" * 64)
    assert store.load() is None and not store.exists()
    store.save(MAP)
    assert store.load() == MAP
    assert PageMapStore(tmp_path / "cache", "b" * 64).load() is None
    # Two keys that share the file name's prefix: the file's own key decides.
    assert PageMapStore(tmp_path / "cache", "a" * 32 + "c" * 32).load() is None


def test_a_damaged_page_map_is_no_page_map(tmp_path):
    store = PageMapStore(tmp_path, "d" * 64)
    store.save(MAP)
    store.file.write_text('{"key": "' + "d" * 64 + '", "markers": [1], "labels": []}', encoding="utf-8")
    assert store.load() is None
    store.file.write_text("{", encoding="utf-8")
    assert store.load() is None


def test_only_the_newest_page_maps_are_kept(tmp_path):
    stores = [PageMapStore(tmp_path, f"{n:x}" * 64) for n in range(KEPT + 2)]
    for number, store in enumerate(stores):
        store.save(MAP)
        os.utime(store.file, ns=(number * 10**9, number * 10**9))
    stores[-1].save(MAP)  # pruning happens on saving
    assert [store.exists() for store in stores] == [False] * 2 + [True] * KEPT


@pytest.mark.parametrize(
    ("written", "meant"),
    [("", "auto"), ('page_list = "auto"', "auto"), ("page_list = true", "always"), ("page_list = false", "never")],
)
def test_page_list_settings(tmp_path, written, meant):
    config = f'[book]\ntitle = "T"\nlanguage = "en"\n[epub]\n{written}\n'
    book = read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})
    assert book.config.epub.page_list == meant
    epub = EpubFormat()
    assert epub.needs_page_map(book) == (meant != "never")
    assert epub.waits_for_page_map(book) == (meant == "always")


def test_a_page_list_that_is_no_choice_is_named_at_its_line(tmp_path):
    with pytest.raises(BookError) as raised:
        config = '[book]\ntitle = "T"\nlanguage = "en"\n[epub]\npage_list = "print"\n'
        read_book(tmp_path, {"book.toml": config, "chapters/a.md": "# A\n"})
    message = raised.value.problems[0].format(tmp_path)
    assert message.startswith("book.toml:5:13: error: 'page_list' must be \"auto\", true or false, not 'print'")


def test_a_fonts_code_points_are_read_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    font = tmp_path / "font.ttf"
    shutil.copy(CHARIS, font)
    mtime = font.stat().st_mtime_ns
    first = scriptfonts.face_characters.__wrapped__(font, 0, mtime)
    assert ord("é") in first and len(first) > 1000
    kept = scriptfonts.coverage_file(font, 0, mtime)
    assert kept.is_file()
    font.write_bytes(bytes(font.stat().st_size))  # no font any more, but of the same size and time
    os.utime(font, ns=(mtime, mtime))
    assert scriptfonts.face_characters.__wrapped__(font, 0, mtime) == first  # the kept file answered
    # A font of another time (or size) has another file, so it is read anew: here, as no font at all.
    assert scriptfonts.coverage_file(font, 0, mtime + 1) != kept
    assert scriptfonts.face_characters.__wrapped__(font, 0, mtime + 1) == frozenset()


def test_packed_code_points_unpack_to_the_same(tmp_path):
    codes = frozenset([*range(32, 127), 160, 0x21A9, *range(0x4E00, 0x9FFF)])
    assert scriptfonts.unpacked(scriptfonts.packed(codes)) == codes
    assert scriptfonts.unpacked(scriptfonts.packed(frozenset())) == set()


def test_blocks_skip_code_and_footnotes_but_not_other_sections():
    from lxml import etree

    from octavo.formats.pagemap import blocks

    root = etree.fromstring(
        "<body><p id='a'/><pre><p id='in-code'/></pre><section class='aside'><p id='b'/></section>"
        "<section class='footnotes'><ol><li id='note'/></ol></section><section><li id='c'/></section></body>"
    )
    assert [element.get("id") for element in blocks(root)] == ["a", None, "b", "c"]  # the pre, not what is in it


class LaidPage:
    def __init__(self, *anchors: str) -> None:
        self.anchors = dict.fromkeys(anchors, (0, 0))


def test_a_page_starts_at_the_first_block_it_opens_in_reading_order():
    from octavo.formats.pagemap import page_map

    order = {"p1": 0, "zz": 1, "aa": 2, "p4": 3}  # keys whose alphabetical order is not the reading order
    pages = [LaidPage(), LaidPage("aa", "zz"), LaidPage("zz", "p4"), LaidPage()]  # zz runs on to page 3
    mapped = page_map(pages, ["i", "1", "2", "3"], order, 1)
    # zz before aa in reading order; the last page opens no block, so no marker stands for it
    assert mapped.markers == {"zz": ["1"], "p4": ["2"]}
    assert mapped.labels == ["1", "2"]


def test_markers_go_before_a_block_or_first_inside_one_whose_parent_takes_no_text():
    from lxml import etree

    from octavo.formats.pagemap import marker_place

    root = etree.fromstring(
        "<body><p id='p'/><ol><li id='li'/></ol><table><tr id='tr'><th id='th'/></tr>"
        "<tr><td id='td'/></tr><tr/></table></body>"
    )
    paragraph, item = root.find("p"), root.find("ol/li")
    head_row, body_row, empty_row = root.findall("table/tr")
    assert marker_place(paragraph) == (root, 0)
    assert marker_place(item) == (item, 0)
    assert marker_place(head_row) == (head_row.find("th"), 0)
    assert marker_place(body_row) == (body_row.find("td"), 0)
    assert marker_place(empty_row) == (empty_row, 0)  # raw HTML may write one
    assert marker_place(root) == (root, 0)  # no parent
