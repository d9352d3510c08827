"""Writing into the output folder so that a failed or killed build never leaves half a file,
and the previous good files stay until their replacements are complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


class Staging:
    """A hidden folder inside the output folder (same file system, so renames are atomic)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.folder = Path(tempfile.mkdtemp(prefix=".octavo-build-", dir=out_dir))
        self.staged: list[str] = []

    def path(self, name: str) -> Path:
        self.staged.append(name)
        return self.folder / name

    def publish(self) -> list[Path]:
        published = []
        for name in self.staged:
            final = self.out_dir / name
            os.replace(self.folder / name, final)
            published.append(final)
        return published


@contextmanager
def staged_output(out_dir: Path):
    """Yield a Staging; on success move its files into place, on any failure throw them away."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Staging(out_dir)
    try:
        yield staging
    finally:
        shutil.rmtree(staging.folder, ignore_errors=True)
