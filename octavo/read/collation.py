"""Sorting words as the book's language does, with ICU (PyICU): Swedish puts å, ä, ö after z,
Spanish ñ after n, German ä with a, and an index groups its entries under the letters its readers
look for ("Å" in Swedish, "Ñ" in Spanish, pinyin initials in Chinese).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TypeVar

import icu  # type: ignore[import-untyped]  # PyICU has no type hints

T = TypeVar("T")


@cache
def collator(language: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(language.replace("-", "_") if language != "und" else "root"))


def sort_key(language: str) -> Callable[[str], bytes]:
    """A key that sorts text as `language` does."""
    compare = collator(language)
    return lambda text: bytes(compare.getSortKey(text))


def grouped_by_letter(language: str, items: Sequence[T], name: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """`items` under the letters of `language`'s alphabet, each group and each letter in its order;
    the letter is "" for what sorts before the alphabet (digits, symbols)."""
    index = icu.AlphabeticIndex(icu.Locale(language.replace("-", "_") if language != "und" else "root"))
    for position, item in enumerate(items):
        index.addRecord(name(item), position)
    groups: list[tuple[str, list[T]]] = []
    while index.nextBucket():
        if not index.bucketRecordCount:
            continue
        found = []
        while index.nextRecord():
            found.append(items[index.recordData])
        letter = index.bucketLabel if index.bucketLabelType == icu.UAlphabeticIndexLabelType.NORMAL else ""
        groups.append((letter, found))
    return groups
