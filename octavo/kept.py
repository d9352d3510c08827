"""What Octavo keeps between runs (the build cache, the fonts' code points): written whole or not
at all, and never a reason to fail, since losing it costs only time."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def keep(path: Path, text: str) -> bool:
    """`text` into `path` through a temporary file beside it, renamed into place; False when the
    folder cannot be written (a read-only cache, a full disk)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except OSError:
        return False
    return True
