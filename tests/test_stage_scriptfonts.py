"""Fonts for the scripts a theme does not cover, in-process: which families a book's characters and
languages call for, how they join the theme's font stacks, and the faces the outputs carry."""

from __future__ import annotations

import io

import pytest
from conftest import read_book
from fontTools.ttLib import TTFont

from octavo.formats.pdf.fetcher import BookFetcher
from octavo.style.bookstyles import SCRIPT_FONTS_LABEL, book_style_parts
from octavo.style.fonts import book_characters, fonts_in, subset_font
from octavo.style.scriptfonts import FACES_FOLDER, missing_font_packages, needed_fonts, script_stylesheet

LATIN = frozenset(range(0x250))  # what a theme's Latin font covers, roughly

pytestmark = pytest.mark.skipif(bool(missing_font_packages()), reason="tools/system-deps build installs the fonts")


def names(families) -> list[str]:
    return [family.name for family in families]


@pytest.mark.parametrize(
    ("language", "face"),
    [("zh", "SC"), ("zh-CN", "SC"), ("zh-Hant", "TC"), ("zh-TW", "TC"), ("zh-HK", "HK"), ("ja", "JP"), ("ko", "KR")],
)
def test_han_characters_take_the_face_of_the_book_language(language, face):
    fonts = needed_fonts("漢字の本", LATIN, language, (), "serif")
    assert names(fonts.body)[0] == f"Noto Serif CJK {face}"
    assert names(fonts.mono)[0] == f"Noto Sans Mono CJK {face}"
    assert fonts.book_is_cjk


def test_a_sans_serif_theme_takes_the_sans_serif_families():
    fonts = needed_fonts("中文 שלום مرحبا", LATIN, "en", (), "sans")
    assert names(fonts.body) == ["Noto Sans CJK SC", "Noto Sans Hebrew", "Noto Sans Arabic"]


def test_each_script_takes_its_own_family_and_nothing_more():
    fonts = needed_fonts("שלום مرحبا नमस्ते สวัสดี ♠ 🌍 😀", LATIN, "en", (), "serif")
    assert names(fonts.body) == [
        "Noto Serif Hebrew",
        "Noto Serif Devanagari",
        "Noto Serif Thai",
        "Noto Naskh Arabic",
        "Noto Sans Symbols 2",
        "Symbola",  # the emoji faces Noto's symbol fonts lack, in outline
    ]
    assert not fonts.book_is_cjk


def test_a_book_its_theme_covers_needs_no_script_fonts():
    theme = LATIN | {ord(c) for c in "“”—"}
    assert needed_fonts("Plain English, with “quotes” — and dashes.", theme, "en", (), "serif") is None


def test_another_cjk_language_in_a_span_gets_its_own_face_by_lang():
    fonts = needed_fonts("中文。日本語。", LATIN, "zh", ("ja", "en"), "serif")
    assert [(tag, family.name) for tag, family in fonts.by_language] == [("ja", "Noto Serif CJK JP")]
    css = script_stylesheet(
        fonts, ':root { --font-body: "Charis SIL", serif; --font-mono: "Noto Sans Mono", monospace; }'
    )
    assert '[lang]:lang(ja) { font-family: "Noto Serif CJK JP", "Charis SIL", serif; }' in css


def test_the_stacks_keep_the_theme_fonts_and_end_with_the_generic_family():
    theme = ':root { --font-body: "Charis SIL", serif; --font-mono: "Noto Sans Mono", monospace; }'
    hebrew = script_stylesheet(needed_fonts("שלום", LATIN, "he", (), "serif"), theme)
    assert '--font-body: "Charis SIL", "Noto Serif Hebrew", serif;' in hebrew
    assert '--font-mono: "Noto Sans Mono", "Noto Sans Hebrew", monospace;' in hebrew
    chinese = script_stylesheet(needed_fonts("中文", LATIN, "zh", (), "serif"), theme)
    # In a Chinese book the CJK face comes first: its punctuation and quotes are full width.
    assert '--font-body: "Noto Serif CJK SC", "Charis SIL", serif;' in chinese
    assert '@font-face { font-family: "Noto Serif CJK SC"; src: url("NotoSerifCJK-Regular-2.otf"); ' in chinese


def test_a_book_gets_the_script_stylesheet_last_and_its_fonts_are_carried(tmp_path):
    book = read_book(tmp_path, {"chapters/a.md": "# 入门\n\n命令行是一种方式。\n"}, language="zh")
    parts = book_style_parts(book, "screen")
    assert parts[-1].label == SCRIPT_FONTS_LABEL and parts[-1].folder == FACES_FOLDER
    fonts = {font.href: font for font in fonts_in(parts)}
    regular = fonts["fonts/scripts/NotoSerifCJK-Regular-2.otf"]
    assert (regular.index, regular.media_type) == (2, "font/otf")
    subset = TTFont(io.BytesIO(subset_font(regular, book_characters(book))))
    assert subset["name"].getDebugName(1) == "Noto Serif CJK SC"  # the collection's Simplified Chinese font
    assert {ord(c) for c in "命令行"} <= set(subset.getBestCmap())
    assert len(subset.getBestCmap()) < 500  # cut down to the book's characters, not 44,000 of them


def test_the_pdf_fetcher_serves_a_collection_face_cut_down_to_the_book(tmp_path):
    book = read_book(tmp_path, {"chapters/a.md": "# 日本語\n\nひらがな。\n"}, language="ja")
    fetcher = BookFetcher(book.root, book.assets, book_characters(book))
    response = fetcher.fetch((FACES_FOLDER / "NotoSerifCJK-Bold-0.otf").as_uri())
    font = TTFont(io.BytesIO(response.body if hasattr(response, "body") else response.read()))
    assert font["name"].getDebugName(1).startswith("Noto Serif CJK JP")
    assert {ord(c) for c in "ひらがな"} <= set(font.getBestCmap())
    with pytest.raises(ValueError):  # only the registry's faces: no other file through that folder
        fetcher.fetch((FACES_FOLDER / ".." / ".." / ".." / "pyproject.toml").as_uri())


def test_another_theme_chosen_for_one_build_gets_its_own_script_families(tmp_path):
    from octavo.read.config import Overrides
    from octavo.read.load import load_book

    book = read_book(tmp_path, {"chapters/a.md": "# 入门\n\n命令行。\n"}, language="zh")
    assert names(book.script_fonts.body)[0] == "Noto Serif CJK SC"
    themed = load_book(book.root, overrides=Overrides(theme="modern"))  # build --theme modern
    assert names(themed.script_fonts.body)[0] == "Noto Sans CJK SC"
