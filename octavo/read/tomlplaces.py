"""Where each setting stands in book.toml, from the TOML parser rather than from a pattern.

Python's tomllib gives values without their places. tomlkit parses the same text into a document
that renders back byte for byte. Every value is swapped for a marker, the document is rendered
once, and each marker is found in the rendering. The lengths of the values already passed give each
marker's offset in the original text. That holds for keys a pattern would misread: quoted and
dotted keys, arrays over several lines, inline tables, a key repeated in another table, a table
written as `[output.octavo.pdf]`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import tomlkit
from tomlkit.container import OutOfOrderTableProxy
from tomlkit.items import AoT, Array, InlineTable, Table

Place = tuple[int, int]  # line and column, from 1
MARKER = "octavo-place-{}-"
MOST_VALUES = 1000  # swapping values one by one costs time that grows with the square of their number


@lru_cache(maxsize=4)
def places(text: str) -> dict[tuple[str, ...], Place]:
    """The line and column of every value in `text`, by key path; a table's is its first value's."""
    if MARKER.format("") in text or text.count("=") > MOST_VALUES:
        return {}  # a text holding the markers itself, or a book.toml no author writes: no places
    try:
        document = tomlkit.parse(text)
    except Exception:  # tomllib has said what is wrong with the text; without a parse there are no places
        return {}
    swapped: list[tuple[tuple[str, ...], Any, str, Any, Any]] = []  # path, container, key, value, marker
    tables: list[tuple[tuple[str, ...], bool]] = []  # path, whether it has a header line of its own

    def swap(container: Any, path: tuple[str, ...]) -> None:
        for key in list(container.keys()):
            value = container.item(key) if hasattr(container, "item") else container[key]
            here = (*path, key)
            if isinstance(value, AoT):
                continue  # book.toml has no arrays of tables; they render as they stand
            if isinstance(value, OutOfOrderTableProxy):  # `[output.html]` ... `[output.octavo.pdf]` apart
                tables.append((here, False))
                swap(value, here)
                continue
            if isinstance(value, Table) or (isinstance(value, InlineTable) and len(value)):
                tables.append((here, isinstance(value, Table)))
                swap(value, here)
                continue
            marker = tomlkit.item(MARKER.format(len(swapped)))
            marker.trivia.indent, marker.trivia.comment_ws = value.trivia.indent, value.trivia.comment_ws
            marker.trivia.comment, marker.trivia.trail = value.trivia.comment, value.trivia.trail
            swapped.append((here, container, key, value, marker))
            container[key] = marker

    swap(document, ())
    rendered = document.as_string()
    for _, container, key, value, _ in reversed(swapped):
        container[key] = value
    found: dict[tuple[str, ...], Place] = {}
    shift = cursor = 0  # how much longer the rendering is than the text so far; where the last marker was
    for path, _, _, value, marker in swapped:
        written = marker.as_string()
        cursor = rendered.find(written, cursor)
        if cursor < 0:
            return {}  # a rendering not as expected: no place is certain
        found[path] = line_and_column(text, cursor - shift)
        if isinstance(value, Array):
            for index, offset in enumerate(item_offsets(value)):
                found[(*path, str(index))] = line_and_column(text, cursor - shift + offset)
        shift += len(written) - len(value.as_string())
    for table, has_header in tables:
        inside = [place for path, place in found.items() if path[: len(table)] == table and path != table]
        if inside:
            found[table] = header_place(text, min(inside)) if has_header else min(inside)
    return found


def item_offsets(array: Array) -> list[int]:
    """Where each item of `array` starts in its text, by the same swap for markers: a comment in the
    array may hold an item's words, a marker is found only where the item stands."""
    items = [array[index] for index in range(len(array))]
    for index in range(len(items)):
        array[index] = tomlkit.item(MARKER.format(index))
    rendered = array.as_string()
    for index, item in enumerate(items):
        array[index] = item
    offsets: list[int] = []
    shift = cursor = 0
    for index, item in enumerate(items):
        written = tomlkit.item(MARKER.format(index)).as_string()
        cursor = rendered.find(written, cursor)
        if cursor < 0:
            return []
        offsets.append(cursor - shift)
        shift += len(written) - len(item.as_string())
    return offsets


def header_place(text: str, first_value: Place) -> Place:
    """A table's `[header]` line: the last line opening with `[` at or above its first value."""
    lines = text.split("\n")
    for number in range(first_value[0], 0, -1):
        stripped = lines[number - 1].lstrip()
        if stripped.startswith("["):
            return number, len(lines[number - 1]) - len(stripped) + 1
    return first_value


def line_and_column(text: str, offset: int) -> Place:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def place_of(text: str, table: str | None, key: str, index: int | None = None) -> Place | None:
    """Where the value of `key` in `table` ("pdf", "theme.variables"; None for a table itself) stands,
    or the `index`th item of its array; a table of Octavo's in an mdBook's book.toml is looked for
    under [output.octavo] too, and in a library.toml under [defaults]."""
    path = (*(table.split(".") if table else ()), key, *(() if index is None else (str(index),)))
    found = places(text)
    return found.get(path) or found.get(("output", "octavo", *path)) or found.get(("defaults", *path))
