"""Citations of the resource list in the text: `[@id]`, `[@id, p. 12]`, `[@a; @b]`.

Each becomes a `doc-biblioref` link to its entry, drawn by the template `partials/citation.html`
(a book can restyle it as "[3]" or as a short title); an unknown id is an error with its line.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from ..errors import ProblemCollector, locate
from ..model import Resource
from .reference_files import KEY

CITATION = r"\[(@[^\[\]\n]+)\](?![(\[])"  # `[@x](url)` and `[@x][ref]` are links
ITEM = re.compile(rf"^@({KEY})\s*(?:,\s*(.+))?$")


class CitationContext:
    """What a citation needs to know while a file is parsed: the resources and where errors go."""

    def __init__(
        self,
        resources: dict[str, Resource],
        render: Callable[[list[tuple[Resource, str]]], etree.Element],
        problems: ProblemCollector,
    ):
        self.resources = resources
        self.render = render
        self.problems = problems
        self.path: Path | None = None
        self.text = ""
        self.reported: dict[tuple[Path | None, str], int] = {}  # (file, id) -> unknown citations of it reported so far


class CitationProcessor(InlineProcessor):
    def __init__(self, context: CitationContext, md: Markdown) -> None:
        super().__init__(CITATION, md)
        self.context = context

    def handleMatch(  # type: ignore[override]  # InlineProcessor's own handleMatch takes `data` too
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        if not self.context.resources:
            return None, None, None  # a book with no resource list cites nothing: `[@x]` is text
        items = []
        for part in m.group(1).split(";"):
            match = ITEM.match(part.strip())
            if not match:
                return None, None, None  # brackets holding something else: leave them to other rules
            items.append((match.group(1), (match.group(2) or "").strip()))
        known = []
        for resource_id, locator in items:
            resource = self.context.resources.get(resource_id)
            if resource is None:
                self.report_unknown(resource_id)
            else:
                known.append((resource, locator))
        if len(known) != len(items):
            return None, None, None
        element = self.context.render(known)
        for node in element.iter():
            if node.text:
                node.text = AtomicString(node.text)
            if node.tail:
                node.tail = AtomicString(node.tail)
        return element, m.start(0), m.end(0)

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
