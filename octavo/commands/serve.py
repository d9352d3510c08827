"""`octavo serve`: the web edition on 127.0.0.1, rebuilt on every change to the book, its
templates or styles, and reloaded in the browser. The PDF and EPUB follow in a second process that
keeps the print edition's laid-out chapters between builds (print_preview.py); with `--pdf`, a page
of the preview shows the PDF and reloads it, at the page the reader was on, when it changes."""

from __future__ import annotations

import functools
import http.server
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..bookfiles import inside
from ..build.pipeline import build
from ..errors import BookError
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


PDF_PAGE = "/__octavo__/pdf"
PDF_STATUS_PATH = "/__octavo__/pdf-status"
PDF_SCRIPT_PATH = "/__octavo__/pdf-preview.js"
PDF_VIEWER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>PDF preview</title>
<style>html, body { margin: 0; height: 100%; font: 13px system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
p { margin: 0; padding: 0.3em 0.7em; background: #f3f1ec; color: #333; }
iframe { flex: 1; border: 0; width: 100%; }</style></head>
<body><p id="status" role="status">Waiting for the PDF…</p><iframe id="pdf" title="The book's PDF"></iframe>
<script src="/__octavo__/pdf-preview.js"></script></body></html>
"""
# Reloads the PDF when a build changed it, at the page the reader was on: Firefox's viewer (pdf.js,
# same origin) says which; other viewers open at the page asked for last (#page=N).
PDF_SCRIPT = (
    "(function(){var frame=document.getElementById('pdf'),status=document.getElementById('status'),"
    "seen=null,page=1;function current(){try{var app=frame.contentWindow.PDFViewerApplication;"
    "if(app&&app.page){return app.page;}}catch(e){}return page;}"
    "function poll(){fetch('" + PDF_STATUS_PATH + "',{cache:'no-store'}).then(function(r){return r.json();})"
    ".then(function(s){status.textContent=s.message;if(s.url&&s.version!==seen){seen=s.version;"
    "page=current();frame.src=s.url+'?v='+s.version+'#page='+page;}})"
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
        self.pdf_version = 0  # moves on when a build of the print edition has changed the PDF
        self.pdf_message = "Laying out the PDF…"
        self.printing = PrintProcess(self.book_dir, self.out_dir)

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
        """The PDF, EPUB and web edition in the second process: now, or when the build it is on ends
        (it keeps what it lays out, so it is not stopped)."""
        self.printing.request()
        self.pdf_message = "Laying out the PDF…"

    def stop_full_build(self) -> None:
        self.printing.stop()

    def check_full_build(self) -> None:
        status = self.printing.answer()
        if status is None:
            return
        if status.get("stopped"):
            return
        if not status.get("built"):
            self.pdf_message = "The last build failed: its problems are in the terminal."
            return
        if status.get("unchanged"):
            self.pdf_message = f"Up to date ({time.strftime('%H:%M:%S')})"
            return
        self.version += 1
        self.pdf_version += 1
        laid_out = f"{status['laid_out']} of {status['units']} parts laid out"
        self.pdf_message = f"Built at {time.strftime('%H:%M:%S')} in {status['seconds']} s: {laid_out}"
        if not self.quiet:
            print(f"Rebuilt pdf, epub, site ({laid_out}, {status['seconds']} s)", flush=True)

    def pdf_status(self) -> dict[str, object]:
        pdfs = sorted(self.out_dir.glob("*.pdf"))
        url = f"/{pdfs[0].name}" if pdfs and self.pdf_version else ""
        return {"version": self.pdf_version, "url": url, "message": self.pdf_message}

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
                self.printing.stop_build()  # it holds the output folder, and builds what is now stale
                self.check_full_build()
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


class PrintProcess:
    """The second process (print_preview.py), seen from `serve`: asked to build, one build at a
    time, a request made while it builds is kept for when it is done; its answers are read by a
    thread. A process that died is started again on the next request."""

    def __init__(self, book_dir: Path, out_dir: Path) -> None:
        self.book_dir, self.out_dir = book_dir, out_dir
        self.process: subprocess.Popen[str] | None = None
        self.answers: queue.Queue[dict[str, object]] = queue.Queue()
        self.busy = self.wanted = False

    def request(self) -> None:
        if self.busy:
            self.wanted = True
            return
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        try:
            self.process.stdin.write("build\n")
            self.process.stdin.flush()
            self.busy = True
        except (BrokenPipeError, OSError):
            self.process = None

    def start(self) -> None:
        command = [sys.executable, "-m", "octavo.commands.print_preview", str(self.book_dir), str(self.out_dir)]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.process = process

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                try:
                    self.answers.put(json.loads(line))
                except ValueError:
                    continue
            self.answers.put({"built": False, "gone": True})

        threading.Thread(target=read, daemon=True).start()

    def stop_build(self) -> None:
        """Stop the build under way, and wait until it has (its answer stays to be read): a stopped
        build ends at its next stage or chapter, keeping what it laid out. The request kept for
        later goes: the caller asks anew."""
        self.wanted = False
        if not self.busy or self.process is None or self.process.stdin is None:
            return
        try:
            self.process.stdin.write("stop\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return
        self.wait()

    def wait(self) -> None:
        """Until the build under way has answered (its answer stays to be read)."""
        while self.busy and self.answers.empty():
            time.sleep(0.05)

    def answer(self) -> dict[str, object] | None:
        """The answer to the last request, once there is one; the request kept meanwhile is made."""
        try:
            status = self.answers.get_nowait()
        except queue.Empty:
            return None
        self.busy = False
        if status.get("gone"):
            self.process = None
        if self.wanted:
            self.wanted = False
            self.request()
        return status

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


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
        own = self.path.split("?")[0] in (VERSION_PATH, RELOAD_PATH, PDF_PAGE, PDF_STATUS_PATH, PDF_SCRIPT_PATH)
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
        if self.path.split("?")[0] == PDF_PAGE:
            self.respond(PDF_VIEWER.encode(), "text/html; charset=utf-8")
            return
        if self.path.split("?")[0] == PDF_SCRIPT_PATH:
            self.respond(PDF_SCRIPT.encode(), "text/javascript")
            return
        if self.path.split("?")[0] == PDF_STATUS_PATH:
            self.respond(json.dumps(self.preview.pdf_status()).encode(), "application/json")
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


def serve(book_dir: Path, out_dir: Path, port: int, quiet: bool = False, pdf: bool = False) -> int:
    preview = Preview(book_dir, out_dir, quiet)
    if preview.rebuild(PREVIEW_FORMATS):  # the web edition first, then everything, before serving
        preview.start_full_build()
        preview.printing.wait()
        preview.check_full_build()
    preview.out_dir.mkdir(parents=True, exist_ok=True)
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(preview.out_dir))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def ready() -> None:
        address = f"http://127.0.0.1:{server.server_address[1]}"
        print(f"Serving at {address}/ — Ctrl+C stops", flush=True)
        if pdf:
            print(f"The PDF, kept up to date: {address}{PDF_PAGE}", flush=True)

    try:
        preview.watch(ready)
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        preview.stop_full_build()
        server.shutdown()
        server.server_close()
    return 0
