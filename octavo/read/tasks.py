"""Task lists (`- [x] done`, `- [ ] to do`) as drawn boxes.

pymdownx.tasklist gives disabled `<input>` checkboxes: a form control in a book is no use in print,
fails accessibility checks in an EPUB without a label, and the sanitiser does not pass it. A span the
theme draws as a box, ticked or not, with its state as its text alternative, reads the same everywhere.
The same goes for a checkbox written as raw HTML.
"""

from __future__ import annotations

from lxml import etree


def is_checkbox(element: etree._Element) -> bool:
    return element.tag == "input" and element.get("type", "").lower() == "checkbox"


def draw_checkbox(box: etree._Element, labels: dict[str, str]) -> None:
    """Replace the `<input type="checkbox">` with a span the theme draws."""
    done = box.get("checked") is not None
    drawn = box.makeelement(
        "span",
        {
            "class": "task-box task-done" if done else "task-box",
            "role": "img",
            "aria-label": labels["task_done" if done else "task_open"],
        },
    )
    drawn.tail = box.tail
    parent = box.getparent()
    assert parent is not None
    parent.replace(box, drawn)
