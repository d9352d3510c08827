"""Writing the output folder so that it always holds one whole build.

A build writes into a staging folder beside the output folder (same file system), completes it
with what the output folder holds that this build does not replace (hard links, so nothing is
copied), then swaps the two folders in one atomic step (Linux's `renameat2(RENAME_EXCHANGE)`).
A kill at any instant leaves the whole previous set of files or the whole new one: never a new
PDF beside an old EPUB and a SHA256SUMS that fits neither. Where the exchange is not available,
two renames do it, and the next build puts the old folder back if a kill came between them.

A lock beside the output folder stops two builds writing into it at once, and the folder itself is
checked first: never the book folder, a folder holding it, `/` or the home folder, and never a link
out of the book folder (see `check_output_folder`).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import filecmp
import glob
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BookError

RENAME_EXCHANGE = 2
AT_FDCWD = -100
SIBLING_KINDS = ("build", "old")  # .NAME.octavo-build-XXXX: staging; .NAME.octavo-old-XXXX: an interrupted swap


def sibling_prefix(out_dir: Path, kind: str) -> str:
    return f".{out_dir.name}.octavo-{kind}-"


def lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.octavo-lock"


def is_octavo_scratch(name: str) -> bool:
    """Names of Octavo's staging folders, interrupted swaps and locks, which are nobody's input."""
    return ".octavo-build-" in name or ".octavo-old-" in name or name.endswith(".octavo-lock")


class Staging:
    """The next output folder, being written beside the current one."""

    def __init__(self, out_dir: Path, folder: Path | None = None) -> None:
        self.out_dir = out_dir
        # `folder` is given to a worker process writing into the same staging folder.
        self.folder = folder or Path(tempfile.mkdtemp(prefix=sibling_prefix(out_dir, "build"), dir=out_dir.parent))
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
        """Make the staging folder the output folder in one step; what the old one held beside
        this build's files (other formats, a file of the user's) is carried over."""
        if self.out_dir.is_dir():
            os.chmod(self.folder, stat.S_IMODE(self.out_dir.stat().st_mode))
            for entry in sorted(self.out_dir.iterdir()):
                if entry.name not in self.staged and not is_octavo_scratch(entry.name):
                    link_tree(entry, self.folder / entry.name)
            for name in self.staged:
                keep_timestamps_of_unchanged(self.folder / name, self.out_dir / name)
            swap_in(self.folder, self.out_dir)
        else:
            os.chmod(self.folder, 0o777 & ~current_umask())  # as mkdir would make it, not mkdtemp's 0700
            os.replace(self.folder, self.out_dir)
        return [self.out_dir / name for name in self.staged]


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def swap_in(new: Path, out_dir: Path) -> None:
    """Put `new` where `out_dir` is, atomically; the old folder is left at `new`'s name."""
    if exchange(new, out_dir):
        return
    old = Path(tempfile.mkdtemp(prefix=sibling_prefix(out_dir, "old"), dir=out_dir.parent))
    os.replace(out_dir, old)  # a kill from here to the next line is undone by `recover`
    os.replace(new, out_dir)
    os.replace(old, new)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


def link_tree(source: Path, target: Path) -> None:
    """`source` again at `target`, its files hard-linked (copied where links cannot be made)."""
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)
    else:
        link_or_copy(source, target)


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def keep_timestamps_of_unchanged(staged: Path, final: Path) -> None:
    """A new file with the very bytes of the one it replaces takes that file's timestamps, so that
    rsync, make and web caches see only what a rebuild really changed (one chapter's web page, the
    PDF, the EPUB), not every file of the folder."""
    pairs = [(staged, final)] if staged.is_file() else [(p, final / p.relative_to(staged)) for p in staged.rglob("*")]
    for new, old in pairs:
        try:
            if old.is_symlink():
                continue
            old_stat = old.stat()
            same = new.is_file() and old_stat.st_size == new.stat().st_size and filecmp.cmp(new, old, shallow=False)
        except OSError:
            continue
        if same:
            os.utime(new, ns=(old_stat.st_atime_ns, old_stat.st_mtime_ns))


def recover(out_dir: Path) -> None:
    """Clear what killed builds left beside the output folder; if one was killed between the two
    renames of a swap, its old folder becomes the output folder again."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(glob.escape(sibling_prefix(out_dir, "old")) + "*"))
    if olds and not out_dir.exists():
        os.replace(olds.pop(), out_dir)
    for kind in SIBLING_KINDS:
        for leftover in parent.glob(glob.escape(sibling_prefix(out_dir, kind)) + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time into an output folder; a second one stops with a clear error."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock_path(out_dir), os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BookError.single(
                out_dir, "another build is writing into this folder", "wait for it to end, or build into another --out"
            ) from None
        yield
    finally:
        os.close(handle)


@contextmanager
def staged_output(out_dir: Path) -> Iterator[Staging]:
    """Yield a Staging; on success its folder becomes the output folder, on any failure it goes."""
    with output_lock(out_dir):
        recover(out_dir)
        staging = Staging(out_dir)
        try:
            yield staging
        finally:
            shutil.rmtree(staging.folder, ignore_errors=True)


def check_output_folder(book_dir: Path, out_dir: Path) -> Path:
    """The output folder as an absolute path with its links followed, once it is known to be safe
    to write: a build replaces what is in it, so it must not be, or hold, anything else."""
    given = Path(os.path.abspath(out_dir))
    book_given = Path(os.path.abspath(book_dir))
    book = book_dir.resolve()
    try:
        real = given.resolve()
    except (OSError, RuntimeError) as error:
        raise BookError.single(out_dir, f"cannot use this output folder ({error})", "give another --out") from None

    def refuse(why: str, hint: str = "give another --out") -> BookError:
        return BookError.single(out_dir, f"refusing to write into this output folder: {why}", hint)

    if given.is_symlink():
        raise refuse("it is a link", "give the folder it leads to")
    if real == Path(real.anchor) or real == Path.home().resolve():
        raise refuse("it is the root or home folder")
    if real == book:
        raise refuse("it is the book folder", "the default, dist/ inside the book folder, is safe")
    if book.is_relative_to(real):
        raise refuse("it holds the book folder")
    if given.is_relative_to(book_given) and not real.is_relative_to(book):
        raise refuse("a link inside the book folder leads it outside")
    if real.exists() and not real.is_dir():
        raise refuse("it is a file")
    return real


SITE_FILES = ("index.html", "opds.xml", "html", "manifest.json", "SHA256SUMS")


def recorded_names(out_dir: Path, published: list[str]) -> set[str]:
    """What Octavo wrote into the output folder: the last build's record (from the book's cache)
    and what its manifest.json lists. Only plain names of entries of the folder count."""
    names = set(published)
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        names.update(item["file"] for item in manifest.get("formats", []))
        names.update(manifest.get(key, "") for key in ("cover", "thumbnail"))
        names.update(SITE_FILES)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    return {name for name in names if isinstance(name, str) and name not in ("", ".", "..") and Path(name).name == name}


def remove_octavo_files(out_dir: Path, published: list[str]) -> tuple[list[str], list[str]]:
    """Remove what Octavo wrote (links removed, never followed), then the folder if nothing else
    is left in it. Returns what was removed and what was left."""
    removed = []
    for name in sorted(recorded_names(out_dir, published)):
        entry = out_dir / name
        if entry.is_symlink() or entry.is_file():
            entry.unlink()
        elif entry.is_dir():
            shutil.rmtree(entry)
        else:
            continue
        removed.append(name)
    with output_lock(out_dir):
        recover(out_dir)
    lock_path(out_dir).unlink(missing_ok=True)
    left = sorted(entry.name for entry in out_dir.iterdir())
    if not left:
        out_dir.rmdir()
    return removed, left
