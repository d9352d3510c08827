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
# What this pass rewrites; a text with none of it is returned as it is.
NEEDS_WORK = re.compile(r"```|~~~|<details|\$\$|^[ \t]*([-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE | re.IGNORECASE)
STEP = 4  # Python-Markdown's indentation of one list level


@dataclass
class Item:
    """An open list item: the column its text starts at, as written."""

    content: int
    loose: bool = False  # a blank line inside it: Python-Markdown then needs one before the next item


@dataclass
class Fence:
    marker: str
    shift: int  # columns added to (or taken from) every line of the block


def list_marker(line: str, interrupts_text: bool) -> re.Match[str] | None:
    """A list item's marker at the start of `line` (already without indentation). A list that
    would interrupt a paragraph must start at 1, as in CommonMark: "in\n2019. Then" is one paragraph."""
    if THEMATIC_BREAK.match(line):
        return None
    found = MARKER.match(line)
    if found and interrupts_text and found.group("marker")[0].isdigit() and int(found.group("marker")[:-1]) != 1:
        return None
    return found


def as_python_markdown_marker(stripped: str, marker: re.Match[str]) -> str:
    """`1)` as `1.`: Python-Markdown reads only the second."""
    written = marker.group("marker")
    return written[:-1] + "." + stripped[len(written) :] if written.endswith(")") else stripped


def rewritten_line(stripped: str) -> str:
    """A `<details>` opening that reads Markdown inside, and `$$ {#eq-x}` as a LaTeX label."""
    if stripped.lower().startswith("<details"):
        stripped = DETAILS.sub('<details markdown="1"', stripped, count=1)
    if stripped.endswith("}") and "$$" in stripped:
        stripped = EQUATION_ID.sub(r"\\label{\1}$$", stripped)
    return stripped


def normalize_blocks(text: str) -> str:
    """`text` with list items nested the way GitHub nests them, fence info strings normalised,
    Markdown read inside `<details>`, and equation labels; code and raw `<pre>` left as written."""
    if not NEEDS_WORK.search(text):
        return text
    out: list[str] = []
    items: list[Item] = []
    fence: Fence | None = None
    in_pre = False
    after_text = False  # the previous line was paragraph text (a lazy continuation line may follow)
    after_quote = False  # ... or a quote, which GitHub ends at a list item and Python-Markdown does not
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
        if in_pre or (not items and indent < STEP and stripped.lower().startswith("<pre")):
            out.append(raw)  # raw preformatted HTML, as written
            in_pre = "</pre>" not in stripped.lower()
            after_text = False
            continue
        if not stripped:
            out.append(raw)
            if items:
                items[-1].loose = True
            after_text = after_quote = False
            continue
        lazy_candidate = items and indent < items[-1].content and after_text
        interrupts = after_text and not (items and indent < items[-1].content)
        marker = list_marker(stripped, interrupts)
        if not marker and items and list_marker(stripped, False):
            # not a list here ("in\n2019. Then"), and Python-Markdown would take it for one under an item
            stripped = re.sub(r"^(\d+)([.)])", r"\1\\\2", stripped, count=1)
        opening = FENCE_OPENING.match(stripped)
        if lazy_candidate and not marker and not opening:
            out.append(raw)  # a lazy continuation of the item's paragraph
            continue
        popped_loose = False
        while items and indent < items[-1].content:
            popped_loose |= items.pop().loose
        depth = len(items)
        relative = indent - items[-1].content if items else indent
        if relative >= STEP and not after_text:  # indented code, inside an item or not
            out.append(" " * (STEP * depth + relative) + stripped if items else raw)
            continue
        new_indent = STEP * depth if items else indent
        if (opening or (items and stripped.startswith((">", "|")))) and after_text:
            out.append("")  # GitHub lets a fence, a quote or a table interrupt text; Python-Markdown needs a gap
        if opening:
            info = normalized_info(opening.group("info"))
            out.append(" " * new_indent + opening.group("fence") + info)
            fence = Fence(opening.group("fence"), new_indent - indent)
            after_text = False
            continue
        if marker:
            if (popped_loose or after_quote) and out and out[-1].strip():
                out.append("")  # the item before had paragraphs: the next one starts after a gap
            gap = len(marker.group("gap"))
            width = len(marker.group("marker")) + (gap if 0 < gap <= 4 else 1)
            items.append(Item(indent + width))
            stripped = as_python_markdown_marker(stripped, marker)
        stripped = rewritten_line(stripped)
        out.append(
            " " * new_indent + stripped
            if items or marker
            else (raw if stripped == raw.lstrip() else " " * indent + stripped)
        )
        after_text = not stripped.startswith(("#", "|", "<")) or bool(marker)
        after_quote = stripped.startswith(">")
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
