"""`octavo check`: everything a build checks, without writing to the output folder; then EPUBCheck
and Ace by DAISY on a trial EPUB when they are installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import builtin
from ..build.pipeline import build
from ..errors import EXIT_BAD_INPUT, EXIT_OK, BookError, Problem
from ..formats.epub.check import check_epub, jar
from ..read.load import load_book
from ..typography import plural

if TYPE_CHECKING:
    from ..model import Book


def check_book(
    book_dir: Path, strict: bool = False, quiet: bool = False, validators: bool = True, print_kit: bool = False
) -> int:
    book = load_book(book_dir)  # raises BookError with every problem of the sources
    warnings = book.warnings
    for warning in warnings:
        print(warning.format(Path.cwd()), flush=True)
    if strict and warnings:
        raise BookError([replace(warning, severity="error") for warning in warnings])
    problems: list[Problem] = []
    ran = []
    if validators:
        with tempfile.TemporaryDirectory() as folder:
            epub = next(path for path in build(book_dir, Path(folder), ("epub",)).files if path.suffix == ".epub")
            validators_by_name = (("EPUBCheck", lambda e: epubcheck_problems(e, book)), ("Ace by DAISY", ace_problems))
            for name, validator in validators_by_name:
                found = validator(epub)
                if found is not None:
                    ran.append(name)
                    problems.extend(found)
    if print_kit:
        problems.extend(print_problems(book_dir, book))
        ran.append("the print preflight")
    if problems:
        raise BookError(problems)
    if not quiet:
        checked = f"; {' and '.join(ran)} found nothing" if ran else ""
        words = sum(len(re.sub(r"<[^>]+>", " ", chapter.html).split()) for chapter in book.chapters)
        chapters = plural(book.chapter_count, "chapter")
        print(f"No problems in “{book.meta.title}”: {chapters}, about {words:,} words{checked}.")
    return EXIT_BAD_INPUT if problems else EXIT_OK


def print_problems(book_dir: Path, book: Book) -> list[Problem]:
    """The print-on-demand files built in a scratch folder, whose build preflights them: what it
    refuses, and then the images under the service's resolution, which a build only warns about."""
    from ..formats.press import FOLDER, PrintPlan
    from ..formats.press.preflight import resolution_problems

    with tempfile.TemporaryDirectory() as folder:
        try:
            build(book_dir, Path(folder), ("print",))
        except BookError as error:
            return [named_in_print(problem, Path(folder)) for problem in error.problems]
        files = sorted((Path(folder) / FOLDER).glob("*.pdf"))
        found = resolution_problems(files, PrintPlan.of(book).service)
        return [named_in_print(problem, Path(folder)) for problem in found]


def named_in_print(problem: Problem, folder: Path) -> Problem:
    """A problem of a scratch build's file, named as the file is in the output folder: print/NAME."""
    if problem.file is not None and problem.file.is_relative_to(folder):
        return replace(problem, file=problem.file.relative_to(folder))
    return problem


def epubcheck_problems(epub: Path, book: Book) -> list[Problem] | None:
    """EPUBCheck's errors and warnings at the book's own files, or None when it is not installed."""
    if shutil.which("java") is None or jar() is None:
        return None
    return check_epub(epub, book, severities=("FATAL", "ERROR", "WARNING"))


def ace_problems(epub: Path) -> list[Problem] | None:
    """Ace by DAISY's violations, or None when it (or Chromium) is not installed."""
    ace = shutil.which("ace-cli") or next(
        (
            str(p)
            for p in (
                Path.cwd() / "node_modules/.bin/ace-cli",
                builtin.PACKAGE.parent / "node_modules/.bin/ace-cli",  # a checkout's
            )
            if p.exists()
        ),
        None,
    )
    chromium = shutil.which("chromium")
    if ace is None or chromium is None:
        return None
    out = epub.parent / "ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    subprocess.run([ace, "-s", "-f", "-o", str(out), str(epub)], capture_output=True, env=env, timeout=600)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    found = []
    for document in report.get("assertions", []):
        for test in document.get("assertions", []):
            if test["earl:result"]["earl:outcome"] != "pass":
                found.append(
                    Problem(
                        None,
                        f"Ace {test['earl:test']['dct:title']} in {document['earl:testSubject']['url']}: "
                        f"{test['earl:result'].get('dct:description', '')}",
                    )
                )
    return found
