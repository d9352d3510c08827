"""Callouts: GitHub's alerts (`> [!NOTE]`) and admonitions (`!!! tip "Title"`) as asides.

The Markdown extensions give a `div class="admonition KIND"` with an English title. A reader needs
more: an element that says what it is (`aside` with a role, named by its label), a label in the
book's language that does not depend on colour, and one of five looks the themes know.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

# Admonition types as MkDocs, Sphinx and GitHub name them -> the five kinds the themes style.
KINDS = {
    "note": "note",
    "info": "note",
    "abstract": "note",
    "summary": "note",
    "todo": "note",
    "seealso": "note",
    "example": "note",
    "quote": "note",
    "question": "note",
    "tip": "tip",
    "hint": "tip",
    "success": "tip",
    "important": "important",
    "attention": "important",
    "warning": "warning",
    "caution": "caution",
    "danger": "caution",
    "error": "caution",
    "failure": "caution",
    "bug": "caution",
}
ROLES = {"tip": "doc-tip"}  # DPUB-ARIA has a role for tips; the rest are notes


def shape_callouts(root: etree.Element, labels: dict[str, str]) -> None:
    """Every admonition under `root` becomes `<aside class="callout callout-KIND" role=...>`."""
    for parent in list(root.iter()):
        for index, element in enumerate(list(parent)):
            classes = element.get("class", "").split()
            if element.tag == "div" and "admonition" in classes:
                parent[index] = as_aside(element, classes, labels)


def as_aside(div: etree.Element, classes: list[str], labels: dict[str, str]) -> etree.Element:
    written = next((c for c in classes if c != "admonition"), "note")
    kind = KINDS.get(written, "note")
    label = labels.get(f"callout_{kind}", kind.title())
    aside = etree.Element("aside", {"class": f"callout callout-{kind}", "role": ROLES.get(kind, "note")})
    title_element = div[0] if len(div) and div[0].get("class") == "admonition-title" else None
    title = "".join(title_element.itertext()).strip() if title_element is not None else ""
    own_title = title and title.lower() not in (written, kind, written.replace("-", " "))
    heading = etree.SubElement(aside, "p", {"class": "callout-title"})
    badge = etree.SubElement(heading, "span", {"class": "callout-label"})
    badge.text = label
    aside.set("aria-label", f"{label}: {title}" if own_title else label)
    if own_title and title_element is not None:
        named = etree.SubElement(heading, "span", {"class": "callout-name"})
        named.text = title_element.text
        named.extend(list(title_element))
        badge.tail = " "
    aside.extend(child for child in div if child is not title_element)
    aside.tail = div.tail
    return aside
