"""The library's own files at the top of OUT: a front page (a grid of covers, no script), an OPDS
catalogue of every published book, and manifest.json and SHA256SUMS over the whole tree.

They are made from what is published, each book's own manifest.json, so a book that failed this time
is listed as its previous good version is, and a book never built is not listed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..formats.templating import make_environment
from ..pageguard import guarded_page
from .config import LibraryConfig

LIBRARY_FILES = ("index.html", "opds.xml", "manifest.json", "SHA256SUMS")


@dataclass(frozen=True)
class ShelvedBook:
    """A published book as the library lists it: its folder in OUT and its manifest.json."""

    slug: str
    manifest: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.manifest.get("title", self.slug))

    @property
    def authors(self) -> list[str]:
        return [str(author) for author in self.manifest.get("authors", [])]

    def href(self, name: str) -> str:
        return f"{self.slug}/{name}"


def published_books(out: Path, slugs: list[str]) -> list[ShelvedBook]:
    """The books of `slugs` that have a published manifest in OUT, in that order."""
    found = []
    for slug in slugs:
        path = out / slug / "manifest.json"
        if path.is_file():
            found.append(ShelvedBook(slug, json.loads(path.read_text(encoding="utf-8"))))
    return found


def write_library_pages(config: LibraryConfig, out: Path, slugs: list[str]) -> None:
    """The front page, the OPDS catalogue, then the manifest and checksums that cover them too;
    each file written beside its place and renamed into it, so no reader sees half of one."""
    books = published_books(out, slugs)
    updated = max((str(book.manifest.get("modified", "")) for book in books), default="") or dt.datetime.now(
        dt.UTC
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    env = make_environment(config.root)
    context = {"library": config, "books": books, "updated": updated}
    write_atomically(out / "index.html", guarded_page(env.get_template("library/index.html").render(**context)))
    write_atomically(out / "opds.xml", env.get_template("library/opds.xml").render(**context))
    listed = [path.relative_to(out).as_posix() for path in published_files(out) if path != out / "manifest.json"]
    manifest = {
        "title": config.title,
        "url": config.url,
        "updated": updated,
        "books": [{"slug": book.slug, "title": book.title, "authors": book.authors} for book in books],
        "files": listed,
    }
    write_atomically(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    sums = "".join(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(out).as_posix()}\n"
        for path in published_files(out)
    )
    write_atomically(out / "SHA256SUMS", sums)


def published_files(out: Path) -> list[Path]:
    """Every file of the tree but the library's SHA256SUMS itself, in a fixed order."""
    return sorted(
        path for path in out.rglob("*") if path.is_file() and path != out / "SHA256SUMS" and not hidden(path, out)
    )


def hidden(path: Path, out: Path) -> bool:
    """Octavo's own bookkeeping (a lock, a staging folder) is no part of what is published."""
    return any(part.startswith(".") for part in path.relative_to(out).parts)


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
