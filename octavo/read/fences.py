"""Code fences as authors write them, in the one form the Markdown reader takes.

Info strings come in many dialects: ```` ```rust,ignore ```` (mdBook), ```` ```{.python .numberLines} ````
(pandoc), ```` ```js title="hello.js" ```` (MkDocs). pymdownx.superfences reads only the last kind, and
a fence it cannot read is no fence: the rest of the chapter became code. Each opening fence is
rewritten to `lang title="..." linenums="1"`, keeping what the author meant and dropping the rest
(rustdoc's `ignore`, `no_run`, and other tools' options). An id (`{#lst-setup}`) makes the block a
numbered listing (see `captions`).
"""

from __future__ import annotations

import re

TITLE = re.compile(r"""\btitle\s*=\s*("[^"]*"|'[^']*'|\S+)""")
LANGUAGE = re.compile(r"^[A-Za-z0-9_+#-][\w+#.-]*$")
IDENTIFIER = re.compile(r"(?:^|[\s{,])#([A-Za-z][\w:.-]*)")
NUMBERED = re.compile(r"(^|[\s{.,])(numberLines|number-lines|linenums|lineNumbers)\b", re.IGNORECASE)


def normalized_info(info: str) -> str:
    """`rust,ignore` -> `rust`; `{.python .numberLines}` -> `python linenums="1"`; `js title="a.js"` kept."""
    info = info.strip()
    if not info:
        return ""
    title = TITLE.search(info)
    numbered = bool(NUMBERED.search(info))
    identifier = IDENTIFIER.search(TITLE.sub(" ", info))
    words = re.split(r"[\s,{}]+", IDENTIFIER.sub(" ", TITLE.sub(" ", info)))
    language = next((w.lstrip(".") for w in words if w and "=" not in w and LANGUAGE.match(w.lstrip("."))), "")
    if language.lower() in ("numberlines", "number-lines", "linenums", "linenumbers"):
        language = ""
    parts = [language or "text"]
    if title:
        value = title.group(1).strip("\"'").replace('"', "'")
        parts.append(f'title="{value}"')
    if numbered:
        parts.append('linenums="1"')
    if identifier:  # a numbered listing: superfences takes an id only in its braced form
        return "{." + " ".join([parts[0], f"#{identifier.group(1)}", *parts[1:]]) + "}"
    return " ".join(parts)


OPENING = re.compile(r"^(?P<indent>\s*)(?P<marker>`{3,}|~{3,})(?P<info>.*)$")
HIDELINES = re.compile(r"\bhidelines\s*=\s*(\S+)")


def hide_lines(text: str) -> str:
    """mdBook's hidden lines, which its readers never see: in Rust code a line that starts with `# `
    (or is `#` alone) is dropped and `##` becomes `#`, as rustdoc does; a fence marked
    `hidelines=PREFIX` drops the lines that start with PREFIX, in any language."""
    if "```" not in text and "~~~" not in text:
        return text
    out: list[str] = []
    fence: str | None = None  # the marker of the open fence
    prefix: str | None = None  # what starts a hidden line in it (None: nothing is hidden)
    rust = False
    for line in text.split("\n"):
        if fence is None:
            opening = OPENING.match(line)
            if opening:
                fence, info = opening["marker"], opening["info"]
                language = re.split(r"[\s,{}]+", info.strip().lstrip("{.") or "x")[0].lower()
                hidden = HIDELINES.search(info)
                rust, prefix = language == "rust", hidden.group(1) if hidden else None
            out.append(line)
            continue
        stripped = line.strip()
        if stripped.startswith(fence[:3]) and not stripped.strip(fence[0]):
            fence, prefix, rust = None, None, False
            out.append(line)
            continue
        body = line.lstrip()
        if prefix is not None and body.startswith(prefix):
            continue
        if rust and (body == "#" or body.startswith("# ")):
            continue
        if rust and body.startswith("##"):
            line = line.replace("##", "#", 1)
        out.append(line)
    return "\n".join(out)
