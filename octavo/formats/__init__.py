"""Output formats: each one a `Format` in a registry, so a new format is one module and one line.

The build reads the book once, then hands it to each requested format. A format says whether it
needs the print layout (WeasyPrint's pages, which the PDF is written from and the EPUB's page list
is read from), whether it may be written in the second process while that layout is made (it must
not need WeasyPrint), which files it offers for download, and which libraries shape its bytes.

Octavo's own formats are `pdf`, `epub` and `site` (the web edition, download page, feed and
checksums), and `print` (the print-on-demand kit, built when asked for). Other packages add formats
through the entry point group `octavo.formats`:

    [project.entry-points."octavo.formats"]
    txt = "octavo_plaintext:PlainText"

`--format txt` then builds it. See docs/extending.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import BookError, Problem, valid_choices

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..build.progress import Reporter
    from ..build.staging import Staging
    from ..model import Book
    from .pagemap import PageMap
    from .pdf.layout import PrintLayout

ENTRY_POINTS = "octavo.formats"


@dataclass
class Written:
    """What a format wrote: the files it offers for download, in order, and what it had to say.
    `carried` is kept for its `finish` (and crosses from the second process, so it must pickle)."""

    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    carried: dict[str, Any] = field(default_factory=dict)


@dataclass
class Job:
    """What a format writes with: the book, its templates, the file stem (`my-book-1.2`), the staging
    folder that becomes the output folder, and the print layout when the format asked for it."""

    book: Book
    env: Environment
    stem: str
    staging: Staging
    report: Reporter | None = None
    layout: Callable[[], PrintLayout | None] = lambda: None
    page_map: Callable[[], PageMap | None] = lambda: None  # the layout's pages, for the EPUB's page list
    check: bool = False  # validate before publishing (`--check`, `--strict`)


class Format:
    """One output format. Subclasses set the class attributes and write `write`."""

    name: ClassVar[str]  # as `--format` names it
    title: ClassVar[str]  # in progress lines: "write PDF"
    short_title: ClassVar[str] = ""  # beside others' titles: "finish EPUB, web"; the title when empty
    media_types: ClassVar[dict[str, tuple[str, str]]] = {}  # suffix -> (label, media type) of its downloads
    libraries: ClassVar[tuple[str, ...]] = ()  # distributions whose versions change its bytes
    beside_layout: ClassVar[bool] = False  # may be written in a second process while the PDF is laid out
    by_default: ClassVar[bool] = True  # built when no --format is given

    def needs_layout(self, book: Book) -> bool:
        """Whether it is written from the print layout (`job.layout()`)."""
        return False

    def needs_page_map(self, book: Book) -> bool:
        """Whether it reads the print layout's pages (`job.page_map()`), as the EPUB's page list does:
        those of this build's layout, or of the last layout of the same text."""
        return False

    def waits_for_page_map(self, book: Book) -> bool:
        """Whether the book is laid out for its page map when no layout of the same text is at hand."""
        return self.needs_page_map(book)

    def write(self, job: Job) -> Written:
        raise NotImplementedError

    def finish(self, job: Job, written: Written, downloads: list[Path]) -> Written:
        """After every format has written: check what it wrote, or describe the downloads."""
        return Written()


@cache
def octavos_own() -> tuple[Format, ...]:
    """Octavo's own formats, in the order a build writes them."""
    from .epub import EpubFormat
    from .pdf import PdfFormat
    from .press import PrintFormat
    from .site import SiteFormat

    return (PdfFormat(), EpubFormat(), SiteFormat(), PrintFormat())


@cache
def registry() -> dict[str, Format]:
    """Every installed format by name: Octavo's own first, then those of other packages."""
    found: dict[str, Format] = {fmt.name: fmt for fmt in octavos_own()}
    for point in sorted(entry_points(group=ENTRY_POINTS), key=lambda point: point.name):
        if point.name in found:
            continue  # Octavo's own names are not replaced
        try:
            loaded = point.load()
            fmt = loaded() if isinstance(loaded, type) else loaded
        except Exception as error:  # another package's code: say which, when the format is asked for
            BROKEN[point.name] = f"{point.value}: {type(error).__name__}: {error}"
            continue
        if isinstance(fmt, Format):
            found[point.name] = fmt
            if point.dist is not None:  # its own package's version changes its bytes too
                PACKAGES[point.name] = point.dist.name
        else:
            BROKEN[point.name] = f"{point.value} is no octavo.formats.Format"
    return found


BROKEN: dict[str, str] = {}  # entry points that did not load, and why
PACKAGES: dict[str, str] = {}  # another package's format -> that package's name


def default_formats() -> tuple[str, ...]:
    """What a build makes unless told otherwise: Octavo's own formats, but the print-on-demand kit."""
    return tuple(fmt.name for fmt in octavos_own() if fmt.by_default)


def formats_named(names: tuple[str, ...]) -> list[Format]:
    """The formats asked for, in the registry's order; an unknown name lists the installed ones."""
    known = registry()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise BookError.single(None, f"unknown format {unknown[0]!r}", installed_hint(unknown[0]))
    return [fmt for name, fmt in known.items() if name in names]


def installed_hint(name: str) -> str:
    if name in BROKEN:
        return f"its package is installed, but the format did not load ({BROKEN[name]})"
    return valid_choices(name, list(registry()), "installed formats")


def media_type(suffix: str) -> tuple[str, str] | None:
    """The label and media type of a download, from the format that offers it."""
    for fmt in registry().values():
        if suffix in fmt.media_types:
            return fmt.media_types[suffix]
    return None


def format_libraries() -> tuple[str, ...]:
    """The libraries whose versions change any format's bytes (the build cache keys on them)."""
    known = registry()
    return tuple(dict.fromkeys([*(library for fmt in known.values() for library in fmt.libraries), *PACKAGES.values()]))
