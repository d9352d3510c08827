"""The library's own files at the top of OUT: a front page (a grid of covers, no script), an OPDS
catalogue of every published book, and manifest.json and SHA256SUMS over the whole tree.

They are made from what is published, each book's own manifest.json, so a book that failed this time
is listed as its previous good version is, and a book never built is not listed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import builtin
from ..formats.templating import make_environment
from ..labels import labels_for
from ..pageguard import guarded_page
from ..slugs import UniqueNames, ascii_slug
from ..style.fonts import cached_subset
from .config import LibraryConfig


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
    front = guarded_page(env.get_template("library/index.html").render(**context))
    write_front_page_fonts(out, front)
    write_atomically(out / "index.html", front)
    navigation, acquisition = catalogue(config, books)
    context["catalog_id"] = config.url or f"urn:octavo:library:{ascii_slug(config.title, fallback='library')}"
    wanted = {feed.name for feed in navigation} | {feed.name for feed in acquisition}
    for folder in GROUPS:  # the feeds of an author or a subject no longer in the library go
        for stale in [out / f"{folder}.xml", *(out / folder).glob("*.xml")]:
            if stale.is_file() and stale.relative_to(out).as_posix() not in wanted:
                stale.unlink()
    for listing in navigation:
        write_atomically(out / listing.name, env.get_template("library/navigation.xml").render(**context, feed=listing))
    for feed in acquisition:
        (out / feed.name).parent.mkdir(exist_ok=True)
        base = "../" * feed.name.count("/")
        page = env.get_template("library/acquisition.xml").render(**context, feed=feed, base=base)
        write_atomically(out / feed.name, page)
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


GROUPS = ("authors", "subjects")  # the folders of the feeds by author and by subject
TOP_FOLDERS = (*GROUPS, "fonts")  # the library's own folders at the top of OUT, beside the books'


@dataclass(frozen=True)
class AcquisitionFeed:
    name: str  # its path from the library's top: "all.xml", "authors/ann-reed.xml"
    title: str
    books: list[ShelvedBook]
    up: str = "opds.xml"


@dataclass(frozen=True)
class NavigationEntry:
    title: str
    href: str
    content: str
    kind: str = "acquisition"
    rel: str = "subsection"


@dataclass(frozen=True)
class NavigationFeed:
    name: str
    title: str
    entries: list[NavigationEntry]


def catalogue(config: LibraryConfig, books: list[ShelvedBook]) -> tuple[list[NavigationFeed], list[AcquisitionFeed]]:
    """The OPDS catalogue: opds.xml leads to all the books, the newest first, and the books by
    author and by subject (a navigation feed of names, an acquisition feed for each)."""
    words = labels_for(config.language)
    newest = sorted(books, key=lambda book: (str(book.manifest.get("modified", "")), book.title), reverse=True)
    everything, latest = (
        AcquisitionFeed("all.xml", words["all_books"], books),
        AcquisitionFeed("newest.xml", words["newest"], newest),
    )
    acquisition = [everything, latest]
    entries = [
        NavigationEntry(everything.title, everything.name, everything.title),
        NavigationEntry(latest.title, latest.name, latest.title, rel="http://opds-spec.org/sort/new"),
    ]
    navigation = []
    groups = {
        "authors": (words["by_author"], shelved_by(books, lambda book: book.authors)),
        "subjects": (
            words["by_subject"],
            shelved_by(books, lambda book: [str(s) for s in book.manifest.get("subjects", [])]),
        ),
    }
    for folder, (title, by_name) in groups.items():
        if not by_name:
            continue
        names = UniqueNames()
        listed = []
        for name in sorted(by_name, key=str.casefold):
            feed = AcquisitionFeed(
                f"{folder}/{names.claim(ascii_slug(name, fallback='name'))}.xml",
                name,
                by_name[name],
                up=f"{folder}.xml",
            )
            acquisition.append(feed)
            listed.append(NavigationEntry(name, feed.name, ", ".join(book.title for book in feed.books)))
        navigation.append(NavigationFeed(f"{folder}.xml", title, listed))
        entries.append(NavigationEntry(title, f"{folder}.xml", title, kind="navigation"))
    return [NavigationFeed("opds.xml", config.title, entries), *navigation], acquisition


def shelved_by(books: list[ShelvedBook], names: Callable[[ShelvedBook], list[str]]) -> dict[str, list[ShelvedBook]]:
    """Each name (an author, a subject) -> its books, in the library's order."""
    found: dict[str, list[ShelvedBook]] = {}
    for book in books:
        for name in dict.fromkeys(names(book)):
            found.setdefault(name, []).append(book)
    return found


FRONT_PAGE_FONTS = ("CharisSIL-Regular.ttf", "CharisSIL-Bold.ttf")  # shipped, under the SIL Open Font Licence


def write_front_page_fonts(out: Path, page: str) -> None:
    """The front page's typeface, Charis SIL from Octavo's styles, cut to the characters the page
    shows, so it looks the same on every machine and weighs a few kilobytes."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", page))
    (out / "fonts").mkdir(exist_ok=True)
    for name in FRONT_PAGE_FONTS:
        source = builtin.STYLES / "fonts" / "charis-sil" / name
        subset = cached_subset(source, source.stat().st_mtime_ns, "".join(sorted(set(text + string.printable))))
        target = out / "fonts" / name
        if not target.is_file() or target.read_bytes() != subset:  # unchanged bytes keep their timestamp
            partial = target.with_name(f".{name}.partial")
            partial.write_bytes(subset)
            os.replace(partial, target)
    licence = builtin.STYLES / "fonts" / "charis-sil" / "OFL.txt"
    if not (out / "fonts" / "OFL.txt").is_file():
        shutil.copyfile(licence, out / "fonts" / "OFL.txt")


def hidden(path: Path, out: Path) -> bool:
    """Octavo's own bookkeeping (a lock, a staging folder) is no part of what is published."""
    return any(part.startswith(".") for part in path.relative_to(out).parts)


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
