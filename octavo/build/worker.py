"""The formats that may be written beside the layout (the EPUB and the web edition), made in a
second process while the first lays out the PDF.

WeasyPrint's layout is the longest step of a build and keeps one core busy; everything else fits
beside it. The worker is handed the book already read, makes the cover and the web edition at
once, then waits for the layout's page map (the EPUB's page list) and writes the EPUB. Its files
go into the same staging folder and are published with the PDF, or thrown away with it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from ..errors import BookError
from ..formats import Format, Job, Written, registry
from .staging import Staging

if TYPE_CHECKING:  # the first process needs none of them to start a worker
    from ..formats.pagemap import PageMap
    from ..model import Book


@dataclass
class OtherOutputs:
    """What the formats written beside the layout wrote, by format name, and the names they staged."""

    staged: list[str]
    written: dict[str, Written]


def write_beside_layout(
    book: Book, names: list[str], stem: str, staging: Staging, page_map: Callable[[], PageMap | None]
) -> OtherOutputs:
    """Each format in turn: those that need no page map first (the web edition, with the cover),
    so that they are done before the layout is; then the EPUB once the page map comes."""
    from ..formats.templating import make_environment

    formats = [registry()[name] for name in names]
    job = Job(book, make_environment(book.root), stem, staging, page_map=page_map)
    written = {}
    for fmt in sorted(formats, key=lambda fmt: fmt.needs_page_map(book)):
        written[fmt.name] = fmt.write(job)
    return OtherOutputs(list(staging.staged), {name: written[name] for name in names})


class Worker:
    """The second process, seen from the first: a fresh `python -m octavo.build.worker` that never loads
    WeasyPrint. Messages are pickles: the book, then the page map, down its stdin; one answer up
    its stdout. Each message is pickled here, at once, while nothing else touches what it holds
    (the layout goes on to fill the caches of the book it reads); a thread does the writing, so that
    a slow start never holds up the layout."""

    def __init__(self, book: Book, formats: list[Format], stem: str, staging: Staging) -> None:
        from .. import builtin

        environment = dict(os.environ)
        paths = [str(builtin.PACKAGE.parent), *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
        environment["PYTHONPATH"] = os.pathsep.join(paths)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "octavo.build.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
        )
        self.wants_page_map = any(fmt.needs_page_map(book) for fmt in formats)
        self.outbox: queue.Queue[bytes | None] = queue.Queue()  # the book and what goes with it, the page map
        self.sender = threading.Thread(target=self.send_all, daemon=True)
        self.sender.start()
        level = logging.getLogger().getEffectiveLevel()
        names = [fmt.name for fmt in formats]
        self.outbox.put(pickled((book, names, stem, staging.out_dir, staging.folder, level)))

    def send_all(self) -> None:
        assert self.process.stdin is not None  # a pipe: see __init__
        try:
            while (message := self.outbox.get()) is not None:
                self.process.stdin.write(message)
                self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # the worker is gone; result() says why

    def send_page_map(self, page_map: PageMap | None) -> None:
        if self.wants_page_map:
            self.outbox.put(pickled(page_map))

    def result(self) -> OtherOutputs:
        assert self.process.stdout is not None  # a pipe: see __init__
        try:
            kind, value = pickle.load(self.process.stdout)
        except (EOFError, pickle.UnpicklingError):
            self.process.wait()
            raise RuntimeError(
                f"the EPUB and web-edition worker stopped (exit status {self.process.returncode})"
            ) from None
        if kind == "problems":
            raise BookError(value)
        if kind == "os-error":
            raise OSError(*value)
        if kind == "failed":
            raise RuntimeError(f"the EPUB and web-edition worker failed:\n{value}")
        return cast(OtherOutputs, value)

    def stop(self) -> None:
        """Done, or after a failure on either side: the worker must not go on writing."""
        self.outbox.put(None)
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            assert stream is not None  # pipes: see __init__
            with contextlib.suppress(OSError):
                stream.close()


def pickled(message: object) -> bytes:
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def work() -> None:
    """The worker's whole life: one answer on stdout, whatever happens."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the first process, which stops this one
    die_with_parent()
    inbox, answers = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints must not mix with the answer
    book, names, stem, out_dir, folder, level = pickle.load(inbox)
    logging.basicConfig(format="%(levelname)s: %(message)s", level=level)
    if level > logging.INFO:
        logging.getLogger("fontTools").setLevel(logging.ERROR)
    answer: tuple[str, object]
    try:
        outputs = write_beside_layout(book, names, stem, Staging(out_dir, folder), lambda: pickle.load(inbox))
        answer = ("done", outputs)
    except BookError as error:
        answer = ("problems", error.problems)
    except OSError as error:  # a full disk, a folder that went away: reported like the first process's own
        answer = ("os-error", (error.errno, error.strerror, error.filename))
    except Exception:
        answer = ("failed", traceback.format_exc())
    pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
    answers.flush()


def die_with_parent() -> None:
    """If the first process is killed (SIGKILL gives it no time to stop us), stop too: on Linux
    the kernel can send this process a signal when its parent dies."""
    if not os.path.exists("/proc/self"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent was already gone
            os._exit(1)
    except (OSError, AttributeError):
        pass


if __name__ == "__main__":
    from octavo.build.worker import work as work_in_module  # so that what it sends back is octavo.build.worker's

    work_in_module()
