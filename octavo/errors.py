"""Errors a person can act on: which file, which line, what is wrong, how to fix it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a book, located as precisely as we know."""

    file: Path | None
    message: str
    hint: str = ""
    line: int | None = None
    severity: str = "error"  # or "warning": reported, but the book still builds
    column: int | None = None
    excerpt: str = ""  # the offending source line, shown under the message

    def format(self, root: Path | None = None) -> str:
        where = ""
        if self.file is not None:
            where = display_path(self.file, root)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.excerpt:
            excerpt, column = excerpt_window(self.excerpt, self.column)
            text += f"\n    {excerpt}"
            if column is not None:
                text += "\n    " + " " * (column - 1) + "^"
        return text


EXCERPT_WIDTH = 100


def excerpt_window(line: str, column: int | None) -> tuple[str, int | None]:
    """A long source line (a data: URI, a minified blob) shown as the part around the column."""
    if len(line) <= EXCERPT_WIDTH:
        return line, column
    start = max(0, min((column or 1) - 1 - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
    window = line[start : start + EXCERPT_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + EXCERPT_WIDTH < len(line) else ""
    return prefix + window + suffix, (column - start + len(prefix)) if column is not None else None


class BookError(Exception):
    """Raised with every problem found in a stage, so the author fixes them all in one go."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = list(warnings or [])  # found on the way: reported with the errors, not after the fix
        super().__init__("\n".join(p.format() for p in problems))

    @classmethod
    def single(cls, file: Path | None, message: str, hint: str = "", line: int | None = None) -> BookError:
        return cls([Problem(file, message, hint, line)])


class BuildStopped(Exception):
    """A build stopped because it was asked to (the preview has a newer change to build): nothing
    of it is published, and what it laid out so far stays kept for the next."""


class Where(TypedDict, total=False):
    """The column and source line that `Problem` takes beside its line."""

    column: int
    excerpt: str


class Place(Where, total=False):
    """Where `locate` and `place_at` found something, to pass on as `**place`."""

    line: int | None


class ProblemCollector:
    """Gathers problems while a stage keeps going; raises them together at the end."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(
        self, file: Path | None, message: str, hint: str = "", line: int | None = None, **place: Unpack[Where]
    ) -> None:
        """Record an error; `place` may add the `column` and `excerpt` that `locate` finds."""
        self.problems.append(Problem(file, message, hint, line, **place))

    def warn(
        self, file: Path | None, message: str, hint: str = "", line: int | None = None, **place: Unpack[Where]
    ) -> None:
        self.warnings.append(Problem(file, message, hint, line, severity="warning", **place))

    def raise_if_any(self) -> None:
        if self.problems:
            raise BookError(self.problems, self.warnings)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the author knows it: relative to the book folder's parent when possible."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def locate(text: str, needle: str, occurrence: int = 1) -> Place:
    """`line`, `column` and the source line (`excerpt`) where `needle` occurs in `text`: the first
    time, or the `occurrence`th (the second broken link to one place is reported at its own line)."""
    index = -1
    for _ in range(max(occurrence, 1)):
        found = text.find(needle, index + 1)
        if found < 0:
            break
        index = found
    return {"line": None} if index < 0 else place_at(text, index)


def place_at(text: str, index: int) -> Place:
    """`line`, `column` and the source line (`excerpt`) of the character at `index`."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    excerpt = text[start : end if end >= 0 else len(text)]
    return {"line": text.count("\n", 0, index) + 1, "column": index - start + 1, "excerpt": excerpt.rstrip()}


def in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Problems by file, line and column, as an author reads them."""
    return sorted(problems, key=lambda p: (str(p.file or ""), p.line or 0, p.column or 0))


def valid_choices(given: str, valid: tuple[str, ...] | list[str], listing: str = "valid") -> str:
    """The hint for a name that is none of `valid`: the nearest one, then all of them under `listing`
    ("valid: classic, compact, modern", "installed formats: pdf, epub, site")."""
    close = difflib.get_close_matches(given, valid, n=1)
    named = f"{listing}: {', '.join(valid)}"
    return f"did you mean '{close[0]}'? {named}" if close else named
