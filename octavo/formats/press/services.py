"""What each print-on-demand service asks of a book's two files, as the services publish it.

Every figure here is in docs/print.md with the page it comes from; a test keeps the two equal.
Lengths are in inches, as all three services give them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Trim:
    """A trim size: the finished page, width by height."""

    width: float
    height: float
    name: str = ""  # "A5", when it has a name of its own

    @property
    def words(self) -> str:
        size = f"{self.width:g} x {self.height:g} in"
        return f"{self.name} ({size})" if self.name else size

    @classmethod
    def of_page(cls, width: str, height: str) -> Trim:
        """The trim a page of CSS lengths ("148mm", "6in") makes, to the hundredth of an inch."""
        from ...read.pagesizes import points

        return cls(round(points(width) / 72, 2), round(points(height) / 72, 2))

    def same_as(self, other: Trim) -> bool:
        return abs(self.width - other.width) < 0.011 and abs(self.height - other.height) < 0.011


def mm(width: float, height: float, name: str = "") -> Trim:
    return Trim(round(width / MM_PER_INCH, 2), round(height / MM_PER_INCH, 2), name)


NAMED_TRIMS = {
    "a4": mm(210, 297, "A4"),
    "a5": mm(148, 210, "A5"),
    "b5": mm(176, 250, "B5"),
    "royal": mm(156, 234, "Royal"),
}
TRIM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm|cm)?\s*$", re.IGNORECASE)


def parse_trim(text: str) -> Trim | None:
    """ "6x9", "6 x 9 in", "148x210mm", "A5": the trim it names, or None."""
    named = NAMED_TRIMS.get(text.strip().lower())
    if named is not None:
        return named
    match = TRIM.match(text)
    if not match:
        return None
    width, height = float(match.group(1)), float(match.group(2))
    unit = (match.group(3) or "in").lower()
    if unit == "in":
        return Trim(width, height)
    factor = 10 if unit == "cm" else 1
    return mm(width * factor, height * factor)


def inches(*sizes: tuple[float, float]) -> tuple[Trim, ...]:
    return tuple(Trim(width, height) for width, height in sizes)


@dataclass(frozen=True)
class Service:
    """One service's rules for a paperback: trims, paper, bleed, margins, page counts, cover."""

    name: str  # as [print] service names it
    title: str
    trims: tuple[Trim, ...]
    paper: dict[str, float]  # paper -> thickness of one page (a leaf is two), for the spine
    spine_allowance: float  # added to the pages' thickness (Lulu's cover board)
    bleed: float
    bleed_binding_edge: bool  # the interior bleeds on the binding edge too (Lulu), not only the outer three
    gutters: tuple[tuple[int, float], ...]  # (up to this many pages, the least inside margin)
    outside: float  # the least top, bottom and outside margin of the interior, text to trim
    cover_safe: float  # the cover's text stays this far inside its trim and folds
    spine_text_pages: int  # the fewest pages whose spine may carry text
    min_pages: int
    max_pages: int
    page_multiple: int  # the interior's page count is padded to a multiple of this
    ends_blank: bool  # the last page is left blank (the printer's own marks go there)
    cmyk: bool  # colour images must be CMYK
    sources: tuple[str, ...]

    def gutter(self, pages: int) -> float:
        for most, inside in self.gutters:
            if pages <= most:
                return inside
        return self.gutters[-1][1]

    def spine(self, pages: int, paper: str) -> float:
        return pages * self.paper[paper] + self.spine_allowance

    def trim_named(self, trim: Trim) -> Trim | None:
        return next((offered for offered in self.trims if offered.same_as(trim)), None)


COMMON_TRIMS = inches((5, 8), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21), (7, 10), (8.5, 11))

KDP = Service(
    name="kdp",
    title="Amazon KDP",
    trims=(
        *inches((5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21), (6.69, 9.61), (7, 10)),
        *inches((7.44, 9.69), (7.5, 9.25), (8, 10), (8.25, 6), (8.25, 8.25), (8.5, 8.5), (8.5, 11)),
        Trim(8.27, 11.69, "A4"),
    ),
    paper={"white": 0.002252, "cream": 0.0025, "colour": 0.002347},
    spine_allowance=0.0,
    bleed=0.125,
    bleed_binding_edge=False,
    gutters=((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)),
    outside=0.375,
    cover_safe=0.125,
    spine_text_pages=79,
    min_pages=24,
    max_pages=828,
    page_multiple=2,
    ends_blank=False,
    cmyk=False,
    sources=(
        "https://kdp.amazon.com/en_US/help/topic/GVBQ3CMEQW3W7VY8",
        "https://kdp.amazon.com/en_US/help/topic/G201953020",
        "https://kdp.amazon.com/en_US/help/topic/G201834180",
    ),
)

INGRAM = Service(
    name="ingram",
    title="IngramSpark",
    trims=(
        *inches((5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21), (6.69, 9.61), (7, 10)),
        *inches((7.44, 9.69), (7.5, 9.25), (8, 10), (8.5, 8.5), (8.5, 11)),
        mm(148, 210, "A5"),
        Trim(8.27, 11.69, "A4"),
    ),
    paper={"white": 1 / 444, "cream": 1 / 444, "colour": 1 / 444},  # not published: see docs/print.md
    spine_allowance=0.0,
    bleed=0.125,
    bleed_binding_edge=False,
    gutters=((10_000, 0.5),),
    outside=0.5,
    cover_safe=0.25,
    spine_text_pages=48,
    min_pages=18,
    max_pages=1200,
    page_multiple=2,
    ends_blank=True,
    cmyk=True,
    sources=(
        "https://www.ingramspark.com/blog/file-requirements-for-print-books",
        "https://help.ingramspark.com/hc/en-us/articles/5338636202637",
        "https://help.ingramspark.com/hc/en-us/articles/5338619119245",
    ),
)

LULU = Service(
    name="lulu",
    title="Lulu",
    trims=(
        *inches((5.5, 8.5), (6, 9), (6.14, 9.21), (7, 10), (7.44, 9.68), (8.5, 8.5)),
        *inches((8.5, 11), (11, 8.5), (9, 7)),
        mm(148, 210, "A5"),
        Trim(8.27, 11.69, "A4"),
    ),
    paper={"white": 1 / 444, "cream": 1 / 444, "colour": 1 / 444},
    spine_allowance=0.06,
    bleed=0.125,
    bleed_binding_edge=True,
    gutters=((10_000, 0.5),),
    outside=0.5,
    cover_safe=0.375,
    spine_text_pages=80,
    min_pages=32,
    max_pages=800,
    page_multiple=2,
    ends_blank=False,
    cmyk=False,
    sources=(
        "https://help.lulu.com/en/support/solutions/articles/64000255584",
        "https://help.api.lulu.com/en/support/solutions/articles/64000254616",
    ),
)

GENERIC = Service(
    name="generic",
    title="any printer",
    trims=(),  # any size
    paper={"white": 0.0025, "cream": 0.0025, "colour": 0.0025},
    spine_allowance=0.0,
    bleed=0.125,
    bleed_binding_edge=False,
    gutters=((10_000, 0.5),),
    outside=0.375,
    cover_safe=0.25,
    spine_text_pages=80,
    min_pages=1,
    max_pages=100_000,
    page_multiple=2,
    ends_blank=False,
    cmyk=False,
    sources=(),
)

SERVICES = {service.name: service for service in (KDP, INGRAM, LULU, GENERIC)}
PAPERS = ("white", "cream", "colour")


def services_table() -> str:
    """docs/print.md's table of the services' figures, made from the services themselves."""
    shown = (KDP, INGRAM, LULU)
    rows: list[tuple[str, Callable[[Service], str]]] = [
        ("Bleed", lambda s: f"{s.bleed:g} in, {'all four edges' if s.bleed_binding_edge else 'not the binding edge'}"),
        ("Paper, in per page", lambda s: ", ".join(f"{paper} {width:.6f}" for paper, width in s.paper.items())),
        ("Spine width", lambda s: "pages × paper" + (f" + {s.spine_allowance:g} in" if s.spine_allowance else "")),
        ("Spine text from", lambda s: f"{s.spine_text_pages} pages"),
        ("Pages", lambda s: f"{s.min_pages}–{s.max_pages}, a multiple of {s.page_multiple}"),
        ("Last page blank", lambda s: "yes" if s.ends_blank else "no"),
        ("Least gutter", gutter_words),
        ("Least top, bottom, outside margin", lambda s: f"{s.outside:g} in"),
        ("Cover text inside trim and folds", lambda s: f"{s.cover_safe:g} in"),
        ("Colour images", lambda s: "CMYK" if s.cmyk else "RGB accepted"),
        ("Trims", lambda s: ", ".join(t.name or f"{t.width:g}×{t.height:g}" for t in s.trims)),
    ]
    lines = ["| | " + " | ".join(s.title for s in shown) + " |", "|---|" + "---|" * len(shown)]
    lines += [f"| {name} | " + " | ".join(value(s) for s in shown) + " |" for name, value in rows]
    return "\n".join(lines)


def gutter_words(service: Service) -> str:
    """ "≤ 150 pp. 0.375 in; …", or "any 0.5 in" when one gutter serves every page count."""
    if len(service.gutters) == 1:
        return f"any {service.gutters[0][1]:g} in"
    return "; ".join(f"≤ {most} pp. {inside:g} in" for most, inside in service.gutters)
