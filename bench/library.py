"""A library of 20 small books built three ways: one book at a time, in the local process pool,
and on a Dask LocalCluster of as many worker processes as the machine has cores.

    python bench/library.py        (part of `make bench`)

Each build goes into an emptied output folder, so every book is built: the rows measure building,
not skipping. Efficiency is the speed-up over one book at a time, divided by the
number of processes.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from octavo.library.build import build_library  # noqa: E402
from octavo.library.config import load_library  # noqa: E402

BOOKS = 20
RUNS = int(os.environ.get("OCTAVO_BENCH_RUNS", "3"))


def write_library(folder: Path) -> Path:
    """Twenty books of four chapters each, with lists, a table and footnotes."""
    (folder / "library.toml").parent.mkdir(parents=True, exist_ok=True)
    (folder / "library.toml").write_text('[library]\ntitle = "Bench Press"\nbooks = ["books/*"]\n', encoding="utf-8")
    words = ["the", "tide", "comes", "in", "and", "the", "gulls", "lift", "from", "the", "mud", "flats", "and"]
    for number in range(1, BOOKS + 1):
        book = folder / "books" / f"book-{number:02d}"
        (book / "chapters").mkdir(parents=True, exist_ok=True)
        toml = f'[book]\ntitle = "Book {number}"\nlanguage = "en"\nauthors = ["Author {number % 7}"]\n'
        (book / "book.toml").write_text(toml, encoding="utf-8")
        for chapter in range(1, 5):
            text = " ".join(words[(number + chapter + k) % len(words)] for k in range(120))
            body = f"# Chapter {chapter}\n\n{text.capitalize()}.[^1]\n\n[^1]: A note.\n\n"
            body += "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n" + text.capitalize() + ".\n"
            (book / "chapters" / f"{chapter:02d}.md").write_text(body, encoding="utf-8")
    return folder


def timed(config, out: Path, **how) -> float:
    """One build of the whole library into an emptied `out`: every book is built (its cache finds
    none of its files there)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = build_library(config, out, **how)
    assert not result.failed, [outcome.problems for outcome in result.failed]
    return time.perf_counter() - start


def main() -> None:
    from distributed import LocalCluster

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = load_library(write_library(work / "library"))
        local, cluster_row = f"local pool, {cores} processes", f"Dask LocalCluster, {cores} workers"
        times: dict[str, list[float]] = {"one book at a time": [], local: [], cluster_row: []}
        with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            for run in range(RUNS):
                times["one book at a time"].append(timed(config, work / "a", jobs=1))
                times[local].append(timed(config, work / "b", jobs=cores))
                times[cluster_row].append(timed(config, work / "c", scheduler=cluster.scheduler_address))
                print(f"run {run + 1} of {RUNS} done", file=sys.stderr, flush=True)
    medians = {row: statistics.median(values) for row, values in times.items()}
    sequential = medians["one book at a time"]
    print(f"\nlibrary of {BOOKS} books, median of {RUNS} runs, {cores} cores")
    for row, seconds in medians.items():
        speedup = sequential / seconds
        efficiency = speedup / (1 if row == "one book at a time" else cores)
        print(f"{row:<36} {seconds:7.2f} s   speed-up {speedup:4.2f}   efficiency {efficiency:4.2f}")
    per_book = sequential / BOOKS
    print(f"per book, one at a time: {per_book:.2f} s")
    results = ROOT / "bench" / "library-results.json"
    results.write_text(json.dumps({"books": BOOKS, "cores": cores, "medians": medians}, indent=2) + "\n")


if __name__ == "__main__":
    main()
