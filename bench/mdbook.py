"""What reading an mdBook costs beside reading the same book kept as a native Octavo book.

One generated book, written twice with the same words, code and figures:
- as an mdBook: `book.toml` with `[book]`, `src/SUMMARY.md` with a prefix chapter, parts, numbered
  chapters whose second half is a nested sub-chapter file, and a suffix chapter; code pulled in
  with `{{#include}}`;
- as a native book: `chapters/*.md`, each chapter one file, `type: part` files for the parts.

Both make the same chapters, sections, parts and pages. The benchmark times reading alone
(`load_book`: book.toml, the contents, every chapter's Markdown, links) and the full build, in fresh
processes, and reports the medians and the peak memory (OCTAVO_BENCH_RUNS runs, default 3). Run
with `make bench`; it is not part of the test suite. Results also go to bench/results-mdbook.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from run import PYTHON, ROOT, RUNS, machine, measure

CHAPTERS = 80
PART_EVERY = 20  # chapters
WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "while", "a", "second"]
WORDS += ["interview", "weighs", "every", "answer"]

READ = """
import sys
from pathlib import Path
from octavo.read.load import load_book
load_book(Path(sys.argv[1]))
"""


def paragraphs(number: int, first: int, count: int) -> list[str]:
    out = []
    for index in range(first, first + count):
        text = " ".join(WORDS[(number * 7 + index * 3 + k) % len(WORDS)] for k in range(90))
        out.append(text.capitalize() + f".[^n{index}]\n\n[^n{index}]: Note {index} of chapter {number}.")
    return out


def first_half(number: int, section: str) -> str:
    """The chapter's title and first section; `section` is `##` in one file, `#` in its own."""
    table = "| Item | Value |\n|---|---|\n" + "\n".join(f"| row {k} | {k * number} |" for k in range(8))
    body = "\n\n".join(paragraphs(number, 0, 7))
    return (
        f"# Chapter {number}\n\n{body}\n\n{section} A Section\n\n- one\n- two\n    - nested\n\n{table}\n\n"
        f"```python\n{{{{#include listings/{number:03d}.py}}}}\n```\n\n![A figure](figure.png)\n"
    )


def second_half(number: int, heading: str) -> str:
    return f"{heading} Another Section\n\n" + "\n\n".join(paragraphs(number, 7, 7)) + "\n"


def common_files(folder: Path) -> None:
    from PIL import Image

    (folder / "listings").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 300), (70, 90, 110)).save(folder / "figure.png")
    for number in range(1, CHAPTERS + 1):
        code = f"def chapter_{number}():\n    return {number}\n\n\nprint(chapter_{number}())\n"
        (folder / "listings" / f"{number:03d}.py").write_text(code, encoding="utf-8")


PREFACE = "# Preface\n\nWhy this book, and how to read it.\n"
APPENDIX = "# Appendix\n\nWhere to go next.\n"


def native_book(folder: Path) -> Path:
    chapters = folder / "chapters"
    common_files(chapters)
    (folder / "book.toml").write_text('[book]\ntitle = "Benchmark Book"\nlanguage = "en"\n', encoding="utf-8")
    (chapters / "000.md").write_text(PREFACE, encoding="utf-8")
    for number in range(1, CHAPTERS + 1):
        if number % PART_EVERY == 1:
            part = f"---\ntype: part\n---\n# Part {number // PART_EVERY + 1}\n"
            (chapters / f"{number:03d}-part.md").write_text(part, encoding="utf-8")  # sorts before NNN.md
        text = first_half(number, "##") + "\n" + second_half(number, "##")
        (chapters / f"{number:03d}.md").write_text(text, encoding="utf-8")
    (chapters / "999.md").write_text(APPENDIX, encoding="utf-8")
    return folder


def mdbook(folder: Path) -> Path:
    src = folder / "src"
    common_files(src)
    toml = '[book]\ntitle = "Benchmark Book"\nauthors = ["Bench"]\nlanguage = "en"\nsrc = "src"\n'
    (folder / "book.toml").write_text(toml + "\n[output.html]\n", encoding="utf-8")
    summary = ["# Summary", "", "[Preface](preface.md)", ""]
    (src / "preface.md").write_text(PREFACE, encoding="utf-8")
    for number in range(1, CHAPTERS + 1):
        if number % PART_EVERY == 1:
            summary += ["", f"# Part {number // PART_EVERY + 1}", ""]
        name = f"chapter-{number:03d}"
        summary.append(f"- [Chapter {number}]({name}/index.md)")
        summary.append(f"    - [Another Section]({name}/more.md)")  # a sub-chapter: a section of its parent
        (src / name).mkdir()
        text = first_half(number, "##").replace("](figure.png)", "](../figure.png)")
        text = text.replace("{{#include listings/", "{{#include ../listings/")
        (src / name / "index.md").write_text(text, encoding="utf-8")
        (src / name / "more.md").write_text(second_half(number, "#"), encoding="utf-8")
    summary += ["", "---", "", "[Appendix](appendix.md)", ""]
    (src / "appendix.md").write_text(APPENDIX, encoding="utf-8")
    (src / "SUMMARY.md").write_text("\n".join(summary), encoding="utf-8")
    return folder


def page_count(out: Path) -> int:
    info = subprocess.run(["pdfinfo", str(next(out.glob("*.pdf")))], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    results: dict = {"machine": machine(), "runs": RUNS, "chapters": CHAPTERS}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        books = {"native": native_book(work / "native"), "mdbook": mdbook(work / "mdbook")}
        rows = {}
        for name, book in books.items():
            out = work / f"out-{name}"
            rows[f"read, {name}"] = ([PYTHON, "-c", READ, str(book)], None)
            rows[f"full build, {name}"] = (
                [PYTHON, "-m", "octavo", "build", str(book), "--out", str(out), "-q", "--force"],
                None,
            )
        print("measuring a native book and the same book as an mdBook...", file=sys.stderr, flush=True)
        results.update(measure(rows))
        for name in books:
            results[f"pages, {name}"] = page_count(work / f"out-{name}")
    for stage in ("read", "full build"):
        native, md = results[f"{stage}, native"], results[f"{stage}, mdbook"]
        results[f"{stage}: mdBook / native (time, memory)"] = [
            round(md["seconds"] / native["seconds"], 3),
            round(md["peak_mb"] / native["peak_mb"], 3),
        ]
    for key, value in results.items():
        print(f"{key:<44} {value}")
    (ROOT / "bench" / "results-mdbook.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
