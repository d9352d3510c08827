"""Raw HTML in a chapter: what passes into the outputs, and what is taken out with a warning.

Content is data. A manuscript may carry HTML (a table, a figure, a `<span lang>`), but nothing that
runs code, embeds other documents, or reaches outside the book: scripts, frames, plug-ins, event
handlers, `javascript:` URLs, and images or styles that point at the machine or the network.

Two passes. `sanitize` walks the chapter and reports each thing it takes out at its line, so the
author learns what happened. `allowlisted` then passes every piece of HTML that reaches an output
(chapters, attribute lists, resource annotations) through nh3, the maintained HTML5 sanitizer (the
Rust `ammonia`), with an allowlist of elements, attributes and URL schemes: what is not on the list
does not get through, however it is spelt.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Set as AbstractSet
from functools import cache
from typing import TYPE_CHECKING, cast

import lxml.html
import nh3
from lxml import etree

from ..errors import locate
from ..pageguard import runs_script
from ..slugs import anchor_slug
from ..style.cssfilter import safe_declarations, safe_value
from .htmlfix import normalize_element, repair_content_models
from .images import URL_SCHEME, resolve_image
from .svgsafety import SvgProblem, check_complexity
from .tasks import draw_checkbox, is_checkbox

if TYPE_CHECKING:
    from .chapter_files import SourceFile
    from .markdown import RenderState

REMOVED_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "portal", "noscript"}
)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset")
CSS_FETCH = re.compile(r"url\s*\(|@import|expression\s*\(", re.IGNORECASE)
MEDIA_ELEMENTS = ("img", "source", "video", "audio", "track", "input", "image", "use", "feImage")


def sanitize(
    html: str, source: SourceFile, state: RenderState, known: AbstractSet[str] = frozenset()
) -> tuple[str, list[str]]:
    """The chapter's HTML with everything unsafe taken out, each removal reported with its line, and
    the ids its raw HTML adds to the chapter's `known` ones (see `claim_raw_anchor`)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    unnest_void_elements(root)
    checked = {asset.href for asset in state.assets.values()}  # images Markdown already resolved
    raw_anchors: list[str] = []

    def warn(what: str, needle: str, hint: str) -> None:
        state.problems.warn(source.path, f"removed {what}", hint, **state.place(source, needle))

    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Comment | etree._ProcessingInstruction) and element.getparent() is not None:
                element.drop_tree()
            continue
        tag = etree.QName(element).localname if element.tag.startswith("{") else element.tag
        if tag == "svg":
            try:
                check_complexity(element)
            except SvgProblem as problem:
                state.problems.add(
                    source.path, f"an inline SVG {problem}", "simplify the drawing", **locate(source.text, "<svg")
                )
        if tag == "math":  # what the outputs carry is MathML made from TeX, checked; an author's own is not
            warn(
                "MathML written as raw HTML",
                "<math",
                "write the formula in TeX between $ signs ($x = 1$, or $$ for a display): Octavo makes its MathML",
            )
            element.drop_tree()
            continue
        if tag in REMOVED_ELEMENTS:
            warn(f"<{tag}>", f"<{tag}", "books carry no scripts, frames or embedded objects")
            element.drop_tree()
            continue
        if tag == "style":  # a chapter's CSS would restyle every page of the web edition and the EPUB
            loads = " that loads files" if CSS_FETCH.search(element.text or "") else ""
            warn(f"a <style> element{loads}", "<style", "style the book with CSS files in styles/")
            element.drop_tree()
            continue
        for name in list(element.attrib):
            value = element.get(name, "")
            if name.lower().startswith("on"):
                warn(f"the {name} attribute", f"{name}=", "books carry no scripts")
                del element.attrib[name]
            elif name.lower() in URL_ATTRIBUTES and runs_script(value):
                warn(f"a script link ({value.split(':')[0]}:)", value.strip()[:20], "link to a page instead")
                del element.attrib[name]
            elif name.lower() == "style" and CSS_FETCH.search(value):
                warn("a style attribute that loads files", value[:20], "style the book with CSS files in styles/")
                del element.attrib[name]
        if is_checkbox(element):
            draw_checkbox(element, state.labels)
            continue
        drawing = tag in SVG_TAGS or any(a.tag in ("svg", "math") for a in element.iterancestors())
        if not drawing:
            normalize_element(element, tag)
            tag = element.tag
            if tag not in HTML_TAGS and tag not in ("div", "math"):
                if tag not in state.unknown_elements:  # one warning per element, at its first use
                    state.unknown_elements.add(tag)
                    written = re.search(rf"<{re.escape(tag)}\b", source.text, re.IGNORECASE)  # <Callout> too
                    state.problems.warn(
                        source.path,
                        f"<{written.group(0)[1:] if written else tag}> is no HTML element any output knows: "
                        "its content was kept (here and wherever else it is used)",
                        "use HTML elements, or Markdown",
                        **state.place(source, written.group(0) if written else f"<{tag}"),
                    )
                element.drop_tag()
                continue
        from_markdown = tag == "img" and element.get("src") in checked
        if tag == "img" and not from_markdown and not element.get("alt", "").strip():
            src = element.get("src", "")
            state.problems.warn(
                source.path,
                f"image '{src}' has no description",
                'say what it shows, for readers who cannot see it: alt="a short description"',
                **state.place(source, src or "<img"),
            )
        if tag in MEDIA_ELEMENTS and not from_markdown:
            contain_media(element, tag, source, state)
        if tag == "a" and is_raw_link(element):
            # checked and pointed like a Markdown link: a missing anchor is an error, another file a warning
            from .markdown import record_link

            element.set("href", record_link(source, state, element.get("href", ""), raw=True))
        anchor = claim_raw_anchor(element, source, state, known)
        if anchor:
            raw_anchors.append(anchor)
    repair_content_models(root)
    text = "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
    return (root.text or "") + text, raw_anchors


def is_raw_link(element: lxml.html.HtmlElement) -> bool:
    """A link raw HTML wrote into the book (Markdown's own are placeholders or web addresses by now)."""
    href = element.get("href", "").strip()
    classes = element.get("class", "")
    made_by_octavo = ("footnote", "citation", "glossary-ref")
    return bool(href) and not URL_SCHEME.match(href) and not any(name in classes for name in made_by_octavo)


def claim_raw_anchor(
    element: lxml.html.HtmlElement, source: SourceFile, state: RenderState, known: AbstractSet[str]
) -> str | None:
    """An id or `<a name>` written in raw HTML as a link target, renamed where the book has it already.

    Markdown's own ids are claimed by now; raw HTML reaches the tree only as text. `<a name="x">`
    becomes `<a id="x">`: an EPUB may not use `name`."""
    written = element.get("id") or (element.get("name") if element.tag == "a" else None)
    if element.tag == "a" and element.get("name") is not None:
        del element.attrib["name"]
    if not written or element.get("id") in known or element.getparent() is None:
        return None
    element.set("id", state.ids.claim(anchor_slug(written) or "anchor"))
    # `<a name="setup">` just above `## Setup` is an old habit: both name one place, the heading wins
    state.anchors.setdefault((source.path, written), cast(str, element.get("id")))
    return element.get("id")


HTML5_VOID = ("source", "track", "wbr", "embed")  # empty in HTML5; libxml2's HTML 4 parser lets them hold content


def unnest_void_elements(root: lxml.html.HtmlElement) -> None:
    """What libxml2 put inside an HTML5 empty element goes back after it: in `<picture><source
    srcset=...><img ...></picture>` the <img> is the picture's fallback, not the source's child (and
    would go with the source, were the source removed)."""
    for element in reversed(list(root.iter(*HTML5_VOID))):
        parent = element.getparent()
        if parent is None or (len(element) == 0 and not element.text):
            continue
        moved, tail = list(element), element.tail or ""
        element.tail, element.text = element.text or "", None
        index = parent.index(element)
        for offset, child in enumerate(moved, start=1):
            parent.insert(index + offset, child)
        last = moved[-1] if moved else element
        last.tail = (last.tail or "") + tail


def contain_media(element: lxml.html.HtmlElement, tag: str, source: SourceFile, state: RenderState) -> None:
    """A raw image (or other media) is kept only when it is a file of the book. (The HTML parser names
    SVG's `xlink:href` as written: it makes no namespaced attributes.)"""
    for name in ("src", "href", "xlink:href", "poster", "srcset"):
        value = element.get(name)
        if value is None:
            continue
        if tag == "use" and name in ("href", "xlink:href") and value.startswith("#"):
            continue  # a shape of the same drawing
        single_image = tag == "source" and name == "srcset" and "," not in value and " " not in value.strip()
        if (tag in ("img", "image") and name in ("src", "href", "xlink:href")) or single_image:
            asset = resolve_image(source, state, value, state.place(source, value))
            if asset is not None:
                element.set(name, asset.href)
                if single_image:  # the media type, which an EPUB must be able to check against its package
                    element.set("type", mimetypes.guess_type(asset.href)[0] or "")
                continue
        elif not value.startswith("#"):
            state.problems.warn(
                source.path,
                f"left out '{value}' of a raw <{tag}>",
                "only images in the book folder can be used",
                **state.place(source, value),
            )
        del element.attrib[name]
    if tag in ("img", "image") and not any(element.get(n) for n in ("src", "href", "xlink:href")):
        element.drop_tree()
    elif tag == "source" and not element.get("srcset"):
        element.drop_tree()  # a <source> with nothing left to show is invalid (its src is never an image)


HTML_TAGS = frozenset(nh3.ALLOWED_TAGS - {"area", "map"}) | {"section", "main", "picture", "source", "video", "audio"}
SVG_TAGS = frozenset(
    {
        *("svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect", "text", "tspan"),
        *("title", "desc", "defs", "symbol", "use", "marker", "image", "switch", "stop", "mask", "pattern"),
        *("linearGradient", "radialGradient", "clipPath", "filter", "feGaussianBlur", "feOffset", "feBlend"),
        *("feColorMatrix", "feMerge", "feMergeNode", "feFlood"),
    }
)
GLOBAL_ATTRIBUTES = frozenset(
    {"id", "class", "title", "lang", "dir", "role", "style", "hidden", "epub:type", "xml:lang"}
)
TAG_ATTRIBUTES = {
    "a": {"href", "hreflang", "name", "rel", "type"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "valign", "headers"},
    "th": {"colspan", "rowspan", "align", "valign", "scope", "headers", "abbr"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "table": {"align", "width"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
    "div": {"align"},
    "p": {"align"},
    "figure": {"align"},
    "video": {"controls", "width", "height"},
    "audio": {"controls"},
    "source": {"type", "media", "srcset", "sizes"},
    "bdo": {"dir"},
}
# As the HTML parser spells them inside <svg> (camel case where SVG has it).
SVG_ATTRIBUTES = frozenset(
    {
        *("viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy"),
        *("r", "rx", "ry", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke"),
        *("stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray"),
        *("opacity", "font-size", "font-family", "font-weight", "font-style", "text-anchor"),
        *("dominant-baseline", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform"),
        *("clip-path", "clipPathUnits", "mask", "filter", "stdDeviation", "dx", "dy", "in", "in2", "result"),
        *("marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "refX", "refY", "orient"),
        *("patternUnits", "patternTransform", "href", "xlink:href", "xmlns", "xmlns:xlink", "version"),
        *("visibility", "display", "color", "textLength", "lengthAdjust", "spreadMethod", "fx", "fy"),
    }
)
EMPTY_LINK = re.compile(r"<a\b[^>]*\bhref=\"[^\"]*\"[^>]*>\s*</a>")
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's last word on each attribute it allows: styles and paint values may not load files;
    SVG links may only point inside the document."""
    if attribute == "style":
        return safe_declarations(value) or None
    if tag in SVG_TAGS and attribute in ("href", "xlink:href"):
        return value if value.strip().startswith("#") or (tag == "image" and value.startswith("images/")) else None
    if "(" in value and not safe_value(value):
        return None
    return value


def allowed_attributes() -> dict[str, set[str]]:
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    for tag in SVG_TAGS:
        attributes.setdefault(tag, set()).update(SVG_ATTRIBUTES)
    return attributes


@cache
def allowlist() -> nh3.Cleaner:
    """Made at first use, not at import: once per process all the same."""
    return nh3.Cleaner(
        tags=set(HTML_TAGS | SVG_TAGS),
        clean_content_tags={"script", "style", "noscript", "iframe", "object", "embed", "template"},
        attributes=allowed_attributes(),
        attribute_filter=keep_attribute,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def allowlisted(html: str) -> str:
    """Only allowed elements, attributes and URL schemes, whatever the spelling (entities, tabs in
    `java\tscript:`, case); the content of removed elements goes too when it is code."""
    # An empty link would be one a screen reader could only call "link": a link around an image that
    # was left out, or the first half of `<a href><h2>…</h2></a>`, which the HTML5 parser splits.
    return EMPTY_LINK.sub("", allowlist().clean(html))
