"""Where the built-in templates and styles live: inside the installed package, or beside it in a checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def builtin_dir(name: str) -> Path:
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Octavo's built-in {name}/ folder is missing from the installation")


TEMPLATES = builtin_dir("templates")
STYLES = builtin_dir("styles")
