"""CSS from a book's HTML (style attributes, SVG paint values) with everything that loads a file
taken out: parsed with tinycss2, escapes resolved first, so `u\\72l(` and `@\\69mport` are seen for
what they are. Only references inside the same document (`url(#gradient)`) are kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

import tinycss2

LOADING_FUNCTIONS = frozenset({"url", "image-set", "-webkit-image-set", "image", "cross-fade", "element", "expression"})


# tinycss2's nodes are told apart by their `type`, on which mypy cannot narrow a `Node`: they are `Any` here.
def loads_something(tokens: Iterable[Any]) -> bool:
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


def url_of(token: Any) -> str | None:
    """The address in a `url(...)` token or function, escapes resolved; None for anything else."""
    if token.type == "url":
        return cast(str, token.value)
    if token.type == "function" and token.lower_name == "url":
        strings = [t for t in token.arguments if t.type == "string"]
        return cast(str, strings[0].value) if strings else None
    return None


def stylesheet_urls(css: str) -> list[str]:
    """Every address a stylesheet's url()s name, however they are spelt."""
    found: list[str] = []

    def walk(tokens: Iterable[Any] | None) -> None:
        for token in tokens or ():
            address = url_of(token)
            if address is not None:
                found.append(address)
            elif token.type == "function":
                walk(token.arguments)
            elif token.type in ("() block", "[] block", "{} block"):
                walk(token.content)

    for rule in tinycss2.parse_stylesheet(css, skip_comments=True):
        if rule.type in ("qualified-rule", "at-rule"):
            walk(rule.prelude)
            walk(rule.content)
    return found


def rewritten_stylesheet(css: str, repoint: Callable[[str], str | None], refused: list[str]) -> str:
    """The stylesheet with each url() passed to `repoint` (which returns the new address, or None to
    refuse it), every other loading function and every @import taken out and listed in `refused`."""
    from tinycss2.ast import IdentToken, Node, URLToken

    def walk(tokens: Iterable[Any] | None) -> list[Node]:
        result: list[Node] = []
        for token in tokens or ():
            address = url_of(token)
            if address is not None:
                target = repoint(address)
                if target is None:
                    refused.append(address)
                    result.append(IdentToken(token.source_line, token.source_column, "none"))
                else:
                    result.append(URLToken(token.source_line, token.source_column, target, f'url("{target}")'))
                continue
            if token.type == "function":
                if token.lower_name in LOADING_FUNCTIONS:
                    refused.append(f"{token.name}(…)")
                    result.append(IdentToken(token.source_line, token.source_column, "none"))
                    continue
                token.arguments = walk(token.arguments)
            elif token.type in ("() block", "[] block", "{} block"):
                token.content = walk(token.content)
            result.append(token)
        return result

    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True):
        if rule.type == "at-rule" and rule.lower_at_keyword in ("import", "namespace"):
            refused.append("@" + rule.at_keyword + tinycss2.serialize(rule.prelude).rstrip())
            continue
        if rule.type in ("qualified-rule", "at-rule"):
            rule.prelude = walk(rule.prelude)
            if rule.content is not None:
                rule.content = walk(rule.content)
        kept.append(rule)
    return tinycss2.serialize(kept)
