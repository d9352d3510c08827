"""Citations of the resource list in the text, in pandoc's syntax: `[@id]`, `[@id, p. 12]`,
`[see @a, chap. 3; also @b]`, `[-@id]` (the author left out, named in the sentence already).

Each becomes a `doc-biblioref` link to its entry. With Octavo's own numbering the template
`partials/citation.html` draws it ("[3, p. 12]"); a book can restyle it there. With a citation
style (`[resources] style`) a placeholder stands in the text until the whole book is read, and the
style's processor words every citation at once (`citation_styles.py`): numbers and disambiguation
depend on all of them. An unknown id is an error with its line.
"""

from __future__ import annotations

import difflib
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import ETX, STX, AtomicString

from ..errors import ProblemCollector, locate
from ..model import Resource
from .reference_files import KEY
from .resource_list import surname

ESCAPED = re.compile(f"{STX}(\\d+){ETX}")  # a backslash-escaped character, as Python-Markdown keeps it
CITATION = r"\[([^\[\]]*@[^\[\]]+)\](?![(\[])"  # `[@x](url)` and `[@x][ref]` are links; a line may break inside
# One item: a prefix ending in a space, "-" to leave the author out, the key, and a suffix whose
# start, when it is a locator ("p. 12", "chap. 3"), the style words as one.
ITEM = re.compile(rf"^(?:(?P<prefix>[^@]*?\s))?(?P<suppress>-?)@(?P<key>{KEY})(?P<suffix>(?:[,\s].*)?)$", re.DOTALL)


@dataclass(frozen=True)
class Cite:
    """One item of a citation, as written."""

    resource: Resource
    prefix: str = ""
    suffix: str = ""  # everything after the key, the locator first: ", p. 12"
    suppress_author: bool = False

    @property
    def locator(self) -> str:
        """The suffix without its leading comma: "p. 12"."""
        return re.sub(r"^\s*,\s*", "", self.suffix).strip()


class CitationContext:
    """What a citation needs to know while a file is parsed: the resources and where errors go."""

    def __init__(
        self,
        resources: dict[str, Resource],
        render: Callable[[list[Cite]], etree.Element],
        problems: ProblemCollector,
        styled: bool = False,
    ):
        self.resources = resources
        self.render = render
        self.problems = problems
        self.styled = styled  # a citation style words the citations once the book is read
        self.placed: dict[str, list[Cite]] = {}  # placeholder id -> its items, when styled
        self.path: Path | None = None
        self.text = ""
        self.reported: dict[tuple[Path | None, str], int] = {}  # (file, id) -> unknown citations of it reported so far


def short_name(resource: Resource) -> str:
    """ "Müller 2021": a citation's words where the style's cannot be, in titles taken before it words them."""
    first = (resource.csl_item.get("author") or resource.csl_item.get("editor") or [{}])[0]
    name = ""
    if isinstance(first, dict):
        name = str(first.get("family") or first.get("literal") or "")
    name = name or (surname(resource.authors[0]) if resource.authors else resource.title)
    return " ".join(part for part in (name, str(resource.year or "")) if part)


class CitationProcessor(InlineProcessor):
    def __init__(self, context: CitationContext, md: Markdown) -> None:
        super().__init__(CITATION, md)
        self.context = context

    def handleMatch(  # type: ignore[override]  # InlineProcessor's own handleMatch takes `data` too
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        if not self.context.resources:
            return None, None, None  # a book with no resource list cites nothing: `[@x]` is text
        # Code, escapes and entities in the brackets come back as the text they stand for.
        written = html.unescape(ESCAPED.sub(lambda e: chr(int(e.group(1))), self.unescape(m.group(1))))
        items = []
        for part in written.split(";"):
            match = ITEM.match(part.strip())
            if not match:
                return None, None, None  # brackets holding something else: leave them to other rules
            items.append(match)
        known = []
        for match in items:
            resource = self.context.resources.get(match.group("key"))
            if resource is None:
                self.report_unknown(match.group("key"))
            else:
                prefix, suffix = (match.group("prefix") or "").strip(), match.group("suffix").rstrip()
                known.append(Cite(resource, prefix, suffix, bool(match.group("suppress"))))
        if len(known) != len(items):
            return None, None, None
        element = self.placeholder(known) if self.context.styled else self.context.render(known)
        for node in element.iter():
            if node.text:
                node.text = AtomicString(node.text)
            if node.tail:
                node.tail = AtomicString(node.tail)
        return element, m.start(0), m.end(0)

    def placeholder(self, cites: list[Cite]) -> etree.Element:
        """What stands for a citation until its style words it: a link to each entry, so that the
        back-references find it, and its items kept under its id."""
        key = f"c{len(self.context.placed) + 1}"
        self.context.placed[key] = cites
        span = etree.Element("span", {"class": "citation", "data-citation": key})
        for cite in cites:
            link = etree.SubElement(span, "a", {"class": "citation-ref", "role": "doc-biblioref"})
            link.set("href", f"#{cite.resource.anchor}")
            link.set("data-resource", cite.resource.id)
            link.text = short_name(cite.resource)  # what a heading or a caption that holds it is named by
        return span

    def report_unknown(self, resource_id: str) -> None:
        close = difflib.get_close_matches(resource_id, list(self.context.resources), n=1)
        if close:
            hint = f"did you mean '@{close[0]}'?"
        elif self.context.resources:
            hint = "ids are those of resources.toml: " + ", ".join(sorted(self.context.resources))
        else:
            hint = "the book has no resources.toml to cite from"
        key = (self.context.path, resource_id)
        self.context.reported[key] = self.context.reported.get(key, 0) + 1
        place = locate(self.context.text, f"@{resource_id}", self.context.reported[key])
        self.context.problems.add(self.context.path, f"citation of an unknown resource '@{resource_id}'", hint, **place)


class CitationExtension(Extension):
    def __init__(self, context: CitationContext) -> None:
        super().__init__()
        self.context = context

    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(CitationProcessor(self.context, md), "octavo-citation", 180)
