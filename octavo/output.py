"""Writing into the output folder so that a failed or killed build never leaves half a file,
and the previous good files stay until their replacements are complete."""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


class Staging:
    """A hidden folder inside the output folder (same file system, so renames are atomic)."""

    def __init__(self, out_dir: Path, folder: Path | None = None) -> None:
        self.out_dir = out_dir
        # `folder` is given to a worker process writing into the same staging folder.
        self.folder = folder or Path(tempfile.mkdtemp(prefix=".octavo-build-", dir=out_dir))
        self.staged: list[str] = []

    def adopt(self, names: list[str]) -> None:
        """Files and folders another process staged here, to be published with ours."""
        self.staged.extend(name for name in names if name not in self.staged)

    def path(self, name: str) -> Path:
        """Where to write `name` (which may be inside a folder, like html/index.html)."""
        top = name.split("/")[0]
        if top not in self.staged:
            self.staged.append(top)
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def publish(self) -> list[Path]:
        """Move each staged file or folder into place; a folder replaces the old one whole."""
        published = []
        for name in self.staged:
            final, staged = self.out_dir / name, self.folder / name
            keep_timestamps_of_unchanged(staged, final)
            if staged.is_dir():
                old = self.folder / f".old-{name}"
                if final.exists():
                    os.replace(final, old)
                os.replace(staged, final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(staged, final)
            published.append(final)
        return published


def keep_timestamps_of_unchanged(staged: Path, final: Path) -> None:
    """A new file with the very bytes of the one it replaces takes that file's timestamps, so that
    rsync, make and web caches see only what a rebuild really changed (one chapter's web page, the
    PDF, the EPUB), not every file of the folder."""
    pairs = [(staged, final)] if staged.is_file() else [(p, final / p.relative_to(staged)) for p in staged.rglob("*")]
    for new, old in pairs:
        try:
            old_stat = old.stat()
            same = new.is_file() and old_stat.st_size == new.stat().st_size and filecmp.cmp(new, old, shallow=False)
        except OSError:
            continue
        if same:
            os.utime(new, ns=(old_stat.st_atime_ns, old_stat.st_mtime_ns))


@contextmanager
def staged_output(out_dir: Path):
    """Yield a Staging; on success move its files into place, on any failure throw them away."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for leftover in out_dir.glob(".octavo-build-*"):  # from a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Staging(out_dir)
    try:
        yield staging
    finally:
        shutil.rmtree(staging.folder, ignore_errors=True)
