"""The PDF's fonts are cut down by one subsetter whatever the machine has: the HarfBuzz inside uharfbuzz.

WeasyPrint subsets with the system's libharfbuzz-subset when it can load it and with fontTools
otherwise; the two give different bytes, and fontTools stamps each font with the current time. So
the same book gave another PDF on a machine without that library. Octavo takes the choice away:
WeasyPrint's `Font.subset` is replaced by the same two HarfBuzz passes run through uharfbuzz (a
dependency already, for the EPUB's fonts), and the fontTools paths WeasyPrint keeps for variable
and colour fonts get the book's own date instead of the clock (`fixed_font_timestamps`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterable, Iterator

import uharfbuzz as hb
from weasyprint.pdf import fonts as weasyprint_fonts

from ...style.fonts import GRAPHITE_TABLES

LOGGER = logging.getLogger("weasyprint")
# What WeasyPrint drops from an embedded font (layout and bitmap tables a PDF viewer never reads),
# and the Graphite tables, which the HarfBuzz of old systems dropped and today's passes through.
DROPPED_TABLES = (
    *(b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG "),
    *(name.encode("ascii") for name in GRAPHITE_TABLES),
)


def tag(name: bytes) -> int:
    return int.from_bytes(name, "big")


def subset_request(glyphs: Iterable[int], flags: int, drop_tables: tuple[bytes, ...] = ()) -> hb.SubsetInput:
    request = hb.SubsetInput()
    request.glyph_set.update(glyphs)
    request.flags = flags
    request.drop_table_tag_set.update(tag(name) for name in drop_tables)
    return request


def subset_font(font: weasyprint_fonts.Font, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's `Font.subset`, through uharfbuzz: keep the glyphs the PDF uses at their ids,
    drop the tables no viewer reads, then drop the empty glyphs after the last one used."""
    if not to_unicode:
        return
    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if font.missing:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    face = hb.Face(hb.Blob(font.file_content), font.index)
    kept = hb.subset(face, subset_request(sorted(to_unicode), flags | hb.SubsetFlags.RETAIN_GIDS, DROPPED_TABLES))
    if kept is not None:
        last_flags = flags if hinting else flags | hb.SubsetFlags.NO_HINTING
        kept = hb.subset(kept, subset_request(range(max(to_unicode) + 1), last_flags))
    if kept is not None and kept.blob.data:
        font.file_content = kept.blob.data
        return
    LOGGER.warning('Unable to subset "%s" with HarfBuzz', font.family)


def install() -> None:
    """Make every WeasyPrint font subset go through `subset_font` (idempotent)."""
    weasyprint_fonts.Font.subset = subset_font


@contextlib.contextmanager
def fixed_font_timestamps(when: dt.datetime) -> Iterator[None]:
    """fontTools writes `SOURCE_DATE_EPOCH` into a saved font's `head.modified`, else the clock:
    while the PDF is written, it is the book's modification time."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
