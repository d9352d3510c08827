"""A manuscript's block structure as GitHub reads it, in the form Python-Markdown reads.

Python-Markdown nests a list only under four spaces. GitHub (CommonMark) nests whatever reaches the
parent item's text: two spaces under `- `, three under `1. `. Books written for GitHub came out with
flat lists, and their fences inside list items were not code. This pass follows CommonMark's rule
for what belongs to which list item and re-indents each item's content to four spaces a level. It
also rewrites every opening fence's info string (see `fences`). Everything else is left as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fences import normalized_info

MARKER = re.compile(r"(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|$)")
THEMATIC_BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FENCE_OPENING = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
EQUATION_ID = re.compile(r"\$\$[ \t]*\{#([A-Za-z][\w:.-]*)\}[ \t]*$")  # `$$ {#eq-x}`: pandoc's and Quarto's label
DETAILS = re.compile(r"<details(?![^>]*\bmarkdown=)(?=[\s>])", re.IGNORECASE)
STEP = 4  # Python-Markdown's indentation of one list level


@dataclass
class Item:
    """An open list item: the column its text starts at, as written."""

    content: int


@dataclass
class Fence:
    marker: str
    shift: int  # columns added to (or taken from) every line of the block


def list_marker(line: str) -> re.Match | None:
    """A list item's marker at the start of `line` (already without indentation)."""
    if THEMATIC_BREAK.match(line):
        return None
    return MARKER.match(line)


def normalize_blocks(text: str) -> str:
    """`text` with list items nested the way GitHub nests them and fence info strings normalised."""
    if "<details" in text:  # GitHub reads Markdown inside <details>; Python-Markdown wants it asked for
        text = DETAILS.sub('<details markdown="1"', text)
    if "$$" in text:
        text = "\n".join(EQUATION_ID.sub(r"\\label{\1}$$", line) for line in text.split("\n"))
    if "```" not in text and "~~~" not in text and not re.search(r"^[ \t]*([-*+]|\d{1,9}[.)])[ \t]", text, re.M):
        return text
    out: list[str] = []
    items: list[Item] = []
    fence: Fence | None = None
    after_text = False  # the previous line was paragraph text (a lazy continuation line may follow)
    for raw in text.split("\n"):
        line = expand_indentation(raw)
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if fence is not None:
            closing = stripped.rstrip()
            out.append(shifted(line, fence.shift))
            if closing.startswith(fence.marker) and not closing.strip(fence.marker[0]):
                fence = None
                out.append("")  # GitHub lets a list item follow a fence directly; Python-Markdown needs a gap
            continue
        if not stripped:
            out.append(raw)
            after_text = False
            continue
        marker = list_marker(stripped)
        opening = FENCE_OPENING.match(stripped)
        if items and indent < items[-1].content and after_text and not marker and not opening:
            out.append(raw)  # a lazy continuation of the item's paragraph
            continue
        while items and indent < items[-1].content:
            items.pop()
        depth = len(items)
        relative = indent - items[-1].content if items else indent
        if relative >= STEP:  # indented code, inside an item or not
            out.append(" " * (STEP * depth + relative) + stripped if items else raw)
            after_text = False
            continue
        new_indent = STEP * depth if items else indent
        if opening:
            info = normalized_info(opening.group("info"))
            out.append(" " * new_indent + opening.group("fence") + info)
            fence = Fence(opening.group("fence"), new_indent - indent)
            after_text = False
            continue
        if marker:
            gap = len(marker.group("gap"))
            width = len(marker.group("marker")) + (gap if 0 < gap <= 4 else 1)
            items.append(Item(indent + width))
        out.append(" " * new_indent + stripped if items or marker else raw)
        after_text = not stripped.startswith(("#", "|", "<")) or bool(marker)
    return "\n".join(out)


def expand_indentation(line: str) -> str:
    """Leading tabs as spaces to the next multiple of four, the rest of the line as written."""
    if not line.startswith("\t") and "\t" not in line[: len(line) - len(line.lstrip())]:
        return line
    stripped = line.lstrip(" \t")
    return line[: len(line) - len(stripped)].expandtabs(STEP) + stripped


def shifted(line: str, shift: int) -> str:
    if shift >= 0:
        return " " * shift + line if line.strip() else line
    removable = len(line) - len(line.lstrip(" "))
    return line[min(-shift, removable) :]
