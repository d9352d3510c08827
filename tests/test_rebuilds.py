"""Rebuilds: nothing is done twice, nothing stale survives, and the worker process changes nothing
but the time. (How fast is measured by bench/run.py, not here.)"""

from __future__ import annotations

import filecmp
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, SAMPLE, run_cli, write_book
from pypdf import PdfReader

from octavo.build.cache import CACHE_FOLDER
from octavo.build.pipeline import build

BOOK = {
    "book.toml": '[book]\ntitle = "Cached"\nlanguage = "en"\n',
    "chapters/01-one.md": "# One\n\nThe first chapter.\n",
    "chapters/02-two.md": "# Two\n\nThe second chapter.\n",
}


def stamps(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def pdf_text(out: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(next(out.glob("*.pdf"))).pages)


@pytest.fixture
def cached(tmp_path):
    """A small book built once through the command line, with its cache in place."""
    folder = write_book(tmp_path / "book", BOOK)
    out = tmp_path / "dist"
    first = run_cli(str(folder), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "Built “Cached”" in first.stdout
    return folder, out


@pytest.mark.slow
def test_a_changed_included_file_rebuilds_the_book(tmp_path):
    files = {**BOOK, "chapters/01-one.md": '# One\n\n--8<-- "part.md"\n', "chapters/part.md": "Old words.\n"}
    config = '[book]\ntitle = "Cached"\nlanguage = "en"\nchapters = ["chapters/01-one.md"]\n'
    folder = write_book(tmp_path / "book", {**files, "book.toml": config})
    out = tmp_path / "dist"
    assert run_cli(str(folder), "--out", str(out)).returncode == 0
    assert "Old words." in pdf_text(out)
    (folder / "chapters" / "part.md").write_text("New words.\n", encoding="utf-8")
    again = run_cli(str(folder), "--out", str(out))
    assert again.returncode == 0 and "Built “Cached”" in again.stdout
    assert "New words." in pdf_text(out) and "Old words." not in pdf_text(out)


@pytest.mark.slow
def test_nothing_changed_means_nothing_is_written(cached):
    folder, out = cached
    before = stamps(out)
    again = run_cli(str(folder), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "Up to date: “Cached”" in again.stdout
    assert "lay out pages" not in again.stdout
    assert stamps(out) == before
    assert (folder / CACHE_FOLDER).is_dir() and not (out / CACHE_FOLDER).exists()
    forced = run_cli(str(folder), "--out", str(out), "--force")
    assert "Built “Cached”" in forced.stdout and "lay out pages" in forced.stdout
    assert stamps(out) == before  # built again to the same bytes, so nothing looks changed


@pytest.mark.parametrize(
    "change",
    ["edit a chapter", "add a stylesheet", "add a template", "other options", "delete an output", "touch an output"],
)
@pytest.mark.slow
def test_every_change_that_matters_rebuilds(change, cached):
    folder, out = cached
    options: list[str] = []
    if change == "edit a chapter":
        (folder / "chapters" / "02-two.md").write_text("# Two\n\nA rewritten chapter.\n", encoding="utf-8")
    elif change == "add a stylesheet":
        write_book(folder, {"styles/book.css": "p { color: #333; }\n"})
    elif change == "add a template":
        web = (ROOT / "templates" / "web" / "chapter.html").read_text(encoding="utf-8")
        write_book(
            folder, {"templates/web/chapter.html": web.replace("<section class=", "<section data-own-template class=")}
        )
    elif change == "other options":
        options = ["--theme", "modern"]
    elif change == "delete an output":
        next(out.glob("*.epub")).unlink()
    else:
        (out / "html" / "index.html").write_text("edited by hand", encoding="utf-8")
    result = run_cli(str(folder), "--out", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert "Built “Cached”" in result.stdout, result.stdout
    if change == "edit a chapter":
        assert "A rewritten chapter" in pdf_text(out)
    if change == "add a template":
        assert "data-own-template" in (out / "html" / "two.html").read_text(encoding="utf-8")
    if change in ("delete an output", "touch an output"):
        assert next(out.glob("*.epub")).exists()
        assert "edited by hand" not in (out / "html" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_failed_build_keeps_the_record_of_the_good_one(cached):
    folder, out = cached
    chapter = folder / "chapters" / "02-two.md"
    good = chapter.read_text(encoding="utf-8")
    chapter.write_text("# Two\n\n![gone](missing.png)\n", encoding="utf-8")
    assert run_cli(str(folder), "--out", str(out)).returncode == 1
    chapter.write_text(good, encoding="utf-8")  # back to what dist/ was built from
    again = run_cli(str(folder), "--out", str(out))
    assert "Up to date" in again.stdout


@pytest.mark.slow
def test_warnings_are_repeated_when_nothing_changed(tmp_path):
    from PIL import Image

    folder = write_book(tmp_path / "book", {**BOOK, "chapters/01-one.md": "# One\n\n![](dot.png)\n"})
    Image.new("RGB", (4, 4)).save(folder / "chapters" / "dot.png")
    first = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "epub")
    again = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "epub")
    assert "Up to date" in again.stdout
    assert "image 'dot.png' has no description" in first.stderr
    assert again.stderr == first.stderr


@pytest.mark.slow
def test_clean_removes_the_cache_too(cached):
    folder, out = cached
    result = run_cli("clean", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not out.exists() and not (folder / CACHE_FOLDER).exists()


@pytest.mark.slow
def test_the_worker_process_changes_nothing_but_the_time(tmp_path):
    """The EPUB (with its page list from the PDF's layout) and the web edition, made beside the
    PDF in a second process, are byte for byte those made one after the other in one process."""
    together = build(SAMPLE, tmp_path / "parallel", parallel=True)
    alone = build(SAMPLE, tmp_path / "serial", parallel=False)
    assert together.pages == alone.pages
    compared = filecmp.dircmp(tmp_path / "parallel", tmp_path / "serial")
    assert not compared.left_only and not compared.right_only
    names = [p.relative_to(tmp_path / "serial").as_posix() for p in (tmp_path / "serial").rglob("*") if p.is_file()]
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "parallel", tmp_path / "serial", names, shallow=False)
    assert not mismatch and not errors
    assert any(name.endswith(".epub") for name in names) and "html/index.html" in names


@pytest.mark.slow
def test_a_killed_build_takes_its_worker_with_it(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(CACHE_FOLDER))
    process = psutil.Popen([sys.executable, str(ROOT / "build.py"), str(book), "--out", str(tmp_path / "out"), "-q"])
    deadline = time.monotonic() + 60
    workers: list[psutil.Process] = []
    while not workers and time.monotonic() < deadline and process.poll() is None:
        workers = [c for c in process.children() if "octavo.build.worker" in " ".join(c.cmdline())]
        time.sleep(0.05)
    assert workers, "the build never started its worker"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "the worker outlived the build"


@pytest.mark.slow
def test_the_preview_picks_up_a_new_book_template_and_a_new_title(tmp_path):
    """In a long-running process (`serve`) templates and covers are kept between builds: a
    template added to the book, or a new title, must still show on the next build."""
    folder = write_book(tmp_path / "book", BOOK)
    out = tmp_path / "out"
    build(folder, out, ("site",))
    cover = (out / "cover.jpg").read_bytes()
    web = (ROOT / "templates" / "web" / "chapter.html").read_text(encoding="utf-8")
    write_book(
        folder, {"templates/web/chapter.html": web.replace("<section class=", "<section data-own-template class=")}
    )
    (folder / "book.toml").write_text('[book]\ntitle = "Renamed"\nlanguage = "en"\n', encoding="utf-8")
    build(folder, out, ("site",))
    assert "data-own-template" in (out / "html" / "one.html").read_text(encoding="utf-8")
    assert (out / "cover.jpg").read_bytes() != cover


@pytest.mark.slow
def test_a_worker_that_dies_is_one_clear_failure_and_nothing_is_published(tmp_path):
    folder = write_book(tmp_path / "book", BOOK)
    me = psutil.Process()

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for child in me.children():
                if "octavo.build.worker" in " ".join(child.cmdline()):
                    child.kill()
                    return
            time.sleep(0.01)

    threading.Thread(target=kill_the_worker, daemon=True).start()
    with pytest.raises(RuntimeError, match="worker stopped"):
        build(folder, tmp_path / "out", parallel=True)
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out.octavo-build-*"))  # the staging folder went with the failure


def test_a_new_book_keeps_the_cache_out_of_version_control(tmp_path):
    assert run_cli("new", str(tmp_path / "fresh")).returncode == 0
    ignored = (tmp_path / "fresh" / ".gitignore").read_text(encoding="utf-8").split()
    assert CACHE_FOLDER + "/" in ignored and "dist/" in ignored


@pytest.mark.slow
def test_after_editing_one_chapter_only_what_changed_gets_new_timestamps(cached):
    """Files with the same bytes as before keep their timestamps: an upload with rsync, or a
    browser's cache, sees the one web page, the PDF and the EPUB that changed, not the whole site."""
    folder, out = cached
    before = stamps(out)
    time.sleep(0.05)
    (folder / "chapters" / "02-two.md").write_text("# Two\n\nA rewritten chapter.\n", encoding="utf-8")
    assert "Built" in run_cli(str(folder), "--out", str(out)).stdout
    after = stamps(out)
    changed = {name for name in after if after[name] != before.get(name)}
    assert {"html/two.html", "cached.pdf", "cached.epub", "SHA256SUMS", "manifest.json"} <= changed
    assert "html/one.html" not in changed and "html/styles/book.css" not in changed
    assert "cover.jpg" not in changed


@pytest.mark.slow
def test_one_process_or_two_give_the_same_files(tmp_path):
    folder = write_book(tmp_path / "book", BOOK)
    for jobs in ("1", "2"):
        result = run_cli(str(folder), "--out", str(tmp_path / f"jobs-{jobs}"), "--jobs", jobs, "--force")
        assert result.returncode == 0, result.stderr
    names = [p.relative_to(tmp_path / "jobs-1").as_posix() for p in (tmp_path / "jobs-1").rglob("*") if p.is_file()]
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "jobs-1", tmp_path / "jobs-2", names, shallow=False)
    assert names and not mismatch and not errors


LONG_BOOK = {
    "book.toml": '[book]\ntitle = "Paged"\nlanguage = "en"\n',
    "chapters/01-one.md": "# One\n\n" + "A sentence that fills the pages of the first chapter. " * 400 + "\n",
    "chapters/02-two.md": "# Two\n\n" + "Another sentence, for the second chapter's pages. " * 300 + "\n",
}
EPUB_NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}


def page_list_of(epub: Path) -> list[tuple[str, str]]:
    """The EPUB's page list as (label, target), and nothing when it has none."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(epub) as package:
        nav = etree.fromstring(package.read("EPUB/nav.xhtml"))
        opf = package.read("EPUB/content.opf").decode()
    entries = nav.xpath(".//x:nav[@*[local-name()='type']='page-list']//x:a", namespaces=EPUB_NS)
    claims = ("printPageNumbers" in opf, "pageBreakSource" in opf)
    assert claims == (bool(entries), bool(entries)), "the package claims page numbers only when it has them"
    return [(a.text, a.get("href")) for a in entries]


@pytest.mark.slow
def test_an_epub_alone_takes_its_page_list_from_the_last_layout_of_the_same_text(tmp_path):
    folder = write_book(tmp_path / "book", LONG_BOOK)
    full = run_cli(str(folder), "--out", str(tmp_path / "dist"))
    assert full.returncode == 0, full.stderr
    printed = page_list_of(tmp_path / "dist" / "paged.epub")
    assert len(printed) > 8
    alone = run_cli(str(folder), "--out", str(tmp_path / "epub"), "--format", "epub")
    assert alone.returncode == 0, alone.stderr
    assert "Built “Paged”: 2 chapters\n" in alone.stdout  # no page count: nothing was laid out
    assert "no page list" not in alone.stdout
    assert (tmp_path / "epub" / "paged.epub").read_bytes() == (tmp_path / "dist" / "paged.epub").read_bytes()


@pytest.mark.slow
def test_an_edited_text_never_takes_the_page_list_of_its_older_layout(tmp_path):
    folder = write_book(tmp_path / "book", LONG_BOOK)
    assert run_cli(str(folder), "--out", str(tmp_path / "dist")).returncode == 0
    chapter = folder / "chapters" / "01-one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") * 2, encoding="utf-8")  # twice the pages now
    alone = run_cli(str(folder), "--out", str(tmp_path / "epub"), "--format", "epub")
    assert alone.returncode == 0, alone.stderr
    assert "The EPUB has no page list" in alone.stdout and "--page-list" in alone.stdout
    assert page_list_of(tmp_path / "epub" / "paged.epub") == []
    # Asked for, the page list costs a layout, and is the one a full build gives.
    asked = run_cli(str(folder), "--out", str(tmp_path / "epub"), "--format", "epub", "--page-list")
    assert asked.returncode == 0, asked.stderr
    assert " pages\n" in asked.stdout and "no page list" not in asked.stdout
    assert run_cli(str(folder), "--out", str(tmp_path / "dist")).returncode == 0
    full = page_list_of(tmp_path / "dist" / "paged.epub")
    assert page_list_of(tmp_path / "epub" / "paged.epub") == full and len(full) > 16


@pytest.mark.slow
def test_an_epub_built_without_a_page_list_gets_one_once_a_layout_is_kept(tmp_path):
    folder = write_book(tmp_path / "book", LONG_BOOK)
    epub = tmp_path / "epub" / "paged.epub"
    assert run_cli(str(folder), "--out", str(tmp_path / "epub"), "--format", "epub").returncode == 0
    assert page_list_of(epub) == []
    assert run_cli(str(folder), "--out", str(tmp_path / "dist")).returncode == 0
    again = run_cli(str(folder), "--out", str(tmp_path / "epub"), "--format", "epub")
    assert "Built “Paged”" in again.stdout, "not 'Up to date': a layout of this text is at hand now"
    assert page_list_of(epub) == page_list_of(tmp_path / "dist" / "paged.epub") != []
    assert "Up to date" in run_cli(str(folder), "--out", str(tmp_path / "epub"), "--format", "epub").stdout


@pytest.mark.slow
def test_the_pdf_preview_lays_out_again_only_the_edited_chapter(tmp_path):
    import json

    from conftest import serving

    folder = write_book(tmp_path / "book", LONG_BOOK)
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "serve", str(folder), "--out", str(out), "--port", "0", "--pdf"]
    with serving(command) as served:

        def status() -> dict:
            return json.loads(served.get("/__octavo__/pdf-status"))

        first = status()  # the first full build is done before the preview serves
        assert first["url"] == "/paged.pdf" and first["version"] == 1
        assert "3 of 3 parts laid out" in first["message"]
        viewer = served.get("/__octavo__/pdf")
        assert '<iframe id="pdf"' in viewer and '<script src="/__octavo__/pdf-preview.js">' in viewer
        script = served.get("/__octavo__/pdf-preview.js")
        assert "#page=" in script and "PDFViewerApplication" in script  # reopened at the reader's page
        chapter = folder / "chapters" / "02-two.md"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("sentence", "clause", 1), encoding="utf-8")
        served.wait_for(lambda: status()["version"] == 2)
        assert "1 of 3 parts laid out" in status()["message"], status()
        assert "Another clause" in pdf_text(out)


def octavo_copy(folder: Path) -> Path:
    """A copy of Octavo as a checkout has it: the package, its templates and styles beside it."""
    for name in ("octavo", "templates", "styles"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "build.py", folder / "build.py")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("edit", ["a built-in stylesheet", "a built-in template"])
def test_editing_octavos_own_styles_and_templates_rebuilds(tmp_path, edit):
    """The cache key holds Octavo's own styles/ and templates/, not only the book's: an upgrade, or
    a hand edit of a theme, builds again."""
    install = octavo_copy(tmp_path / "install")
    folder = write_book(tmp_path / "book", BOOK)
    out = tmp_path / "dist"

    def run() -> str:
        result = subprocess.run(
            [sys.executable, str(install / "build.py"), str(folder), "--out", str(out), "--format", "epub,site"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "Built “Cached”" in run()
    assert "Up to date" in run()
    if edit == "a built-in stylesheet":
        base = install / "styles" / "base.css"
        base.write_text(base.read_text(encoding="utf-8") + "\n.octavo-edited { color: #123456; }\n", encoding="utf-8")
    else:
        page = install / "templates" / "web" / "chapter.html"
        page.write_text(page.read_text(encoding="utf-8").replace("<section class=", "<section data-edited class="))
    assert "Built “Cached”" in run()
    if edit == "a built-in stylesheet":
        with zipfile.ZipFile(next(out.glob("*.epub"))) as epub:
            assert ".octavo-edited" in epub.read("EPUB/styles/book.css").decode()
    else:
        assert "data-edited" in (out / "html" / "two.html").read_text(encoding="utf-8")
