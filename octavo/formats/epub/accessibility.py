"""EPUB Accessibility 1.1 metadata, stated from what the book actually contains.

Claims are made only for features present: alternative text only when every image has one,
print page numbers only when the page list is there.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Book

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class Contents:
    """What the EPUB's documents hold, as far as accessibility metadata cares."""

    images: int
    images_without_alt: int
    page_list: bool
    footnotes: bool
    math: bool = False


def properties(book: Book, contents: Contents) -> list[tuple[str, str]]:
    """(property, value) pairs for `<meta property="...">` in the package document."""
    settings = book.config.epub
    modes = ["textual"] + (["visual"] if contents.images else [])
    features = ["tableOfContents", "readingOrder", "structuralNavigation", "displayTransformability"]
    if contents.images and not contents.images_without_alt:
        features.append("alternativeText")
    if contents.page_list:
        features += ["printPageNumbers", "pageBreakMarkers", "pageNavigation"]
    if contents.math:
        features.append("MathML")
    pairs = [("schema:accessMode", mode) for mode in modes]
    if not contents.images_without_alt:
        pairs.append(("schema:accessModeSufficient", "textual"))  # the text alone carries everything
    if contents.images:
        pairs.append(("schema:accessModeSufficient", "textual,visual"))
    pairs += [("schema:accessibilityFeature", feature) for feature in dict.fromkeys(features)]
    pairs += [("schema:accessibilityHazard", hazard) for hazard in settings.accessibility_hazards]
    pairs.append(("schema:accessibilitySummary", settings.accessibility_summary or summary(book, contents)))
    return pairs


def summary(book: Book, contents: Contents) -> str:
    """A plain-language summary of the accessibility of this particular book."""
    parts = [
        "This publication meets EPUB Accessibility 1.1 and WCAG 2.2 Level AA.",
        "It has a table of contents, headings for every chapter and section, and a logical reading order;"
        " text can be resized and restyled.",
    ]
    if contents.images:
        if contents.images_without_alt:
            parts.append(f"{contents.images_without_alt} of its {contents.images} images lack a text description.")
        else:
            parts.append(f"All {contents.images} images have text descriptions.")
    if contents.footnotes:
        parts.append("Footnotes are linked to and from the text.")
    if contents.page_list:
        parts.append("Page numbers of the print edition are marked, with a page list for navigation.")
    if book.config.epub.accessibility_hazards == ("none",):
        parts.append("It has no flashing, motion or sound hazards.")
    return " ".join(parts)
