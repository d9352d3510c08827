"""One rule for every file Octavo reads from a book: it must be inside the book folder once every
symbolic link on its way is followed.

A book folder is untrusted (a publisher builds authors' submissions, CI builds pull requests), and
a link is the easy way out of it: `styles/book.css -> /etc/passwd` would publish the machine's
files. Chapters, book.toml, resources.toml, the cover, stylesheets, fonts, templates and images all
pass through `inside`. Messages say only "outside the book folder", never whether such a file exists.
"""

from __future__ import annotations

from pathlib import Path

from . import builtin


def resolved(path: Path) -> Path | None:
    """The path with every link followed, or None when that cannot be done (a loop, a NUL)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def inside(path: Path, root: Path) -> bool:
    """Does `path`, links followed, lie inside the folder `root` (links followed)?"""
    target, folder = resolved(path), resolved(root)
    return target is not None and folder is not None and target.is_relative_to(folder)


def inside_book_or_octavo(path: Path, book_root: Path) -> bool:
    """Stylesheets and fonts may also come from Octavo's own styles."""
    return inside(path, book_root) or inside(path, builtin.STYLES)


def is_link_out(path: Path, root: Path) -> bool:
    """A file that exists as a name in the book but leads outside it."""
    return path.is_symlink() and not inside(path, root)
