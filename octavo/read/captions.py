"""Numbered figures, tables, code listings and equations, each one a target of cross-references.

Books number what they refer to. Each kind is numbered through the book when it has a caption or an
id, and a `[](#tbl-prices)` link then reads "table 2" (with its page in print). The captions are
written as authors of pandoc and Quarto books write them:

- a figure: an image alone in its paragraph, `![alt](file.png "Caption"){#fig-lens}`;
- a table: a paragraph `Table: Caption {#tbl-prices}` just before or after it, or `: Caption` after it;
- a listing: a fence with an id, ```` ```python {#lst-setup title="setup.py"} ````, the title its caption;
- an equation: display math with an id or a `\\label{}`, numbered at its right margin.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import cast

from ..labels import numbered

TRAILING_ID = re.compile(r"\s*\{:?\s*#([\w:.-]+)\s*\}\s*$")
TABLE_WORD = re.compile(r"^\s*Table:\s*")
KINDS = ("figure", "table", "listing", "equation")


@dataclass
class Counters:
    """Numbers given so far in the book, one count per kind."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def next(self, kind: str) -> int:
        self.counts[kind] += 1
        return self.counts[kind]


def numbered_kind(element: etree.Element) -> str | None:
    """The kind of a numbered element, as cross-references name it; None when it has no number."""
    if element.get("data-number") is None:
        return None
    if element.tag == "figure":
        return "listing" if "listing" in element.get("class", "").split() else "figure"
    if element.tag == "table":
        return "table"
    return "equation" if "equation" in element.get("class", "").split() else None


def number_captions(wrapper: etree.Element, counters: Counters, labels: dict[str, str]) -> None:
    """Number the figures, tables and listings under `wrapper`, in document order."""
    for parent in list(wrapper.iter()):
        for element in list(parent):
            if is_lone_image(element):
                make_figure(element, counters, labels)
            elif element.tag == "table":
                caption_table(parent, element, counters, labels)
            elif element.tag == "div" and "highlight" in element.get("class", "").split() and element.get("id"):
                make_listing(parent, element, counters, labels)
            elif element.tag == "div" and "arithmatex" in element.get("class", "").split() and element.get("id"):
                element.set("class", element.get("class", "") + " equation")
                element.set("data-number", str(counters.next("equation")))


def is_lone_image(element: etree.Element) -> bool:
    return (
        element.tag == "p"
        and len(element) == 1
        and element[0].tag == "img"
        and not (element.text or "").strip()
        and not (element[0].tail or "").strip()
    )


def label(parent: etree.Element, css_class: str, words: str, caption_tail: str | None) -> etree.Element:
    span = etree.SubElement(parent, "span", {"class": css_class})
    span.text = words
    span.tail = caption_tail
    return span


def make_figure(paragraph: etree.Element, counters: Counters, labels: dict[str, str]) -> None:
    """An image alone in its paragraph is a figure; its Markdown title, if any, is the caption."""
    image = paragraph[0]
    paragraph.tag = "figure"
    paragraph.text = None
    image.tail = None
    caption = image.attrib.pop("title", "")
    if image.get("id"):
        paragraph.set("id", image.attrib.pop("id"))
    if not caption and not paragraph.get("id"):
        return
    number = counters.next("figure")
    paragraph.set("data-number", str(number))
    figcaption = etree.SubElement(paragraph, "figcaption")
    label(figcaption, "figure-number", numbered(labels["figure"], number), f". {caption}" if caption else None)


def caption_paragraph(element: etree.Element | None, after: bool) -> bool:
    """`Table: ...` before or after a table, or `: ...` (a definition with no term) after it."""
    if element is None:
        return False
    if element.tag == "p" and TABLE_WORD.match(element.text or ""):
        return True
    return after and element.tag == "dl" and len(element) == 1 and element[0].tag == "dd"


def caption_table(parent: etree.Element, table: etree.Element, counters: Counters, labels: dict[str, str]) -> None:
    siblings = list(parent)
    index = siblings.index(table)
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    preceding = siblings[index - 1] if index else None
    # `Table:` before the table first: in a chapter that writes captions before its tables, the
    # paragraph after a table is the next table's caption.
    source = preceding if caption_paragraph(preceding, after=False) else None
    if source is None and caption_paragraph(following, after=True):
        source = following
    if source is None and not table.get("id"):
        return
    caption = etree.Element("caption")
    if source is not None:
        parent.remove(source)
        content = source[0] if source.tag == "dl" else source
        if content.get("id"):
            table.set("id", cast(str, content.get("id")))
        move_content(content, caption)
        strip_caption_text(caption, table)
    number = counters.next("table")
    table.set("data-number", str(number))
    words = etree.Element("span", {"class": "table-number"})
    words.text = numbered(labels["table"], number)
    has_text = bool((caption.text or "").strip() or len(caption))
    words.tail = (". " + (caption.text or "")) if has_text else None
    caption.text = None
    caption.insert(0, words)
    table.insert(0, caption)


def move_content(source: etree.Element, target: etree.Element) -> None:
    target.text = source.text
    target.extend(list(source))


def strip_caption_text(caption: etree.Element, table: etree.Element) -> None:
    """Take `Table:` off the front and `{#id}` off the end, the id going to the table."""
    caption.text = TABLE_WORD.sub("", caption.text or "", count=1).lstrip()
    last = caption[-1] if len(caption) else None
    text = (last.tail if last is not None else caption.text) or ""
    found = TRAILING_ID.search(text)
    if found:
        table.set("id", found.group(1))
        text = text[: found.start()]
    if last is not None:
        last.tail = text
    else:
        caption.text = text


def make_listing(parent: etree.Element, block: etree.Element, counters: Counters, labels: dict[str, str]) -> None:
    """A code block with an id becomes a numbered listing; its title (the file name) is its caption."""
    number = counters.next("listing")
    figure = etree.Element("figure", {"class": "listing", "id": block.attrib.pop("id"), "data-number": str(number)})
    figcaption = etree.SubElement(figure, "figcaption")
    title = next((span for span in block if span.tag == "span" and span.get("class") == "filename"), None)
    words = f". {title.text}" if title is not None and title.text else None
    label(figcaption, "listing-number", numbered(labels["listing"], number), words)
    if title is not None:
        block.remove(title)
    figure.tail, block.tail = block.tail, None
    parent[list(parent).index(block)] = figure
    figure.append(block)
