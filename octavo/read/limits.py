"""What a chapter may ask of the machine, checked on its text before any of the cost is paid.

Any input under a megabyte must build, or fail with a clear message, in bounded time and memory.
The expensive shapes are few and easy to see in the source: lists and quotes nested hundreds deep
(Python-Markdown recurses once per level, WeasyPrint lays out every box), thousands of footnotes,
and "words" of thousands of characters that no line can break. Each limit is far beyond any real
book; each message names the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_NESTING = 32  # lists and block quotes inside each other
# Footnotes are the costliest thing to lay out (about 30 ms each): 1,500 for every megabyte of text.
FOOTNOTES_PER_MEGABYTE = 1_500
MAX_WORD = 2_000  # characters without a space, code blocks included
# Characters of a text in book.toml's [book]: a blurb and a rights statement run long, the rest do not.
MAX_META_TEXT = {"description": 10_000, "rights": 5_000, "*": 1_000}

FENCE = re.compile(r"^\s*(```+|~~~+)")
QUOTE_PREFIX = re.compile(r"^(?:\s{0,3}>)+")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
FOOTNOTE_DEFINITION = re.compile(r"^\s{0,3}\[\^[^\]\n]+\]:", re.MULTILINE)
LONG_WORD = re.compile(r"\S{" + str(MAX_WORD + 1) + ",}")


@dataclass(frozen=True)
class Excess:
    """A limit a chapter goes beyond: what, where, and how to fix it."""

    message: str
    hint: str
    line: int | None = None


def excesses(text: str) -> list[Excess]:
    """Every limit the chapter's Markdown goes beyond (at most one report of each kind)."""
    nesting = word = None
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=1):
        if word is None and LONG_WORD.search(line):
            word = Excess(
                f"a run of more than {MAX_WORD:,} characters without a space",
                "break it up with spaces or line breaks",
                number,
            )
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        quotes = QUOTE_PREFIX.match(line)
        depth = quotes.group(0).count(">") if quotes else 0
        rest = line[quotes.end() :] if quotes else line
        item = LIST_ITEM.match(rest)
        if item:  # a level is indented 2 to 4 spaces: counting 4 never overstates the depth
            depth += len(item.group(1).expandtabs(4)) // 4 + 1
        if nesting is None and depth > MAX_NESTING:
            nesting = Excess(
                f"lists and quotes nested {depth} deep (at most {MAX_NESTING})",
                "flatten the structure: no page can show that many levels",
                number,
            )
    return [excess for excess in (nesting, word) if excess is not None]


def footnote_count(text: str) -> int:
    return len(FOOTNOTE_DEFINITION.findall(text))


def too_many_footnotes(counts: list[int], total_bytes: int) -> Excess | None:
    """The whole book's footnotes against what its size allows."""
    allowed = int(FOOTNOTES_PER_MEGABYTE * max(1.0, total_bytes / 1_000_000))
    total = sum(counts)
    if total <= allowed:
        return None
    return Excess(
        f"the book has {total:,} footnotes; a book of its size may have {allowed:,}",
        "turn some notes into text, or move sources into the resource list",
    )
