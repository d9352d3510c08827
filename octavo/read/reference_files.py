"""Reference managers' files -> CSL-JSON items: BibTeX and BibLaTeX (Zotero, JabRef, BibDesk, a
hand-kept .bib) and CSL-JSON (Zotero, Mendeley, pandoc).

CSL-JSON is the one form every entry takes inside Octavo, whatever file it came from: the resource
list, the citation styles and the exports all read it. BibTeX is read by bibtexparser, its LaTeX
(`{\\"o}`, `--`, `\\&`, braces that protect case) decoded to Unicode by pylatexenc, its names split
into their parts. A field CSL has no variable for is kept under `custom`, so that an export gives
back everything the file held. Every problem names the file and the entry's line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ProblemCollector

MAX_REFERENCE_BYTES = 20_000_000  # a library of 50,000 entries is about 30 MB; a book cites far fewer
# A citation key as pandoc reads one and reference managers make them: "knuth:1984", "doe.2020",
# "10.1000/x"; punctuation inside it, never at its end (that belongs to the sentence).
KEY = r"[A-Za-z0-9_](?:[\w:.#%+?~/-]*\w)?"  # no "$": Markdown reads it as math
ID_PATTERN = re.compile(rf"^{KEY}$")
DATE_VARIABLES = ("issued", "accessed", "original-date", "event-date", "submitted", "available-date")
SINGLE_TEXTS = (  # variables Crossref and some exports give as lists of one
    "title",
    "container-title",
    "container-title-short",
    "collection-title",
    "original-title",
    "event-title",
    "publisher",
    "publisher-place",
    "ISBN",
    "ISSN",
    "URL",
    "DOI",
)


@dataclass(frozen=True)
class Imported:
    """One entry of a reference file, as CSL-JSON, and where it stands."""

    item: dict[str, Any]
    path: Path
    line: int | None


def read_reference_file(path: Path, problems: ProblemCollector) -> list[Imported]:
    """The entries of a .bib or .json file; what cannot be read is reported at its line."""
    if path.stat().st_size > MAX_REFERENCE_BYTES:
        size = f"{path.stat().st_size / 1e6:.0f} MB"
        problems.add(path, f"is too large to read ({size})", "export only the entries the book uses (under 20 MB)")
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        problems.add(path, "is not UTF-8 text", "export the file as UTF-8", line)
        return []
    suffix = path.suffix.lower()
    if suffix == ".bib":
        found = bibtex_items(path, text, problems)
    elif suffix in (".yaml", ".yml"):
        found = csl_yaml_items(path, text, problems)
    else:
        found = csl_json_items(path, text, problems)
    kept = []
    for entry in found:
        if not ID_PATTERN.match(str(entry.item.get("id", ""))):
            problems.add(
                path,
                f"the entry id {str(entry.item.get('id', ''))!r} cannot be cited",
                "use letters, digits and - _ : . + / (starting with a letter or digit)",
                entry.line,
            )
        else:
            kept.append(entry)
    return kept


# --- CSL-JSON -----------------------------------------------------------------------------------


def csl_json_items(path: Path, text: str, problems: ProblemCollector) -> list[Imported]:
    try:
        data = json.loads(text)
    except RecursionError:
        problems.add(path, "is nested too deeply to read", "export it again from your reference manager")
        return []
    except json.JSONDecodeError as error:
        problems.add(
            path, f"is not valid JSON: {error.msg}", "export it again from your reference manager", error.lineno
        )
        return []
    return csl_items(path, text, data, problems)


def csl_yaml_items(path: Path, text: str, problems: ProblemCollector) -> list[Imported]:
    """CSL-YAML, as pandoc and Zotero's Better BibTeX write it: a list of entries, or `references:`.
    Read by PyYAML's safe loader; anchors and aliases, which could make a small file expand without
    end, are refused."""
    import yaml

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                problems.add(path, "uses a YAML alias (*name)", "write each entry out in full", line)
                return []
        # Every value as written: YAML 1.1 would make `id: yes` true and `id: 010` eight.
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except RecursionError:
        problems.add(path, "is nested too deeply to read", "export it again")
        return []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or "unreadable"
        problems.add(path, f"is not valid YAML: {reason}", "export it again", mark.line + 1 if mark else None)
        return []
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        data = data["references"]
    return csl_items(path, text, json.loads(json.dumps(data, default=str)), problems)  # YAML's dates as text


def csl_items(path: Path, text: str, data: Any, problems: ProblemCollector) -> list[Imported]:
    """The entries of a parsed CSL-JSON or CSL-YAML file."""
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        problems.add(path, "a CSL file is a list of entries", 'write [{"id": "...", "type": "book", ...}]', 1)
        return []
    found = []
    for index, item in enumerate(data):
        line = None
        if isinstance(item, dict) and isinstance(item.get("id"), str | int):
            item = {**item, "id": str(item["id"])}
            line = id_line(text, item["id"])
        if not isinstance(item, dict) or "id" not in item or not isinstance(item.get("type"), str):
            problems.add(path, f"entry {index + 1} has no id or no type", 'give it "id" and "type" ("book", ...)', line)
            continue
        if "custom" in item and not isinstance(item["custom"], dict):
            problems.add(path, "'custom' of this entry is not an object", 'write "custom": {"name": "value"}', line)
            continue
        found.append(Imported(normalized(item), path, line))
    return found


def id_line(text: str, key: str) -> int | None:
    """The line that gives an entry its id: `"id": "doe2020"` in JSON, `id: doe2020` in YAML."""
    quoted = rf"""["']?{re.escape(key)}["']?"""
    found = re.search(rf"""^.*?["']?\bid["']?\s*:\s*{quoted}\s*(?:[,}}]|$)""", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def normalized(item: dict[str, Any]) -> dict[str, Any]:
    """An entry as every CSL processor reads it: dates as lists of numbers ("2020" -> 2020, [2020] ->
    [[2020]]), a text variable given as a list (as Crossref gives titles) as its first item."""
    item = dict(item)
    for key, value in item.items():
        if key in DATE_VARIABLES:
            item[key] = csl_date_value(value)
        elif key in SINGLE_TEXTS and isinstance(value, list) and value and isinstance(value[0], str | int):
            item[key] = str(value[0])
    return item


def csl_date_value(value: Any) -> Any:
    """A CSL date with its parts made numbers, as far as they are; what no part can be read of kept
    as `raw` (a processor reads "2020-05" or "Spring 2021" there)."""
    if isinstance(value, str | int):
        return {"raw": str(value)}
    if not isinstance(value, dict) or "date-parts" not in value:
        return value
    parts = value["date-parts"]
    rows = parts if isinstance(parts, list) and parts and all(isinstance(row, list) for row in parts) else [parts]
    dates = []
    for row in rows:
        numbers: list[int] = []
        for part in row if isinstance(row, list) else [row]:
            try:
                numbers.append(int(str(part).strip()))
            except ValueError:
                break
        if numbers:
            dates.append(numbers[:3])
    fixed = {key: part for key, part in value.items() if key != "date-parts"}
    if dates:
        fixed["date-parts"] = dates
    elif "raw" not in fixed and "literal" not in fixed:
        fixed["raw"] = " ".join(str(part) for part in (rows[0] if isinstance(rows[0], list) else rows))
    return fixed


def year_of(date: Any) -> int | None:
    """The year of a CSL date, from its parts or from the first four digits of its raw or literal form."""
    if not isinstance(date, dict):
        return None
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return parts[0][0] if isinstance(parts[0][0], int) else None
    found = re.search(r"\b(\d{4})\b", str(date.get("raw") or date.get("literal") or ""))
    return int(found.group(1)) if found else None


# --- BibTeX -------------------------------------------------------------------------------------

TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "manual": "book",
    "proceedings": "book",
    "collection": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "bookinbook": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "booklet": "pamphlet",
    "unpublished": "manuscript",
    "periodical": "periodical",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "misc": "document",
}
GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator"}
TEXT_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "series": "collection-title",
    "volume": "volume",
    "edition": "edition",
    "pages": "page",
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "abstract": "abstract",
    "annote": "annote",
    "annotation": "annote",
    "note": "note",
    "type": "genre",
    "language": "language",
    "eventtitle": "event-title",
    "venue": "event-place",
    "howpublished": "medium",
    "chapter": "chapter-number",
}
TITLE_FIELDS = ("title", "journal", "journaltitle", "booktitle", "series", "eventtitle")
DATE_FIELDS = ("year", "month", "day", "date", "urldate")
# Macros pylatexenc does not know and would drop.
LOGOS = ((re.compile(r"\\LaTeX\b\s*(\{\})?"), "LaTeX"), (re.compile(r"\\TeX\b\s*(\{\})?"), "TeX"))


def bibtex_items(path: Path, text: str, problems: ProblemCollector) -> list[Imported]:
    import bibtexparser  # type: ignore[import-untyped,unused-ignore]
    from bibtexparser.middlewares import LatexDecodingMiddleware, MonthIntMiddleware, SeparateCoAuthors, SplitNameParts

    for pattern, word in LOGOS:
        text = pattern.sub(word, text)
    library = bibtexparser.parse_string(  # type: ignore[attr-defined,unused-ignore]
        text,
        append_middleware=[
            LatexDecodingMiddleware(keep_braced_groups=True, keep_math_mode=False),
            MonthIntMiddleware(True),
            SeparateCoAuthors(),
            SplitNameParts(),
        ],
    )
    for block in library.failed_blocks:
        problems.add(
            path,
            f"this entry cannot be read: {failure(block)}",
            "check its braces, quotes and commas",
            (block.start_line or 0) + 1,
        )
    by_key = {entry.key: entry for entry in library.entries}
    found = []
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        item, repeated = bibtex_item(entry, by_key)
        lines = {field.key.lower(): field.start_line for field in entry.fields}
        for key, first in repeated:
            problems.warn(
                path,
                f"entry '{entry.key}' has both '{first}' and '{key}', two names for one field: '{key}' is left out",
                "keep one of the two",
                (lines[key] + 1) if isinstance(lines.get(key), int) else line,
            )
        found.append(Imported(item, path, line))
    return found


def failure(block: Any) -> str:
    """The parser's reason, without its own (0-based) line numbers."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error or "unreadable")
    return " ".join(re.sub(r"`", "'", str(reason)).split())


def bibtex_item(entry: Any, by_key: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The entry as CSL-JSON, and the fields left out because an earlier one gave the same variable
    (`journal` and `journaltitle`): BibTeX could not write both back."""
    kind = entry.entry_type.lower()
    item: dict[str, Any] = {"id": entry.key, "type": TYPES.get(kind, "document")}
    custom: dict[str, str] = {}
    given_by: dict[str, str] = {}  # CSL variable -> the field that gave it
    repeated: list[tuple[str, str]] = []
    fields = {field.key.lower(): field.value for field in entry.fields}
    parent = by_key.get(plain(fields.get("crossref", "")))
    if parent is not None:  # BibTeX's crossref: what the entry lacks, its book or proceedings gives
        inherited = {field.key.lower(): field.value for field in parent.fields}
        if "title" in inherited:
            inherited.setdefault("booktitle", inherited.pop("title"))
        for key in ("subtitle", "crossref", "annote", "annotation", "abstract", "note", "doi", "url", "pages"):
            inherited.pop(key, None)
        fields = {**inherited, **fields}
    if kind in GENRES and "type" not in fields:
        item["genre"] = GENRES[kind]
    if kind == "misc" and "url" in fields:
        item["type"] = "webpage"
    for key, value in fields.items():
        if key in NAME_FIELDS and isinstance(value, list):
            item[NAME_FIELDS[key]] = [csl_name(name) for name in value]
        elif key == "number":
            item["issue" if item["type"] in ("article-journal", "periodical") else "number"] = plain(value)
        elif key == "subtitle":
            continue  # joined to the title below
        elif key in TEXT_FIELDS and TEXT_FIELDS[key] in given_by:
            repeated.append((key, given_by[TEXT_FIELDS[key]]))
        elif key in TEXT_FIELDS:
            item[TEXT_FIELDS[key]] = case_kept(value) if key in TITLE_FIELDS else plain(value)
            given_by[TEXT_FIELDS[key]] = key
        elif key not in DATE_FIELDS:
            custom[key] = plain(value) if not isinstance(value, list) else " and ".join(map(str, value))
    if "subtitle" in fields:
        subtitle = case_kept(fields["subtitle"])
        item["title"] = f"{item['title']}: {subtitle}" if item.get("title") else subtitle
    issued = date_parts(fields.get("date"), fields.get("year"), fields.get("month"), fields.get("day"))
    if issued:
        item["issued"] = {"date-parts": [issued]}
    elif fields.get("year") or fields.get("date"):
        item["issued"] = {"literal": plain(fields.get("date") or fields.get("year"))}
    accessed = date_parts(fields.get("urldate"), None, None, None)
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    for key in ("month", "day", "urldate"):  # what a date could not hold is kept as written
        if fields.get(key) not in (None, "") and not date_holds(item, key, fields[key]):
            custom[key] = plain(fields[key])
    if custom:
        item["custom"] = custom
    return item, repeated


def case_kept(value: Any) -> str:
    """A title whose braces protect case ("The {NASA} Protocol") as CSL marks it, so that a style
    that changes case leaves those words alone: "The <span class="nocase">NASA</span> Protocol"."""
    text = " ".join(str(value).split())
    marked = re.sub(r"\{([^{}]*)\}", r'<span class="nocase">\1</span>', text)  # the innermost groups
    return marked.replace("{", "").replace("}", "")


def plain(value: Any) -> str:
    """A decoded field as text: the braces that protected its case taken out, its spaces single."""
    return " ".join(str(value).replace("{", "").replace("}", "").split())


def csl_name(name: Any) -> dict[str, str]:
    """BibTeX's name parts as CSL's; a name in braces ("{World Health Organization}") is literal."""
    first, von, last, jr = (" ".join(part) for part in (name.first, name.von, name.last, name.jr))
    if not first and not von and not jr and last.startswith("{") and last.endswith("}"):
        return {"literal": plain(last)}
    parts = {"family": plain(last), "given": plain(first), "non-dropping-particle": plain(von), "suffix": plain(jr)}
    return {key: value for key, value in parts.items() if value}


def date_holds(item: dict[str, Any], key: str, value: Any) -> bool:
    """Whether the CSL dates made of a BibTeX entry hold its `month`, `day` or `urldate`."""
    if key == "urldate":
        return "accessed" in item
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    return len(parts) > (1 if key == "month" else 2)


def date_parts(date: Any, year: Any, month: Any, day: Any) -> list[int]:
    """[year, month, day] as far as known: from BibLaTeX's `date = {2020-05-01}`, else year/month/day."""
    if date:
        found = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(date))
        if found:
            return [int(part) for part in found.groups() if part]
    if year and re.match(r"^\s*\d{1,4}\s*$", str(year)):
        parts = [int(str(year))]
        if isinstance(month, int) or (isinstance(month, str) and month.strip().isdigit()):
            parts.append(int(month))
            if day and str(day).strip().isdigit():
                parts.append(int(str(day)))
        return parts
    return []
