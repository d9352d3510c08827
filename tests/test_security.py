"""Safe by default: a hostile manuscript reads no file of the machine, reaches no network, runs no
script and no template; interrupted builds leave the last good output whole; odd input never crashes."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, describe, run_cli, run_epubcheck, write_book
from external import need
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from octavo.build.pipeline import build
from octavo.errors import BookError


def secrets() -> list[str]:
    """Text from the machine's own files that must never appear in a book."""
    found = []
    for path in ("/etc/passwd", "/etc/hostname"):
        try:
            lines = [line.strip() for line in Path(path).read_text().splitlines() if len(line.strip()) > 6]
        except OSError:
            continue
        found.extend(lines[:3])
    return found


def hostile_book(folder: Path, port: int) -> Path:
    remote = f"http://127.0.0.1:{port}"
    return write_book(
        folder,
        {
            "book.toml": '[book]\ntitle = "Hostile {{ 7 * 7 }} <script>alert(1)</script>"\nlanguage = "en"\n'
            'description = "{% for x in range(3) %}loop{% endfor %}"\n',
            "chapters/a.md": f"""
                # Hostile

                Template text {{{{ 7 * 7 }}}} and {{% raw %}} stays as written.

                ![passwd](/etc/passwd)
                ![host](file:///etc/hostname)
                ![escape](../../../../../../../../etc/passwd)
                ![remote]({remote}/markdown.png)

                <img src="{remote}/raw.png" alt="raw">
                <img src="/etc/hostname" alt="raw local">
                <script>fetch("{remote}/script")</script>
                <iframe src="{remote}/frame"></iframe>
                <object data="{remote}/object"></object>
                <embed src="{remote}/embed">
                <p onclick="steal()" onmouseover="steal()">Hover me.</p>
                <div style="background: url('file:///etc/passwd')">Styled.</div>
                <style>@import url("{remote}/import.css");</style>
                <svg width="10" height="10"><image href="/etc/passwd" width="10" height="10"/></svg>
                <a href="javascript:alert(1)">raw script link</a>

                A [script link](javascript:alert(1)) in Markdown.
            """,
            "styles/book.css": f'@import url("{remote}/theme.css");\n'
            f'body {{ background: url("file:///etc/passwd"); }}\n'
            f'@font-face {{ font-family: X; src: url("{remote}/font.ttf"); }}\n'
            'h1 { background-image: url("../../../../../../etc/hostname"); }\n',
        },
    )


def everything_written(out: Path) -> str:
    """All text of all outputs: files, the EPUB's entries, the PDF's text."""
    parts = []
    for path in out.rglob("*"):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                parts.extend(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        elif path.suffix == ".pdf":
            parts.extend(page.extract_text() or "" for page in PdfReader(path).pages)
            parts.append(path.read_bytes().decode("latin-1"))
        elif path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def markup_files(out: Path) -> list[tuple[str, str]]:
    files = []
    for path in out.rglob("*"):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                files.extend((name, archive.read(name).decode("utf-8", "replace")) for name in archive.namelist())
        elif path.is_file() and path.suffix in (".html", ".xml"):
            files.append((path.name, path.read_text(encoding="utf-8")))
    return files


@pytest.mark.slow
def test_a_hostile_book_reads_nothing_reaches_nothing_runs_nothing(tmp_path, listener):
    port, connections = listener
    folder = hostile_book(tmp_path / "book", port)
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    time.sleep(0.5)
    assert connections == []  # nothing reached for the network
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    for expected in (
        "<script>",
        "<iframe>",
        "<object>",
        "<embed>",
        "onclick",
        "a.md:5:",
        "a.md:6:",
        "a.md:7:",
        "a.md:8:",
    ):
        assert any(expected in line for line in warnings), (expected, result.stderr)
    assert any("left out of the stylesheet" in line for line in result.stderr.splitlines())
    written = everything_written(tmp_path / "out")
    for secret in secrets():
        assert secret not in written
    assert f"127.0.0.1:{port}" not in written
    assert "javascript:" not in written and "onclick" not in written and "<iframe" not in written
    assert "{{ 7 * 7 }}" in written and "{% raw %}" in written  # content is data, never a template
    markup = "\n".join(
        text
        for name, text in markup_files(tmp_path / "out")
        if name.endswith((".html", ".xhtml", ".opf", ".ncx", ".xml"))
    )
    assert "Hostile {{ 7 * 7 }} &lt;script&gt;" in markup  # metadata is escaped, never markup
    assert "<script>alert(1)</script>" not in markup
    assert "loop" not in written.replace("{% for x in range(3) %}loop{% endfor %}", "")


def test_a_book_cannot_escape_through_its_chapter_list(tmp_path):
    folder = write_book(
        tmp_path / "book", {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\nchapters = ["/etc/passwd"]\n'}
    )
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "outside the book folder" in result.stderr


@pytest.mark.parametrize(
    ("make_image", "message"),
    [
        (lambda path: Image.new("1", (20000, 20000)).save(path), "is far too large to lay out"),
        (lambda path: Image.new("L", (9000, 9000)).save(path), "too large to lay out"),
        (lambda path: make_zip_bomb(path), "is not a readable image"),
    ],
    ids=["20000-pixel image", "81-megapixel image", "zip bomb named .png"],
)
@pytest.mark.slow
def test_oversized_or_disguised_images_stop_with_a_clear_error(make_image, message, tmp_path):
    folder = write_book(
        tmp_path / "book",
        {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n', "chapters/a.md": "# A\n\n![big](big.png)\n"},
    )
    make_image(folder / "chapters" / "big.png")
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def make_zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros", b"\0" * 50_000_000)


@pytest.mark.slow
def test_lists_nested_a_thousand_deep_stop_with_a_clear_error(tmp_path):
    chapter = "# A\n\n" + "\n".join("    " * depth + f"- level {depth}" for depth in range(1000)) + "\n"
    folder = write_book(
        tmp_path / "book", {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n', "chapters/a.md": chapter}
    )
    result = run_cli(str(folder), "--out", str(tmp_path / "out"), "--format", "epub")
    assert result.returncode == 1
    assert "a.md:35: error: lists and quotes nested 33 deep" in result.stderr and "Traceback" not in result.stderr


def test_a_50_mb_chapter_stops_with_a_clear_error(tmp_path):
    folder = write_book(tmp_path / "book", {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n'})
    chapter = folder / "chapters" / "a.md"
    chapter.parent.mkdir(parents=True)
    with chapter.open("w") as handle:
        handle.write("# A\n\n")
        line = "All work and no play makes a very long chapter. " * 20 + "\n\n"
        while handle.tell() < 50_000_000:
            handle.write(line)
    started = time.monotonic()
    result = run_cli(str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "too large to be one chapter file" in result.stderr
    assert time.monotonic() - started < 60


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(".")
    }


def killed_builds(book: Path, out: Path, signal_number: int, delays: list[float]):
    """Start a build into `out` and stop it after each delay; yield after each stop."""
    for delay in delays:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), str(book), "--out", str(out), "-q"])
        time.sleep(delay)
        process.send_signal(signal_number)
        process.wait(timeout=60)
        yield delay


def two_editions(tmp_path: Path) -> tuple[Path, Path, dict[str, str], dict[str, str]]:
    """A book and its output folder holding edition 1; the book edited to edition 2; both sets of files."""
    book = tmp_path / "book"
    subprocess.run(["cp", "-r", str(ROOT / "tests" / "books" / "kitchen-sink"), str(book)], check=True)
    out = tmp_path / "dist"
    build(book, out)
    first = checksums(out)
    chapter = next((book).glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\nA sentence of the second edition.\n")
    build(book, tmp_path / "reference")
    second = checksums(tmp_path / "reference")
    assert first != second
    return book, out, first, second


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_one_whole_edition(tmp_path):
    """SIGKILL at 20 random moments of a build: the folder always holds all of edition 1 or all of
    edition 2, its SHA256SUMS verifies, and the next build leaves nothing of the killed ones."""
    book, out, first, second = two_editions(tmp_path)
    started = time.monotonic()
    build(book, tmp_path / "timing")
    duration = time.monotonic() - started + 1.0  # and the interpreter's start
    delays = [random.Random(seed).uniform(0.05, duration) for seed in range(20)]
    sha256sum = need("sha256sum")
    seen = set()
    for delay in killed_builds(book, out, signal.SIGKILL, delays):
        now = checksums(out)
        assert now in (first, second), f"a mixed folder after a kill at {delay:.2f} s"
        seen.add("second" if now == second else "first")
        check = subprocess.run([sha256sum, "-c", "--quiet", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
        assert check.returncode == 0, f"after a kill at {delay:.2f} s: {check.stdout}{check.stderr}"
    assert "first" in seen  # some kills came before the new edition was published
    result = run_cli(str(book), "--out", str(out), "-q")
    assert result.returncode == 0 and checksums(out) == second
    assert not [p.name for p in tmp_path.iterdir() if ".octavo-build-" in p.name or ".octavo-old-" in p.name]


@pytest.mark.slow
def test_ctrl_c_leaves_the_previous_output_whole(tmp_path):
    book, out, first, _ = two_editions(tmp_path)
    for delay in killed_builds(book, out, signal.SIGINT, [0.4, 1.2]):
        assert checksums(out) == first, f"changed by a build stopped after {delay} s"


@pytest.mark.slow
def test_two_builds_into_one_folder_do_not_mix(tmp_path):
    book, out, _, second = two_editions(tmp_path)
    runs = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), str(book), "--out", str(out), "-q", "--force"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    codes = sorted(run.returncode for run in runs)
    assert codes in ([0, 0], [0, 1])  # one after the other, or the second one refused
    if codes == [0, 1]:
        assert any("another build is writing into this folder" in text for text in errors)
    assert checksums(out) == second


BLOCKS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80),
    st.sampled_from(
        [
            "## A Section",
            "- one\n- two\n    - nested",
            "1. first\n2. second",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "Text with a note.[^n]\n\n[^n]: The note.",
            "<div class='x'>raw <b>html</b></div>",
            "[a link](https://example.org) and [a bad one](#nowhere)",
            "> quoted *text* and `code`",
            "```\ncode ```\n```",
            "Ünïcödé — “quotes” 日本語 العربية",
            "<script>alert(1)</script>",
            "![missing](nope.png)",
            "[@nobody]",
        ]
    ),
)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=st.lists(BLOCKS, min_size=1, max_size=8), title=st.text(min_size=1, max_size=40))
def test_random_books_build_or_fail_cleanly(blocks, title, tmp_path_factory):
    folder = tmp_path_factory.mktemp("random")
    toml_title = title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    (folder / "book.toml").write_text(f'[book]\ntitle = "{toml_title}"\nlanguage = "en"\n', encoding="utf-8")
    (folder / "chapters").mkdir()
    (folder / "chapters" / "a.md").write_text("# Start\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    try:
        result = build(folder, folder / "out", ("pdf", "epub"))
    except BookError:
        return  # a clear error about the input is a fine outcome
    pdf = next(path for path in result.files if path.suffix == ".pdf")
    assert len(PdfReader(pdf).pages) > 0
    epub = next(path for path in result.files if path.suffix == ".epub")
    with zipfile.ZipFile(epub) as archive:
        assert archive.namelist()[0] == "mimetype"
    messages = run_epubcheck(epub)
    assert messages == [], describe(messages)


@pytest.mark.slow
def test_five_thousand_chapters_build_in_bounded_time(tmp_path):
    files = {"book.toml": '[book]\ntitle = "Many"\nlanguage = "en"\n\n[epub]\npage_list = false\n'}
    files.update({f"chapters/{n:05d}.md": f"# Chapter {n}\n\nText of chapter {n}.\n" for n in range(5000)})
    folder = write_book(tmp_path / "book", files)
    started = time.monotonic()
    result = build(folder, tmp_path / "out", ("epub",))
    assert time.monotonic() - started < 120
    with zipfile.ZipFile(result.files[0]) as archive:
        assert sum(name.endswith(".xhtml") for name in archive.namelist()) == 5000 + 3


@pytest.mark.slow
def test_remote_images_only_when_the_person_building_allows_them(tmp_path, monkeypatch):
    """The book may ask for web images; only --allow-remote on the command line downloads them."""
    import functools
    import http.server
    import socketserver

    site = tmp_path / "site"
    site.mkdir()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(site / "red.png")
    requests: list[str] = []

    class Recording(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            requests.append(self.path)

    handler = functools.partial(Recording, directory=str(site))
    server = socketserver.TCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/red.png"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        chapter = f"# A\n\n![A red bar]({url})\n"
        refused = write_book(
            tmp_path / "plain", {"book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n', "chapters/a.md": chapter}
        )
        result = run_cli(str(refused), "--out", str(tmp_path / "out1"), "--format", "epub")
        assert result.returncode == 0 and "it is not a file of the book" in result.stderr
        asking = write_book(
            tmp_path / "asking",
            {
                "book.toml": '[book]\ntitle = "T"\nlanguage = "en"\n\n[build]\nallow_remote = true\n',
                "chapters/a.md": chapter,
            },
        )
        connections_before = len(requests)
        result = run_cli(str(asking), "--out", str(tmp_path / "out3"), "--format", "epub")
        assert result.returncode == 0 and "build with --allow-remote to download them" in result.stderr
        assert len(requests) == connections_before  # the book's own wish fetched nothing
        result = run_cli(str(refused), "--out", str(tmp_path / "out2"), "--allow-remote", "-q")
        assert result.returncode == 0 and len(requests) > connections_before
        built = build(refused, tmp_path / "out2", ("epub", "pdf"), allow_remote=True)
        epub = next(path for path in built.files if path.suffix == ".epub")
        with zipfile.ZipFile(epub) as archive:
            assert "EPUB/images/remote/red.png" in archive.namelist()
            assert url not in archive.read("EPUB/a.xhtml").decode()  # packaged, never referenced
        pdf = next(path for path in built.files if path.suffix == ".pdf")
        assert any(page.images for page in PdfReader(pdf).pages)
    finally:
        server.shutdown()
        server.server_close()
