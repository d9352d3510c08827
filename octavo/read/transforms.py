"""Transforms: the read Book in, a new Book out, as mdBook's preprocessors and pandoc's filters.

Installed packages offer transforms through the entry point group `octavo.transforms`. Each entry
point names a function that takes a `Book` and returns a new one (`dataclasses.replace` makes it).
A book chooses which installed transforms run, in order, with `[build] transforms = ["name"]`. It
cannot bring a transform of its own, since nothing in a book folder runs. What a transform writes
into a chapter is guarded like everything else on its way to an output: no page runs a script.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from ..errors import BookError, Problem, valid_choices
from ..model import Book

ENTRY_POINTS = "octavo.transforms"


@cache
def installed_transforms() -> dict[str, EntryPoint]:
    """Every installed transform, by name."""
    return {point.name: point for point in entry_points(group=ENTRY_POINTS)}


def transform_hint(name: str) -> str:
    names = list(installed_transforms())
    return valid_choices(name, names, "installed transforms") if names else "no transform is installed"


def apply_transforms(book: Book) -> Book:
    """The book after each of its transforms, in the order book.toml lists them."""
    for name in book.config.transforms:
        point = installed_transforms()[name]
        where = book.root / "book.toml"
        try:
            transformed = point.load()(book)
        except BookError:
            raise
        except Exception as error:  # another package's code: what it raised, without a traceback
            raise BookError(
                [Problem(where, f"the transform '{name}' failed: {type(error).__name__}: {error}")]
            ) from None
        if not isinstance(transformed, Book):
            message = f"the transform '{name}' gave back {type(transformed).__name__}, not a Book"
            raise BookError([Problem(where, message, "a transform returns the book it was given, or a new one")])
        book = transformed
    return book
