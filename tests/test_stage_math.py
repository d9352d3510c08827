"""Math in a book, in-process: arithmatex finds it, prose dollars stay text, MathML with the LaTeX as
alttext for screens, numbered equations that cross-references name, a drawing for print, and a
formula that cannot be read reported at its line."""

from __future__ import annotations

import lxml.html
import pytest
from conftest import read_book
from lxml import html as lxml_html

from octavo.errors import BookError
from octavo.read.equations import drawn_formulas

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def chapter_html(tmp_path, text: str) -> str:
    return read_book(tmp_path, {"chapters/a.md": f"# A\n\n{text}\n"}).chapters[0].html


def test_inline_and_display_math_become_mathml_with_the_latex_as_alttext(tmp_path):
    html = chapter_html(tmp_path, "Inline $x^2$ and \\(\\frac{a}{b}\\).\n\n$$\n\\sqrt{2}\n$$\n\n\\[\n\\sum_i i\n\\]")
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    maths = root.xpath("//math")
    assert [(m.get("display"), m.get("alttext")) for m in maths] == [
        ("inline", "x^2"),
        ("inline", "\\frac{a}{b}"),
        ("block", "\\sqrt{2}"),
        ("block", "\\sum_i i"),
    ]
    assert all(m.get("xmlns") == "http://www.w3.org/1998/Math/MathML" for m in maths)
    assert root.xpath("//math[@alttext='\\frac{a}{b}']//mfrac")
    assert "$" not in root.xpath("string()") and "\\(" not in html and "\\[" not in html


def test_prose_dollars_stay_text(tmp_path):
    html = chapter_html(tmp_path, "It cost $5 and $10, and then $20.")
    assert "<math" not in html and "It cost $5 and $10, and then $20." in html


def test_numbered_equations_are_referred_to_by_number(tmp_path):
    text = "$$\nE = mc^2\n$$ {#eq-energy}\n\n$$a = b \\label{eq-ab}$$\n\n$$c$$\n\nSee [](#eq-energy) and [](#eq-ab)."
    root = lxml_html.fragment_fromstring(chapter_html(tmp_path, text), create_parent="div")
    numbered = root.xpath("//div[contains(@class, 'equation')]")
    assert [(d.get("id"), d.xpath("string(span[@class='equation-number'])")) for d in numbered] == [
        ("eq-energy", "(1)"),
        ("eq-ab", "(2)"),
    ]
    assert [m.get("alttext") for m in root.xpath("//div/math")] == ["E = mc^2", "a = b", "c"]
    assert [a.text for a in root.xpath("//a[@class='xref xref-equation']")] == ["equation 1", "equation 2"]


@pytest.mark.parametrize(
    ("formula", "message", "line"),
    [
        ("Text with $\\frac{1}{$ in it.", "unbalanced braces", 5),
        ("$$\n\\fracc{1}{2}\n$$", "unknown command \\fracc", 6),
    ],
)
def test_a_formula_that_cannot_be_read_is_an_error_at_its_line(tmp_path, formula, message, line):
    with pytest.raises(BookError) as raised:
        chapter_html(tmp_path, f"Some text.\n\n{formula}\n\nMore text.")
    (problem,) = raised.value.problems
    assert problem.file.name == "a.md" and problem.line == line
    assert "cannot be read" in problem.message and message in problem.message


def test_print_gets_drawings_that_sit_on_the_baseline_and_scale_with_the_text():
    html = (
        '<p>Text <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline" alttext="\\frac{a}{b}">'
        "<mfrac><mi>a</mi><mi>b</mi></mfrac></math> more.</p>"
    )
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    drawn_formulas(root)
    (svg,) = root.xpath("//svg")
    assert not root.xpath("//math") and svg.tail == " more."
    assert svg.get("role") == "img" and svg.get("aria-label") == "\\frac{a}{b}"
    assert svg.get("width").endswith("em") and svg.get("height").endswith("em")
    assert svg.get("style").startswith("vertical-align: -0.")  # a fraction reaches below the baseline
    assert svg.xpath(".//path") and not svg.xpath(".//text")
