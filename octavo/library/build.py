"""Every book of a library built into OUT/<slug>/, each in a process of its own, then the library's
own pages over the books that are published.

A book is one task: its folder in, its outcome (what was written, or its problems) out, so the same
task runs in a local process pool or on a Dask cluster. Each book is built as a single build is:
staged and swapped in whole, so a book that fails keeps its previous good version, and its
content-hash cache makes an unchanged book cost nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BookError, in_reading_order
from ..slugs import UniqueNames, ascii_slug
from .config import LibraryConfig
from .pages import TOP_FOLDERS


@dataclass(frozen=True)
class BookTask:
    """One book to build: its folder, its output folder, and the settings the library shares."""

    folder: Path
    out: Path
    shared: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class BookOutcome:
    """What building one book came to, as plain data that crosses processes and machines."""

    folder: Path
    slug: str
    built: bool
    title: str = ""
    unchanged: bool = False
    files: tuple[str, ...] = ()  # names in the book's output folder
    problems: tuple[str, ...] = ()  # each as Octavo prints it: file:line: error: ...
    warnings: tuple[str, ...] = ()  # file:line: warning: ...
    seconds: float = 0.0


def book_slugs(config: LibraryConfig) -> dict[Path, str]:
    """Each book's folder in OUT: its folder's name as a slug, made unique in library.toml's order."""
    names = UniqueNames(TOP_FOLDERS)  # never a folder the library's own files use
    return {folder: names.claim(ascii_slug(folder.name, fallback="book")) for folder in config.books}


def build_book(task: BookTask) -> BookOutcome:
    """Build one book, never raising: a problem of the book, or a crash, is its outcome."""
    from ..build.pipeline import build

    start = time.perf_counter()
    slug = task.out.name
    try:
        result = build(task.folder, task.out, cache=True, parallel=False, shared=task.shared)
    except BookError as error:
        problems = tuple(problem.format(task.folder.parent) for problem in in_reading_order(error.problems))
        warnings = tuple(warning.format(task.folder.parent) for warning in in_reading_order(error.warnings))
        seconds = time.perf_counter() - start
        return BookOutcome(task.folder, slug, False, problems=problems, warnings=warnings, seconds=seconds)
    except Exception as error:  # a crash of Octavo's on this book must not stop the others
        message = f"{task.folder.name}: internal error: {type(error).__name__}: {str(error)[:300]}"
        return BookOutcome(task.folder, slug, False, problems=(message,), seconds=time.perf_counter() - start)
    return BookOutcome(
        task.folder,
        slug,
        True,
        title=result.title,
        unchanged=result.unchanged,
        files=tuple(sorted(path.name for path in result.files)),
        warnings=tuple(warning.format(task.folder.parent) for warning in in_reading_order(result.warnings)),
        seconds=time.perf_counter() - start,
    )


def source_size(folder: Path) -> int:
    """A book's Markdown in bytes: what its build time follows most closely."""
    return sum(path.stat().st_size for path in folder.rglob("*.md") if path.is_file())


def local_jobs(jobs: int | None) -> int:
    return max(1, jobs or os.cpu_count() or 1)


def build_locally(tasks: list[BookTask], jobs: int) -> Iterator[BookOutcome]:
    """Each book in a process pool of `jobs` processes, outcomes as they come."""
    if jobs == 1:
        yield from (build_book(task) for task in tasks)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks) or 1)) as pool:
        futures = [pool.submit(build_book, task) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise


def build_on_cluster(tasks: list[BookTask], address: str) -> Iterator[BookOutcome]:
    """Each book as a task of the Dask cluster at `address`. Workers read the books and write OUT
    at the same paths as here: the library and OUT are on storage every worker shares. A worker
    that dies mid-book has its task run again elsewhere (the scheduler's `allowed-failures`); a
    book whose every try killed its worker is reported as failed. Ctrl+C cancels the tasks."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise BookError.single(
            None, "building on a Dask cluster needs Dask's distributed package", "pip install 'octavo[cluster]'"
        ) from None
    by_key = {f"octavo-book-{index}-{task.out.name}": task for index, task in enumerate(tasks)}
    try:
        client = Client(address, timeout="20s")  # type: ignore[no-untyped-call]
    except OSError as error:
        raise BookError.single(
            None, f"cannot reach the Dask scheduler at {address} ({error})", "is it running?"
        ) from None
    with client:
        futures = [client.submit(build_book, task, key=key, pure=False) for key, task in by_key.items()]
        try:
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                try:
                    yield future.result()
                except Exception as error:  # KilledWorker and the like: the book, not the library, failed
                    task = by_key[future.key]
                    message = f"{task.folder.name}: not built on the cluster: {type(error).__name__}: {error}"
                    yield BookOutcome(task.folder, task.out.name, False, problems=(message[:500],))
        except KeyboardInterrupt:
            client.cancel(futures, reason="Ctrl+C")  # type: ignore[no-untyped-call]
            raise


@dataclass
class LibraryResult:
    outcomes: list[BookOutcome]

    @property
    def failed(self) -> list[BookOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.built]


def build_library(
    config: LibraryConfig,
    out: Path,
    jobs: int | None = None,
    progress: Callable[[BookOutcome, int, int], None] | None = None,
    scheduler: str | None = None,
) -> LibraryResult:
    """Every book into OUT/<slug>/, locally or on the Dask cluster at `scheduler` ([library]
    scheduler unless given), then the library's pages over what is published there."""
    from .pages import write_library_pages

    out.mkdir(parents=True, exist_ok=True)
    slugs = book_slugs(config)
    # The biggest books first, so that no long book starts last and keeps every other process waiting.
    by_size = sorted(config.books, key=source_size, reverse=True)
    tasks = [BookTask(folder, out / slugs[folder], config.defaults) for folder in by_size]
    outcomes: list[BookOutcome] = []
    address = scheduler or config.scheduler
    running = build_on_cluster(tasks, address) if address else build_locally(tasks, local_jobs(jobs))
    for outcome in running:
        outcomes.append(outcome)
        if progress:
            progress(outcome, len(outcomes), len(tasks))
    order = {folder: index for index, folder in enumerate(config.books)}
    outcomes.sort(key=lambda outcome: order[outcome.folder])
    write_library_pages(config, out, [outcome.slug for outcome in outcomes if outcome.built])
    return LibraryResult(outcomes)
