"""The resource list for reference managers: CSL-JSON (Zotero, Mendeley, pandoc) and BibTeX."""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import Resource, ResourceList
from ..read.resource_list import surname

BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")
MEDIA_TYPES = {  # as the download page and the feed describe the two files
    ".json": ("CSL-JSON", "application/vnd.citationstyles.csl+json"),
    ".bib": ("BibTeX", "application/x-bibtex"),
}


def csl_json(resources: ResourceList) -> str:
    return json.dumps([csl_entry(resource) for resource in resources.resources], ensure_ascii=False, indent=2) + "\n"


def csl_entry(resource: Resource) -> dict[str, Any]:
    """An entry as CSL-JSON: an imported one as it came, one of resources.toml made of its fields."""
    if resource.csl:
        return imported_item(resource)
    item: dict[str, Any] = {"id": resource.id, "type": csl_type(resource), "title": resource.full_title}
    if resource.authors:
        item["author"] = [csl_name(name) for name in resource.authors]
    if resource.year is not None:
        item["issued"] = {"date-parts": [[resource.year]]}
    for key, value in (("publisher", resource.publisher), ("ISBN", resource.isbn), ("URL", resource.url)):
        if value:
            item[key] = value
    if resource.annotation:
        item["note"] = resource.annotation
    return item


ANNOTATION_FIELDS = ("annote", "annotation", "note", "abstract")


def imported_item(resource: Resource) -> dict[str, Any]:
    """An imported entry as it came, with the annotation resources.toml gave it: in `annote`, or,
    when the file's own `annote` says something else, under `custom`."""
    item = dict(resource.csl_item)
    if resource.annotation and all(str(item.get(key, "")).strip() != resource.annotation for key in ANNOTATION_FIELDS):
        if str(item.get("annote", "")).strip():
            item["custom"] = {**(item.get("custom") or {}), "annotation": resource.annotation}
        else:
            item["annote"] = resource.annotation
    return item


def csl_type(resource: Resource) -> str:
    return "webpage" if resource.url and not (resource.isbn or resource.publisher) else "book"


def csl_name(name: str) -> dict[str, str]:
    """ "Ada Lovelace" -> family and given; a one-word or organisation name stays literal."""
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given}
    parts = name.split()
    if len(parts) < 2:
        return {"literal": name}
    return {"family": surname(name), "given": " ".join(parts[:-1])}


def bibtex(resources: ResourceList) -> str:
    entries = []
    for resource in resources.resources:
        if resource.csl:
            entries.append(bibtex_entry(imported_item(resource)))
            continue
        kind = "online" if csl_type(resource) == "webpage" else "book"
        fields = [("title", resource.full_title)]
        if resource.authors:
            fields.append(("author", " and ".join(resource.authors)))
        if resource.year is not None:
            fields.append(("year", str(resource.year)))
        for key, value in (("publisher", resource.publisher), ("isbn", resource.isbn), ("url", resource.url)):
            if value:
                fields.append((key, value))
        if resource.annotation:
            fields.append(("annote", " ".join(resource.annotation.split())))
        body = ",\n".join(f"  {key} = {{{escape(value, key)}}}" for key, value in fields)
        entries.append(f"@{kind}{{{resource.id},\n{body}\n}}\n")
    return "\n".join(entries)


def escape(value: str, key: str) -> str:
    return value if key == "url" else BIBTEX_SPECIAL.sub(r"\\\1", value)


# CSL types and variables back to BibLaTeX's, for entries imported from reference files.
BIBTEX_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "thesis",
    "report": "report",
    "webpage": "online",
    "pamphlet": "booklet",
    "manuscript": "unpublished",
    "periodical": "periodical",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
}
BIBTEX_FIELDS = {
    "title": "title",
    "container-title": "journaltitle",
    "collection-title": "series",
    "volume": "volume",
    "issue": "number",
    "number": "number",
    "edition": "edition",
    "page": "pages",
    "publisher": "publisher",
    "publisher-place": "location",
    "DOI": "doi",
    "URL": "url",
    "ISBN": "isbn",
    "ISSN": "issn",
    "abstract": "abstract",
    "annote": "annote",
    "note": "note",
    "genre": "type",
    "language": "language",
    "event-title": "eventtitle",
    "event-place": "venue",
    "medium": "howpublished",
    "chapter-number": "chapter",
}
VERBATIM = ("url", "doi")


ARTICLES = ("article-journal", "article-magazine", "article-newspaper", "periodical")


def bibtex_entry(item: dict[str, Any]) -> str:
    """A CSL-JSON entry as BibLaTeX, every variable it has kept (those BibLaTeX has no field for under
    their own names, as they were imported). Each field is written once, its text escaped once."""
    kind = BIBTEX_TYPES.get(str(item.get("type")), "misc")
    fields: dict[str, str] = {}  # field -> its value as BibTeX, escaped
    for role in ("author", "editor", "translator"):
        names = item.get(role)
        if isinstance(names, list) and names:
            fields[role] = " and ".join(bibtex_name(name) for name in names if isinstance(name, dict))
    for variable, field in BIBTEX_FIELDS.items():
        value = item.get(variable)
        if variable == "container-title" and item.get("type") not in ARTICLES:
            field = "booktitle"
        if value not in (None, "") and field not in fields:
            text = str(value).replace("–", "--") if field == "pages" else str(value)
            fields[field] = text if field in VERBATIM else bibtex_text(text)
    for variable, field in (("issued", "date"), ("accessed", "urldate")):
        written = csl_date(item.get(variable))
        if written and field not in fields:
            fields[field] = bibtex_text(written)
    custom = item.get("custom")
    for key, value in custom.items() if isinstance(custom, dict) else ():
        fields.setdefault(str(key), bibtex_text(str(value)))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return f"@{kind}{{{item['id']},\n{body}\n}}\n"


def bibtex_name(name: dict[str, Any]) -> str:
    """ "von Last, Jr, First", escaped; a literal name in braces, so that no part of it is split off."""
    if name.get("literal"):
        return "{" + bibtex_text(str(name["literal"])) + "}"
    family = " ".join(str(name[key]) for key in ("non-dropping-particle", "family") if name.get(key))
    parts = [family, str(name.get("suffix", "")), str(name.get("given", ""))]
    return bibtex_text(", ".join(part for part in parts if part) if parts[1] or parts[2] else family)


def bibtex_text(value: str) -> str:
    """Unicode text as BibTeX keeps it, its special characters escaped (the reader decodes them), and
    CSL's rich text as LaTeX: words kept from case changes in braces, italics as \\textit."""
    text = BIBTEX_SPECIAL.sub(r"\\\1", value)
    text = re.sub(r'<span class="nocase">(.*?)</span>', r"{\1}", text)
    for tag, command in RICH_TEXT:
        text = re.sub(rf"<{tag}>(.*?)</{tag}>", rf"\\{command}{{\1}}", text)
    return text


RICH_TEXT = (("i", "textit"), ("b", "textbf"), ("sup", "textsuperscript"), ("sub", "textsubscript"), ("sc", "textsc"))


def csl_date(value: Any) -> str:
    """A CSL date as BibLaTeX's `date`: "2020-05-01", "2020-05", "2020"; a literal one as written."""
    if not isinstance(value, dict):
        return ""
    if value.get("literal") or value.get("raw"):
        return str(value.get("literal") or value.get("raw"))
    parts = value.get("date-parts") or [[]]
    first = parts[0] if isinstance(parts[0], list) else parts
    numbers = [part for part in first if isinstance(part, int)]
    return "-".join(f"{part:02d}" if index else str(part) for index, part in enumerate(numbers))
