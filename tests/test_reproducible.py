"""Rebuilding unchanged sources gives the same bytes (PDF, EPUB, web edition, checksums), whatever
the clock, timezone or locale."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile

from conftest import ROOT, SAMPLE


def build_in_subprocess(out, **env):
    command = [sys.executable, str(ROOT / "build.py"), str(SAMPLE), "--out", str(out), "--quiet"]
    subprocess.run(command, check=True, env={**os.environ, **env}, stdin=subprocess.DEVNULL, timeout=300)
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_two_builds_are_byte_identical_across_timezones_and_locales(tmp_path):
    first = build_in_subprocess(tmp_path / "a", TZ="UTC", LC_ALL="C.UTF-8")
    second = build_in_subprocess(tmp_path / "b", TZ="Pacific/Kiritimati", LC_ALL="C")
    assert first == second
    expected = {"meaning-of-a-second-interview.pdf", "meaning-of-a-second-interview.epub", "index.html", "SHA256SUMS"}
    assert expected | {"opds.xml", "html/introduction.html", "html/styles/book.css"} <= set(first)


def test_source_date_epoch_sets_the_epub_dates(tmp_path):
    build_in_subprocess(tmp_path, SOURCE_DATE_EPOCH="1700000000")
    epub = tmp_path / "meaning-of-a-second-interview.epub"
    with zipfile.ZipFile(epub) as archive:
        infos = archive.infolist()
        opf = archive.read("EPUB/content.opf").decode()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert "2023-11-14T22:13:20Z" in opf
