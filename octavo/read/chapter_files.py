"""Chapter files -> SourceFile: read once, as UTF-8, with errors that name the line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BookError, Problem
from ..model import PartOpening
from .limits import Excess, excesses, footnote_count, too_many_footnotes

FRONT_MATTER_KEYS = {"type": ("chapter", "faq", "part")}
MAX_CHAPTER_BYTES = 20_000_000  # a whole long novel is about 1 MB of text


@dataclass(frozen=True)
class SourceFile:
    """A chapter file as the author wrote it; may hold several chapters."""

    path: Path
    text: str  # the whole file, for finding lines
    body: str = ""  # the Markdown after the front matter (blank lines keep line numbers)
    front_matter: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.front_matter.get("type", "chapter")


def split_front_matter(path: Path, text: str, problems: list[Problem]) -> tuple[dict[str, str], str]:
    """`---` lines around `key: value` pairs at the top of a file; e.g. `type: faq`."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        problems.append(Problem(path, "front matter is not closed", "end it with a line '---'", 1))
        return {}, text
    values: dict[str, str] = {}
    for number in range(1, end):
        line = lines[number]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip().strip("\"'")
        if not sep or key not in FRONT_MATTER_KEYS:
            known = ", ".join(FRONT_MATTER_KEYS)
            problems.append(
                Problem(path, f"unknown front matter line '{line.strip()}'", f"known keys: {known}", number + 1)
            )
        elif value not in FRONT_MATTER_KEYS[key]:
            choices = ", ".join(FRONT_MATTER_KEYS[key])
            problems.append(Problem(path, f"unknown {key} '{value}'", f"use one of {choices}", number + 1))
        else:
            values[key] = value
    return values, "\n" * (end + 1) + "\n".join(lines[end + 1 :])


def read_sources(paths: tuple[Path, ...]) -> list[SourceFile]:
    """Read every chapter file, reporting all unreadable ones together."""
    sources: list[SourceFile] = []
    problems: list[Problem] = []
    excess: Excess | None
    for path in paths:
        size = path.stat().st_size
        if size > MAX_CHAPTER_BYTES:
            megabytes = f"{size / 1e6:.0f} MB"
            problems.append(
                Problem(
                    path, f"is too large to be one chapter file ({megabytes})", "split it into files of under 20 MB"
                )
            )
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line: int | None = raw[: error.start].count(b"\n") + 1
            problems.append(Problem(path, "is not UTF-8 text", "save the file as UTF-8", line))
            continue
        text = text.replace("\r\n", "\n")
        front_matter, body = split_front_matter(path, text, problems)
        if not body.strip():
            problems.append(
                Problem(path, "the chapter file is empty", "start it with a '# Title' line, or take it out")
            )
            continue
        for excess in excesses(body):
            offset = text[: len(text) - len(body)].count("\n")  # lines of front matter above the body
            line = excess.line + offset if excess.line is not None else None
            problems.append(Problem(path, excess.message, excess.hint, line))
        opened = unclosed_fence(body)
        if opened is not None:
            line, fence = opened
            problems.append(
                Problem(path, f"a code block opened with {fence} is never closed", f"end it with a line {fence}", line)
            )
        sources.append(SourceFile(path, text, body, front_matter))
    notes = [footnote_count(source.body) for source in sources]
    excess = too_many_footnotes(notes, sum(len(source.body) for source in sources))
    if excess is not None:
        heaviest = sources[notes.index(max(notes))]
        problems.append(Problem(heaviest.path, excess.message, excess.hint))
    if problems:
        raise BookError(problems)
    return sources


def unclosed_fence(text: str) -> tuple[int, str] | None:
    """The line and marker of a fenced code block that runs to the end of the file, if any."""
    fence: str | None = None
    opened_at = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip()
        if fence is None:
            if stripped.startswith(("```", "~~~")) and len(line) - len(stripped) < 4:
                marker = stripped[0] * (len(stripped) - len(stripped.lstrip(stripped[0])))
                fence, opened_at = marker, number
        elif stripped.startswith(fence) and not stripped.strip(fence[0]).strip():
            fence = None
    return (opened_at, fence) if fence is not None else None


def with_parts(sources: list[SourceFile], parts: tuple[PartOpening, ...], summary: Path | None) -> list[SourceFile]:
    """An mdBook's part titles as part pages in the reading order, each before its first chapter: a
    part read from SUMMARY.md at its line, as a book's own `type: part` file would be read."""
    if not parts or summary is None:
        return sources
    text = summary.read_text(encoding="utf-8").replace("\r\n", "\n")
    before = {part.before: part for part in parts}
    ordered: list[SourceFile] = []
    for source in sources:
        part = before.get(source.path)
        if part is not None:
            body = "\n" * (part.line - 1) + f"# {part.title}\n"
            ordered.append(SourceFile(summary, text, body, {"type": "part"}))
        ordered.append(source)
    return ordered
