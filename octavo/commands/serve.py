"""`octavo serve`: the web edition on 127.0.0.1, rebuilt on every change to the book, its
templates or styles, and reloaded in the browser. The PDF and EPUB follow in the background."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bookfiles import inside
from ..build.pipeline import build
from ..errors import BookError
from ..formats import default_formats
from ..read.mdbook import build_folder

if TYPE_CHECKING:
    from watchfiles import Change

VERSION_PATH = "/__octavo__/version"
RELOAD_PATH = "/__octavo__/reload.js"
# Only pages served by the preview get this, as a file of the same origin (the pages' Content-Security-
# Policy allows no inline script); the built files carry only the web edition's own octavo.js.
RELOAD_TAG = f'<script src="{RELOAD_PATH}"></script>'
RELOAD_SCRIPT = (
    "(function(){var seen=null;function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text();})"
    ".then(function(v){if(seen===null){seen=v;}else if(v!==seen){location.reload();}})"
    ".catch(function(){}).then(function(){setTimeout(poll,700);});}poll();})();"
)


PREVIEW_FORMATS = ("site",)  # what a change rebuilds first, in this process: the web edition being read


class Preview:
    """The output folder being served, and a counter that moves on after each successful rebuild.

    Every build of the preview runs in a main thread, where template rendering has its time limit:
    the web edition in this process's, the PDF and EPUB that follow in a process of their own (a new
    change stops one still running: its output would be stale, and a stopped build changes nothing).
    """

    def __init__(self, book_dir: Path, out_dir: Path, quiet: bool) -> None:
        self.book_dir = book_dir.resolve()
        self.out_dir = out_dir.resolve()
        mdbook = build_folder(self.book_dir)  # an mdBook's: what `mdbook serve` writes there is no change to the book
        self.not_watched = (self.out_dir, *([mdbook.resolve()] if mdbook is not None else []))
        self.quiet = quiet
        self.version = 0
        self.background: subprocess.Popen[bytes] | None = None

    def rebuild(self, formats: tuple[str, ...]) -> bool:
        try:
            result = build(self.book_dir, self.out_dir, formats)
        except BookError as error:
            for problem in error.problems:
                print(problem.format(Path.cwd()), file=sys.stderr, flush=True)
            return False
        self.version += 1
        if not self.quiet:
            print(f"Rebuilt {', '.join(formats)} of “{result.title}”", flush=True)
        return True

    def start_full_build(self) -> None:
        command = [sys.executable, "-m", "octavo", "build", str(self.book_dir), "--out", str(self.out_dir), "-q"]
        self.background = subprocess.Popen(command, stdin=subprocess.DEVNULL)

    def stop_full_build(self) -> None:
        if self.background is not None and self.background.poll() is None:
            self.background.terminate()
            self.background.wait()
        self.background = None

    def check_full_build(self) -> None:
        if self.background is not None and self.background.poll() is not None:
            if self.background.returncode == 0:
                self.version += 1
                if not self.quiet:
                    print("Rebuilt pdf, epub, site", flush=True)
            self.background = None

    def watch(self, ready: Callable[[], None] | None) -> None:
        """Rebuild on every change until Ctrl+C; `ready` is called once the watcher is in place."""
        from watchfiles import watch

        changes = watch(
            self.book_dir, watch_filter=self.relevant, debounce=300, rust_timeout=200, yield_on_timeout=True
        )
        for changed in changes:
            if ready is not None:
                ready()  # the first (empty) report means the watcher is in place
                ready = None
            self.check_full_build()
            if changed:
                self.stop_full_build()
                if self.rebuild(PREVIEW_FORMATS):
                    self.start_full_build()

    def relevant(self, _change: Change, path: str) -> bool:
        """Changes to the book's own files; not to the output folder (or an mdBook's build folder),
        hidden folders (the build cache, version control) or editor droppings."""
        file = Path(path)
        name = file.name
        if any(file.is_relative_to(folder) for folder in self.not_watched):
            return False
        if name.startswith((".", "~")) or name.endswith(("~", ".swp")):
            return False
        inside = file.relative_to(self.book_dir).parts if file.is_relative_to(self.book_dir) else ()
        return not any(part.startswith(".") for part in inside)


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def host_name(header: str) -> str:
    """`127.0.0.1:8000` -> `127.0.0.1`; `[::1]:8000` -> `[::1]`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1]
    return header.split(":")[0]


class Handler(http.server.SimpleHTTPRequestHandler):
    """The output folder, to this machine only: a request naming another host (a DNS rebinding
    page) is refused, and nothing outside the folder is served, links included."""

    preview: Preview

    def refused(self) -> bool:
        if host_name(self.headers.get("Host", "")) not in LOCAL_HOSTS:
            self.send_error(403, "The preview answers only to 127.0.0.1 and localhost")
            return True
        own = self.path.split("?")[0] in (VERSION_PATH, RELOAD_PATH)
        if not own and not inside(Path(self.translate_path(self.path)), self.root):
            self.send_error(404)
            return True
        return False

    @property
    def root(self) -> Path:
        return Path(self.directory)

    def do_HEAD(self) -> None:
        if not self.refused():
            super().do_HEAD()

    def do_GET(self) -> None:
        if self.refused():
            return
        if self.path.split("?")[0] == VERSION_PATH:
            self.respond(str(self.preview.version).encode(), "text/plain")
            return
        if self.path.split("?")[0] == RELOAD_PATH:
            self.respond(RELOAD_SCRIPT.encode(), "text/javascript")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_text(encoding="utf-8").replace("</body>", RELOAD_TAG + "</body>")
            self.respond(html.encode(), "text/html; charset=utf-8")
            return
        super().do_GET()

    def respond(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def serve(book_dir: Path, out_dir: Path, port: int, quiet: bool = False) -> int:
    preview = Preview(book_dir, out_dir, quiet)
    preview.rebuild(default_formats())
    preview.out_dir.mkdir(parents=True, exist_ok=True)
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(preview.out_dir))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def ready() -> None:
        print(f"Serving at http://127.0.0.1:{server.server_address[1]}/ — Ctrl+C stops", flush=True)

    try:
        preview.watch(ready)
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        preview.stop_full_build()
        server.shutdown()
        server.server_close()
    return 0
