"""One Markdown file -> the HTML of each of its chapters, through Python-Markdown's public API.

A file may open several chapters, and each chapter's tree is worked on (ids, notes, links) before it is
written out. Python-Markdown gives the tree to its treeprocessors, so the last treeprocessor is where
Octavo cuts it: it hands the finished tree to a function that returns the pieces, and joins them with a
marker that `convert()` carries through serialising and every postprocessor (raw HTML, notes, entities).
The output is then split at the markers. One `convert()` per file; no internals re-run by hand.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

# Python-Markdown takes STX and ETX out of every text it reads, so no manuscript can write the marker.
CUT = f"{STX}octavo:cut{ETX}"
CUT_HTML = f"<!--{CUT}-->"
NAME = "octavo-pieces"

Cutter = Callable[[etree.Element], list[list[etree.Element]]]


class PieceCutter(Treeprocessor):
    """Runs after every other treeprocessor: the tree is final, its inline Markdown and notes done."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.cut: Cutter | None = None
        self.pieces = 0

    def run(self, root: etree.Element) -> etree.Element:
        if self.cut is None:  # a Markdown used without convert_in_pieces: the tree as it is
            return root
        pieces = self.cut(root)
        self.pieces = len(pieces)
        joined = etree.Element(root.tag)
        for index, piece in enumerate(pieces):
            if index:
                marker = etree.Comment(CUT)
                marker.tail = "\n"
                joined.append(marker)
            joined.extend(piece)
        return joined


class PiecesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(PieceCutter(md), NAME, -1000)


def convert_in_pieces(md: Markdown, text: str, cut: Cutter) -> list[str]:
    """The HTML of each piece `cut` makes of the text's tree, in order."""
    if not text.strip():  # convert() builds no tree for a blank text: cut an empty one
        return ["" for _ in cut(etree.Element(md.doc_tag))]
    cutter = md.treeprocessors[NAME]
    assert isinstance(cutter, PieceCutter)
    cutter.cut, cutter.pieces = cut, 0
    try:
        md.reset()
        html = md.convert(text)
    finally:
        cutter.cut = None
    if not cutter.pieces:
        return []
    pieces = [piece.strip() for piece in html.split(CUT_HTML)]
    assert len(pieces) == cutter.pieces, "a piece of the file was lost on its way through Markdown"
    return pieces
