"""Reading a built PDF the way a reader meets it: outline, printed page numbers, headings, text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pypdf import PdfReader


@dataclass
class OutlineEntry:
    title: str
    page: int  # 0-based physical page
    children: list[OutlineEntry] = field(default_factory=list)


def outline(path: Path) -> list[OutlineEntry]:
    reader = PdfReader(path)

    def walk(items) -> list[OutlineEntry]:
        entries: list[OutlineEntry] = []
        for item in items:
            if isinstance(item, list):
                entries[-1].children = walk(item)
            else:
                entries.append(OutlineEntry(item.title, reader.get_destination_page_number(item)))
        return entries

    return walk(reader.outline)


def normalized(text: str) -> str:
    """Letters and digits only, lowercased: survives hyphenation, smart quotes and line breaks."""
    return re.sub(r"[^\w]|_", "", text.lower())


def page_texts(path: Path) -> list[str]:
    """The text of each page's text block: running heads and folios in the margins left out."""
    with pdfplumber.open(path) as pdf:
        return [body(page).extract_text() or "" for page in pdf.pages]


def body(page):
    return page.crop((0, page.height * 0.085, page.width, page.height * 0.9))


def folio(page) -> str:
    """The page number printed in the bottom margin of a pdfplumber page."""
    words = [w for w in page.extract_words() if w["top"] > page.height * 0.9]
    return " ".join(w["text"] for w in words)


def largest_text(page) -> str:
    """The text set in the page's largest type: a chapter title on an opening page."""
    chars = [c for c in page.chars if c["text"].strip()]
    if not chars:
        return ""
    size = max(round(c["size"], 1) for c in chars)
    lines: dict[float, list] = {}
    for char in chars:
        if round(char["size"], 1) == size:
            lines.setdefault(round(char["top"]), []).append(char)
    words = page.extract_words(extra_attrs=["size"])
    return " ".join(w["text"] for w in words if round(w["size"], 1) == size)


def toc_numbers(path: Path, titles: list[str], toc_pages: range) -> dict[str, str]:
    """The page number the contents print after each of `titles`."""
    with pdfplumber.open(path) as pdf:
        lines = []
        for index in toc_pages:
            lines.extend((pdf.pages[index].extract_text() or "").splitlines())
    found = {}
    for title in titles:
        for line in lines:
            match = re.match(rf"^{re.escape(title)}[\s.]*?(\w+)$", line.strip())
            if match:
                found[title] = match.group(1)
                break
    return found
