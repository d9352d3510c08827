"""Octavo's benchmark: where the time and memory of a build go, beside the floor (bare WeasyPrint on
Octavo's own print HTML) and pandoc's EPUB of the same Markdown. Run with `make bench`.

Each measurement runs in a fresh process, several times; the table shows medians of wall time and
of peak resident memory. Results go to bench/results.json as well.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("OCTAVO_BENCH_RUNS", "3"))


def synthetic_book(folder: Path, chapters: int = 80) -> Path:
    """A deterministic book: chapters with sections, lists, a table, footnotes, code and an image."""
    from PIL import Image

    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    (folder / "book.toml").write_text('[book]\ntitle = "Benchmark Book"\nlanguage = "en"\n', encoding="utf-8")
    Image.new("RGB", (600, 300), (70, 90, 110)).save(folder / "chapters" / "figure.png")
    words = [
        "the",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "the",
        "lazy",
        "dog",
        "while",
        "a",
        "second",
        "interview",
        "weighs",
        "every",
        "answer",
    ]
    for number in range(1, chapters + 1):
        paragraphs = []
        for index in range(14):
            text = " ".join(words[(number * 7 + index * 3 + k) % len(words)] for k in range(90))
            paragraphs.append(text.capitalize() + f".[^n{index}]\n\n[^n{index}]: Note {index} of chapter {number}.")
        table = "| Item | Value |\n|---|---|\n" + "\n".join(f"| row {k} | {k * number} |" for k in range(8))
        body = "\n\n".join(paragraphs[:7]) + "\n\n## A Section\n\n- one\n- two\n    - nested\n\n" + table
        body += f"\n\n```python\nprint('chapter {number}')\n```\n\n![A figure](figure.png)\n\n"
        body += "## Another Section\n\n" + "\n\n".join(paragraphs[7:])
        (folder / "chapters" / f"{number:03d}.md").write_text(f"# Chapter {number}\n\n{body}\n", encoding="utf-8")
    return folder


def measure(command: list[str], runs: int = RUNS, before=None) -> dict:
    """Median wall time and peak memory of `command`, each run in a new process."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if status != 0:
            raise SystemExit(f"failed: {' '.join(command)}")
    return {"seconds": statistics.median(times), "peak_mb": statistics.median(peaks)}


FLOOR = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from octavo.book import load_book
from octavo.pdf import lay_out, write_pdf
from octavo.templating import make_environment
book = load_book(Path({book!r}))
write_pdf(lay_out(book, make_environment(book.root)), Path({out!r}) / "floor.pdf")
"""


def main() -> None:
    python = sys.executable
    results: dict = {"machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        books = {"sample": ROOT / "book", "synthetic": synthetic_book(tmp_path / "synthetic")}
        for name, book in books.items():
            out = tmp_path / f"out-{name}"
            row = {}
            row["full build"] = measure([python, str(ROOT / "build.py"), str(book), "--out", str(out), "-q"])
            row["PDF only"] = measure(
                [python, str(ROOT / "build.py"), str(book), "--out", str(out), "-q", "--format", "pdf"]
            )
            row["EPUB only"] = measure(
                [python, str(ROOT / "build.py"), str(book), "--out", str(out), "-q", "--format", "epub"]
            )
            script = FLOOR.format(root=str(ROOT), book=str(book), out=str(tmp_path))
            row["lay out + write PDF (in-process floor)"] = measure([python, "-c", script])
            if shutil.which("pandoc") or _pandoc():
                pandoc = _pandoc() or "pandoc"
                files = sorted(str(p) for p in (book / "chapters").glob("*.md"))
                row["pandoc EPUB"] = measure(
                    [pandoc, *files, "-o", str(tmp_path / "pandoc.epub"), "--metadata", "title=Bench"]
                )
            pages = subprocess.run(
                ["pdfinfo", next(str(p) for p in out.glob("*.pdf"))], capture_output=True, text=True
            ).stdout
            row["pages"] = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
            results[name] = row
    print(f"{'measurement':<42} {'sample':>16} {'synthetic':>16}")
    for key in results["sample"]:
        cells = []
        for name in ("sample", "synthetic"):
            value = results[name].get(key)
            cells.append(
                f"{value:>16}"
                if isinstance(value, int)
                else f"{value['seconds']:6.2f} s {value['peak_mb']:5.0f} MB"
                if value
                else " " * 16
            )
        print(f"{key:<42} {cells[0]:>16} {cells[1]:>16}")
    print(results["machine"])
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _pandoc() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception:
        return None


if __name__ == "__main__":
    main()
