r"""Math in chapters, from the LaTeX an author writes to what each output shows.

pymdownx.arithmatex finds `$…$`, `\(…\)`, `$$…$$` and `\[…\]` (a dollar in prose, "it cost $5 and
$10", stays text) and leaves the LaTeX in a `span` or `div` of class `arithmatex`. Here:

1. while the chapter is read, each formula is checked (an error at its file and line, with the
   parser's message) and a display formula with `\label{eq-x}` or `$$ {#eq-x}` gets that id, so it is
   numbered and can be referred to (see `captions`);
2. once the chapter's HTML is final, each formula becomes MathML with its LaTeX as `alttext`: the
   EPUB and the web edition show that;
3. for the PDF, each `<math>` is replaced by the same formula drawn as SVG paths (WeasyPrint does
   not lay out MathML), sized in `em` so it follows the text around it, and sitting on its baseline.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree as lxml_etree

from .formulas import FormulaError, split_label, to_mathml, to_svg

if TYPE_CHECKING:
    from .chapter_files import SourceFile
    from .markdown import RenderState

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
DELIMITERS = re.compile(r"^\s*(\\\(|\\\[)(?P<latex>.*)(\\\)|\\\])\s*$", re.DOTALL)
CHECKED = "arithmatex math-checked"  # formulas read without error, which become MathML
DRAWING_SIZE = 10.0  # points: drawings are made at this size, then scaled to the text in em


def latex_of(element: etree.Element | lxml_etree._Element) -> str:
    """The LaTeX inside arithmatex's `\\(…\\)` or `\\[…\\]`."""
    text = "".join(element.itertext())
    found = DELIMITERS.match(text)
    return found.group("latex").strip() if found else text.strip()


def is_formula(element: etree.Element | lxml_etree._Element) -> bool:
    return element.tag in ("span", "div") and (element.get("class") or "").split()[:1] == ["arithmatex"]


def check_formulas(wrapper: etree.Element, source: SourceFile, state: RenderState) -> None:
    """Report each formula that cannot be read at its line; give labelled display formulas their id."""
    for element in wrapper.iter():
        if not is_formula(element):
            continue
        latex = latex_of(element)
        display = element.tag == "div"
        try:
            to_mathml(latex, display)
            _, label = split_label(latex)
        except FormulaError as error:
            shown = latex if len(latex) <= 60 else latex[:57] + "..."
            state.problems.add(
                source.path,
                f"the formula '{shown}' cannot be read: {error}",
                "fix the LaTeX; a dollar sign meant as money is written \\$",
                **state.place(source, latex.split("\n")[0].strip()),
            )
            continue
        element.set("class", CHECKED)
        if label and display:
            element.set("id", label)


def with_mathml(html: str, labels: dict[str, str]) -> str:
    """The chapter's formulas as MathML; numbered ones with their number at the margin."""
    if "arithmatex" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in list(root.iter("span", "div")):
        if not is_formula(element) or "math-checked" not in element.get("class", ""):
            continue  # raw HTML that only looks like a formula stays as it is
        display = element.tag == "div"
        try:
            math = lxml.html.fragment_fromstring(to_mathml(latex_of(element), display))
        except FormulaError:
            continue
        if not display:
            math.tail = element.tail
            parent = element.getparent()
            assert parent is not None
            parent.replace(element, math)
            continue
        element.set("class", "math-display" + (" equation" if element.get("data-number") else ""))
        element.text = None
        for child in list(element):
            element.remove(child)
        element.append(math)
        if element.get("data-number"):
            number = lxml_etree.SubElement(element, "span", {"class": "equation-number"})
            number.text = f"({element.get('data-number')})"
    text = "".join(lxml_etree.tostring(child, method="html", encoding="unicode") for child in root)
    return (root.text or "") + text


def drawn_formulas(root: lxml_etree._Element) -> None:
    """Each `<math>` in a chapter's print HTML replaced by its drawing, scaled to the text in em."""
    for math in list(root.iter("math")):
        drawn = to_svg(math.get("alttext", ""), math.get("display") == "block", DRAWING_SIZE)
        svg = lxml.html.fragment_fromstring(drawn.svg)
        em = DRAWING_SIZE
        svg.set("width", f"{drawn.width / em:.3f}em")
        svg.set("height", f"{drawn.height / em:.3f}em")
        svg.set("style", f"vertical-align: {-drawn.depth / em:.3f}em")
        svg.set("class", "math-drawing")
        svg.tail = math.tail
        parent = math.getparent()
        assert parent is not None
        parent.replace(math, svg)
