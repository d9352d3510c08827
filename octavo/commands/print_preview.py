"""The preview's second process: the PDF, the EPUB and the web edition, built again on each request
from `serve`, with the print edition's laid-out chapters kept from one build to the next.

Laying out is most of a build's time, and an edit touches one chapter: kept in this process (page
boxes hold the layout engine's own objects, which cannot be written to disk or sent to another
process), the chapters the edit did not touch, at the same place in the book, are not laid out
again (see formats/pdf/units.py). `serve` writes `build` on a line of this process's input; each
build answers with one line of JSON: whether it built, and how many of the book's units it laid out.
"""

from __future__ import annotations

import gc
import json
import queue
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..build.pipeline import build
from ..build.progress import Reporter
from ..errors import BookError, BuildStopped
from ..formats import default_formats
from ..formats.pdf.units import UnitLayouts


class StoppingReporter(Reporter):
    """Silent, but a stage does not begin once a stop was asked for."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.stop.is_set():
            raise BuildStopped
        yield


def build_on_request(book_dir: Path, out_dir: Path) -> None:
    requests: queue.Queue[str | None] = queue.Queue()
    stop = threading.Event()

    def listen() -> None:
        for line in sys.stdin:
            if line.strip() == "stop":
                stop.set()
            elif line.strip() == "build":
                requests.put("build")
        requests.put(None)

    threading.Thread(target=listen, daemon=True).start()
    kept = UnitLayouts(should_stop=stop.is_set)
    while requests.get() is not None:
        stop.clear()
        kept.laid.clear()
        start = time.perf_counter()
        status: dict[str, object] = {"built": False}
        try:
            result = build(
                book_dir, out_dir, default_formats(), reporter=StoppingReporter(stop), cache=True, units=kept
            )
            for warning in result.warnings:
                print(warning.format(Path.cwd()), file=sys.stderr, flush=True)
            status = {
                "built": True,
                "unchanged": result.unchanged,
                "laid_out": len(kept.laid),
                "units": len({digest for digest, _ in kept.laid_out}),
                "pages": result.pages,
                "seconds": round(time.perf_counter() - start, 2),
            }
        except BuildStopped:
            status = {"built": False, "stopped": True}
        except BookError as error:
            for problem in error.problems:
                print(problem.format(Path.cwd()), file=sys.stderr, flush=True)
        except Exception:  # a bug of Octavo's: said, and the next save tries again
            traceback.print_exc()
        print(json.dumps(status), flush=True)
        # A replaced chapter's layout is cyclic garbage (WeasyPrint's layout context refers to itself),
        # which only the rarest collection finds in a heap this size: collected now, while no one waits.
        gc.collect()


if __name__ == "__main__":
    from .cli import setup_logging

    setup_logging(False)
    build_on_request(Path(sys.argv[1]), Path(sys.argv[2]))
