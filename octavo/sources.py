"""Chapter files -> SourceFile: read once, as UTF-8, with errors that name the line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BookError, Problem


@dataclass(frozen=True)
class SourceFile:
    """A chapter file as the author wrote it; may hold several chapters."""

    path: Path
    text: str


def read_sources(paths: tuple[Path, ...]) -> list[SourceFile]:
    """Read every chapter file, reporting all unreadable ones together."""
    sources: list[SourceFile] = []
    problems: list[Problem] = []
    for path in paths:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            problems.append(Problem(path, "is not UTF-8 text", "save the file as UTF-8", line))
            continue
        sources.append(SourceFile(path, text.replace("\r\n", "\n")))
    if problems:
        raise BookError(problems)
    return sources
