"""Code fences as authors write them, in the one form the Markdown reader takes.

Info strings come in many dialects: ```` ```rust,ignore ```` (mdBook), ```` ```{.python .numberLines} ````
(pandoc), ```` ```js title="hello.js" ```` (MkDocs). pymdownx.superfences reads only the last kind, and
a fence it cannot read is no fence: the rest of the chapter became code. Each opening fence is
rewritten to `lang title="..." linenums="1"`, keeping what the author meant and dropping the rest
(rustdoc's `ignore`, `no_run`, and other tools' options).
"""

from __future__ import annotations

import re

OPENING = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
TITLE = re.compile(r"""\btitle\s*=\s*("[^"]*"|'[^']*'|\S+)""")
LANGUAGE = re.compile(r"^[A-Za-z0-9_+#-][\w+#.-]*$")
NUMBERED = re.compile(r"(^|[\s{.,])(numberLines|number-lines|linenums|lineNumbers)\b", re.IGNORECASE)


def normalized_info(info: str) -> str:
    """`rust,ignore` -> `rust`; `{.python .numberLines}` -> `python linenums="1"`; `js title="a.js"` kept."""
    info = info.strip()
    if not info:
        return ""
    title = TITLE.search(info)
    numbered = bool(NUMBERED.search(info))
    words = re.split(r"[\s,{}]+", TITLE.sub(" ", info))
    language = next((w.lstrip(".") for w in words if w and "=" not in w and LANGUAGE.match(w.lstrip("."))), "")
    if language.lower() in ("numberlines", "number-lines", "linenums", "linenumbers"):
        language = ""
    parts = [language or "text"]
    if title:
        value = title.group(1).strip("\"'").replace('"', "'")
        parts.append(f'title="{value}"')
    if numbered:
        parts.append('linenums="1"')
    return " ".join(parts)


def normalize_fences(text: str) -> str:
    """Every opening fence's info string rewritten; closing fences and code left as they are."""
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence is None:
            match = OPENING.match(line)
            if match:
                fence = match.group("fence")
                info = normalized_info(match.group("info"))
                lines[index] = f"{match.group('indent')}{fence}{info}"
        else:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
    return "\n".join(lines)
