"""The print layout's page map, kept for the next build of the same text.

Laying the print edition out is most of a build's time, and an EPUB built alone (`--format epub`)
needs nothing of it but the page map: where each printed page begins, for its page list. So each
layout leaves its page map in the build cache, under a key made of everything that shapes the
layout (the book's files, Octavo's own, the libraries' versions, the theme and the PDF standard);
a later build whose key is the same takes the page map from there instead of laying the book out.
A changed comma changes the key, so a page list is never one edit behind its text.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..formats.pagemap import PageMap
from ..kept import keep

KEPT = 4  # layouts remembered: a book built with two themes, or before and after an edit, keeps both


@dataclass(frozen=True)
class PageMapStore:
    folder: Path  # the book's build cache
    key: str  # the digest of what shapes the layout (BuildCache.inputs_digest)

    @property
    def file(self) -> Path:
        return self.folder / f"page-map-{self.key[:32]}.json"

    def exists(self) -> bool:
        return self.file.is_file()

    def load(self) -> PageMap | None:
        """The page map of the last layout with this key, or None (never one of other inputs)."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("key") != self.key:
                return None
            markers, labels = data["markers"], data["labels"]
        except (OSError, ValueError, KeyError, AttributeError):
            return None
        if not isinstance(markers, dict) or not isinstance(labels, list):
            return None
        return PageMap({str(k): [str(label) for label in v] for k, v in markers.items()}, [str(x) for x in labels])

    def save(self, page_map: PageMap) -> None:
        """Written whole or not at all (see kept.py); the oldest beyond KEPT are forgotten."""
        if not keep(self.file, json.dumps({"key": self.key, **asdict(page_map)}, sort_keys=True)):
            return
        try:
            older = sorted(self.folder.glob("page-map-*.json"), key=lambda path: path.stat().st_mtime_ns)
            for stale in older[:-KEPT]:
                stale.unlink(missing_ok=True)
        except OSError:
            pass
