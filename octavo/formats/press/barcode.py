"""The book's barcode: its ISBN as an EAN-13 symbol, with the five-digit price add-on (EAN-5)
booksellers read beside it, drawn as vectors (SVG rectangles), so it prints sharp at any size.

The main symbol's bars come from python-barcode. It has no add-on, so the EAN-5 is encoded here
from GS1's tables (its own start guard, separators and checksum-chosen parity)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import barcode
from barcode.charsets.ean import CODES

# EAN-5: the checksum digit picks whether each digit is set from table A ("L") or B ("G")
ADD_ON_PARITY = ("BBAAA", "BABAA", "BAABA", "BAAAB", "ABBAA", "AABBA", "AAABB", "ABABA", "ABAAB", "AABAB")
ADD_ON_START, ADD_ON_SEPARATOR = "1011", "01"
ADD_ON_GAP = 9  # modules between the main symbol and the add-on (GS1: 7 to 12)
QUIET_LEFT, QUIET_RIGHT = 11, 7  # modules of white either side of the main symbol (GS1's EAN-13)
MODULE_MM = 0.33  # one module at 100% (GS1's nominal size for EAN-13)


def ean13_modules(isbn13: str) -> str:
    """The 95 modules of the EAN-13 symbol ("1" bar, "0" space) for a 13-digit ISBN."""
    modules: str = barcode.get_barcode_class("ean13")(isbn13[:12]).build()[0]
    if len(modules) != 95:
        raise ValueError(f"not an EAN-13: {isbn13}")
    return modules


def add_on_checksum(digits: str) -> int:
    return (3 * sum(int(d) for d in digits[0::2]) + 9 * sum(int(d) for d in digits[1::2])) % 10


def ean5_modules(digits: str) -> str:
    """The 47 modules of the five-digit add-on."""
    if len(digits) != 5 or not digits.isdigit():
        raise ValueError(f"an EAN-5 add-on is five digits, not {digits!r}")
    parity = ADD_ON_PARITY[add_on_checksum(digits)]
    coded = [CODES[table][int(digit)] for table, digit in zip(parity, digits, strict=True)]
    return ADD_ON_START + ADD_ON_SEPARATOR.join(coded)


@dataclass(frozen=True)
class Barcode:
    """What the back cover prints: the ISBN, hyphenated for people, and the add-on's digits."""

    isbn13: str  # 13 digits
    isbn_text: str  # "ISBN 978-0-306-40615-7"
    add_on: str = ""  # five digits, or none

    @property
    def width_modules(self) -> int:
        main = QUIET_LEFT + 95 + QUIET_RIGHT
        return main + (ADD_ON_GAP + 47 + 5 - QUIET_RIGHT if self.add_on else 0)

    def svg(self, module_mm: float = MODULE_MM, font_family: str = "monospace") -> str:
        """The symbol with its digits on white, `module_mm` to a module (the viewBox is in modules)."""
        top, bars_height, guard_extra, digit_size = 14.0, 64.0, 5.0, 8.5
        main = ean13_modules(self.isbn13)
        guards = {*range(0, 3), *range(45, 50), *range(92, 95)}  # reach down between the digits
        parts = bar_rects(main, QUIET_LEFT, top, lambda i: bars_height + (guard_extra if i in guards else 0))
        text_y = top + bars_height + digit_size
        digits = [(QUIET_LEFT - 6.0, self.isbn13[0])]
        digits += [(QUIET_LEFT + 3 + 7 * i + 3.5, d) for i, d in enumerate(self.isbn13[1:7])]
        digits += [(QUIET_LEFT + 50 + 7 * i + 3.5, d) for i, d in enumerate(self.isbn13[7:])]
        parts += [f'<text x="{x}" y="{text_y:.2f}">{d}</text>' for x, d in digits]
        parts.append(f'<text x="{QUIET_LEFT + 47.5}" y="{top - 4:.2f}">{self.isbn_text}</text>')
        if self.add_on:
            left = QUIET_LEFT + 95 + ADD_ON_GAP
            add_on_top = top + digit_size + 1
            add_on_height = bars_height + guard_extra - digit_size - 1
            parts += bar_rects(ean5_modules(self.add_on), left, add_on_top, lambda i: add_on_height)
            parts += [
                f'<text x="{left + 6 + 9 * i + 3.5}" y="{add_on_top - 2:.2f}">{d}</text>'
                for i, d in enumerate(self.add_on)
            ]
        width, height = self.width_modules, text_y + 2
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="barcode" role="img" aria-label="{self.isbn_text}" '
            f'viewBox="0 0 {width} {height:.2f}" width="{width * module_mm:.3f}mm" height="{height * module_mm:.3f}mm">'
            f'<rect width="{width}" height="{height:.2f}" fill="#fff"/>'
            f'<g fill="#000" font-family="{font_family}" font-size="{digit_size}" text-anchor="middle">'
            + "".join(parts)
            + "</g></svg>"
        )


def bar_rects(modules: str, left: float, top: float, height: Callable[[int], float]) -> list[str]:
    """One rectangle per run of bar modules, as tall as `height` says for the run's first module."""
    rects = []
    for run in re.finditer("1+", modules):
        rects.append(
            f'<rect x="{left + run.start()}" y="{top}" width="{run.end() - run.start()}" '
            f'height="{height(run.start()):.2f}"/>'
        )
    return rects
