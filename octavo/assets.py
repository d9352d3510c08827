"""Files a chapter uses (images): where they may come from, and the names they get in the outputs.

Only files inside the book folder are used. Anything else (a path outside it, `file:` and
`http(s):` URLs) is refused with a warning and left out: a manuscript must never pull a file of
the machine, or anything from the network, into a published book.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image

from .model import MEDIA_TYPES, Asset
from .slugs import ascii_slug

URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
MAX_PIXELS = 60_000_000  # 60 megapixels: far beyond print at 300 dpi on any page Octavo makes
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}


def resolve_image(source, state, src: str, place: dict) -> Asset | None:
    """The asset for an image reference in `source`, or None (with a problem reported) when it cannot be used."""
    if not src:
        state.problems.add(
            source.path, "an image has no file name", "write ![description](images/picture.png)", **place
        )
        return None
    if URL_SCHEME.match(src) or src.startswith("//"):
        state.problems.warn(
            source.path,
            f"left out image '{src}': it is not a file of the book",
            "download it into the book folder and link the file; Octavo never fetches from the network",
            **place,
        )
        return None
    relative = unquote(urlsplit(src).path)
    path = (source.path.parent / relative).resolve() if not relative.startswith("/") else Path(relative).resolve()
    if not path.is_relative_to(state.root):
        state.problems.warn(
            source.path,
            f"left out image '{src}': it is outside the book folder",
            "move it into the book folder",
            **place,
        )
        return None
    if not path.is_file():
        state.problems.add(source.path, f"image not found: '{src}'", "paths are relative to the chapter file", **place)
        return None
    if path.suffix.lower() not in MEDIA_TYPES:
        kinds = ", ".join(sorted(MEDIA_TYPES))
        state.problems.add(source.path, f"image '{src}' is not a supported format", f"use one of {kinds}", **place)
        return None
    problem = raster_problem(path)
    if problem:
        state.problems.add(source.path, f"image '{src}' {problem[0]}", problem[1], **place)
        return None
    return register_asset(state, path)


def raster_problem(path: Path) -> tuple[str, str] | None:
    """Read only the image's header: is it what its name says, and of a size that can be laid out?"""
    expected = RASTER_FORMATS.get(path.suffix.lower())
    if expected is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                actual, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        return "is far too large to lay out", "scale it down to a few thousand pixels a side"
    except Exception:
        return "is not a readable image", f"save it again as a {expected} file"
    if actual != expected and {actual, expected} != {"JPEG", "MPO"}:
        return f"is a {actual} file named like a {expected} file", f"give it the extension of a {actual} file"
    if width * height > MAX_PIXELS:
        return (
            f"is {width} x {height} pixels, too large to lay out",
            "scale it down: 3000 pixels a side prints sharp on a full page",
        )
    return None


def register_asset(state, path: Path) -> Asset:
    """Name each used file once, with a name safe in every output (no spaces, ASCII)."""
    if path not in state.assets:
        relative = path.relative_to(state.root)
        parts = [ascii_slug(part, fallback="file") for part in relative.parent.parts]
        stem = state.asset_names.claim("/".join(["images", *parts, ascii_slug(relative.stem, fallback="image")]))
        state.assets[path] = Asset(path, stem + relative.suffix.lower())
    return state.assets[path]
