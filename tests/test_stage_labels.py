"""The words Octavo prints itself, in-process: every language has every word English has, none
left as an English copy, a language tag finds its table ("pt-BR" uses Portuguese), and a language
without a table falls back to English and says so."""

from __future__ import annotations

import unicodedata

import pytest

from octavo.labels import LABELS, has_labels, labels_for

ENGLISH = LABELS["en"]
TRANSLATIONS = sorted(language for language in LABELS if language != "en")

# Words that are the same in English and in the language itself, not untranslated copies.
SAME_AS_ENGLISH = {
    "de": {"version", "listing"},
    "fr": {
        "version",
        "footnotes",
        "index",
        "pages",
        "figure",
        "xref_section",
        "xref_figure",
        "page",
        "callout_important",
        "listing",
        "xref_listing",
        "introduction",
    },
    "nl": {"callout_tip", "listing", "xref_listing"},
    "pl": {"listing", "xref_listing"},
}

# The script whose letters each language's words must be written in (a check against pasting
# the wrong language's words); spaces, punctuation and combining marks of that script pass too.
SCRIPTS = {"ar": "ARABIC", "he": "HEBREW", "ru": "CYRILLIC", "el": "GREEK", "hi": "DEVANAGARI"}


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_table_has_exactly_the_english_words(language):
    table = LABELS[language]
    assert set(table) == set(ENGLISH)
    assert all(value.strip() == value and value for value in table.values()), table


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_no_word_is_left_in_english(language):
    copied = {key for key, value in LABELS[language].items() if value == ENGLISH[key]}
    assert copied == SAME_AS_ENGLISH.get(language, set())


@pytest.mark.parametrize(("language", "script"), sorted(SCRIPTS.items()))
def test_words_are_written_in_the_language_s_script(language, script):
    for key, value in LABELS[language].items():
        strangers = [
            char
            for char in value
            if not unicodedata.category(char).startswith(("Z", "P"))
            and not unicodedata.name(char, "").startswith(script)
        ]
        assert not strangers, (key, value, strangers)


@pytest.mark.parametrize("language", [code for code in TRANSLATIONS if code != "de"])  # German capitalises nouns
def test_cross_reference_words_run_on_in_lowercase(language):
    for key, value in LABELS[language].items():
        if key.startswith("xref_"):
            assert value == value.lower(), (key, value)


def test_a_language_tag_finds_its_table_by_primary_subtag():
    assert labels_for("pt-BR") == LABELS["pt"]
    assert labels_for("PT") == LABELS["pt"]
    assert labels_for("de-CH")["contents"] == "Inhalt"
    assert labels_for("en-GB") == ENGLISH


def test_traditional_chinese_has_its_own_table():
    assert labels_for("zh") == LABELS["zh"]
    assert labels_for("zh-CN") == LABELS["zh"]
    assert labels_for("zh-Hans-HK") == LABELS["zh"]
    for tag in ("zh-Hant", "zh-TW", "zh-HK", "zh_MO", "zh-Hant-TW"):
        assert labels_for(tag) == LABELS["zh-hant"], tag
    assert labels_for("zh-Hant")["contents"] != labels_for("zh")["contents"]


def test_an_unknown_language_falls_back_to_english():
    assert labels_for("xx") == ENGLISH
    assert labels_for("xx-YY") == ENGLISH
    assert labels_for("xx") is not ENGLISH  # a copy: a caller changing it changes no other book


def test_has_labels_says_whether_a_language_has_its_own_table():
    for tag in ("en", "en-US", "pt-BR", "ja", "zh-TW", "he", "ar-EG"):
        assert has_labels(tag), tag
    for tag in ("xx", "sv", "fi-FI", ""):
        assert not has_labels(tag), tag
