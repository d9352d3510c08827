"""The last check on every web page and EPUB document Octavo writes: nothing in it runs.

Chapter HTML is allowlisted when the book is read (sanitize.py), but a page is made by a template,
and a book may bring its own templates. The sandbox keeps a template from running code at build
time; this keeps it from putting code into the page: `<script>` (other than JSON-LD data), frames,
plug-ins, `<base>`, refresh redirects, event attributes and `javascript:` URLs are taken out of the
finished page. Web pages also carry a Content-Security-Policy that lets them load only files of the
web edition itself, so even a page that slipped past would fetch nothing from elsewhere.
"""

from __future__ import annotations

import html as html_lib
import re

import lxml.html
from lxml import etree

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
    "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
EXECUTABLE = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcdoc"}
)
SUSPECT = re.compile(
    r"<\s*(script|iframe|frame|object|embed|applet|base|portal)\b"
    r"|\son[a-z]+\s*=|script\s*:|data\s*:\s*(text|application)|http-equiv|srcdoc|formaction",
    re.IGNORECASE,
)
# Schemes that run script when followed or loaded; data: only for documents that can hold script.
SCRIPT_SCHEME = re.compile(
    r"^(javascript|vbscript|data:(text/html|text/xml|application/(xhtml\+)?xml|image/svg|text/javascript"
    r"|application/javascript))",
    re.IGNORECASE,
)


def browser_url(value: str) -> str:
    """A URL as a browser reads it: entities decoded, whitespace and control characters dropped,
    so `java&#9;script:` is `javascript:`."""
    return re.sub(r"[\x00-\x20\x7f]", "", html_lib.unescape(value))


def runs_script(url: str) -> bool:
    return bool(SCRIPT_SCHEME.match(browser_url(url)))


def local(name: str) -> str:
    return etree.QName(name).localname if isinstance(name, str) and name.startswith("{") else str(name)


def defuse(root: etree._Element) -> bool:
    """Take out everything that runs; True when something was."""
    changed = False
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = local(element.tag).lower()
        if tag in EXECUTABLE and not (tag == "script" and (element.get("type") or "").lower() in DATA_SCRIPT_TYPES):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            changed = True
            continue
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            parent = element.getparent()
            assert parent is not None
            parent.remove(element)
            changed = True
            continue
        for name in list(element.attrib):
            short = local(name).lower()
            value = element.get(name) or ""
            if short.startswith("on") or short == "srcdoc" or (short in URL_ATTRIBUTES and runs_script(value)):
                del element.attrib[name]
                changed = True
    return changed


def guarded_page(page: str) -> str:
    """A web page as the web edition publishes it: defused, with its Content-Security-Policy."""
    has_policy = CSP_META in page
    if has_policy and not SUSPECT.search(page.replace(CSP_META, "")):
        return page  # Octavo's own templates: nothing to take out, written as they are
    document = lxml.html.document_fromstring(page)
    defuse(document)
    head: etree._Element | None
    head = document.find("head")
    if head is None:
        head = etree.Element("head")
        document.insert(0, head)  # type: ignore[arg-type]  # lxml's HTML elements take any element
    for old in head.xpath("meta[@http-equiv='Content-Security-Policy']"):
        head.remove(old)
    charset = head.find("meta[@charset]")
    head.insert(0 if charset is None else head.index(charset) + 1, lxml.html.fragment_fromstring(CSP_META))
    return lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode") + "\n"


def guarded_xhtml(document: str) -> str:
    """An EPUB content document with nothing that runs."""
    if not SUSPECT.search(document):
        return document
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(document.encode("utf-8"), parser)
    if not defuse(root):
        return document
    return etree.tostring(root, encoding="unicode")
