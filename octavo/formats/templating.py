"""The Jinja environment: a book's own templates/ first, then the built-in ones.

A book template can also extend the one it replaces: `{% extends "!base/chapter.xhtml" %}`.

A book's templates are untrusted input like the rest of its folder, so every template is rendered
in Jinja's immutable sandbox: no attributes that start with `_` (the way out to Python's internals),
no changing the lists and dicts Octavo passes in. Anything a template does wrong (a syntax error,
an unknown variable, a sandbox violation) is a BookError at the template's file and line.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .. import builtin
from ..bookfiles import inside
from ..errors import BookError, Problem
from ..labels import numbered
from ..model import Citation
from ..typography import typographic


def template_problem(error: TemplateError, template_file: str | None) -> BookError:
    """The error as the author sees it: the template's file and line, what went wrong."""
    file, line = template_file, None
    if isinstance(error, TemplateSyntaxError):
        file, line = error.filename or file, error.lineno
    else:
        # Jinja rewrites the traceback so that template code shows as frames of the template file.
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith((".html", ".xhtml", ".xml")):
                file, line = frame.filename, frame.lineno
                break
    if isinstance(error, SecurityError):
        message, hint = f"template not allowed: {error}", "templates may show the values they are given, nothing more"
    elif isinstance(error, RenderTimeout):
        message, hint = f"template stopped: {error}", "a template's loops must end quickly"
    else:
        message, hint = f"template error: {error.message or error}", "see the template's documentation in docs/"
    return BookError([Problem(Path(file) if file else None, message, hint, line)])


class BookTemplateLoader(FileSystemLoader):
    """The book's templates/ folder: a template that leads outside the book folder is an error."""

    def __init__(self, book_root: Path) -> None:
        super().__init__(book_root / "templates")
        self.book_root = book_root

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(Path(filename), self.book_root):
            raise BookError.single(
                Path(filename), "this template leads outside the book folder", "make it a file of the book"
            )
        return source, filename, uptodate


# Octavo's own templates take milliseconds for a whole book; a loop of a billion steps is stopped.
RENDER_SECONDS = 20  # for all the renders of one build (each `make_environment` starts the count again)


class RenderTimeout(TemplateError):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop whatever runs in the main thread after `seconds` (a template's loops cannot be bounded
    otherwise). Every build runs in a main thread (serve's too); elsewhere there is no limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signal: int, _frame: FrameType | None) -> NoReturn:
        raise RenderTimeout(f"it ran for more than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class BookTemplate(Template):
    environment: BookEnvironment

    def render(self, *args: Any, **kwargs: Any) -> str:
        environment = self.environment
        started = time.monotonic()
        try:
            with time_limit(max(environment.seconds_left, 0.001)):
                return super().render(*args, **kwargs)
        except TemplateError as error:
            raise template_problem(error, self.filename) from None
        finally:
            environment.seconds_left -= time.monotonic() - started


MAX_SEQUENCE = 1_000_000  # characters or items a template may make by multiplying


class BookEnvironment(ImmutableSandboxedEnvironment):
    template_class = BookTemplate
    intercepted_binops = frozenset({"*", "**"})
    seconds_left: float = RENDER_SECONDS

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`'a' * 10**9` would take a gigabyte: a template may not make anything that large."""
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"the power {right} is too large")
        if operator == "*":
            sizes = [len(x) for x in (left, right) if isinstance(x, str | list | tuple)]
            counts = [x for x in (left, right) if isinstance(x, int)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_SEQUENCE:
                raise SecurityError(f"a value of {sizes[0] * counts[0]:,} items is too large")
        return super().call_binop(context, operator, left, right)

    def get_template(self, name: str | Template, *args: Any, **kwargs: Any) -> Template:
        try:
            return super().get_template(name, *args, **kwargs)
        except TemplateError as error:
            raise template_problem(error, None) from None


def make_environment(book_root: Path) -> BookEnvironment:
    """One environment per book and set of book templates, so each template is compiled once per
    process (Jinja notices edits to a template; a new one in templates/ makes a new environment)."""
    folder = book_root / "templates"
    present = tuple(sorted(str(path) for path in folder.rglob("*") if path.is_file())) if folder.is_dir() else ()
    env = environment(book_root, present)
    env.seconds_left = RENDER_SECONDS
    return env


@lru_cache(maxsize=8)
def environment(book_root: Path, _book_templates: tuple[str, ...]) -> BookEnvironment:
    builtin_loader = FileSystemLoader(builtin.TEMPLATES)
    env = BookEnvironment(
        loader=ChoiceLoader(
            [
                BookTemplateLoader(book_root),
                builtin_loader,
                PrefixLoader({"!base": builtin_loader}, delimiter="/"),
            ]
        ),
        autoescape=select_autoescape(["html", "xhtml", "xml"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["typographic"] = typographic
    env.filters["by_section"] = citations_by_section
    env.filters["numbered"] = numbered
    return env


def citations_by_section(citations: list[Citation]) -> list[tuple[str, list[str]]]:
    """A resource's citations as the screen lists them: each section once, in reading order, with
    the anchor of every citation in it (each gets its own link back)."""
    sections: dict[str, tuple[str, list[str]]] = {}
    for citation in citations:
        sections.setdefault(citation.section_id, (citation.section_title, []))[1].append(citation.anchor)
    return list(sections.values())
