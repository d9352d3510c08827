r"""Formulas, in-process: LaTeX to MathML for the EPUB and the web edition, LaTeX to SVG paths for the
PDF, malformed LaTeX refused with a message an author can act on, the same bytes every time, and a
drawn formula sitting on the baseline of the text around it."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from octavo.read.formulas import DrawnFormula, FormulaError, split_label, to_mathml, to_svg

ROOT = Path(__file__).resolve().parent.parent
MATHML = "{http://www.w3.org/1998/Math/MathML}"
SVG = "{http://www.w3.org/2000/svg}"

# What real books write: each must be read and drawn.
REAL_FORMULAS = [
    r"\frac{a}{b}",
    r"\frac12 + \tfrac{1}{2} + \dfrac{1}{2}",
    r"\sqrt{x} + \sqrt[3]{x}",
    r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
    r"\int_{-\infty}^{\infty} e^{-x^2} \, dx = \sqrt{\pi}",
    r"\oint_C \vec{F} \cdot d\vec{r}",
    r"\prod_{k=1}^{n} k = n!",
    r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = e",
    r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
    r"\begin{bmatrix} a_{11} & \cdots & a_{1n} \\ \vdots & \ddots & \vdots \\ a_{m1} & \cdots & a_{mn} \end{bmatrix}",
    r"f(x) = \begin{cases} x^2 & \text{if } x \ge 0 \\ -x & \text{otherwise} \end{cases}",
    r"\begin{aligned} (a+b)^2 &= a^2 + 2ab + b^2 \\ &\le 2(a^2+b^2) \end{aligned}",
    r"\alpha + \beta + \gamma + \Gamma + \Delta + \omega + \varepsilon + \varphi",
    r"x \in \mathbb{R}, \; n \in \mathbb{N}, \; \mathbb{E}[X]",
    r"\mathrm{d}x, \; \mathrm{e}^{i\pi} + 1 = 0",
    r"\text{for all } x > 0",
    r"\operatorname{argmax}_{\theta} L(\theta)",
    r"\hat{x} + \bar{x} + \vec{v} + \tilde{y} + \dot{x} + \widehat{abc}",
    r"\left( \frac{a}{b} \right) \left[ x \right] \left\{ y \right\} \left| z \right|",
    r"x_i^2 + x_{i,j} + e^{x^{2}}",
    r"a \cdot b, \; 1, \ldots, n, \; \cdots",
    r"\infty, \; a \le b, \; a \ge b, \; a \ne b, \; x \to 0",
    r"\frac{\partial^2 u}{\partial t^2} = c^2 \nabla^2 u",
    r"f'(x) + f''(x) + g'''",
    r"P(A \mid B) = \frac{P(B \mid A)\,P(A)}{P(B)}",
    r"\binom{n}{k} = \frac{n!}{k!(n-k)!}",
    r"\|\mathbf{x}\|_2 = \sqrt{x_1^2 + x_2^2}",
    r"\sin\theta + \cos\theta + \log_2 n + \ln x + \det(A) + \arg z",
    r"\{ x \in \mathbb{R} : x > 0 \}",
    r"\langle a, b \rangle, \; \lfloor x \rfloor, \; \lceil x \rceil",
    r"a \equiv b \pmod{n}",
    r"\mathcal{O}(n \log n), \; \mathbf{v}, \; \boldsymbol{\alpha}",
    r"A^\top, \; A^{-1}, \; 30^\circ",
    r"\forall x \, \exists y : x < y \implies \neg (y < x)",
    r"\underbrace{a + b}_{n} + \overline{AB}",
    r"\left. \frac{df}{dx} \right|_{x=0}",
    r"\begin{equation} E = mc^2 \end{equation}",
    r"x % a comment to the end of the line",
]

# Malformed LaTeX that latex2mathml turns silently into wrong output, or refuses with an empty message.
MALFORMED = [
    (r"\frac{1}{", "unbalanced braces: the '{' at character 9 is never closed"),
    (r"x^{2", "unbalanced braces"),
    (r"\text{abc", "unbalanced braces"),
    (r"\frac{1}{2}}", "unbalanced braces: the '}' at character 12 closes nothing"),
    (r"x}", "unbalanced braces"),
    (r"\frac{1}", r"\frac is missing its second argument"),
    (r"\frac", r"\frac is missing its first argument"),
    (r"{\frac{1}} + 2", r"\frac is missing its second argument"),
    (r"\sqrt", r"\sqrt is missing its argument"),
    (r"\sqrt[3]", r"\sqrt is missing its argument"),
    (r"\hat", r"\hat is missing its argument"),
    (r"x^", "'^' has nothing after it"),
    (r"x_", "'_' has nothing after it"),
    (r"\fracc{1}{2}", r"unknown command \fracc"),
    (r"\nosuchcommand", r"unknown command \nosuchcommand"),
    (r"\text{\foo}", r"unknown command \foo"),
    (r"\left( x", r"\left without a matching \right"),
    (r"x \right)", r"\right) without a \left"),
    (r"\left x \right)", r"\left must be followed by a delimiter"),
    (r"\middle|", r"\middle| without a \left"),
    (r"\begin{matrix} a & b", r"\begin{matrix} without \end{matrix}"),
    (r"\end{matrix}", r"\end{matrix} without \begin{matrix}"),
    (r"\begin{pmatrix} 1 \end{bmatrix}", r"\begin{pmatrix} without \end{pmatrix}"),
    (r"\left( \begin{matrix} a \right) \end{matrix}", r"\right) without a \left"),
    (r"\begin{foo} x \end{foo}", "unknown environment {foo}"),
    (r"a & b", "& outside a matrix"),
    (r"x^1^2", "double superscript"),
    (r"x_1_2", "double subscript"),
    (r"\operatorname*{arg\,min}", r"\operatorname needs a name"),
    (r"\limits", "missing a part"),
    (r"\newcommand{\R}{\mathbb{R}} \R", r"\newcommand defines a command"),
    (r"\def\a{xx} \a", r"\def defines a command"),
    (r"\href{javascript:alert(1)}{x}", r"\href is not allowed"),
    (r"\color{url(#x)}{x}", "not a colour"),
    (r"x \tag{1}", r"\tag is not supported"),
    (r"\unicode{x0}", "cannot be written in XML"),
    ("", "the formula is empty"),
    ("  ", "the formula is empty"),
    ("{" * 50 + "x" + "}" * 50, "nested too deeply"),
    ("x" * 10_001, "too long"),
]


def mathml(latex: str, display: bool = False) -> etree._Element:
    return etree.fromstring(to_mathml(latex, display).encode())


def svg(drawn: DrawnFormula) -> etree._Element:
    return etree.fromstring(drawn.svg.encode())


# --- MathML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("display", [True, False])
def test_mathml_is_xml_with_display_and_the_latex_as_alttext(display):
    root = mathml(r"\frac{a}{b} + \sum_{i=1}^{n} x_i", display)
    assert root.tag == MATHML + "math"
    assert root.get("display") == ("block" if display else "inline")
    assert root.get("alttext") == r"\frac{a}{b} + \sum_{i=1}^{n} x_i"
    assert root.find(f".//{MATHML}mfrac") is not None


def test_mathml_of_a_display_sum_puts_its_limits_under_and_over_it():
    assert mathml(r"\sum_{i=1}^{n} i", True).find(f".//{MATHML}munderover") is not None
    assert mathml(r"\sum_{i=1}^{n} i", False).find(f".//{MATHML}munderover") is None


def test_text_that_looks_like_markup_stays_text():
    """latex2mathml unescapes its whole output, so `\\text{<b>}` would be an element of the page."""
    root = mathml(r"\text{<b>R&D</b>} + x")
    assert root.find(".//b") is None and root.find(f".//{MATHML}b") is None
    assert root.find(f".//{MATHML}mtext").text == "<b>R&D</b>"


def test_escaped_characters_in_text_lose_their_backslash():
    text = mathml(r"\text{costs \$5, or 10\%}").find(f".//{MATHML}mtext").text
    assert text.replace("\N{NO-BREAK SPACE}", " ") == "costs $5, or 10%"  # latex2mathml keeps spaces as no-break


def test_mathml_has_only_attributes_mathml_3_allows_where_it_allows_them():
    """EPUBCheck validates MathML against its schema: `stretchy` on an <mi> fails the EPUB."""
    on_operators = {"stretchy", "fence", "form", "lspace", "rspace", "minsize", "maxsize", "movablelimits", "accent"}
    allowed = {
        "math": {"display", "alttext"},
        "mo": on_operators,
        "mover": {"accent"},
        "munder": {"accentunder"},
        "mi": {"mathvariant"},
        "mtext": {"mathvariant"},
        "mtd": {"columnalign"},
        "mtable": {"columnspacing", "rowspacing", "displaystyle", "rowlines", "columnalign"},
        "mstyle": {"displaystyle", "scriptlevel", "mathcolor"},
        "mspace": {"width", "depth", "height", "linebreak"},
        "mpadded": {"width", "height", "depth", "lspace", "voffset"},
        "mfrac": {"linethickness"},
        "menclose": {"notation"},
    }
    seen = set()
    for latex in [*REAL_FORMULAS, r"\xrightarrow{f}", r"\boxed{x}", r"\color{red}{x}", r"\begin{align}a&=b\end{align}"]:
        for display in (True, False):
            for element in mathml(latex, display).iter():
                name = etree.QName(element).localname
                for attribute in element.attrib:
                    seen.add((name, attribute))
                    assert attribute in allowed.get(name, set()), f"{attribute} on <{name}> in {latex!r}"
    assert ("mo", "stretchy") in seen and ("mi", "mathvariant") in seen  # the check saw real attributes


def test_binomials_are_fenced_rows_not_fixed_size_parentheses():
    row = mathml(r"\binom{n}{k}").find(f".//{MATHML}mfrac/..")
    assert [etree.QName(child).localname for child in row] == ["mo", "mfrac", "mo"]
    assert all(child.get("minsize") is None for child in row)
    assert row[0].get("stretchy") == "true" and row[0].get("form") == "prefix"


def test_align_is_not_numbered_and_aligned_is_a_table():
    assert "(1)" not in to_mathml(r"\begin{align} a &= b \end{align}", True)
    assert mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True).find(f".//{MATHML}mtable") is not None


def test_mathml_does_not_depend_on_whether_ziamath_was_imported_first():
    """Importing ziamath teaches latex2mathml \\arg; without it `\\arg` would be an unknown command."""
    assert mathml(r"\arg z").find(f".//{MATHML}mi").text == "arg"


# --- malformed LaTeX ------------------------------------------------------------------------------


@pytest.mark.parametrize(("latex", "message"), MALFORMED, ids=[latex[:30] for latex, _ in MALFORMED])
def test_malformed_latex_is_refused_with_a_short_message(latex, message):
    for convert in (lambda: to_mathml(latex, True), lambda: to_mathml(latex, False), lambda: to_svg(latex, True)):
        with pytest.raises(FormulaError) as caught:
            convert()
        text = str(caught.value)
        assert message in text
        assert "\n" not in text and len(text) < 120  # it follows "chapter.md:12: the formula '...' cannot be read: "


@pytest.mark.parametrize("latex", REAL_FORMULAS, ids=[latex[:40] for latex in REAL_FORMULAS])
def test_formulas_of_real_books_are_read_and_drawn(latex):
    for display in (True, False):
        assert mathml(latex, display).get("alttext")
        assert to_svg(latex, display).width > 0


# --- \label ----------------------------------------------------------------------------------------


def test_split_label_takes_the_label_out():
    assert split_label(r"E = mc^2 \label{eq:energy}") == ("E = mc^2", "eq:energy")
    assert split_label(r"\label{ first } x") == ("x", "first")
    assert split_label(r"x^2") == ("x^2", None)


@pytest.mark.parametrize(("latex", "message"), [(r"\label{a} x \label{b}", "only one"), (r"x \label{ }", "a name")])
def test_split_label_refuses_two_labels_or_an_empty_one(latex, message):
    with pytest.raises(FormulaError, match=message):
        split_label(latex)


def test_a_label_is_neither_read_nor_drawn():
    assert to_mathml(r"E = mc^2 \label{energy}", True) == to_mathml("E = mc^2", True)
    assert to_svg(r"E = mc^2 \label{energy}", True).svg == to_svg("E = mc^2", True).svg


# --- SVG ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("display", [True, False])
def test_svg_is_paths_with_a_text_alternative_and_a_size_in_points(display):
    drawn = to_svg(r"\sum_{i=1}^{n} \frac{a_i}{b}", display)
    root = svg(drawn)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img" and root.get("aria-label") == r"\sum_{i=1}^{n} \frac{a_i}{b}"
    # glyphs as outlines, rules as rectangles: no <text> that needs a font, no <use> of an id
    assert {etree.QName(element).localname for element in root.iter()} <= {"svg", "path", "rect"}
    assert len(root.findall(f"{SVG}path")) >= 6
    assert root.get("width") == f"{drawn.width:g}pt" and root.get("height") == f"{drawn.height:g}pt"
    assert drawn.width > 0 and drawn.height > 0
    assert [float(v) for v in root.get("viewBox").split()][2:] == [drawn.width, drawn.height]
    assert root.get("style") == f"vertical-align: {-drawn.depth:g}pt"


def test_depth_is_how_far_the_drawing_reaches_below_the_baseline():
    assert abs(to_svg("x", False).depth) < 0.3  # no descender: it sits on the baseline
    assert 1.5 < to_svg("y", False).depth < 3.5  # a descender
    assert to_svg(r"\frac{a}{b}", False).depth > 3  # the denominator hangs below
    assert to_svg("{}^2", False).depth < -2  # only a superscript: the drawing stops above the baseline
    assert to_svg("{}^2", False).svg.count('style="vertical-align: ') == 1
    assert 'style="vertical-align: 3.6pt"' in to_svg("{}^2", False).svg


def test_size_follows_the_body_text_size():
    small, large = to_svg(r"\frac{a}{b}", False, 10.0), to_svg(r"\frac{a}{b}", False, 20.0)
    assert large.height == pytest.approx(2 * small.height, rel=0.05)  # rules and gaps round to font units
    assert large.depth == pytest.approx(2 * small.depth, rel=0.05)
    assert 9 < to_svg(r"\left( x \right)", False, 10.0).height < 16  # parentheses about an em tall


def test_display_formulas_are_larger_than_inline_ones():
    assert to_svg(r"\sum_{i=1}^{n} i", True).height > to_svg(r"\sum_{i=1}^{n} i", False).height * 1.3


def test_double_struck_words_are_drawn_double_struck():
    """latex2mathml says mathvariant="double-struck"; ziamath knows the style as "double"."""
    word, letters = to_svg(r"\mathbb{RN}", False).svg, to_svg(r"\mathbb{R}\mathbb{N}", False).svg
    assert word.split("<path", 1)[1] == letters.split("<path", 1)[1]  # ℝℕ either way, not italic RN


def test_an_operator_name_is_followed_by_a_thin_space_as_in_tex():
    for spaced, written in ((r"\max_i x", r"\max_i \, x"), (r"\det A", r"\det \, A"), (r"\log_2 n", r"\log_2 \, n")):
        assert to_svg(spaced, False).width == to_svg(written, False).width


def test_an_accent_is_no_wider_than_its_letter():
    """latex2mathml's accent is an ASCII ^ or ~, wider than the letter; drawn as ˆ or ˜ it fits over it."""
    for accented in (r"\hat{x}", r"\tilde{x}"):
        assert to_svg(accented, False).width == pytest.approx(to_svg("x", False).width, abs=0.05)


def test_the_drawing_starts_at_the_pen_position_like_text():
    """ziamath's box starts at the first glyph's ink; the letter's side bearing belongs to it."""
    assert svg(to_svg("x", False)).get("viewBox").split()[0] == "0"


def test_svg_size_must_be_positive():
    for size in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="positive"):
            to_svg("x", False, size)


def test_drawings_are_cached_and_leave_ziamath_settings_as_they_were():
    import ziafont
    import ziamath

    to_svg.cache_clear()
    svg2, color = ziafont.config.svg2, ziamath.config.math.color
    ziafont.config.svg2, ziamath.config.math.color = True, "red"  # someone else's settings in the process
    try:
        drawn = to_svg(r"\frac{\alpha}{\beta}", True)
        assert "<use" not in drawn.svg and "<symbol" not in drawn.svg and "red" not in drawn.svg
        assert ziafont.config.svg2 is True and ziamath.config.math.color == "red"
    finally:
        ziafont.config.svg2, ziamath.config.math.color = svg2, color
    assert to_svg(r"\frac{\alpha}{\beta}", True) is drawn


# --- the same bytes every time ------------------------------------------------------------------

DETERMINISM = [
    r"\frac{a}{b}",
    r"\sum_{i=1}^{n} i",
    r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}",
    r"\hat{x} = \alpha",
]


def fingerprint(formulas: list[str]) -> str:
    digest = hashlib.sha256()
    for latex in sorted(formulas):
        for display in (True, False):
            digest.update(to_svg(latex, display, 10.5).svg.encode() + to_mathml(latex, display).encode())
    return digest.hexdigest()


def test_the_same_formula_gives_the_same_bytes_whatever_came_before():
    to_svg.cache_clear()
    forwards = fingerprint(DETERMINISM)
    to_svg.cache_clear()
    for latex in reversed(DETERMINISM):  # other formulas drawn first, in the other order
        to_svg(latex + "+ y_k", True, 10.5)
        to_svg(latex, False, 10.5)
    backwards = fingerprint(DETERMINISM[::-1])
    assert forwards == backwards


def test_the_same_formula_gives_the_same_bytes_in_another_process():
    code = (
        "import sys; sys.path.insert(0, 'tests'); from test_stage_formulas import fingerprint, DETERMINISM; "
        "print(fingerprint(DETERMINISM[::-1]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == fingerprint(DETERMINISM)


# --- in a PDF -------------------------------------------------------------------------------------


def drawn_shapes(page) -> list[dict]:
    """What a drawn formula leaves in a PDF: filled vector paths (pdfplumber's curves, and rects for
    a fraction bar), no characters and no font."""
    return [shape for shape in page.curves + page.rects if shape.get("fill")]


def test_inline_formulas_sit_on_the_baseline_of_the_text_in_the_pdf():
    import pdfplumber
    from weasyprint import HTML

    plain, fraction = to_svg("x", False, 10.0), to_svg(r"\frac{a}{b}", False, 10.0)
    html = (
        "<html><style>@page { size: 100mm 30mm; margin: 5mm } body { font: 10pt serif }</style>"
        f"<p>Hx {plain.svg} oH {fraction.svg} Ho</p></html>"
    )
    with pdfplumber.open(io.BytesIO(HTML(string=html).write_pdf())) as pdf:
        page = pdf.pages[0]
        baselines = {round(page.height - char["matrix"][5], 2) for char in page.chars}
        shapes = drawn_shapes(page)
        fonts = {char["fontname"] for char in page.chars}
        text = page.extract_text()
    assert len(baselines) == 1
    baseline = baselines.pop()
    assert text.split() == ["Hx", "oH", "Ho"]  # the formulas are drawings, not text
    assert not any("STIX" in font for font in fonts)
    assert shapes
    # The x is the first shape; the fraction is the rest. Each reaches `depth` below the baseline.
    first, *rest = sorted(shapes, key=lambda shape: shape["x0"])
    assert first["bottom"] == pytest.approx(baseline + plain.depth, abs=0.15)
    assert max(shape["bottom"] for shape in rest) == pytest.approx(baseline + fraction.depth, abs=0.15)
    assert min(shape["top"] for shape in rest) == pytest.approx(baseline + fraction.depth - fraction.height, abs=0.15)
