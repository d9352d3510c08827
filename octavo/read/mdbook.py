"""An mdBook folder read as it is: `book.toml` with mdBook's `[book]` table and `src/SUMMARY.md`.

mdBook's `[book]` keys fill Octavo's metadata; Octavo's own settings live under `[output.octavo]`,
the table mdBook keeps for a backend, so both tools build the same folder. SUMMARY.md is read the
way mdBook reads it (its guide, "SUMMARY.md"): an optional title, prefix chapters (links before the
first list), parts (`# Part title`), numbered chapters in nested lists, separators (`---`), draft
chapters (`[Title]()`, left out) and suffix chapters after the last list.

A part title opens a part: a part page in print, its own page in the EPUB and on the web, and a level
above its chapters in every table of contents. Prefix and suffix chapters stand outside the parts
and carry no number when the book numbers its chapters, as in mdBook's sidebar.

A nested item is a section of its parent: its file continues the parent's chapter, its headings a
level down for each level of nesting. mdBook shows a sub-chapter as a page of its own because a web
page has no other way to hold it; a printed book holds it as what it is, a section, so a chapter
and its parts turn the page together and the contents read as the author nested them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ..bookfiles import inside

SUMMARY = "SUMMARY.md"
DEFAULT_SOURCE = "src"
LINK = re.compile(r"^\[(?P<title>(?:[^\]\\]|\\.)*)\]\((?P<target>[^)]*)\)\s*$")
LIST_ITEM = re.compile(r"^(?P<indent>\s*)[-*]\s+(?P<rest>.*)$")
PART_TITLE = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
SEPARATOR = re.compile(r"^\s*-{3,}\s*$")
# Settings of mdBook's that change what the book says or looks like, which Octavo does not apply
# (`mathjax-support` is not among them: Octavo reads that math itself).
CONTENT_SETTINGS = {
    ("output", "html", "additional-css"): "its styles: Octavo styles the book with its theme",
    ("output", "html", "additional-js"): "its scripts: no output of Octavo's runs scripts",
}


@dataclass(frozen=True)
class SummaryPart:
    title: str  # Markdown, as written after the `#`
    line: int


@dataclass(frozen=True)
class SummaryItem:
    title: str
    target: str  # the chapter file, relative to the source folder; "" for a draft
    kind: str  # "prefix", "numbered" or "suffix"
    depth: int  # 0 for a chapter, 1 for its sub-chapters, ...
    part: SummaryPart | None  # the part the item stands in
    line: int

    @property
    def is_draft(self) -> bool:
        return not self.target


@dataclass
class Summary:
    items: list[SummaryItem] = field(default_factory=list)
    parts: list[SummaryPart] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, what is wrong, how to fix it)

    @property
    def chapters(self) -> list[SummaryItem]:
        """The items with a file, in reading order."""
        return [item for item in self.items if not item.is_draft]


def parse_summary(text: str) -> Summary:
    summary = Summary()
    lines = text.splitlines()
    seen_title = False  # a first `#` heading, before any chapter, is the summary's own ("# Summary")
    part: SummaryPart | None = None
    indents: list[int] = []  # the indentation of each open nesting level
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if not line.strip() or line.strip().startswith("<!--") or SEPARATOR.match(line):
            continue
        heading = PART_TITLE.match(line)
        if heading:
            if seen_title or summary.items:
                part = SummaryPart(heading.group("title"), number)  # the numbered chapters after it
                summary.parts.append(part)
            seen_title = True  # mdBook shows the summary's own title nowhere
            continue
        listed = LIST_ITEM.match(line)
        if listed:
            indent = len(listed.group("indent").expandtabs(4))
            while indents and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            link = LINK.match(listed.group("rest").strip())
            if link is None:
                summary.problems.append((number, "a list item that is no link", "write - [Title](file.md)"))
                continue
            add(summary, link, "numbered", len(indents) - 1, part, number)
            continue
        link = LINK.match(line.strip())
        if link is not None:
            after_numbered = summary.items and summary.items[-1].kind != "prefix"
            add(summary, link, "suffix" if after_numbered else "prefix", 0, None, number)
            continue
        summary.problems.append(
            (number, f"SUMMARY.md cannot hold this line: {line.strip()[:60]!r}", "mdBook ignores it too")
        )
    return summary


def add(summary: Summary, link: re.Match[str], kind: str, depth: int, part: SummaryPart | None, line: int) -> None:
    title = re.sub(r"\\(.)", r"\1", link.group("title")).strip()
    target = link.group("target").strip().split("#", 1)[0]
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    summary.items.append(SummaryItem(title, target, kind, depth, part, line))


def source_folder(book_dir: Path, data: dict[str, Any]) -> Path:
    book = cast("dict[str, Any]", data.get("book") if isinstance(data.get("book"), dict) else {})
    src = book.get("src", DEFAULT_SOURCE)
    return book_dir / (src if isinstance(src, str) and src.strip() else DEFAULT_SOURCE)


def is_mdbook(book_dir: Path, data: dict[str, Any]) -> bool:
    """A book.toml whose [book] table is mdBook's, with SUMMARY.md in the source folder (inside the
    book folder, links followed: `src = "../elsewhere"` reads nothing outside it)."""
    summary = source_folder(book_dir, data) / SUMMARY
    return isinstance(data.get("book"), dict) and summary.is_file() and inside(summary, book_dir)


def octavo_settings(data: dict[str, Any]) -> dict[str, Any]:
    """[output.octavo], where Octavo's own tables ([output.octavo.pdf], ...) live in an mdBook."""
    output = data.get("output")
    if not isinstance(output, dict):
        return {}
    settings = output.get("octavo")
    return settings if isinstance(settings, dict) else {}


def ignored_settings(data: dict[str, Any]) -> list[str]:
    """mdBook settings that would change the book's content, named so the author knows Octavo skips them."""
    notes = []
    for (table, name, key), why in CONTENT_SETTINGS.items():
        section = data.get(table, {}).get(name, {}) if isinstance(data.get(table), dict) else {}
        if isinstance(section, dict) and section.get(key):
            notes.append(f"[{table}.{name}] {key}: {why}")
    preprocessors = data.get("preprocessor")
    if isinstance(preprocessors, dict):
        for name in preprocessors:
            if name not in ("links", "index"):  # mdBook's own, which Octavo does itself
                notes.append(f"[preprocessor.{name}]: Octavo runs no preprocessors, the Markdown is read as written")
    return notes


def build_folder(book_dir: Path) -> Path | None:
    """Where mdBook writes its own output (`[build] build-dir`, default `book/`), when `book_dir` is
    an mdBook: Octavo's output goes in `octavo/` inside it, its build cache beside, and neither is
    read as part of the book."""
    import tomllib

    try:
        data = tomllib.loads((book_dir / "book.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if not is_mdbook(book_dir, data):
        return None
    build = data.get("build")
    name = build.get("build-dir", "book") if isinstance(build, dict) else "book"
    folder = book_dir / (name if isinstance(name, str) and name.strip() else "book")
    # A build-dir outside the book folder would let the book choose where Octavo writes: not allowed.
    return folder if folder.resolve().is_relative_to(book_dir.resolve()) else book_dir / "book"


MATHJAX_DELIMITER = re.compile(r"\\\\([()\[\]])")
CODE_SPAN = re.compile(r"(`+[^`]*?`+)")


def mathjax_delimiters(text: str) -> str:
    """An mdBook with `mathjax-support` writes `\\\\( x \\\\)` and `\\\\[ … \\\\]` (Markdown's escaped
    backslash, which MathJax reads in the page); Octavo's math reads `\\( x \\)` and `\\[ … \\]`.
    Code, fenced or inline, keeps what it says."""
    if "\\\\" not in text:
        return text
    out, fence = [], None
    for line in text.split("\n"):
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if fence is None and marker:
            fence = marker.group(1)
        elif fence is not None and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = None
        elif fence is None:
            parts = CODE_SPAN.split(line)  # code spans at the odd places, as written
            line = "".join(
                part if index % 2 else MATHJAX_DELIMITER.sub(r"\\\1", part) for index, part in enumerate(parts)
            )
        out.append(line)
    return "\n".join(out)
