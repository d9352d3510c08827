"""The back-of-book index and the glossary, made once every chapter is read: the index of every
marked place and every term index.toml finds, sorted and grouped by letter as the book's language
does; the glossary of glossary.toml, its definitions Markdown. Terms that find nothing are warnings
at their line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown

from ..errors import ProblemCollector
from ..model import BookIndex, Glossary, GlossaryTerm, IndexEntry, IndexMark
from ..slugs import UniqueNames, ascii_slug
from .collation import grouped_by_letter, sort_key
from .index_marks import TERM_SEPARATOR
from .sanitize import allowlisted
from .term_files import GLOSSARY_NAME, INDEX_NAME, TermFile, read_term_file


def read_term_files(
    root: Path, language: str, labels: dict[str, str], problems: ProblemCollector
) -> tuple[TermFile | None, TermFile | None]:
    """index.toml and glossary.toml, when the book has them."""
    index = read_term_file(root, INDEX_NAME, labels["index"], language, problems)
    glossary = read_term_file(root, GLOSSARY_NAME, labels["glossary"], language, problems)
    return index, glossary


def glossary_anchors(glossary: TermFile | None, ids: UniqueNames) -> dict[str, str]:
    """Each glossary term's id, claimed before the chapters are read, so links can point at it."""
    if glossary is None:
        return {}
    return {term.term: ids.claim(f"glossary-{ascii_slug(term.term, fallback='term')}") for term in glossary.terms}


@dataclass
class Gathered:
    """What the index knows of one term while it is put together."""

    marks: list[IndexMark] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    subentries: dict[str, Gathered] = field(default_factory=dict)


def book_index(
    listed: TermFile | None,
    marks: dict[str, list[IndexMark]],
    references: dict[str, tuple[set[str], set[str]]],
    language: str,
    title: str,
    ids: UniqueNames,
    problems: ProblemCollector,
) -> BookIndex | None:
    """The index, or None when the book marks nothing and has no index.toml."""
    if listed is None and not marks:
        return None
    tree: dict[str, Gathered] = {}

    def gathered(term: str) -> Gathered:
        main, _, sub = (part.strip() for part in term.partition(TERM_SEPARATOR))
        entry = tree.setdefault(main, Gathered())
        return entry.subentries.setdefault(sub, Gathered()) if sub else entry

    for term, found in marks.items():
        gathered(term).marks.extend(found)
        see, see_also = references.get(term, (set(), set()))
        gathered(term).see.extend(sorted(see))
        gathered(term).see_also.extend(sorted(see_also))
    for listed_term in listed.terms if listed else ():
        place = gathered(listed_term.term)
        place.see.extend(listed_term.see)
        place.see_also.extend(listed_term.see_also)
        if not marks.get(listed_term.term) and not listed_term.see:
            problems.warn(
                listed.path if listed else None,
                f"the index term '{listed_term.term}' is found nowhere in the text",
                'check its forms, or mark a place with [words]{.index term="..."}',
                listed_term.line,
            )
    anchors = {
        term: ids.claim(f"index-{ascii_slug(term.replace(TERM_SEPARATOR, ' '), fallback='term')}")
        for term in all_terms(tree)
    }
    key = sort_key(language)

    def entry(term: str, found: Gathered, path: str) -> IndexEntry:
        return IndexEntry(
            term=term,
            anchor=anchors[path],
            marks=tuple(found.marks),
            see=references_to(found.see, anchors, listed, problems),
            see_also=references_to(found.see_also, anchors, listed, problems),
            subentries=tuple(
                entry(sub, found.subentries[sub], f"{path}{TERM_SEPARATOR}{sub}")
                for sub in sorted(found.subentries, key=key)
                if has_content(found.subentries[sub])
            ),
        )

    entries = [entry(term, found, term) for term, found in tree.items() if has_content(found)]
    groups = grouped_by_letter(language, entries, lambda e: e.term)
    return BookIndex(title, tuple((letter, tuple(found)) for letter, found in groups))


def has_content(found: Gathered) -> bool:
    """Whether an entry has anything to print: places, a "see", or sub-entries that have."""
    return bool(found.marks or found.see or any(has_content(sub) for sub in found.subentries.values()))


def all_terms(tree: dict[str, Gathered]) -> list[str]:
    terms = []
    for main, found in tree.items():
        terms.append(main)
        terms.extend(f"{main}{TERM_SEPARATOR}{sub}" for sub in found.subentries)
    return terms


def references_to(
    terms: list[str], anchors: dict[str, str], listed: TermFile | None, problems: ProblemCollector
) -> tuple[tuple[str, str], ...]:
    """ "see" and "see also": each term with the id of its entry."""
    found = []
    for term in dict.fromkeys(terms):
        path = TERM_SEPARATOR.join(part.strip() for part in term.split(TERM_SEPARATOR))
        if path not in anchors:
            problems.warn(
                listed.path if listed else None,
                f"'see' names '{term}', which is no entry of the index",
                "name an entry the index has",
            )
            continue
        found.append((term.replace(TERM_SEPARATOR, ", "), anchors[path]))
    return tuple(found)


def glossary(
    listed: TermFile | None, used: set[str], anchors: dict[str, str], language: str, problems: ProblemCollector
) -> Glossary | None:
    """The glossary, its terms sorted as the book's language does; a term the text never uses is a
    warning at its line."""
    if listed is None:
        return None
    md = Markdown(extensions=["extra", "smarty"], output_format="xhtml")
    terms = []
    for term in listed.terms:
        if term.term not in used:
            problems.warn(
                listed.path,
                f"the glossary term '{term.term}' is used nowhere in the text",
                'remove it, or add the forms the text uses: forms = ["..."]',
                term.line,
            )
        md.reset()
        definition = allowlisted(md.convert(term.definition))
        terms.append(GlossaryTerm(term.term, anchors[term.term], definition, term.forms))
    key = sort_key(language)
    return Glossary(listed.title, tuple(sorted(terms, key=lambda t: key(t.term))))
