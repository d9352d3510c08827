"""Another package's format and transform: installed beside Octavo (pip, a real wheel with its entry
points), `--format txt` builds the format into the same output folder, offered on the download page
and in the checksums like Octavo's own; `[build] transforms` runs the transform on the read book,
so every format gets its work; a wrong name lists the installed ones."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow

PLUGIN = ROOT / "tests" / "plugins" / "octavo-plaintext"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory) -> str:
    """octavo-plaintext installed into a folder of its own, put on the path of the commands run."""
    target = tmp_path_factory.mktemp("site-packages")
    install = ["install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(target), str(PLUGIN)]
    subprocess.run(
        [sys.executable, "-m", "pip", *install],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert list(target.glob("octavo_plaintext-1.0.0.dist-info/entry_points.txt"))
    return os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH", "")]))


def octavo(plugin_path: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "octavo", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": plugin_path},
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )


def test_a_format_from_another_package_builds_beside_octavos_own(plugin_path, tmp_path):
    out = tmp_path / "out"
    result = octavo(plugin_path, "build", str(SAMPLE), "--out", str(out), "--format", "txt,site")
    assert result.returncode == 0, result.stderr
    assert "write plain text" in result.stdout  # its own line in the progress
    text = (out / "meaning-of-a-second-interview.txt").read_text(encoding="utf-8")
    assert text.startswith("MEANING OF A SECOND INTERVIEW\n\nIntroduction\n\nThe meaning of a second interview is")
    assert "<" not in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    offered = [(f["format"], f["media_type"]) for f in manifest["formats"]]
    assert offered[0] == ("Plain text", "text/plain") and [label for label, _ in offered[1:]] == ["CSL-JSON", "BibTeX"]
    assert "meaning-of-a-second-interview.txt" in (out / "SHA256SUMS").read_text(encoding="utf-8")
    assert 'href="meaning-of-a-second-interview.txt"' in (out / "index.html").read_text(encoding="utf-8")
    assert not list(out.glob("*.pdf")) and not list(out.glob("*.epub"))  # only what was asked for


def test_an_unknown_format_lists_the_installed_ones(plugin_path, tmp_path):
    result = octavo(plugin_path, "build", str(SAMPLE), "--out", str(tmp_path / "out"), "--format", "txx")
    assert result.returncode == 2
    assert "unknown format txx; did you mean 'txt'? installed formats: pdf, epub, site, print, txt" in result.stderr
    assert "pdf,epub,site,print,txt" in octavo(plugin_path, "build", "--help").stdout
    without = subprocess.run(
        [sys.executable, "-m", "octavo", "build", str(SAMPLE), "--format", "txt"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    assert without.returncode == 2 and "installed formats: pdf, epub, site" in without.stderr


def test_a_transform_from_another_package_changes_the_book_every_format_gets(plugin_path, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book, ignore=shutil.ignore_patterns(".octavo-cache"))
    with (book / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[build]\ntransforms = ["reading-time"]\n')
    out = tmp_path / "out"
    result = octavo(plugin_path, "build", str(book), "--out", str(out), "--format", "epub,txt")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / "meaning-of-a-second-interview.epub") as epub:
        introduction = epub.read("EPUB/introduction.xhtml").decode()
    assert re.search(
        r'<h1 id="introduction">Introduction</h1>\s*<p class="reading-time">\d+ min read</p>', introduction
    )
    assert re.search(r"\n\nIntroduction\n\n\d+ min read\n\n", (out / "meaning-of-a-second-interview.txt").read_text())
    (book / "book.toml").write_text(
        (book / "book.toml").read_text(encoding="utf-8").replace('"reading-time"', '"reading-times"'), encoding="utf-8"
    )
    wrong = octavo(plugin_path, "build", str(book), "--out", str(out))
    assert wrong.returncode == 1
    assert "error: no transform named 'reading-times' is installed (did you mean 'reading-time'?" in wrong.stderr
