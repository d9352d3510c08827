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
