"""resources.toml and the reference files of [resources] files -> the annotated resource list (the
book's further reading). An entry of resources.toml whose id an imported entry has adds to it (an
annotation, a category) instead of standing alone."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from markdown import Markdown

from ..bookfiles import inside
from ..errors import BookError, ProblemCollector, valid_choices
from ..model import BookConfig, Resource, ResourceList, csl_plain
from ..pageguard import browser_url
from .config import key_line, parse_toml, read_text
from .reference_files import Imported, read_reference_file, year_of
from .sanitize import allowlisted

RESOURCES_NAME = "resources.toml"
DEFAULT_TITLE = "Further reading"
TOP_KEYS = ("title", "sort", "resource")
SORTS = ("written", "title", "author", "year")
FIELDS = ("id", "title", "subtitle", "annotation", "authors", "year", "publisher", "url", "isbn", "category")
TEXT_FIELDS = ("title", "subtitle", "annotation", "publisher", "url", "isbn", "category")
RESOURCE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


ADDING_FIELDS = ("id", "annotation", "category")  # what resources.toml may give an imported entry


def load_resources(config: BookConfig, problems: ProblemCollector) -> ResourceList | None:
    """The book's resource list, or None when it has neither resources.toml nor reference files."""
    book_dir = config.root
    path = book_dir / RESOURCES_NAME
    if not inside(path, book_dir):
        raise BookError.single(path, f"{RESOURCES_NAME} leads outside the book folder", "make it a file of the book")
    imported = imported_entries(config, problems)
    if not path.is_file():
        if not imported:
            return None
        md = Markdown(extensions=["extra", "smarty"], output_format="xhtml")
        alone = [from_imported(entry, {}, number, config, md) for number, entry in enumerate(imported, start=1)]
        return ResourceList(title=DEFAULT_TITLE, resources=tuple(numbered(alone)))
    text = read_text(path)
    data = parse_toml(path, text)
    for key in data:
        if key not in TOP_KEYS:
            problems.add(
                path,
                f"unknown key '{key}'",
                valid_choices(key, TOP_KEYS),
                key_line(text, None, key) or top_line(text, key),
            )
    title = data.get("title", DEFAULT_TITLE)
    if not isinstance(title, str) or not title.strip():
        problems.add(path, "'title' must be text", f'write title = "{DEFAULT_TITLE}"', top_line(text, "title"))
        title = DEFAULT_TITLE
    sort = data.get("sort", "written")
    if "sort" in data and config.resources.style is not None:
        problems.warn(
            path,
            f"the citation style '{config.resources.style.name}' orders the list: 'sort' is not used",
            'remove sort, or set [resources] style = "numeric" in book.toml',
            top_line(text, "sort"),
        )
    if sort not in SORTS:
        problems.add(path, f"unknown sort {sort!r}", f"use one of {', '.join(SORTS)}", top_line(text, "sort"))
        sort = "written"
    entries = data.get("resource", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.add(
            path, "resources must be [[resource]] tables", 'write [[resource]] then id = "..." and title = "..."'
        )
        return None
    starts = entry_lines(text)
    md = Markdown(extensions=["extra", "smarty"], output_format="xhtml")
    by_id = {str(entry.item["id"]): entry for entry in imported}
    additions: dict[str, dict[str, Any]] = {}
    own: list[tuple[int, dict[str, Any], int | None]] = []
    for number, entry in enumerate(entries, start=1):
        line = starts[number - 1] if number - 1 < len(starts) else None
        if isinstance(entry.get("id"), str) and entry["id"].strip() in by_id:
            source = by_id[entry["id"].strip()]
            extra = [key for key in entry if key not in ADDING_FIELDS]
            if extra:
                problems.add(
                    path,
                    f"resource '{entry['id'].strip()}' comes from {where_from(source)}: here it may only add "
                    f"{', '.join(ADDING_FIELDS[1:])}, not {', '.join(extra)}",
                    "change those fields in the reference file",
                    line,
                )
            for key in [key for key in ADDING_FIELDS[1:] if key in entry and not isinstance(entry[key], str)]:
                message = f"'{key}' of resource '{entry['id'].strip()}' must be text"
                problems.add(path, message, f'write {key} = "..."', field_line(text, key, line))
            if entry["id"].strip() in additions:
                problems.add(
                    path,
                    f"resource id '{entry['id'].strip()}' is used twice",
                    "give each [[resource]] its own id",
                    line,
                )
            additions[entry["id"].strip()] = entry
        else:
            own.append((number, entry, line))
    resources: list[Resource] = [
        from_imported(entry, additions.get(str(entry.item["id"]), {}), number, config, md)
        for number, entry in enumerate(imported, start=1)
    ]
    seen: set[str] = set(by_id)
    for number, entry, line in own:
        resource = read_entry(path, text, entry, number, line, md, problems)
        if resource is None:
            continue
        if resource.id in seen:
            problems.add(path, f"resource id '{resource.id}' is used twice", "give each [[resource]] its own id", line)
            continue
        seen.add(resource.id)
        resources.append(resource)
    return ResourceList(title=title.strip(), resources=tuple(numbered(ordered(resources, sort))))


def imported_entries(config: BookConfig, problems: ProblemCollector) -> list[Imported]:
    """The entries of [resources] files, in the order of the files and of their entries; an id given
    twice is an error naming both places."""
    entries: list[Imported] = []
    seen: dict[str, Imported] = {}
    for path in config.resources.files:
        for entry in read_reference_file(path, problems):
            key = str(entry.item["id"])
            if key in seen:
                problems.add(
                    entry.path,
                    f"the entry id '{key}' is given twice: at {where_from(seen[key], config.root)} and here",
                    "give each entry its own id (or keep one of them)",
                    entry.line,
                )
                continue
            seen[key] = entry
            entries.append(entry)
    return entries


def where_from(entry: Imported, root: Path | None = None) -> str:
    name = entry.path.name if root is None else entry.path.relative_to(root).as_posix()
    return f"{name}:{entry.line}" if entry.line else name


def from_imported(entry: Imported, added: dict[str, Any], number: int, config: BookConfig, md: Markdown) -> Resource:
    """The resource an imported CSL-JSON entry makes: its annotation from resources.toml, else from the
    first of the annotation fields it has."""
    item = entry.item
    annotation = added.get("annotation") if isinstance(added.get("annotation"), str) else None
    if annotation is None:
        annotation = next(
            (str(item[key]) for key in config.resources.annotation_fields if str(item.get(key, "")).strip()), ""
        )
    names = item.get("author") or item.get("editor") or []
    url = str(item.get("URL", "")).strip()
    md.reset()
    return Resource(
        id=str(item["id"]),
        title=csl_plain(item.get("title", "")) or str(item["id"]),
        number=number,
        annotation_html=allowlisted(md.convert(annotation.strip())),
        authors=tuple(name for name in (display_name(n) for n in names if isinstance(n, dict)) if name),
        year=year_of(item.get("issued")),
        publisher=csl_plain(item.get("publisher", "")),
        url=url if safe_url(url) else "",
        isbn=str(item.get("ISBN", "")).strip(),
        category=str(added.get("category", "")).strip(),
        annotation=annotation.strip(),
        csl=json.dumps(item, ensure_ascii=False, sort_keys=True),
        source=where_from(entry, config.root),
    )


def display_name(name: dict[str, Any]) -> str:
    """A CSL name as a reader writes it: "Jörg Müller", "Jan van der Berg Jr.", "World Health Organization"."""
    if name.get("literal"):
        return str(name["literal"]).strip()
    parts = (name.get(key, "") for key in ("given", "dropping-particle", "non-dropping-particle", "family", "suffix"))
    return " ".join(str(part).strip() for part in parts if str(part).strip())


def safe_url(url: str) -> bool:
    return bool(re.match(r"^(https?|mailto):", browser_url(url.strip()), re.IGNORECASE))


def ordered(resources: list[Resource], sort: str) -> list[Resource]:
    """Sorted as asked, then grouped by category in the order categories first appear."""
    keys = {
        "title": lambda r: (r.title.casefold(), r.subtitle.casefold()),
        "author": lambda r: (surname(r.authors[0]).casefold() if r.authors else "\uffff", r.title.casefold()),
        "year": lambda r: (r.year if r.year is not None else 10**6, r.title.casefold()),
    }
    if sort in keys:
        resources = sorted(resources, key=keys[sort])
    categories = list(dict.fromkeys(r.category for r in resources))
    return sorted(resources, key=lambda r: categories.index(r.category))


def numbered(resources: list[Resource]) -> list[Resource]:
    return [replace(resource, number=number) for number, resource in enumerate(resources, start=1)]


def surname(name: str) -> str:
    """ "Ada Lovelace" -> "Lovelace"; "Lovelace, Ada" -> "Lovelace"."""
    name = name.strip()
    return name.split(",")[0] if "," in name else name.split()[-1] if name.split() else name


def read_entry(
    path: Path,
    text: str,
    entry: dict[str, Any],
    number: int,
    line: int | None,
    md: Markdown,
    problems: ProblemCollector,
) -> Resource | None:
    errors_before = len(problems.problems)
    for key in entry:
        if key not in FIELDS:
            problems.add(
                path,
                f"unknown field '{key}' in resource {number}",
                valid_choices(key, FIELDS),
                field_line(text, key, line),
            )
    for key in ("id", "title"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.add(path, f"resource {number} has no '{key}'", f'add {key} = "..." to this [[resource]]', line)
    resource_id = entry.get("id", "")
    if isinstance(resource_id, str) and resource_id and not RESOURCE_ID.match(resource_id):
        problems.add(
            path,
            f"resource id '{resource_id}' has characters ids cannot have",
            "use letters, digits, '-' and '_'",
            field_line(text, "id", line),
        )
    for key in TEXT_FIELDS:
        if key in entry and not isinstance(entry[key], str):
            problems.add(
                path, f"'{key}' of resource {number} must be text", f'write {key} = "..."', field_line(text, key, line)
            )
    authors = entry.get("authors", [])
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        problems.add(
            path,
            f"'authors' of resource {number} must be a list of names",
            'write authors = ["Ada Lovelace"]',
            field_line(text, "authors", line),
        )
    year = entry.get("year")
    if year is not None and not isinstance(year, int):
        problems.add(
            path, f"'year' of resource {number} must be a number", "write year = 2021", field_line(text, "year", line)
        )
    url = entry.get("url", "").strip()
    if url and not safe_url(url):
        problems.add(
            path,
            f"'url' of resource {number} is not a web address",
            "write a full address starting with https://",
            field_line(text, "url", line),
        )
    if len(problems.problems) > errors_before:  # each of its problems said; the entry is left out
        return None
    md.reset()
    return Resource(
        id=entry["id"].strip(),
        title=entry["title"].strip(),
        number=number,
        subtitle=entry.get("subtitle", "").strip(),
        annotation_html=allowlisted(md.convert(entry.get("annotation", "").strip())),
        authors=tuple(a.strip() for a in authors if a.strip()),
        year=year,
        publisher=entry.get("publisher", "").strip(),
        url=url,
        isbn=entry.get("isbn", "").strip(),
        category=entry.get("category", "").strip(),
        annotation=entry.get("annotation", "").strip(),
    )


def entry_lines(text: str, table: str = "resource") -> list[int]:
    """The line of each `[[resource]]` (or other array-of-tables) header, in order."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), start=1) if header.match(line)]


def field_line(text: str, key: str, entry_line: int | None) -> int | None:
    """The line of an entry's `key = ...`, else of the entry's header."""
    return key_line_after(text, key, entry_line) or entry_line


def key_line_after(text: str, key: str, start: int | None) -> int | None:
    if start is None:
        return None
    for number, line in enumerate(text.splitlines()[start:], start=start + 1):
        if re.match(r"^\s*\[", line):
            return None
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def top_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^\s*\[", line):
            return None
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None
