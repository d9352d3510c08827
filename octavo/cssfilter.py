"""CSS from a book's HTML (style attributes, SVG paint values) with everything that loads a file
taken out: parsed with tinycss2, escapes resolved first, so `u\\72l(` and `@\\69mport` are seen for
what they are. Only references inside the same document (`url(#gradient)`) are kept."""

from __future__ import annotations

import tinycss2

LOADING_FUNCTIONS = frozenset({"url", "image-set", "-webkit-image-set", "image", "cross-fade", "element", "expression"})


def loads_something(tokens) -> bool:
    """Does any token (nested blocks and functions included) fetch, or run, something?"""
    for token in tokens:
        kind = token.type
        if kind == "url" and not token.value.strip().startswith("#"):
            return True
        if kind == "function":
            name = token.lower_name
            if name in LOADING_FUNCTIONS:
                if name != "url":
                    return True
                arguments = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                if not (len(arguments) == 1 and arguments[0].type == "string" and arguments[0].value.startswith("#")):
                    return True
            if loads_something(token.arguments):
                return True
        if kind in ("() block", "[] block", "{} block") and loads_something(token.content):
            return True
        if kind == "at-keyword":
            return True
        if kind == "ident" and token.lower_value.startswith("expression"):
            return True
    return False


def safe_declarations(style: str) -> str:
    """A style attribute with each declaration that loads something dropped."""
    kept = []
    for declaration in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if declaration.type != "declaration":
            continue  # an @rule or a broken declaration has no place in an attribute
        if loads_something(declaration.value):
            continue
        important = " !important" if declaration.important else ""
        kept.append(f"{declaration.name}: {tinycss2.serialize(declaration.value).strip()}{important}")
    return "; ".join(kept)


def safe_value(value: str) -> bool:
    """An attribute value such as `fill="url(#g)"`: is it free of anything that loads?"""
    return not loads_something(tinycss2.parse_component_value_list(value, skip_comments=True))


def safe_stylesheet(css: str) -> str:
    """A <style> element's text with every rule or at-rule that loads something dropped."""
    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue  # @import, @font-face and every other at-rule: nothing a chapter needs
        if loads_something(rule.prelude) or loads_something(rule.content):
            continue
        kept.append(tinycss2.serialize([rule]))
    return "\n".join(kept)
