"""Index marks in the text, in pandoc's bracketed-span syntax: `[closures]{.index}`.

    [closures]{.index}                       "closures" is the entry
    [a closure]{.index term="closure"}       the entry is named otherwise than the words
    [arrow functions]{.index term="function!arrow"}   a sub-entry: "function" > "arrow"
    [lambdas]{.index see="closure"}          "lambdas, see closure"
    [closures]{.index seealso="function"}    "see also function" under the entry
    [closures]{.index .define}               the place that defines it: its page in bold
    []{.index term="scope"}                  a place with no words of its own

pandoc reads the same text as a span with class `index`, so a manuscript keeps its marks between
the two tools. Each mark becomes `<span class="index-mark" data-index-term="...">`; its id and its
place (chapter, section) are given while the chapter is drafted (`record_index_mark`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

MARK = r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\{([^{}\n]*(?<![\w-])\.index(?![\w-])[^{}\n]*)\}"
ATTRIBUTE = re.compile(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))|\.([\w-]+)""")
TERM_SEPARATOR = "!"  # between an entry and its sub-entry, as makeindex writes it


def attributes(text: str) -> tuple[set[str], dict[str, str]]:
    """`.index .define term="a b" see=c` -> ({"index", "define"}, {"term": "a b", "see": "c"})."""
    classes, values = set(), {}
    for match in ATTRIBUTE.finditer(text):
        if match.group(5):
            classes.add(match.group(5))
        else:
            values[match.group(1).lower()] = next(v for v in match.group(2, 3, 4) if v is not None)
    return classes, values


class IndexMarkProcessor(InlineProcessor):
    def handleMatch(  # type: ignore[override]  # InlineProcessor's own handleMatch takes `data` too
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        classes, values = attributes(m.group(2))
        words = m.group(1)
        term = " ".join((values.get("term") or words).split())
        if not term.strip(TERM_SEPARATOR + " "):
            return None, None, None  # `[]{.index}` names nothing: left as written
        span = etree.Element("span", {"class": "index-mark", "data-index-term": term})
        if "define" in classes:
            span.set("data-index-define", "")
        for key, attribute in (("see", "data-index-see"), ("seealso", "data-index-see-also")):
            value = values.get(key) or values.get(key.replace("also", "-also"))
            if value:
                span.set(attribute, " ".join(value.split()))
        span.text = words  # the words themselves are Markdown, read by the patterns after this one
        return span, m.start(0), m.end(0)


class IndexMarkExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Before links (160) and references (170): `[words]{...}` is never a link.
        md.inlinePatterns.register(IndexMarkProcessor(MARK, md), "octavo-index-mark", 175)
