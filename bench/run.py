"""Octavo's benchmark: what a build costs beside the floor (WeasyPrint alone on Octavo's own print
HTML) and pandoc's EPUB of the same Markdown, on the sample book and on a generated 80-chapter one.
Run with `make bench`; it is not part of the test suite.

Each measurement runs in fresh processes, several times (OCTAVO_BENCH_RUNS, default 3): the table
shows the median wall time and the median peak memory of the whole process tree (the build and its
worker together), sampled every 50 ms. The results also go to bench/results.json.
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
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("OCTAVO_BENCH_RUNS", "3"))
PYTHON = sys.executable
BUILD = str(ROOT / "build.py")
INDEX_ENTRIES = 2000  # the index the synthetic book is measured with, beside the same book without it


def synthetic_book(folder: Path, chapters: int = 80) -> Path:
    """A deterministic book: chapters with sections, lists, a table, footnotes, code and an image."""
    from PIL import Image

    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    (folder / "book.toml").write_text('[book]\ntitle = "Benchmark Book"\nlanguage = "en"\n', encoding="utf-8")
    Image.new("RGB", (600, 300), (70, 90, 110)).save(folder / "chapters" / "figure.png")
    words = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "while", "a", "second"]
    words += ["interview", "weighs", "every", "answer"]
    terms = index_terms()
    for number in range(1, chapters + 1):
        paragraphs = []
        for index in range(14):
            text = " ".join(words[(number * 7 + index * 3 + k) % len(words)] for k in range(90))
            slot = (number * 14 + index) * 6  # six words an index could list, each term about four times a book
            text += " " + " ".join(terms[(slot + k * 331) % len(terms)] for k in range(6))
            paragraphs.append(text.capitalize() + f".[^n{index}]\n\n[^n{index}]: Note {index} of chapter {number}.")
        table = "| Item | Value |\n|---|---|\n" + "\n".join(f"| row {k} | {k * number} |" for k in range(8))
        body = "\n\n".join(paragraphs[:7]) + "\n\n## A Section\n\n- one\n- two\n    - nested\n\n" + table
        body += f"\n\n```python\nprint('chapter {number}')\n```\n\n![A figure](figure.png)\n\n"
        body += "## Another Section\n\n" + "\n\n".join(paragraphs[7:])
        (folder / "chapters" / f"{number:03d}.md").write_text(f"# Chapter {number}\n\n{body}\n", encoding="utf-8")
    return folder


def index_terms(count: int = INDEX_ENTRIES) -> list[str]:
    """`count` made-up words, each one a term for the benchmark's index ("bakodi", "derulo"...)."""
    first, second, third = "bdfgklmnprstvz", "aeiou", "bdfgklmnprstvz"
    found = []
    for number in range(count):
        a, b, c, d = number % 14, number // 14 % 5, number // 70 % 14, number // 980 % 5
        found.append(first[a] + second[b] + third[c] + second[d] + first[(a + c) % 14] + second[(b + d) % 5])
    return found


def with_index(book: Path, folder: Path) -> Path:
    """The book with an index.toml of INDEX_ENTRIES terms, every one found in its text."""
    shutil.copytree(book, folder, ignore=shutil.ignore_patterns(".octavo-cache"))
    terms = "".join(f'[[term]]\nterm = "{term}"\n\n' for term in index_terms())
    (folder / "index.toml").write_text(terms, encoding="utf-8")
    return folder


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall time, and the peak of the summed resident memory of the process and its children."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty command must not block
        start = time.perf_counter()
        process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(part.memory_info().rss for part in tree if part.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{errors.read().decode()}")
    return seconds, peak / 1024 / 1024


def measure(rows: dict[str, tuple[list[str], Callable[[], None] | None]], runs: int = RUNS) -> dict:
    """Each row once per round, round after round: a machine that slows down for a while (a shared
    virtual machine does) slows every row alike, so the ratios between rows hold."""
    times: dict[str, list[float]] = {name: [] for name in rows}
    peaks: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(runs):
        for name, (command, before) in rows.items():
            if before:
                before()
            seconds, peak = run_once(command)
            times[name].append(seconds)
            peaks[name].append(peak)
    return {
        name: {"seconds": round(statistics.median(times[name]), 3), "peak_mb": round(statistics.median(peaks[name]), 1)}
        for name in rows
    }


PREPARE_FLOOR = """
import json, shutil, sys
from pathlib import Path
from octavo.read.load import load_book
from octavo.formats.pdf.layout import page_css, print_html
from octavo.formats.templating import make_environment
from octavo.style.themes import StylePart, style_parts
book, folder = load_book(Path(sys.argv[1])), Path(sys.argv[2])
folder.mkdir(parents=True, exist_ok=True)
(folder / "print.html").write_text(print_html(book, make_environment(book.root)), encoding="utf-8")
for asset in book.assets.values():
    (folder / asset.href).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(asset.source, folder / asset.href)
parts = style_parts(book.config, "print")
parts.append(StylePart("page", page_css(book.config.pdf), book.root, "octavo"))
styles = [{"text": part.text, "base": part.folder.as_uri() + "/"} for part in parts]
(folder / "styles.json").write_text(json.dumps(styles), encoding="utf-8")
"""

FLOOR = """
import json, sys
from pathlib import Path
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
folder = Path(sys.argv[1])
fonts = FontConfiguration()
sheets = [CSS(string=s["text"], base_url=s["base"], font_config=fonts)
          for s in json.loads((folder / "styles.json").read_text(encoding="utf-8"))]
HTML(filename=str(folder / "print.html")).write_pdf(folder / "floor.pdf", stylesheets=sheets, font_config=fonts)
"""

SERVE = """
import json, statistics, sys, time
from pathlib import Path
from octavo.build.pipeline import build
book, out, chapter = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
build(book, out, ("site",))  # the preview's first build
original, times = chapter.read_text(encoding="utf-8"), []
for edit in range(5):
    chapter.write_text(original + f"\\n\\nEdited for the preview, {edit}.\\n", encoding="utf-8")
    start = time.perf_counter()
    build(book, out, ("site",))
    times.append(time.perf_counter() - start)
chapter.write_text(original, encoding="utf-8")
print(json.dumps({"seconds": round(statistics.median(times), 3)}))
"""

# The preview's PDF: `serve` asks its second process (octavo/commands/print_preview.py) to build after
# each save; that process keeps the laid-out chapters. Timed from the request to the answer.
PREVIEW_PDF = """
import json, statistics, subprocess, sys
from pathlib import Path
book, out, chapter = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
command = [sys.executable, "-m", "octavo.commands.print_preview", str(book), str(out)]
process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def build():
    process.stdin.write("build\\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())
build()  # the preview's first build
original, found = chapter.read_text(encoding="utf-8"), {}
added = "A sentence added to move the breaks. " * 8
edits = {
    "word": lambda k: original.replace(" the ", f" this{k} ", 1),
    "paragraph": lambda k: original.replace("\\n\\n", f"\\n\\n{added}{k}\\n\\n", 1),
}
for kind, edit in edits.items():
    times, laid = [], []
    for k in range(5):
        chapter.write_text(edit(k), encoding="utf-8")
        status = build()
        times.append(status["seconds"])
        laid.append(status["laid_out"])
    chapter.write_text(original, encoding="utf-8")
    build()
    found[kind] = {"seconds": statistics.median(times), "laid_out": statistics.median(laid), "units": status["units"]}
process.stdin.close()
process.wait()
print(json.dumps(found))
"""


def bench_book(name: str, book: Path, work: Path) -> dict:
    out = work / f"out-{name}"
    octavo = [PYTHON, BUILD, str(book), "--out", str(out), "-q"]
    chapters = sorted((book / "chapters").glob("*.md"))
    edited = chapters[len(chapters) // 2]
    original = edited.read_text(encoding="utf-8")
    edits = iter(range(1_000_000))

    def edit_one_chapter() -> None:
        edited.write_text(original + f"\n\nA sentence added by the benchmark, {next(edits)}.\n", encoding="utf-8")

    def restore() -> None:
        if edited.read_text(encoding="utf-8") != original:
            edited.write_text(original, encoding="utf-8")

    def build_once() -> None:  # so that the next build finds nothing changed
        restore()
        subprocess.run(octavo, check=True)

    fresh = work / f"{name}-never-laid-out"  # a copy whose cache never holds a layout
    shutil.copytree(book, fresh, ignore=shutil.ignore_patterns(".octavo-cache"))
    fresh_epub = [PYTHON, BUILD, str(fresh), "--out", str(work / f"out-{name}-fresh"), "-q", "--format", "epub"]

    def forget_layouts() -> None:
        shutil.rmtree(fresh / ".octavo-cache", ignore_errors=True)

    floor = work / f"floor-{name}"
    subprocess.run([PYTHON, "-c", PREPARE_FLOOR, str(book), str(floor)], check=True, cwd=ROOT)
    rows = {
        "full build": ([*octavo, "--force"], restore),
        "full build, one process (--jobs 1)": ([*octavo, "--force", "--jobs", "1"], restore),
        "rebuild, nothing changed": (octavo, build_once),
        "rebuild, one chapter edited": (octavo, edit_one_chapter),
        "EPUB only, page list from the kept layout": ([*octavo, "--format", "epub", "--force"], restore),
        "EPUB only, no layout kept (no page list)": (fresh_epub, forget_layouts),
        "EPUB only, no layout kept, --page-list": ([*fresh_epub, "--page-list"], forget_layouts),
        "floor: WeasyPrint alone, Octavo's print HTML": ([PYTHON, "-c", FLOOR, str(floor)], None),
    }
    if name == "synthetic":
        indexed = with_index(book, work / f"{name}-indexed")
        command = [PYTHON, BUILD, str(indexed), "--out", str(work / f"out-{name}-indexed"), "-q", "--force"]
        rows[f"full build, index of {INDEX_ENTRIES:,} entries"] = (command, None)
    pandoc = pandoc_path()
    if pandoc:
        files = [str(path) for path in chapters]
        command = [pandoc, *files, "-o", str(work / "pandoc.epub"), "--metadata", "title=Bench"]
        rows["pandoc EPUB"] = ([*command, f"--resource-path={chapters[0].parent}"], None)
    row = measure(rows)
    restore()
    row["preview: web edition after an edit (serve)"] = run_script(SERVE, book, work / f"serve-{name}", edited)
    preview = run_script(PREVIEW_PDF, book, work / f"preview-{name}", edited)
    row["preview: PDF after a one-word edit (serve)"] = preview["word"]
    row["preview: PDF after a paragraph added at a chapter's start (serve)"] = preview["paragraph"]
    edited.write_text(original, encoding="utf-8")
    info = subprocess.run(["pdfinfo", str(next(out.glob("*.pdf")))], capture_output=True, text=True).stdout
    row["pages"] = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    row["search index: all, first search (KB)"] = search_index_size(out / "html" / "pagefind")
    return row


def run_script(script: str, *paths: Path) -> dict:
    """One of the scripts above, in a process of its own: the JSON of its last line."""
    done = subprocess.run(
        [PYTHON, "-c", script, *map(str, paths)], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def search_index_size(bundle: Path) -> str:
    """The web edition's search index in KB: the whole of it, and at most what a first search loads
    (the engine, the language's index chunks and the eight largest fragments: a page of results)."""
    files = [path for path in bundle.rglob("*") if path.is_file()]
    engine = ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"]
    first = sum((bundle / name).stat().st_size for name in engine)
    first += sum(path.stat().st_size for path in [*bundle.glob("*.pf_meta"), *(bundle / "index").iterdir()])
    first += sum(sorted(path.stat().st_size for path in (bundle / "fragment").iterdir())[-8:])
    return f"{sum(path.stat().st_size for path in files) / 1024:.0f}, {first / 1024:.0f}"


def ratios(row: dict) -> dict:
    full, floor = row["full build"], row["floor: WeasyPrint alone, Octavo's print HTML"]
    found = {
        "full build / floor (time)": full["seconds"] / floor["seconds"],
        "nothing changed / full build (time)": row["rebuild, nothing changed"]["seconds"] / full["seconds"],
        "full build peak MB per page": full["peak_mb"] / row["pages"],
        "floor peak MB per page": floor["peak_mb"] / row["pages"],
    }
    for edit in ("one-word edit", "paragraph added at a chapter's start"):
        found[f"preview PDF after a {edit} / full build (time)"] = (
            row[f"preview: PDF after a {edit} (serve)"]["seconds"] / full["seconds"]
        )
    indexed = next((key for key in row if key.startswith("full build, index of")), None)
    if indexed:
        found["with the index / without (time)"] = row[indexed]["seconds"] / full["seconds"]
    if "pandoc EPUB" in row:
        pandoc, kept = row["pandoc EPUB"], row["EPUB only, page list from the kept layout"]
        epub = row["EPUB only, no layout kept (no page list)"]
        found["EPUB (no page list) / pandoc (time)"] = epub["seconds"] / pandoc["seconds"]
        found["EPUB (no page list) / pandoc (memory)"] = epub["peak_mb"] / pandoc["peak_mb"]
        found["EPUB (kept layout's page list) / pandoc (time)"] = kept["seconds"] / pandoc["seconds"]
    return {key: round(value, 3) for key, value in found.items()}


def pandoc_path() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except Exception:
        return shutil.which("pandoc")


def cell(value) -> str:
    if isinstance(value, dict):
        memory = f" {value['peak_mb']:5.0f} MB" if "peak_mb" in value else " " * 9
        return f"{value['seconds']:7.2f} s{memory}"
    return f"{value:>18}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB, {platform.system()}, Python {platform.python_version()}"


def main() -> None:
    results: dict = {"machine": machine(), "runs": RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = work / "sample"
        shutil.copytree(ROOT / "book", sample, ignore=shutil.ignore_patterns(".octavo-cache"))
        books = {"sample": sample, "synthetic": synthetic_book(work / "synthetic")}
        wanted = os.environ.get("OCTAVO_BENCH_BOOKS", "sample,synthetic").split(",")
        for name, book in ((name, book) for name, book in books.items() if name in wanted):
            print(f"measuring the {name} book...", file=sys.stderr, flush=True)
            results[name] = bench_book(name, book, work)
            results[name]["ratios"] = ratios(results[name])
    names = [name for name in ("sample", "synthetic") if name in results]
    print(f"\n{'':<46}" + "".join(f" {name:>18}" for name in names))
    keys = dict.fromkeys(key for name in names for key in results[name] if key != "ratios")  # rows of one book too
    for key in keys:
        print(f"{key:<46}" + "".join(f" {cell(results[name].get(key, '')):>18}" for name in names))
    for key in dict.fromkeys(key for name in names for key in results[name]["ratios"]):
        print(f"{key:<46}" + "".join(f" {results[name]['ratios'].get(key, ''):>18}" for name in names))
    print(f"\n{results['machine']}; median of {RUNS} runs")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
