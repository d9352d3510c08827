r"""LaTeX formulas as MathML for the EPUB and the web edition, and as drawn SVG for the PDF.

The EPUB and the web edition carry MathML, which reading systems and browsers lay out themselves and
screen readers speak. WeasyPrint does not lay out MathML, so the PDF gets each formula drawn by
ziamath as SVG paths in STIX Two Math: the PDF needs no math font and looks the same everywhere.

latex2mathml is lenient: unbalanced braces, `\frac{1}` with a missing argument, unknown commands
such as `\fracc`, an `\end` without its `\begin` all turn silently into wrong output. An author would
only find out by reading every formula in print, so each is checked here and refused with a
`FormulaError` whose message is short enough to follow "the formula '...' cannot be read: ".

Sizes of a drawn formula are in points (pt): one SVG user unit is one point, and the `<svg>` says
`width="…pt" height="…pt"`. Its baseline is `depth` points above its bottom edge; it comes with
`style="vertical-align: -<depth>pt"` so that, inline in a paragraph, it sits on the text baseline.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import threading
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
SVG_NS = "http://www.w3.org/2000/svg"
MAX_LATEX = 10_000  # characters in one formula: a page of matrices, far beyond any real formula
MAX_NESTING = 40  # braces, \left and \begin inside each other (the parsers recurse once per level)


class FormulaError(Exception):
    """The LaTeX of a formula cannot be read; the message says why, in a few words."""


@dataclass(frozen=True)
class DrawnFormula:
    """A formula drawn as SVG paths; sizes in points (pt).

    `depth` is how far the drawing reaches below the baseline of the text (negative for a drawing
    that stops above it, such as a lone superscript): inline, give the `<svg>`
    `vertical-align: -<depth>pt` (its own `style` attribute already says so)."""

    svg: str
    width: float
    height: float
    depth: float


# --- \label --------------------------------------------------------------------------------------

LABEL = re.compile(r"\\label\s*\{([^{}]*)\}")


def split_label(latex: str) -> tuple[str, str | None]:
    r"""The LaTeX without its `\label{name}`, and the name (None when there is none).

    A label names a formula for cross-references; it is not drawn. Two labels, or an empty one,
    are a mistake the author should hear about."""
    labels = LABEL.findall(latex)
    if not labels:
        return latex, None
    if len(labels) > 1:
        raise FormulaError(r"a formula can have only one \label")
    name = labels[0].strip()
    if not name:
        raise FormulaError(r"\label{} needs a name")
    return LABEL.sub("", latex, count=1).strip(), name


# --- what is checked before latex2mathml sees the formula ---------------------------------------

# Environments latex2mathml draws, and the amsmath ones it does not know, mapped to ones it does.
ENVIRONMENTS = frozenset(
    {
        *("matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array"),
        *("matrix*", "pmatrix*", "bmatrix*", "Bmatrix*", "vmatrix*", "Vmatrix*"),
        *("cases", "split", "align*", "displaylines", "substack"),
    }
)
ENVIRONMENT_ALIASES = {
    "aligned": "align*",
    "align": "align*",  # numbered by latex2mathml as (1), (2) in every formula: the book numbers formulas
    "gathered": "displaylines",
    "gather": "displaylines",
    "gather*": "displaylines",
}
WRAPPERS = frozenset({"equation", "equation*", "displaymath", "math"})  # the formula itself: dropped
ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")

# Commands that define other commands (one line of them expands to billions of tokens) or put
# links, classes and styles into the book's markup.
REFUSED = {
    **dict.fromkeys(
        (r"\def", r"\newcommand", r"\renewcommand", r"\providecommand", r"\newenvironment"),
        "defines a command; write the formula out in full",
    ),
    **dict.fromkeys(
        (r"\renewenvironment", r"\DeclareMathOperator", r"\let"),
        "defines a command; write the formula out in full",
    ),
    **dict.fromkeys((r"\href", r"\class", r"\style", r"\cssId"), "is not allowed in a book's formula"),
    # latex2mathml writes the tag as text where it stands, in the middle of the formula
    r"\tag": r"is not supported; name the formula with \label{name} instead",
    r"\tag*": r"is not supported; name the formula with \label{name} instead",
}

# How many arguments a command takes; each must be there, as {...} or as a single token.
TWO_ARGUMENTS = frozenset(
    {r"\frac", r"\dfrac", r"\tfrac", r"\cfrac", r"\binom", r"\dbinom", r"\tbinom"}
    | {r"\overset", r"\underset", r"\stackrel"}
)
ONE_ARGUMENT = frozenset(
    {r"\sqrt", r"\hat", r"\bar", r"\vec", r"\tilde", r"\dot", r"\ddot", r"\dddot", r"\ddddot", r"\acute"}
    | {r"\grave", r"\breve", r"\check", r"\mathring", r"\widehat", r"\widetilde", r"\widecheck"}
    | {r"\overline", r"\underline", r"\overbrace", r"\underbrace", r"\overparen", r"\underparen"}
    | {r"\overleftarrow", r"\overrightarrow", r"\overleftrightarrow", r"\underleftarrow", r"\underrightarrow"}
    | {r"\underleftrightarrow", r"\overbracket", r"\underbracket", r"\boxed", r"\cancel", r"\bcancel"}
    | {r"\xcancel", r"\sout", r"\phantom", r"\hphantom", r"\vphantom", r"\smash", r"\pmb", r"\boldsymbol"}
    | {r"\bm", r"\mathbb", r"\mathbf", r"\mathcal", r"\mathfrak", r"\mathit", r"\mathrm", r"\mathscr"}
    | {r"\mathsf", r"\mathsfit", r"\mathtt", r"\mathnormal", r"\Bbb", r"\bold", r"\mathop", r"\mathrel"}
    | {r"\mathbin", r"\mathord", r"\mathopen", r"\mathclose", r"\mathpunct", r"\mathinner", r"\not"}
    | {r"\xleftarrow", r"\xrightarrow", r"\xleftrightarrow", r"\xmapsto", r"\xlongequal", r"\xhookleftarrow"}
    | {r"\xhookrightarrow", r"\xLeftarrow", r"\xRightarrow", r"\xLeftrightarrow", r"\xtwoheadrightarrow"}
    | {r"\xtwoheadleftarrow", r"\xrightleftharpoons", r"\xleftrightharpoons", r"\xtofrom"}
    | {r"\xleftharpoonup", r"\xleftharpoondown", r"\xrightharpoonup", r"\xrightharpoondown"}
    | {"^", "_"}
)
OPTIONAL_ARGUMENT = frozenset({r"\sqrt"}) | {c for c in ONE_ARGUMENT if c.startswith(r"\x") and c != r"\xcancel"}
# What cannot be an argument: the end of a group, a cell or a row, a fence, a script sign.
NOT_AN_ARGUMENT = frozenset({"}", "&", "\\\\", r"\cr", r"\right", r"\middle", "^", "_", "]"})
DELIMITERS = frozenset(
    {"(", ")", "[", "]", "|", "/", ".", "<", ">", r"\{", r"\}", r"\|"}
    | {r"\langle", r"\rangle", r"\lvert", r"\rvert", r"\lVert", r"\rVert", r"\vert", r"\Vert"}
    | {r"\lfloor", r"\rfloor", r"\lceil", r"\rceil", r"\lbrace", r"\rbrace", r"\lbrack", r"\rbrack"}
    | {r"\lgroup", r"\rgroup", r"\lmoustache", r"\rmoustache", r"\backslash", r"\uparrow", r"\downarrow"}
    | {r"\updownarrow", r"\Uparrow", r"\Downarrow", r"\Updownarrow", r"\ulcorner", r"\urcorner"}
    | {r"\llcorner", r"\lrcorner"}
)
TEXT_COMMANDS = re.compile(r"\\(?:text[a-z]*|mbox|hbox|fbox|emph)$")
ORDINALS = ("", "first ", "second ")


def _check_source(latex: str) -> None:
    """Braces balanced and not nested too deep, counted on the characters as TeX reads them."""
    if not latex.strip():
        raise FormulaError("the formula is empty")
    if len(latex) > MAX_LATEX:
        raise FormulaError(f"the formula is too long ({len(latex):,} characters; at most {MAX_LATEX:,})")
    opened: list[int] = []
    position = 0
    while position < len(latex):
        char = latex[position]
        if char == "\\":
            position += 2  # \{, \}, \\, \% are characters, not groups
            continue
        if char == "%":  # a comment, to the end of the line
            newline = latex.find("\n", position)
            position = len(latex) if newline < 0 else newline
            continue
        if char == "{":
            opened.append(position)
            if len(opened) > MAX_NESTING:
                raise FormulaError(f"the formula is nested too deeply (more than {MAX_NESTING} levels)")
        elif char == "}":
            if not opened:
                raise FormulaError(f"unbalanced braces: the '}}' at character {position + 1} closes nothing")
            opened.pop()
        position += 1
    if opened:
        raise FormulaError(f"unbalanced braces: the '{{' at character {opened[-1] + 1} is never closed")


def _prepare(latex: str) -> str:
    r"""The amsmath environments latex2mathml does not know, renamed to ones it draws the same way;
    `\mathrm{d}` spelled so that latex2mathml keeps the d upright."""

    def rename(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2).strip()
        if name in WRAPPERS:
            return " "
        return f"\\{kind}{{{ENVIRONMENT_ALIASES.get(name, name)}}}"

    latex = ENVIRONMENT.sub(rename, latex)
    return re.sub(r"\\mathrm\s*\{", r"\\mathrm {", latex)


def _group_end(tokens: list[str], start: int, opening: str, closing: str) -> int:
    """The index just after the token that closes the group opened at `start`."""
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index] == opening:
            depth += 1
        elif tokens[index] == closing:
            depth -= 1
            if depth == 0:
                return index + 1
    return len(tokens)


def _check_arguments(tokens: list[str], index: int) -> None:
    command = tokens[index]
    count = 2 if command in TWO_ARGUMENTS else 1
    position = index + 1
    if command in OPTIONAL_ARGUMENT and position < len(tokens) and tokens[position] == "[":
        position = _group_end(tokens, position, "[", "]")
    for number in range(1, count + 1):
        if position >= len(tokens) or tokens[position] in NOT_AN_ARGUMENT or tokens[position].startswith(r"\end"):
            if command in ("^", "_"):
                raise FormulaError(f"'{command}' has nothing after it")
            which = ORDINALS[number] if count > 1 else ""
            raise FormulaError(f"{command} is missing its {which}argument")
        position = _group_end(tokens, position, "{", "}") if tokens[position] == "{" else position + 1


def _check_tokens(tokens: list[str]) -> None:
    r"""What latex2mathml lets through: unknown or mismatched environments, \left without \right,
    missing arguments, & outside a table, commands a book must not use."""
    stack: list[str] = []  # "{", r"\left" or an environment's name
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in REFUSED:
            raise FormulaError(f"{token} {REFUSED[token]}")
        if token in (r"\operatorname", r"\operatorname*", r"\operatornamewithlimits"):
            raise FormulaError(r"\operatorname needs a name of letters in braces, as in \operatorname{argmax}")
        if TEXT_COMMANDS.match(token) and following is not None and "{" in following:
            raise FormulaError(f"braces inside {token}{{...}} are not supported")
        if token in TWO_ARGUMENTS or token in ONE_ARGUMENT:
            _check_arguments(tokens, index)
        if token == "{":
            stack.append("{")
        elif token == "}":
            if stack and stack[-1] != "{":
                raise FormulaError(_unclosed(stack[-1]))
            if stack:
                stack.pop()
        elif token in (r"\left", r"\right", r"\middle"):
            if following not in DELIMITERS:
                shown = "nothing" if following is None else f"'{following}'"
                raise FormulaError(f"{token} must be followed by a delimiter such as ( or \\{{, not {shown}")
            if token == r"\left":
                stack.append(r"\left")
            elif r"\left" not in stack[-1:]:
                raise FormulaError(f"{token}{following} without a \\left before it")
            elif token == r"\right":
                stack.pop()
        elif token.startswith((r"\begin", r"\end")):
            name = token[token.index("{") + 1 : -1]
            if name not in ENVIRONMENTS:
                raise FormulaError(f"unknown environment {{{name}}}")
            if token.startswith(r"\begin"):
                stack.append(name)
            elif not stack or stack[-1] != name:
                raise FormulaError(f"\\end{{{name}}} without \\begin{{{name}}}" if not stack else _unclosed(stack[-1]))
            else:
                stack.pop()
        elif token == "&" and not any(entry not in ("{", r"\left") for entry in stack):
            raise FormulaError("& outside a matrix, cases or aligned environment")
        if len(stack) > MAX_NESTING:
            raise FormulaError(f"the formula is nested too deeply (more than {MAX_NESTING} levels)")
    if stack:
        raise FormulaError(_unclosed(stack[-1]))


def _unclosed(entry: str) -> str:
    if entry == r"\left":
        return r"\left without a matching \right"
    if entry == "{":
        return "unbalanced braces"
    return f"\\begin{{{entry}}} without \\end{{{entry}}}"


# --- latex2mathml, and what is checked in what it made ------------------------------------------

PARSER_MESSAGES = {
    "NumeratorNotFoundError": "a fraction has no numerator",
    "DenominatorNotFoundError": "a fraction has no denominator",
    "ExtraLeftOrMissingRightError": r"\left and \right do not match",
    "MissingSuperScriptOrSubscriptError": "'^' or '_' has nothing after it",
    "DoubleSubscriptsError": "double subscript: use braces, as in x_{ij} or {x_i}_j",
    "DoubleSuperscriptsError": "double superscript: use braces, as in x^{ab} or {x^a}^b",
    "NoAvailableTokensError": "a command is missing its argument",
    "InvalidStyleForGenfracError": r"\genfrac has an invalid style",
    "MissingEndError": r"a \begin has no matching \end",
    "InvalidAlignmentError": "a column alignment must be l, c, r or |",
    "InvalidWidthError": "a width is not a length such as 1em or 2pt",
    "LimitsMustFollowMathOperatorError": r"\limits must follow an operator such as \sum",
    "RecursionError": "the formula is nested too deeply",
}
# Children each element must have: a missing one means a missing argument somewhere.
PARTS = {
    "mfrac": (2, "a fraction"),
    "mroot": (2, "a root"),
    "msub": (2, "a subscript"),
    "msup": (2, "a superscript"),
    "msubsup": (3, "a subscript or superscript"),
    "munder": (2, "a limit or accent"),
    "mover": (2, "a limit or accent"),
    "munderover": (3, "a limit"),
}
COMMAND_LEFT = re.compile(r"\\[A-Za-z]+")
CHARACTER_REFERENCE = re.compile(r"&#x([0-9A-Fa-f]{1,6});")
ESCAPED_IN_TEXT = re.compile(r"\\([$%&#_{} ])")
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}|[A-Za-z]{1,30}")
COLOR_ATTRIBUTES = ("mathcolor", "mathbackground")


@functools.cache
def _latex2mathml() -> tuple[Callable[[str], Iterator[str]], Callable[..., ET.Element]]:
    """latex2mathml's tokenizer and converter, with ziamath imported first: importing ziamath adds
    \\arg, \\sh, \\tg and other operator names to latex2mathml, so the MathML would otherwise depend
    on what was imported before."""
    with warnings.catch_warnings():  # ziamath 0.13 finds its font with a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath  # noqa: F401
    from latex2mathml.converter import convert_to_element
    from latex2mathml.tokenizer import tokenize

    return tokenize, convert_to_element


def _decode(text: str) -> str:
    """latex2mathml writes characters as '&#x2211;' into the text and unescapes its whole output,
    markup included (so `\\text{<b>}` would become an element): decode only the references."""
    decoded = CHARACTER_REFERENCE.sub(lambda match: _character(int(match.group(1), 16)), text)
    if NOT_XML.search(decoded):
        raise FormulaError("the formula has a character that cannot be written in XML")
    return decoded


def _character(code: int) -> str:
    if code >= 0x110000:
        raise FormulaError("the formula has a character that cannot be written in XML")
    return chr(code)


def _clean(root: ET.Element) -> None:
    """Decode the character references, and refuse what latex2mathml could not read."""
    value: str | None
    for element in root.iter():
        for name, value in element.attrib.items():
            element.set(name, _decode(value))
        if element.text:
            text = _decode(element.text)
            if element.tag == "mtext":
                text = ESCAPED_IN_TEXT.sub(r"\1", text)
            element.text = text
            unknown = COMMAND_LEFT.search(text)
            if unknown:
                raise FormulaError(f"unknown command {unknown.group(0)}")
        if element.tail:
            element.tail = _decode(element.tail)
        if element.tag in PARTS and len(element) != PARTS[element.tag][0]:
            raise FormulaError(f"{PARTS[element.tag][1]} is missing a part")
        if element.tag == "mi" and element.text in ("{", "}"):
            raise FormulaError("a command is missing its argument")
        for name in COLOR_ATTRIBUTES:
            value = element.get(name)
            if value is not None and not COLOR.fullmatch(value):
                raise FormulaError(f"'{value}' is not a colour name or #hex colour")


def _fence_binomials(root: ET.Element) -> None:
    r"""latex2mathml writes `\binom{n}{k}` as parentheses of a fixed 2em, too tall inline; as a fenced
    row (what `\left( n \atop k \right)` gives) they fit the binomial, in reading systems and in ziamath."""
    for parent in list(root.iter()):
        index = 0
        while index + 2 < len(parent):
            opening, fraction, closing = parent[index], parent[index + 1], parent[index + 2]
            if (
                opening.tag == "mo"
                and opening.get("minsize")
                and fraction.tag == "mfrac"
                and fraction.get("linethickness") == "0"
                and closing.tag == "mo"
                and closing.get("minsize")
            ):
                row = ET.Element("mrow")
                for part, form in ((opening, "prefix"), (fraction, None), (closing, "postfix")):
                    parent.remove(part)
                    if form:
                        part.attrib.clear()
                        part.attrib.update({"stretchy": "true", "fence": "true", "form": form})
                    row.append(part)
                parent.insert(index, row)
            index += 1


@functools.lru_cache(maxsize=4096)
def _mathml(latex: str, display: bool) -> str:
    body, _ = split_label(latex)
    _check_source(body)
    tokenize, convert_to_element = _latex2mathml()
    prepared = _prepare(body)
    _check_tokens(list(tokenize(prepared)))
    try:
        root = convert_to_element(prepared, display="block" if display else "inline")
    except Exception as error:  # latex2mathml's exceptions carry no message: the class name says it all
        message = PARSER_MESSAGES.get(type(error).__name__, f"the formula cannot be parsed ({type(error).__name__})")
        raise FormulaError(message) from None
    _clean(root)
    _fence_binomials(root)
    root.attrib.clear()
    root.set("xmlns", MATHML_NS)
    root.set("display", "block" if display else "inline")
    root.set("alttext", " ".join(body.split()))
    return ET.tostring(root, encoding="unicode")


def to_mathml(latex: str, display: bool) -> str:
    """The formula as a `<math>` element for the EPUB and the web edition, with the LaTeX as its
    `alttext`; raises FormulaError when the LaTeX cannot be read."""
    return _mathml(latex, display)


# --- ziamath --------------------------------------------------------------------------------------

_ziamath_lock = threading.Lock()  # ziamath's settings are global to the process


@contextmanager
def _ziamath_settings() -> Iterator[ModuleType]:
    """ziamath's defaults whatever anyone else in the process set (its settings are global), and
    plain <path> elements: no <symbol>/<use>, so no ids to clash in a page that holds many formulas.
    The caller's settings come back afterwards."""
    import ziafont
    import ziamath

    zconfig, defaults = ziamath.config, type(ziamath.config)()
    names = ("math", "text", "debug", "numbering", "minsizefraction")
    with _ziamath_lock:
        saved = {name: getattr(zconfig, name) for name in names}
        saved_svg = (ziafont.config.svg2, ziafont.config.precision)
        for name in names:
            setattr(zconfig, name, getattr(defaults, name))
        ziafont.config.svg2, ziafont.config.precision = False, 3
        try:
            yield ziamath
        finally:
            for name, value in saved.items():
                setattr(zconfig, name, value)
            ziafont.config.svg2, ziafont.config.precision = saved_svg


# MathML's names for letter styles, as ziamath spells them.
VARIANT_WORDS = {"double-struck": "double", "sans-serif": "sans", "monospace": "mono"}
ROW_TAGS = frozenset({"math", "mrow", "mtd", "mstyle", "msqrt", "mpadded", "mphantom", "menclose"})
SCRIPT_TAGS = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})
OPERATOR_NAME = re.compile(r"[A-Za-z]{2,}")


def _operator_name(element: ET.Element) -> bool:
    r"""`\lim`, `\max`, `\det`, `\operatorname{argmax}`, `\log_2`: a word that TeX follows with a thin space."""
    scripted = element.tag in SCRIPT_TAGS and len(element) > 0
    if scripted:
        element = element[0]
    # ziamath pads a word in <mi> (\sin, \log) with thin spaces itself, but not after its scripts
    if element.tag == "mo" or (element.tag == "mi" and scripted):
        return bool(element.text and OPERATOR_NAME.fullmatch(element.text))
    return False


def _for_drawing(root: ET.Element) -> ET.Element:
    """What ziamath draws better said another way (it makes some of these changes itself, on the
    LaTeX text, in `ziamath.tex.tex2mml`): accents it has glyphs of the right width for, letter
    styles by the names it knows, the thin space TeX puts after an operator name."""
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
    for element in root.iter():
        if element.tag in ("mover", "munder") and len(element) == 2 and element[1].tag == "mo":
            accent, narrow = element[1], element.get("accent") == "true" or element[1].get("stretchy") == "false"
            if accent.text == "^":  # \hat: a circumflex the width of one letter; \widehat: one that stretches
                accent.text = "\u02c6" if narrow else "\u0302"
            elif accent.text == "~":
                accent.text = "\u02dc" if accent.get("stretchy") == "false" else "\u0303"
        if element.tag == "mo" and element.text in ("\u2191", "\u2193"):  # \uparrow and \downarrow do not stretch
            element.set("stretchy", "false")
        variant = element.get("mathvariant")
        if variant:
            for name, word in VARIANT_WORDS.items():
                variant = variant.replace(name, word)
            element.set("mathvariant", variant.replace("-", " "))  # "bold-sans-serif": "bold sans"
        if element.tag in ROW_TAGS:
            for index in range(len(element) - 1, 0, -1):
                before, after = element[index - 1], element[index]
                if _operator_name(before) and after.tag != "mo" and after.tag != "mspace":
                    element.insert(index, ET.Element("mspace", width="0.167em"))
    return root


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@functools.lru_cache(maxsize=4096)
def to_svg(latex: str, display: bool, size_pt: float = 10.0) -> DrawnFormula:
    """The formula drawn as SVG paths for the PDF, at a body text size of `size_pt` points; raises
    FormulaError when the LaTeX cannot be read. The same formula gives the same bytes every time."""
    if not (math.isfinite(size_pt) and size_pt > 0):
        raise ValueError(f"size_pt must be a positive number of points, not {size_pt!r}")
    mathml = _mathml(latex, display)
    body = ET.fromstring(mathml).get("alttext", "")
    with _ziamath_settings() as ziamath:
        try:
            drawing = ziamath.Math(_for_drawing(ET.fromstring(mathml)), size=size_pt, margin=0)
            svg = drawing.svgxml()
        except Exception as error:  # a ziamath bug on some rare construct: say so, not a traceback
            raise FormulaError(f"the formula cannot be drawn ({type(error).__name__}: {error})") from None
    x, y, width, height = (float(part) for part in svg.get("viewBox", "0 0 0 0").split())
    if x > 0:  # ziamath starts the box at the first glyph's ink: keep its side bearing, as text does
        x, width = 0.0, width + x
    depth = y + height  # the baseline is y = 0; the drawing's bottom edge is y + height
    root = ET.Element("svg")
    root.set("xmlns", SVG_NS)
    root.set("width", f"{_number(width)}pt")
    root.set("height", f"{_number(height)}pt")
    root.set("viewBox", " ".join(_number(v) for v in (x, y, width, height)))
    root.set("role", "img")
    root.set("aria-label", body)
    root.set("style", f"vertical-align: {_number(-depth)}pt")
    root.extend(copy.deepcopy(list(svg)))
    width, height, depth = (float(_number(v)) for v in (width, height, depth))
    return DrawnFormula(svg=ET.tostring(root, encoding="unicode"), width=width, height=height, depth=depth)


__all__ = ["DrawnFormula", "FormulaError", "split_label", "to_mathml", "to_svg"]
