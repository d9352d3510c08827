"""Chapters that take code or Markdown from other files of the book, pasted in before Markdown is read.

Authors come with one of two habits, and both work:

- MkDocs' (pymdownx.snippets): a line `--8<-- "src/app.py"`, indented or not. After the path,
  `:10:20` is lines 10 to 20, `:10:` and `::20` are open ranges, `:10` is line 10 *to the end*,
  `:1:3,8:9` joins ranges, `-3:` counts from the end, and `:setup` is the region between lines
  containing `--8<-- [start:setup]` and `--8<-- [end:setup]`. The block form (a `--8<--` line,
  one path per line, a closing `--8<--` line) works too.
- mdBook's: `{{#include src/app.rs}}`, `{{#include app.rs:2}}` (line 2 *only*: mdBook's guide, "The
  first command only includes the second line from file file.rs"), `::10`, `2:`, `2:10`, and
  `:name` for the region between `ANCHOR: name` and `ANCHOR_END: name` lines. `{{#rustdoc_include}}`
  is read as an include (its hidden lines go with the fence: see `fences.hide_lines`);
  `{{#playground file.rs}}` becomes a code block of the file, and `{{#title}}`, a web page's
  title, is dropped.

Both syntaxes take paths relative to the folder of the file that holds the directive, as mdBook
does (pymdownx.snippets reads them from its configured base paths; a book has no such setting).
Every included line gets the indentation of the directive, so an include inside a list item or a
fenced code block stays inside it; an inline `{{#include}}` repeats what precedes it on its line,
as mdBook does. Included files are expanded in turn, eight deep at most. Snippet region markers are
dropped from everything expanded; `ANCHOR` lines from everything `{{#include}}` brings in.

Escapes, to show the syntax itself (includes are expanded in code blocks too): `;--8<-- "x"` and
`;--8<-- [start:x]` lose one `;` and stay as text (pymdownx's escape); `\\{{#include x}}` loses the
backslash (mdBook's).

Why not pymdownx's SnippetPreprocessor: its sandbox compares paths without following links (a link
inside the book to /etc passes), it skips missing files and cycles silently or raises without a
line, it can fetch URLs, and it records nothing of what it read. Here every refused include is an
error at its file and line, nothing outside the book is read, and `inputs` keys the build cache. A
refused directive is replaced by nothing, so the rest of the chapter is still checked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ..bookfiles import inside, resolved
from ..errors import ProblemCollector, Where

MAX_DEPTH = 8  # an included file including another, and so on
MAX_ADDED = 5_000_000  # characters the includes may add to one chapter (a bomb: one file, many times)
TAB = 4  # Python-Markdown's tab length, for indentation written with tabs
MAX_PATH = 1_000  # characters of a directive's path and selection; no file system takes longer

# The patterns of pymdownx.snippets 10.x, with trailing spaces allowed after a directive.
SNIPPET = re.compile(
    r"""^(?P<space>[ \t]*)(?P<escape>;*)-+8<-+[ \t]+(?P<quoted>"(?:\\"|[^"])+?"|'(?:\\'|[^'])+?')[ \t]*$"""
)
SNIPPET_BLOCK = re.compile(r"^(?P<space>[ \t]*)(?P<escape>;*)-+8<-+[ \t]*$")
# pymdownx's region marker, `;*-+8<-+ [start:name]` anywhere in a line, is found from its "8<": a
# pattern that starts with `.*?-+` costs the square of a long line's length.
SECTION_TAIL = re.compile(
    r"8<-++[ \t]++\[[ \t]*+(?P<kind>start|end)[ \t]*+:[ \t]*+(?P<name>[a-z][-_0-9a-z]*+)[ \t]*+\]",
    re.IGNORECASE,
)
SNIPPET_FILE = re.compile(
    r"^(.*?)(?:((?::-?[0-9]*){1,2}(?:(?:,(?=[-0-9:])-?[0-9]*)(?::-?[0-9]*)?)*)|(:[a-z][-_0-9a-z]*))?$",
    re.IGNORECASE,
)
# mdBook's link pattern, for the two kinds that include.
# mdBook's link pattern, for the two kinds that include; the bound keeps a line of `{{#include a`
# without `}}` from costing the square of its length.
MDBOOK = re.compile(
    r"(?P<escape>\\)?\{\{\s*+#(?P<kind>rustdoc_include|include|playground|title)\s++(?P<args>[^}]{1,1000})\}\}"
)
FENCE_LANGUAGES = {".rs": "rust", ".py": "python", ".js": "javascript", ".ts": "typescript", ".toml": "toml"}
ANCHOR_START = re.compile(r"ANCHOR:\s*(?P<name>[\w-]+)")
ANCHOR_END = re.compile(r"ANCHOR_END:\s*(?P<name>[\w-]+)")
DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Expanded:
    """A chapter's text with its includes in place, and the files read to make it."""

    text: str
    inputs: tuple[Path, ...] = ()  # resolved, in the order first read; the chapter itself not among them


@dataclass(frozen=True)
class Request:
    """What one directive asks for: a path, then lines, a region, or the whole file."""

    path: str
    selection: str = ""  # as written after the path, for messages and for telling includes apart
    ranges: tuple[tuple[int | None, int | None], ...] = ()  # 1-based, inclusive; negative counts from the end
    region: str | None = None
    mdbook: bool = False


@dataclass(frozen=True)
class Site:
    """Where a directive is written."""

    file: Path
    line: int
    column: int
    text: str


class Refused(Exception):
    """An include that cannot be made: what is wrong and how to fix it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class TooLarge(Exception):
    """The includes went past MAX_ADDED; `site` ends up as the chapter's own directive."""

    site: Site | None = None


def expand_includes(text: str, path: Path, root: Path, problems: ProblemCollector) -> Expanded:
    """`text` (the body of the chapter file `path`) with every include directive replaced."""
    if "8<" not in text and not MDBOOK.search(text):
        return Expanded(text)
    expander = Expander(resolved(root) or root, problems)
    top = resolved(path) or path
    try:
        lines = expander.expand(list(enumerate(text.split("\n"), start=1)), path, ((top, ""),), ())
    except TooLarge as error:
        site = error.site
        megabytes = MAX_ADDED // 1_000_000
        problems.add(
            site.file if site else path,
            f"the includes add more than {megabytes} MB to this chapter",
            "include a region or a line range instead of whole files, or fewer of them (each include counts)",
            line=site.line if site else None,
            **cast(Where, {"column": site.column, "excerpt": site.text.rstrip()} if site else {}),
        )
        return Expanded(text, tuple(expander.inputs))
    return Expanded("\n".join(lines), tuple(expander.inputs))


@dataclass
class Expander:
    root: Path  # resolved
    problems: ProblemCollector
    files: dict[Path, list[str] | tuple[str, str]] = field(default_factory=dict)  # lines, or why not
    regions: dict[tuple[Path, bool], dict[str, Region]] = field(default_factory=dict)
    located: dict[tuple[Path, str], Path | tuple[str, str]] = field(default_factory=dict)  # a file, or why not
    inputs: list[Path] = field(default_factory=list)
    added: int = 0

    def grow(self, characters: int, site: Site | None = None) -> None:
        self.added += characters
        if self.added > MAX_ADDED:
            error = TooLarge()
            error.site = site
            raise error

    def expand(
        self, lines: list[tuple[int, str]], origin: Path, chain: tuple[tuple[Path, str], ...], trail: tuple[Site, ...]
    ) -> list[str]:
        """The lines of `origin` (numbered as in that file) with their directives expanded."""
        out: list[str] = []
        block = False  # inside pymdownx's block form: one path a line
        for index, (number, line) in enumerate(lines):
            if block:
                marker = SNIPPET_BLOCK.match(line)
                if marker and not marker["escape"]:
                    block = False
                    continue
                written = line.strip()
                if marker:
                    line = unescaped(line, marker.span("escape"))
                elif SNIPPET.match(line) or written.startswith(";"):
                    continue  # pymdownx ignores a quoted directive in a block; `;` comments a path out
                elif written:
                    space = line[: len(line) - len(line.lstrip())]
                    site = Site(origin, number, len(space) + 1, line)
                    self.splice(out, space.expandtabs(TAB), self.include(written, False, site, chain, trail), site)
                    continue
            elif "8<" in line and (marker := SNIPPET_BLOCK.match(line)):
                if not marker["escape"]:
                    if any(closes(lines[later][1]) for later in range(index + 1, len(lines))):
                        block = True
                        continue
                    self.problems.add(
                        origin,
                        "a block of included paths opened with --8<-- is never closed" + self.via(trail),
                        "end it with another --8<-- line, or write ;--8<-- to show the line as it is",
                        line=number,
                        column=len(marker["space"]) + 1,
                        excerpt=line.rstrip(),
                    )
                line = unescaped(line, marker.span("escape"))
            elif "8<" in line and (snippet := SNIPPET.match(line)):
                if snippet["escape"]:
                    line = unescaped(line, snippet.span("escape"))
                else:
                    written = snippet["quoted"][1:-1].strip()
                    if not written.startswith(";"):  # `;` comments a path out
                        site = Site(origin, number, len(snippet["space"]) + 1, line)
                        inner = self.include(written, False, site, chain, trail)
                        self.splice(out, snippet["space"].expandtabs(TAB), inner, site)
                    continue
            elif "8<" in line and (section := region_marker(line)):
                if not section.escaped:
                    continue  # a region marker is for the files that include this one
                line = unescaped(line, section.escape)
            elif "{{" in line and MDBOOK.search(line):
                out.extend(self.mdbook_line(line, number, origin, chain, trail))
                continue
            out.append(line)
        return out

    def splice(self, out: list[str], space: str, inner: list[str] | None, site: Site) -> None:
        if inner:
            self.grow(len(space) * len(inner), site)
            out.extend(space + line if line else line for line in inner)

    def mdbook_line(
        self, line: str, number: int, origin: Path, chain: tuple[tuple[Path, str], ...], trail: tuple[Site, ...]
    ) -> list[str]:
        """mdBook's rule: what precedes the directive on its line precedes every included line."""
        result, position = "", 0
        for match in MDBOOK.finditer(line):
            result += line[position : match.start()]
            position = match.end()
            if match["escape"]:
                result += match[0][1:]
                continue
            if match["kind"] == "title":
                continue  # the web page's title: a printed page has its heading
            site = Site(origin, number, match.start() + 1, line)
            if match["kind"] == "playground":  # a runnable example on the web: a code block in a book
                written = match["args"].split()[0]
                inner = self.include(written, True, site, chain, trail)
                language = FENCE_LANGUAGES.get(Path(written.split(":")[0]).suffix.lower(), "")
                inner = [f"```{language}", *inner, "```"] if inner is not None else None
            else:
                inner = self.include(match["args"], True, site, chain, trail)
            if inner:
                prefix = result[result.rfind("\n") + 1 :]
                self.grow(len(prefix) * (len(inner) - 1), site)
                result += ("\n" + prefix).join(inner)
        result += line[position:]
        if not result.strip() and not MDBOOK.sub("", line).strip():
            return []  # a line that was only directives, which brought nothing: gone, as with --8<--
        return result.split("\n")

    def include(
        self, written: str, mdbook: bool, site: Site, chain: tuple[tuple[Path, str], ...], trail: tuple[Site, ...]
    ) -> list[str] | None:
        """The expanded lines a directive stands for, or None once its problem is reported."""
        try:
            return self.included(written, mdbook, site, chain, trail)
        except TooLarge as error:
            error.site = site  # the outermost directive wins: the one in the chapter
            raise

    def included(
        self, written: str, mdbook: bool, site: Site, chain: tuple[tuple[Path, str], ...], trail: tuple[Site, ...]
    ) -> list[str] | None:
        try:
            if len(written) > MAX_PATH:
                raise Refused(f"the include's path is longer than {MAX_PATH} characters", "shorten it")
            request = parse_mdbook(written) if mdbook else parse_snippet(written)
            target = self.locate(request.path, site.file)
            key = (target, request.selection)
            if key in chain:
                circle = " -> ".join(self.show(path, selection) for path, selection in (*chain, key))
                raise Refused(f"the includes go round in a circle: {circle}", "take out one of these includes")
            if len(chain) > MAX_DEPTH:
                raise Refused(
                    f"the includes are nested more than {MAX_DEPTH} deep",
                    "include the innermost files directly from the chapter",
                )
            selected = self.select(target, self.read(target, request.path), request, site)
        except Refused as refused:
            self.problems.add(
                site.file,
                refused.message + self.via(trail),
                refused.hint,
                line=site.line,
                column=site.column,
                excerpt=site.text.rstrip(),
            )
            return None
        return self.expand(selected, target, (*chain, key), (*trail, site))

    def locate(self, written: str, origin: Path) -> Path:
        """The file a path names, links followed; refused when outside the book, before any look at it."""
        key = (origin.parent, written)
        if key not in self.located:
            try:
                self.located[key] = self.find(written, origin)
            except Refused as refused:
                self.located[key] = (refused.message, refused.hint)
        found = self.located[key]
        if isinstance(found, tuple):
            raise Refused(*found)
        return found

    def find(self, written: str, origin: Path) -> Path:
        if not written:
            raise Refused("the include names no file", "write the path of a file, relative to this file's folder")
        candidate = origin.parent / written
        target = resolved(candidate)
        if target is None or not inside(candidate, self.root):
            raise Refused(
                f"'{written}' is outside the book folder",
                "only files inside the book folder can be included: copy the file in",
            )
        try:
            if not target.exists():
                raise Refused(f"there is no file '{written}'", self.nearby(written, origin))
            if not target.is_file():
                kind = "a folder" if target.is_dir() else "not a regular file"
                raise Refused(f"'{written}' is {kind}", "name a file")
        except OSError as error:  # a name too long, a folder that may not be listed
            raise Refused(f"'{written}' cannot be read ({error.strerror})", "check the path") from None
        return target

    def nearby(self, written: str, origin: Path) -> str:
        """A hint for a missing file: the path that works if it was written from the book folder."""
        hint = "paths are relative to the folder of the file that includes them"
        from_root = self.root / written
        folder = resolved(origin.parent)
        if folder is not None and inside(from_root, self.root) and from_root.is_file():
            return f"{hint}: did you mean '{Path(os.path.relpath(from_root, folder)).as_posix()}'?"
        return hint

    def read(self, target: Path, written: str) -> list[str]:
        """The lines of a file (its last newline ends a line, it does not start one), read once."""
        if target not in self.files:
            try:
                self.files[target] = self.lines_of(target)
                self.inputs.append(target)
            except Refused as refused:
                self.files[target] = (refused.message, refused.hint)  # not read again, however often included
        found = self.files[target]
        if isinstance(found, tuple):
            raise Refused(f"'{written}' {found[0]}", found[1])
        return found

    @staticmethod
    def lines_of(target: Path) -> list[str]:
        """A file's lines; a refusal's message follows the path the author wrote."""
        too_large = Refused(f"is larger than {MAX_ADDED // 1_000_000} MB", "include a part of a smaller file")
        try:
            if target.stat().st_size > MAX_ADDED:
                raise too_large
            with target.open("rb") as stream:
                raw = stream.read(MAX_ADDED + 1)
        except OSError as error:
            raise Refused(f"cannot be read ({error.strerror})", "check the file's permissions") from None
        if len(raw) > MAX_ADDED:
            raise too_large
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise Refused(f"is not UTF-8 text (line {line})", "save it as UTF-8") from None
        text = text.replace("\r\n", "\n")
        lines = text.split("\n") if text else []
        if text.endswith("\n"):
            lines.pop()
        return lines

    def select(self, target: Path, lines: list[str], request: Request, site: Site) -> list[tuple[int, str]]:
        """The numbered lines asked for, marker lines left out; all of them count towards MAX_ADDED."""
        if request.region is not None:
            first, end = self.region(target, lines, request, site)
            spans = [(first, end)]
        elif request.ranges:
            spans = line_spans(len(lines), request)
        else:
            spans = [(1, len(lines))]
        marker = anchor_line if request.mdbook else region_marker_line
        chosen: list[tuple[int, str]] = []
        for first, last in spans:
            self.grow(sum(len(line) + 1 for line in lines[first - 1 : last]))
            chosen.extend((n, line) for n, line in zip(range(first, last + 1), lines[first - 1 : last], strict=True))
        if request.region is not None or request.mdbook:
            chosen = [(n, line) for n, line in chosen if not marker(line)]
        return chosen

    def region(self, target: Path, lines: list[str], request: Request, site: Site) -> tuple[int, int]:
        """The first and last line numbers inside a region, its markers not included."""
        name = request.region or ""
        index = self.regions.get((target, request.mdbook))
        if index is None:
            index = self.regions[(target, request.mdbook)] = region_index(lines, request.mdbook)
        if request.mdbook:
            start, end = f"ANCHOR: {name}", f"ANCHOR_END: {name}"
        else:
            start, end = f"--8<-- [start:{name}]", f"--8<-- [end:{name}]"
        if name not in index:
            known = ", ".join(index)
            where = f"its regions are: {known}" if known else f"mark it with lines containing '{start}' and '{end}'"
            raise Refused(f"'{request.path}' has no region '{name}'", where)
        region = index[name]
        if region.end is None:
            self.problems.warn(
                site.file,
                f"region '{name}' of '{request.path}' has no end, so it runs to the end of the file",
                f"add a line containing '{end}' where it ends",
                line=site.line,
                column=site.column,
                excerpt=site.text.rstrip(),
            )
        return region.start + 1, (region.end or len(lines) + 1) - 1

    def show(self, path: Path, selection: str = "") -> str:
        try:
            shown = (resolved(path) or path).relative_to(self.root).as_posix()
        except ValueError:
            shown = str(path)
        return f"{shown}:{selection}" if selection else shown

    def via(self, trail: tuple[Site, ...]) -> str:
        """Where a file with a problem was included from, innermost first."""
        sites = [f"{self.show(site.file)}:{site.line}" for site in reversed(trail)]
        return f" (included from {' <- '.join(sites)})" if sites else ""


def closes(line: str) -> bool:
    marker = SNIPPET_BLOCK.match(line)
    return marker is not None and not marker["escape"]


def unescaped(line: str, escape: tuple[int, int]) -> str:
    """The line with one `;` of its escape (the span of its `;`s) taken off."""
    start, end = escape
    return line[:start] + line[start + 1 :] if end > start else line


@dataclass(frozen=True)
class Marker:
    """A `--8<-- [start:name]` or `--8<-- [end:name]` in a line."""

    kind: str  # "start" or "end"
    name: str
    escape: tuple[int, int]  # where its `;`s are

    @property
    def escaped(self) -> bool:
        return self.escape[1] > self.escape[0]


def region_marker(line: str) -> Marker | None:
    """The first region marker in a line: its tail found by the pattern, its `;*-+` head by hand."""
    for tail in SECTION_TAIL.finditer(line):
        dashes = tail.start()
        while dashes > 0 and line[dashes - 1] == "-":
            dashes -= 1
        if dashes == tail.start():
            continue
        semicolons = dashes
        while semicolons > 0 and line[semicolons - 1] == ";":
            semicolons -= 1
        return Marker(tail["kind"].lower(), tail["name"], (semicolons, dashes))
    return None


def parse_snippet(written: str) -> Request:
    """`path`, `path:10:20`, `path:10:`, `path::20`, `path:10` (to the end), `path:1:3,8:9`, `path:name`."""
    match = SNIPPET_FILE.match(written)
    assert match is not None  # every string matches
    path = match[1].strip()
    if match[3]:
        return Request(path, match[3][1:], region=match[3][1:])
    if match[2]:
        ranges = []
        for part in match[2][1:].split(","):
            first, _, last = part.partition(":")
            ranges.append((line_number(first, written), line_number(last, written)))
        return Request(path, match[2][1:], ranges=tuple(ranges))
    return Request(path)


def line_number(text: str, written: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise Refused(f"'{text}' in '{written}' is not a line number", "write lines as path:10:20") from None


def parse_mdbook(args: str) -> Request:
    """mdBook's `path`, `path:2` (that line only), `path:2:`, `path::10`, `path:2:10`, `path:name`, `"a b.rs":2`."""
    args = args.strip()
    if not args:
        return Request("", mdbook=True)
    if args.startswith('"'):
        path, rest = quoted_path(args)
        rest = rest.strip()
        selection = rest[1:].strip() if rest.startswith(":") else ""
    else:
        path, _, selection = args.split()[0].partition(":")
    if not selection:
        return Request(path, mdbook=True)
    parts = selection.split(":", 2)
    first = parts[0]
    if first and not DIGITS.fullmatch(first):
        return Request(path, selection, region=first, mdbook=True)
    start = int(first) if first else None
    if len(parts) == 1:
        end = start
    elif not parts[1]:
        end = None
    elif DIGITS.fullmatch(parts[1]):
        end = int(parts[1])
    else:
        raise Refused(f"'{parts[1]}' is not a line number", "write {{#include file:2:10}} for lines 2 to 10")
    return Request(path, selection, ranges=((start, end),), mdbook=True)


def quoted_path(args: str) -> tuple[str, str]:
    """mdBook's quoted path: `\\"` and `\\\\` are escapes, any other backslash is itself."""
    path, index = [], 1
    while index < len(args):
        char = args[index]
        if char == "\\" and index + 1 < len(args) and args[index + 1] in '"\\':
            path.append(args[index + 1])
            index += 2
            continue
        if char == '"':
            return "".join(path), args[index + 1 :]
        path.append(char)
        index += 1
    raise Refused("the quoted path is never closed", 'end it with a "')


def line_spans(total: int, request: Request) -> list[tuple[int, int]]:
    """Each range as first and last line, checked against the file: a wrong number is an error, not a guess."""
    spans = []
    what = f"line range '{request.selection}' of '{request.path}'"
    for first, last in request.ranges:
        if first == 0 or last == 0:
            raise Refused(f"{what} has a line 0", "lines are numbered from 1")
        start = 1 if first is None else first if first > 0 else total + first + 1
        end = total if last is None else last if last > 0 else total + last + 1
        if first is None and last is None:
            pass  # the whole file, even an empty one
        elif start > end:
            raise Refused(f"{what} ends before it starts", "write the first line first, as in 10:20")
        elif start < 1:
            raise Refused(f"{what} counts back past its first line: it has {total} lines", "check the numbers")
        elif end > total:
            raise Refused(
                f"{what} goes past its end: it has {total} lines",
                "check the numbers against the file, or include a named region, which moves with the code",
            )
        spans.append((start, end))
    return spans


@dataclass(frozen=True)
class Region:
    start: int  # the line number of its start marker
    end: int | None  # of its end marker; None when it runs to the end of the file


def region_index(lines: list[str], mdbook: bool) -> dict[str, Region]:
    """Every region of a file, in one pass: the first start marker of a name, and the first end after it.

    pymdownx and mdBook agree: a second start is ignored, as is an end before the start."""
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if mdbook:
            if "ANCHOR" not in line:
                continue
            opening, closing = ANCHOR_START.search(line), ANCHOR_END.search(line)
            kind, name = ("start", opening["name"]) if opening else ("end", closing["name"]) if closing else ("", "")
        else:
            marker = region_marker(line) if "8<" in line else None
            if marker is None or marker.escaped:
                continue
            kind, name = marker.kind, marker.name
        if kind == "start":
            starts.setdefault(name, number)
        elif kind == "end" and name in starts:
            ends.setdefault(name, number)
    return {name: Region(start, ends.get(name)) for name, start in starts.items()}


def anchor_line(line: str) -> bool:
    return "ANCHOR" in line and bool(ANCHOR_START.search(line) or ANCHOR_END.search(line))


def region_marker_line(line: str) -> bool:
    marker = region_marker(line) if "8<" in line else None
    return marker is not None and not marker.escaped
