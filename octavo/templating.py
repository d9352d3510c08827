"""The Jinja environment: a book's own templates/ first, then the built-in ones.

A book template can also extend the one it replaces: `{% extends "!base/chapter.xhtml" %}`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape

from . import builtin


def make_environment(book_root: Path) -> Environment:
    """One environment per book and set of book templates, so each template is compiled once per
    process (Jinja notices edits to a template; a new one in templates/ makes a new environment)."""
    folder = book_root / "templates"
    present = tuple(sorted(str(path) for path in folder.rglob("*") if path.is_file())) if folder.is_dir() else ()
    return environment(book_root, present)


@lru_cache(maxsize=8)
def environment(book_root: Path, _book_templates: tuple[str, ...]) -> Environment:
    builtin_loader = FileSystemLoader(builtin.TEMPLATES)
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(book_root / "templates"),
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
    return env
