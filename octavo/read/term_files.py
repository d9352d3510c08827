"""index.toml and glossary.toml: the terms a book indexes wherever they occur, and the terms it
defines; and finding those terms in the text.

    # index.toml                              # glossary.toml
    [[term]]                                  [[term]]
    term = "closure"                          term = "panel interview"
    forms = ["closures", "closed over"]       definition = "An interview with **several** ..."
    see_also = ["function"]                   forms = ["panel"]

A term is found in running text only: never in code, headings, links, citations or notes' calls.
A form written in lowercase matches any capitalisation ("Closures" opening a sentence); one with
capitals matches as written ("API"). In English the plural of each form is found too.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..bookfiles import inside
from ..errors import BookError, ProblemCollector, valid_choices
from .config import parse_toml, read_text
from .resource_list import entry_lines, top_line

INDEX_NAME = "index.toml"
GLOSSARY_NAME = "glossary.toml"
FIELDS = {
    INDEX_NAME: ("term", "forms", "see", "see_also"),
    GLOSSARY_NAME: ("term", "definition", "forms"),
}
# Where a term is never looked for: code, headings, links (a glossary link included), maths,
# the calls of notes, and marks already made.
SKIPPED_TAGS = frozenset(
    {"code", "pre", "kbd", "samp", "script", "style", "a", "h1", "h2", "h3", "h4", "h5", "h6", "sup", "math", "svg"}
)
SKIPPED_CLASSES = ("citation", "index-mark", "footnote")


@dataclass(frozen=True)
class ListedTerm:
    term: str  # as the index or the glossary prints it; "function!arrow" for a sub-entry
    forms: tuple[str, ...]  # the words that are this term in the text
    line: int | None
    see: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    definition: str = ""  # a glossary term's, in Markdown


@dataclass(frozen=True)
class TermFile:
    path: Path
    title: str
    terms: tuple[ListedTerm, ...]


def read_term_file(root: Path, name: str, title: str, language: str, problems: ProblemCollector) -> TermFile | None:
    """index.toml or glossary.toml of the book, or None when it has none; each mistake is reported at
    its line and the term left out."""
    path = root / name
    if not inside(path, root):
        raise BookError.single(path, f"{name} leads outside the book folder", "make it a file of the book")
    if not path.is_file():
        return None
    text = read_text(path)
    data = parse_toml(path, text)
    starts = entry_lines(text, "term")
    for key in data:
        if key not in ("title", "term"):
            problems.add(path, f"unknown key '{key}'", valid_choices(key, ("title", "term")), top_line(text, key))
    given_title = data.get("title", title)
    if not isinstance(given_title, str) or not given_title.strip():
        problems.add(path, "'title' must be text", f'write title = "{title}"', top_line(text, "title"))
        given_title = title
    entries = data.get("term", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        problems.add(path, "terms must be [[term]] tables", 'write [[term]] then term = "..."')
        return None
    terms: list[ListedTerm] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries):
        line = starts[number] if number < len(starts) else None
        listed = listed_term(path, name, entry, line, language, problems)
        if listed is None:
            continue
        if listed.term.casefold() in seen:
            problems.add(path, f"the term '{listed.term}' is listed twice", "list each term once", line)
            continue
        seen.add(listed.term.casefold())
        terms.append(listed)
    return TermFile(path, given_title.strip(), tuple(terms))


def listed_term(
    path: Path, name: str, entry: dict[str, Any], line: int | None, language: str, problems: ProblemCollector
) -> ListedTerm | None:
    ok = True
    for key in entry:
        if key not in FIELDS[name]:
            problems.add(path, f"unknown field '{key}' in this term", valid_choices(key, FIELDS[name]), line)
            ok = False
    term = entry.get("term")
    if not isinstance(term, str) or not term.strip(" !"):
        problems.add(path, "this term has no 'term'", 'write term = "..."', line)
        return None
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("forms", "see", "see_also"):
        value = entry.get(key, [])
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            problems.add(path, f"'{key}' of the term '{term}' must be a list of words", f'write {key} = ["..."]', line)
            ok = False
            value = []
        lists[key] = tuple(" ".join(item.split()) for item in value)
    definition = entry.get("definition", "")
    if name == GLOSSARY_NAME and (not isinstance(definition, str) or not definition.strip()):
        problems.add(path, f"the term '{term}' has no definition", 'write definition = "..."', line)
        ok = False
    if not ok:
        return None
    term = " ".join(term.split())
    own = term.rsplit("!", 1)[-1].strip()
    forms = with_inflections((own, *lists["forms"]), language) if not lists["see"] else ()
    return ListedTerm(term, forms, line, lists["see"], lists["see_also"], str(definition).strip())


def with_inflections(forms: tuple[str, ...], language: str) -> tuple[str, ...]:
    """The forms and, in English, their plurals ("interview" -> "interviews", "study" -> "studies")."""
    found = list(dict.fromkeys(form for form in forms if form))
    if language.lower().split("-")[0] == "en":
        for form in list(found):
            found.append(plural(form))
    return tuple(dict.fromkeys(found))


def plural(form: str) -> str:
    if re.search(r"[^aeiou]y$", form):
        return form[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", form):
        return form + "es"
    return form + "s"


# --- finding terms in the text ----------------------------------------------------------------------


class TermMatcher:
    """Finds the forms of many terms in a text at once. One pattern of thousands of forms is slow in
    Python's regular expressions, so each text gets a pattern of only the forms whose first word it
    holds, the longest first."""

    def __init__(self, forms: dict[str, str]) -> None:  # form -> the term it is
        self.exact = {form: term for form, term in forms.items() if form != form.lower()}
        self.folded = {form.casefold(): term for form, term in forms.items() if form == form.lower()}
        self.by_first_word: dict[str, list[str]] = {}
        for form in forms:
            words = WORD.findall(form.casefold())
            if words:
                self.by_first_word.setdefault(words[0], []).append(form)
        self.pattern: re.Pattern[str] | None = None  # set by `within`, for one text

    @staticmethod
    def compiled(forms: list[str]) -> re.Pattern[str] | None:
        ordered = sorted(forms, key=lambda form: (-len(form), form))
        exact = "|".join(re.escape(form) for form in ordered if form != form.lower())
        folded = "|".join(re.escape(form) for form in ordered if form == form.lower())
        parts = [part for part in (exact, f"(?i:{folded})" if folded else "") if part]
        return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)") if parts else None

    def within(self, text: str) -> TermMatcher:
        """A matcher of the forms `text` may hold."""
        words = set(WORD.findall(text.casefold()))
        narrowed = copy.copy(self)
        narrowed.pattern = self.compiled([form for word in words for form in self.by_first_word.get(word, [])])
        return narrowed

    def term(self, words: str) -> str | None:
        return self.exact.get(words) or self.folded.get(words.casefold())


WORD = re.compile(r"\w+")
Wrap = Callable[[str, str], etree.Element | None]  # (term, the words found) -> what holds them, or None


def mark_terms(elements: list[etree.Element], matcher: TermMatcher, wrap: Wrap, skipped: tuple[str, ...]) -> None:
    """Wrap each form `matcher` finds in running text in what `wrap` gives (None leaves it as text)."""
    if not matcher.by_first_word:
        return
    matcher = matcher.within(" ".join(text for element in elements for text in element.itertext()))
    if matcher.pattern is None:
        return
    for element in elements:
        if not skipped_element(element, skipped):
            mark_inside(element, matcher, wrap, skipped)


def skipped_element(element: etree.Element, skipped: tuple[str, ...]) -> bool:
    classes = (element.get("class") or "").split()
    if element.tag == "a" and classes == ["glossary-ref"]:
        return False  # the words a glossary link holds are text the index may find terms in
    return element.tag in SKIPPED_TAGS or any(name in classes for name in skipped)


def mark_inside(element: etree.Element, matcher: TermMatcher, wrap: Wrap, skipped: tuple[str, ...]) -> None:
    children = list(element)
    head, made = split_text(element.text or "", matcher, wrap)
    element.text = head
    for position, new in enumerate(made):
        element.insert(position, new)
    for child in children:
        if not skipped_element(child, skipped):
            mark_inside(child, matcher, wrap, skipped)
        tail, made = split_text(child.tail or "", matcher, wrap)
        child.tail = tail
        position = list(element).index(child)
        for offset, new in enumerate(made, start=1):
            element.insert(position + offset, new)


def split_text(text: str, matcher: TermMatcher, wrap: Wrap) -> tuple[str, list[etree.Element]]:
    """The text before the first form found, and an element for each form, each carrying the text
    after it as its tail."""
    assert matcher.pattern is not None
    if not text.strip():
        return text, []
    head, last = text, 0
    made: list[etree.Element] = []
    for match in matcher.pattern.finditer(text):
        term = matcher.term(match.group(0))
        element = wrap(term, match.group(0)) if term is not None else None
        if element is None:
            continue
        if made:
            made[-1].tail = text[last : match.start()]
        else:
            head = text[: match.start()]
        made.append(element)
        last = match.end()
    if made:
        made[-1].tail = text[last:]
    return head, made
