"""What a build says while it runs: a live display on a terminal, plain lines in logs, or nothing."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Reporter:
    """Silent: for --quiet, tests and library use."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield

    def close(self) -> None:
        pass


class PlainReporter(Reporter):
    """One line per stage with its time: readable in CI logs and pipes."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        print(f"  {name:<16} {time.perf_counter() - start:6.2f} s", file=self.stream, flush=True)


class RichReporter(Reporter):
    """A spinner for the stage under way, and a tick with its time for each one done."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console()
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=self.console, transient=True
        )
        self.progress.start()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        task = self.progress.add_task(name, total=None)
        try:
            yield
        finally:
            self.progress.remove_task(task)
        self.console.print(f"  [green]✓[/green] {name:<16} [dim]{time.perf_counter() - start:6.2f} s[/dim]")

    def close(self) -> None:
        self.progress.stop()


def reporter_for(quiet: bool) -> Reporter:
    if quiet:
        return Reporter()
    return RichReporter() if sys.stdout.isatty() else PlainReporter()
