"""Raw HTML in a chapter: what passes into the outputs, and what is taken out with a warning.

Content is data. A manuscript may carry HTML (a table, a figure, a `<span lang>`), but nothing that
runs code, embeds other documents, or reaches outside the book: scripts, frames, plug-ins, event
handlers, `javascript:` URLs, and images or styles that point at the machine or the network.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .assets import resolve_image
from .errors import locate

RAW_HTML = re.compile(r"<[a-zA-Z!/?]")
REMOVED_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "portal", "noscript"}
)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset")
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
CSS_FETCH = re.compile(r"url\s*\(|@import|expression\s*\(", re.IGNORECASE)
MEDIA_ELEMENTS = ("img", "source", "video", "audio", "track", "input", "image", "use", "feImage")


def has_raw_html(markdown: str) -> bool:
    return bool(RAW_HTML.search(markdown))


def sanitize(html: str, source, state) -> str:
    """The chapter's HTML with everything unsafe taken out, each removal reported with its line."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    checked = {asset.href for asset in state.assets.values()}  # images Markdown already resolved

    def warn(what: str, needle: str, hint: str) -> None:
        state.problems.warn(source.path, f"removed {what}", hint, **locate(source.text, needle))

    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            if isinstance(element, etree._Comment | etree._ProcessingInstruction) and element.getparent() is not None:
                element.drop_tree()
            continue
        tag = etree.QName(element).localname if element.tag.startswith("{") else element.tag
        if tag in REMOVED_ELEMENTS:
            warn(f"<{tag}>", f"<{tag}", "books carry no scripts, frames or embedded objects")
            element.drop_tree()
            continue
        if tag == "style" and CSS_FETCH.search(element.text or ""):
            warn("a <style> that loads files", "<style", "style the book with CSS files in styles/")
            element.drop_tree()
            continue
        for name in list(element.attrib):
            value = element.get(name, "")
            if name.lower().startswith("on"):
                warn(f"the {name} attribute", f"{name}=", "books carry no scripts")
                del element.attrib[name]
            elif name.lower() in URL_ATTRIBUTES and SCRIPT_URL.match(value):
                warn(f"a script link ({value.split(':')[0]}:)", value.strip()[:20], "link to a page instead")
                del element.attrib[name]
            elif name.lower() == "style" and CSS_FETCH.search(value):
                warn("a style attribute that loads files", value[:20], "style the book with CSS files in styles/")
                del element.attrib[name]
        if tag in MEDIA_ELEMENTS and not (tag == "img" and element.get("src") in checked):
            contain_media(element, tag, source, state)
    text = "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
    return (root.text or "") + text


def is_book_image(element) -> bool:
    """Images Markdown already checked carry the name of their asset."""
    return (
        element.tag == "img"
        and element.get("src", "").startswith("images/")
        and element.get("data-checked") is not None
    )


def contain_media(element, tag: str, source, state) -> None:
    """A raw image (or other media) is kept only when it is a file of the book."""
    for name in ("src", "href", "{http://www.w3.org/1999/xlink}href", "xlink:href", "poster", "srcset"):
        value = element.get(name)
        if value is None:
            continue
        if name == "href" and tag == "use" and value.startswith("#"):
            continue
        if tag in ("img", "image") and name in ("src", "href", "xlink:href", "{http://www.w3.org/1999/xlink}href"):
            asset = resolve_image(source, state, value, locate(source.text, value))
            if asset is not None:
                element.set(name, asset.href)
                continue
        elif not value.startswith("#"):
            state.problems.warn(
                source.path,
                f"left out '{value}' of a raw <{tag}>",
                "only images in the book folder can be used",
                **locate(source.text, value),
            )
        del element.attrib[name]
    if tag in ("img", "image") and not any(element.get(n) for n in ("src", "href", "xlink:href")):
        element.drop_tree()
