"""What a value of book.toml may be: one check per kind of setting, named by the options that take it
(octavo/options.py).

A check takes the key and the value as TOML gave it, and returns the value as the book uses it (text
stripped, one name made a list). A value it cannot take raises `Invalid` with the whole message, and
with a hint or a value to go on with when the option's own hint and default do not fit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .read.limits import MAX_META_TEXT
from .standards import PDF_VARIANTS

Check = Callable[[str, Any], Any]
DEFAULT: Any = object()  # `Invalid.instead` when the option's default is what the book goes on with

# BCP 47, loosely: a 2-3 letter language, then subtags of 1-8 letters or digits ("en", "pt-BR", "zh-Hant-TW").
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
WEB_ADDRESS = re.compile(r"https?://[^\s/]+")


class Invalid(ValueError):
    """A value the setting cannot take: the message, and what to say and go on with instead of the
    option's own hint and default."""

    def __init__(self, message: str, hint: str = "", instead: Any = DEFAULT) -> None:
        super().__init__(message)
        self.message, self.hint, self.instead = message, hint, instead


def flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"'{key}' must be true or false", f"write {key} = true")
    return value


PAGE_LIST_WHEN = {True: "always", False: "never", "auto": "auto", "always": "always", "never": "never"}


def page_list(key: str, value: Any) -> str:
    """When the EPUB carries the print edition's page numbers: "auto", "always" or "never" (true and
    false are "always" and "never")."""
    if not isinstance(value, (bool, str)) or value not in PAGE_LIST_WHEN:
        raise Invalid(f"'{key}' must be \"auto\", true or false, not {value!r}", f'write {key} = "auto"')
    return PAGE_LIST_WHEN[value]


def text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"'{key}' must be text", f'write {key} = "..."')
    return value.strip()


def meta_text(key: str, value: Any) -> str:
    """Text about the book, within what the outputs' metadata can hold (longer is cut, with a problem)."""
    written = text(key, value)
    longest = MAX_META_TEXT.get(key, MAX_META_TEXT["*"])
    if len(written) > longest:
        raise Invalid(f"'{key}' is {len(written):,} characters long", f"keep it under {longest:,}", written[:longest])
    return written


def title(key: str, value: Any) -> str:
    written = meta_text(key, value)
    if not written:
        raise Invalid(f"'{key}' is empty", 'write title = "My Book"')
    return written


def web_address(key: str, value: Any) -> str:
    written = meta_text(key, value)
    if written and not WEB_ADDRESS.match(written):
        raise Invalid(
            f"'{key}' is not a web address",
            'give the address files are read at: "https://github.com/me/book/blob/main/"',
        )
    return written


def site_url(key: str, value: Any) -> str:
    """A whole http(s) address; the folder it names ends in "/", so pages are found inside it."""
    written = text(key, value)
    if written and (not WEB_ADDRESS.match(written) or any(c in written for c in " \"'<>?#")):
        raise Invalid(f"'{key}' is not a web address: {written!r}", 'write url = "https://example.org/my-book/"')
    return written if not written or written.endswith("/") else written + "/"


def text_list(key: str, value: Any) -> tuple[str, ...]:
    """A list of text; one text alone is a list of one."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise Invalid(f"'{key}' must be a list of text", f'write {key} = ["First", "Second"]')
    return tuple(item.strip() for item in items if item.strip())


def names(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(f"'{key}' must be a list of names", f'write {key} = ["name"]')
    return tuple(value)


def version(key: str, value: Any) -> str:
    """Text, or a number written without quotes (`version = 1.2`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise Invalid(f"'{key}' must be text", f'write {key} = "1.0"')
    return value.strip()


def language_tag(key: str, value: Any) -> str:
    if not isinstance(value, str) or not LANGUAGE_TAG.match(value):
        raise Invalid(f"'{key}' is not a BCP 47 language tag: {value!r}", instead="und")
    return value


def iso_date(key: str, value: Any) -> str:
    """A TOML date, or text: "2024-05-01", "2024-05" or "2024"."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        written = value.strip()
        try:
            dt.date.fromisoformat((written + "-01-01")[:10])  # "2024" and "2024-05" as their first day
            return written
        except ValueError:
            pass
    raise Invalid(f"'{key}' is not an ISO 8601 date: {value!r}")


def number_between(low: int, high: int) -> Check:
    def number(key: str, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise Invalid(f"'{key}' must be a number from {low} to {high}, not {value!r}")
        return value

    return number


def page_size(key: str, value: Any) -> str:
    """A preset's name, or "WIDTH HEIGHT" in lengths."""
    from .read.pagesizes import PRESETS, is_length

    if isinstance(value, str) and (
        value.strip().lower() in PRESETS or (len(value.split()) == 2 and all(is_length(p) for p in value.split()))
    ):
        return value
    raise Invalid(f"unknown {key} {value!r}", f'use one of {", ".join(PRESETS)}, or a size like "6in 9in"')


def length(key: str, value: Any) -> str:
    """A CSS length ("3mm", "0.125in"), or nothing."""
    from .read.pagesizes import is_length

    if not isinstance(value, str) or (value and not is_length(value)):
        raise Invalid(f"'{key}' is not a length: {value!r}")  # each option's hint says what it wants
    return value


def pdf_variant(key: str, value: Any) -> str:
    if not isinstance(value, str) or (value and value not in PDF_VARIANTS):
        raise Invalid(f"unknown PDF variant {value!r}", f"valid: {', '.join(PDF_VARIANTS)}")
    return value


def any_of(choices: tuple[str, ...], what: str) -> Check:
    """A list of some of `choices` (one alone is a list of one), not empty."""

    def chosen(key: str, value: Any) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or any(item not in choices for item in items):
            raise Invalid(f"unknown {what} {items!r}", f"valid: {', '.join(choices)}")
        return tuple(items)

    return chosen


def one_of(choices: tuple[str, ...]) -> Check:
    """One of `choices`, as written."""

    def chosen(key: str, value: Any) -> str:
        if value not in choices:
            raise Invalid(
                f"'{key}' must be one of {', '.join(choices)}, not {value!r}", f'write {key} = "{choices[0]}"'
            )
        return str(value)

    return chosen


def isbn(key: str, value: Any) -> str:
    """An ISBN-13 (or an ISBN-10, made 13), its check digit right; hyphens and spaces as written
    are dropped."""
    from stdnum import isbn as isbns
    from stdnum.exceptions import ValidationError

    if not isinstance(value, str):
        raise Invalid(f"'{key}' must be text", f'write {key} = "978-0-306-40615-7"')
    if not value.strip():
        return ""
    try:
        return str(isbns.to_isbn13(isbns.validate(value)))
    except ValidationError as error:
        raise Invalid(
            f"'{key}' is not a valid ISBN: {value!r} ({str(error).lower().rstrip('.')})",
            "copy the ISBN from your ISBN agency's record; its last digit is a check digit",
        ) from None


PRICE_CURRENCIES = {"GBP": "0", "AUD": "3", "NZD": "4", "USD": "5", "CAD": "6"}  # the EAN-5 add-on's first digit
PRICE = re.compile(r"^\s*([A-Za-z]{3})\s*(\d{1,3}(?:\.\d{1,2})?)\s*$")


def price(key: str, value: Any) -> str:
    """ "USD 24.99": a price in one of the currencies the ISBN add-on has a digit for."""
    hint = f'write {key} = "USD 24.99" (currencies: {", ".join(PRICE_CURRENCIES)})'
    if not isinstance(value, str):
        raise Invalid(f"'{key}' must be text, such as \"USD 24.99\"", hint)
    if not value.strip():
        return ""
    match = PRICE.match(value)
    if not match or match.group(1).upper() not in PRICE_CURRENCIES:
        raise Invalid(f"'{key}' is not a price the barcode can carry: {value!r}", hint)
    return f"{match.group(1).upper()} {float(match.group(2)):.2f}"
