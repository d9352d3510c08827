"""Files a chapter uses (images): where they may come from, and the names they get in the outputs.

Only files inside the book folder are used. Anything else (a path outside it, `file:` and
`http(s):` URLs) is refused with a warning and left out: a manuscript must never pull a file of
the machine, or anything from the network, into a published book.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.request
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from PIL import Image

from ..bookfiles import resolved
from ..errors import Place
from ..model import MEDIA_TYPES, Asset
from ..pageguard import browser_url
from ..slugs import ascii_slug
from .svgsafety import SvgProblem, clean_svg_file

if TYPE_CHECKING:
    from .chapter_files import SourceFile
    from .markdown import RenderState

URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
MAX_PIXELS = 60_000_000  # 60 megapixels: far beyond print at 300 dpi on any page Octavo makes
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}


def resolve_image(source: SourceFile, state: RenderState, src: str, place: Place) -> Asset | None:
    """The asset for an image reference in `source`, or None (with a problem reported) when it cannot be used."""
    if not src:
        state.problems.add(
            source.path, "an image has no file name", "write ![description](images/picture.png)", **place
        )
        return None
    if state.allow_remote and re.match(r"^https?://", src, re.IGNORECASE):
        return download_image(source, state, src, place)
    plain = browser_url(src)
    if URL_SCHEME.match(plain) or plain.startswith("//"):
        hint = "download it into the book folder and link the file; Octavo never fetches from the network"
        if state.remote_requested and re.match(r"^https?://", src, re.IGNORECASE):
            hint = "the book asks for web images ([build] allow_remote): build with --allow-remote to download them"
        state.problems.warn(source.path, f"left out image '{src}': it is not a file of the book", hint, **place)
        return None
    relative = unquote(urlsplit(src).path)
    path = resolved(source.path.parent / relative if not relative.startswith("/") else Path(relative))
    if path is None:
        state.problems.add(
            source.path, f"image '{src[:80]}' cannot name a file", "check the image's file name", **place
        )
        return None
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
    removed = svg_removals(path) if path not in state.assets else []
    if removed:
        what = ", ".join(dict.fromkeys(removed))
        state.problems.warn(
            source.path, f"removed from image '{src}': {what}", "images carry no scripts or links", **place
        )
    return register_asset(state, path)


def packaged_bytes(source: Path) -> bytes:
    """An image file as the EPUB, the web edition and the PDF carry it: SVG cleaned of what runs or loads."""
    if source.suffix.lower() == ".svg":
        return cleaned_svg(source, source.stat().st_mtime_ns)[0]
    return source.read_bytes()


def svg_removals(path: Path) -> list[str]:
    """What cleaning takes out of an SVG file (for a warning); nothing for other images."""
    if path.suffix.lower() != ".svg":
        return []
    return list(cleaned_svg(path, path.stat().st_mtime_ns)[1])


@lru_cache(maxsize=256)
def cleaned_svg(path: Path, _mtime_ns: int) -> tuple[bytes, tuple[str, ...]]:
    """Checked, and cleaned once per process: the image check, its warning, the PDF, the EPUB
    and the web edition all ask for the same file."""
    data, removed = clean_svg_file(path.read_bytes())
    return data, tuple(removed)


def raster_problem(path: Path) -> tuple[str, str] | None:
    """Read only the image's header: is it what its name says, and of a size that can be laid out?
    An SVG file is parsed: it must be SVG, and draw a bounded number of shapes."""
    if path.suffix.lower() == ".svg":
        try:
            cleaned_svg(path, path.stat().st_mtime_ns)
        except SvgProblem as problem:
            return str(problem), "simplify the drawing, or save it as a PNG"
        return None
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


def register_asset(state: RenderState, path: Path) -> Asset:
    """Name each used file once, with a name safe in every output (no spaces, ASCII)."""
    if path not in state.assets:
        relative = path.relative_to(state.root)
        parts = [ascii_slug(part, fallback="file") for part in relative.parent.parts]
        stem = state.asset_names.claim("/".join(["images", *parts, ascii_slug(relative.stem, fallback="image")]))
        state.assets[path] = Asset(path, stem + relative.suffix.lower())
    return state.assets[path]


MAX_DOWNLOAD = 20_000_000


def download_image(source: SourceFile, state: RenderState, url: str, place: Place) -> Asset | None:
    """With --allow-remote on the command line only: fetch an http(s) image once into Octavo's cache and
    package it like a file of the book. Remote images are never referenced from the outputs."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    if suffix not in MEDIA_TYPES:
        state.problems.add(
            source.path, f"image '{url}' is not a supported format", "link a PNG, JPEG, GIF or SVG", **place
        )
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "octavo" / "remote"
    target = cache / (hashlib.sha256(url.encode()).hexdigest()[:32] + suffix)
    if not target.is_file():
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                data = response.read(MAX_DOWNLOAD + 1)
        except (OSError, ValueError) as error:
            state.problems.add(source.path, f"could not download image '{url}': {error}", "check the address", **place)
            return None
        if len(data) > MAX_DOWNLOAD:
            state.problems.add(source.path, f"image '{url}' is over 20 MB", "link a smaller image", **place)
            return None
        cache.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, target)
    problem = raster_problem(target)
    if problem:
        state.problems.add(source.path, f"image '{url}' {problem[0]}", problem[1], **place)
        return None
    if target not in state.assets:
        name = ascii_slug(Path(urlsplit(url).path).stem, fallback="image")
        state.assets[target] = Asset(target, state.asset_names.claim(f"images/remote/{name}") + suffix)
    return state.assets[target]
