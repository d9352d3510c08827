"""What WeasyPrint may read: the book's own assets and the style folders, nothing else.

Books come from other people; a PDF must never pick up a file from the machine or the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ... import builtin
from ...model import Asset
from ...read.images import packaged_bytes
from ...style.fonts import FontFile, subset_font
from ...style.scriptfonts import served_face

REFUSAL = "not a file of the book"


class BookFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type information: its classes are Any
    """Serves `file:` URLs of the book's assets (by their output name), of other files inside the
    book folder (its stylesheets' fonts and images), of Octavo's own styles, and the script fonts
    the book needs (cut down to its characters); nothing else."""

    def __init__(self, base: Path, assets: dict[str, Asset], characters: str = "") -> None:
        super().__init__(allowed_protocols=("file",))
        self.base = base.resolve()
        self.assets = assets
        self.characters = characters  # what the script fonts are cut down to (see scriptfonts.py)
        self.style_dirs = [builtin.STYLES.resolve()]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        face = served_face(Path(unquote(urlsplit(url).path))) if url.startswith("file:") else None
        if face is not None and face.path.is_file():
            content = subset_font(FontFile(face.path, face.served_name, face.index), self.characters)
            return URLFetcherResponse(url, content, {"Content-Type": "font/otf"})
        path = self.allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"{REFUSAL}: {url[:200]}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # A book's SVG as the other outputs carry it: what it would load is already taken out (and reported).
        content = packaged_bytes(path) if path.is_relative_to(self.base) else path.read_bytes()
        return URLFetcherResponse(url, content, {"Content-Type": media_type})

    def allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file":
            return None
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(self.base):
            asset = self.assets.get(path.relative_to(self.base).as_posix())
            if asset is not None:
                return asset.source
            return path if path.is_file() else None
        for folder in self.style_dirs:
            if path.is_relative_to(folder) and path.is_file():
                return path
        return None
