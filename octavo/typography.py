"""The book's own words set as its chapters are: curly quotes and apostrophes, dashes, ellipses.

Chapter titles pass through Python-Markdown's smart quotes; the title in book.toml does not. On a
printed page the running head then said "Keeper's" over a chapter titled "Keeper’s". Templates
print titles through the `typographic` filter, with the same extension.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown import Markdown

MARKDOWN_SIGNS = re.compile(r"([\\`*_\[\]!#])")  # escaped: taken as written, not as Markdown


@lru_cache(maxsize=256)
def typographic(text: str) -> str:
    """`text` with smart quotes, dashes and ellipses, and nothing else changed."""
    if not text or not re.search(r"['\"]|--|\.\.\.", text):
        return text
    converted = Markdown(extensions=["smarty"]).convert(MARKDOWN_SIGNS.sub(r"\\\1", text))
    return html.unescape(re.sub(r"^<p>|</p>$", "", converted.strip()))


def plural(count: int, noun: str) -> str:
    """ "1 chapter", "2 chapters"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
