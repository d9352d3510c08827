"""Code lines in print: each source line a block, so a line too long for the page wraps under
itself with a hanging indent and a continuation mark, and keeps the shape of the code.

A `<pre>` that wraps sends the rest of a long line to the left edge, where it reads as a new line
of code (a shell pipeline loses its shape). Here each line becomes `<span class="line">`, indented
past its own leading spaces (and line number); the theme draws the indent and the mark.
"""

from __future__ import annotations

from lxml import etree

HANG = 2  # characters a continuation stands in from the start of the line's text
SHORT = 8  # lines: a code block this long stays on one page; a longer one may split

Node = str | etree._Element


def split_into_lines(element: etree._Element) -> list[list[Node]]:
    """The content of `element` cut at each newline; an inline element that spans a newline
    (a multi-line string token) is copied into each line it covers."""
    lines = cut_at_newlines(element)
    if len(lines) > 1 and not lines[-1]:
        lines.pop()  # the newline that ends the last line starts no line of its own
    return lines


def cut_at_newlines(element: etree._Element) -> list[list[Node]]:
    lines: list[list[Node]] = [[]]

    def add_text(text: str | None) -> None:
        if not text:
            return
        parts = text.split("\n")
        if parts[0]:
            lines[-1].append(parts[0])
        for part in parts[1:]:
            lines.append([part] if part else [])

    add_text(element.text)
    for child in element:
        if not isinstance(child.tag, str):
            add_text(child.tail)
            continue
        for index, part in enumerate(cut_at_newlines(child)):
            if index:
                lines.append([])
            copy = etree.Element(child.tag, dict(child.attrib))
            fill(copy, part)
            lines[-1].append(copy)
        add_text(child.tail)
    return lines


def fill(element: etree._Element, nodes: list[Node]) -> None:
    for node in nodes:
        if isinstance(node, str):
            if len(element):
                element[-1].tail = (element[-1].tail or "") + node
            else:
                element.text = (element.text or "") + node
        else:
            element.append(node)


def leading_width(nodes: list[Node]) -> int:
    """Columns before the line's text: its indentation, and an inline line number."""
    width = 0
    for node in nodes:
        if isinstance(node, str):
            text = node
        elif "linenos" in node.get("class", ""):
            width += len(node.get("data-linenos", ""))
            continue
        else:
            text = "".join(node.itertext())
        stripped = text.lstrip(" \t")
        width += len(text[: len(text) - len(stripped)].expandtabs(4))
        if stripped:
            break
    return width


# A run of code without spaces longer than this may not fit a line beside its indentation. WeasyPrint
# does not break a run that spans several highlighted tokens, whatever overflow-wrap says; such a
# line gets `word-break: break-all` instead of inserted break characters, which copying would keep.
LONG_RUN = 40


def wrap_code_lines(root: etree._Element) -> None:
    """Every `<pre><code>` under `root` as one block per line."""
    for code in root.xpath(".//pre/code"):
        lines = split_into_lines(code)
        if len(lines) <= SHORT:
            pre = code.getparent()
            pre.set("class", f"{pre.get('class', '')} short-code".strip())
        code.text = None
        for child in list(code):
            code.remove(child)
        for nodes in lines:
            hang = leading_width(nodes) + HANG
            line = etree.SubElement(
                code, "span", {"class": "line", "style": f"--hang:{hang}ch;padding-left:{hang}ch;text-indent:-{hang}ch"}
            )
            fill(line, nodes)
            if max(map(len, "".join(line.itertext()).split()), default=0) > LONG_RUN:
                line.set("class", "line long-run")  # may break inside the run: see print.css
