"""`[markdown] extensions` of book.toml: more Python-Markdown extensions, with their options.

A book may name any extension an installed package provides: one registered as a Python-Markdown
extension (the entry point group `markdown.extensions`: `wikilinks`, `toc`, `nl2br`...), or a module
of an installed package that depends on Markdown (`pymdownx.mark`, `pymdownx.keys`...). A book names
them, but it cannot bring one: nothing in a book folder is imported. Extensions that read files by
paths of their own, or fetch from the network, are refused. Octavo's `{{#include}}` and `--8<--`
do that inside the book folder. Whatever an extension writes is then checked like everything else:
raw HTML repaired, scripts taken out, links and images checked.
"""

from __future__ import annotations

import difflib
import importlib.util
import pkgutil
import re
from functools import cache
from importlib.metadata import Distribution, distributions, entry_points

# Extensions that would let a book reach what is not the book.
REFUSED = {
    "pymdownx.snippets": "it reads files by paths of its own and fetches from the web; "
    'use {{#include file}} or --8<-- "file", which read inside the book folder',
    "pymdownx.b64": "it reads image files by a path of its own; images in the book folder are packaged anyway",
}


@cache
def installed_extensions() -> tuple[str, ...]:
    """Every extension name a book may use: registered ones, then the modules of packages that
    depend on Markdown (found without importing them)."""
    names = {point.name for point in entry_points(group="markdown.extensions")}
    for dist in distributions():
        required = {
            re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower()
            for requirement in dist.requires or []
            if "extra ==" not in requirement  # a dependency of its own, not of an option
        }
        if dist.metadata["Name"].lower() == "markdown" or "markdown" not in required:
            continue
        for top in top_level_packages(dist):
            spec = importlib.util.find_spec(top)
            if spec is None or not spec.submodule_search_locations:
                continue
            modules = pkgutil.iter_modules(spec.submodule_search_locations)
            names.update(f"{top}.{module.name}" for module in modules if not module.name.startswith("_"))
    return tuple(sorted(names))


def top_level_packages(dist: Distribution) -> list[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    files = dist.files or []
    return sorted({file.parts[0] for file in files if len(file.parts) > 1 and file.parts[1] == "__init__.py"})


UNKNOWN_HINT = "name an extension of an installed package: pip install it beside Octavo"


def refusal(name: str) -> tuple[str, str] | None:
    """Why a book may not use the extension `name`, and what to do instead (None when it may)."""
    if name in REFUSED:
        return (
            f"the Markdown extension '{name}' is not allowed in a book: {REFUSED[name]}",
            "take it out of [markdown] extensions",
        )
    if name not in installed_extensions():
        close = difflib.get_close_matches(name, installed_extensions(), n=1, cutoff=0.7)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "name an extension of an installed package: pip install it beside Octavo"
        )
        return f"unknown Markdown extension '{name}'", hint
    return None
