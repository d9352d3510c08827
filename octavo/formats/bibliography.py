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
    items = []
    for resource in resources.resources:
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
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


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
