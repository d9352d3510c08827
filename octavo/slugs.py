"""Names made from titles: XML-safe ids for anchors, ASCII slugs for file names."""

from __future__ import annotations

import re
import unicodedata


def anchor_slug(text: str) -> str:
    """An id as GitHub and Python-Markdown make it, but always a valid XML name (EPUB needs that)."""
    from markdown.extensions.toc import slugify_unicode

    slug = slugify_unicode(text, "-")
    if not slug:
        return "section"
    if not (slug[0].isalpha() or slug[0] == "_"):
        slug = f"h-{slug}"
    return slug


def ascii_slug(text: str, fallback: str = "book", limit: int = 60, keep: str = "") -> str:
    """A lowercase ASCII slug, safe as a file name on every system and in an EPUB.

    Apostrophes vanish rather than split words ("Keeper's" -> "keepers"); `keep` lists extra
    characters to keep, such as the dots of a version number.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = plain.lower().replace("'", "")
    slug = re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "-", plain).strip("-" + keep)
    slug = slug[:limit].rstrip("-")
    return slug or fallback


class UniqueNames:
    """Hands out names that were not handed out before: `name`, then `name-2`, `name-3`, ..."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.taken: set[str] = set(reserved)

    def claim(self, name: str) -> str:
        candidate, counter = name, 1
        while candidate in self.taken:
            counter += 1
            candidate = f"{name}-{counter}"
        self.taken.add(candidate)
        return candidate
