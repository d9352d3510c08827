"""Rebuilding unchanged sources gives the same bytes (PDF, EPUB, web edition, checksums), whatever
the clock, timezone or locale, and whether or not the machine has HarfBuzz's subsetter library."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, SAMPLE


def build_in_subprocess(out, *options, launcher=ROOT / "build.py", **env):
    command = [sys.executable, str(launcher), str(SAMPLE), "--out", str(out), "--quiet", *options]
    subprocess.run(command, check=True, env={**os.environ, **env}, stdin=subprocess.DEVNULL, timeout=300)
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical_across_timezones_and_locales(tmp_path):
    first = build_in_subprocess(tmp_path / "a", TZ="UTC", LC_ALL="C.UTF-8")
    second = build_in_subprocess(tmp_path / "b", TZ="Pacific/Kiritimati", LC_ALL="C")
    assert first == second
    expected = {"meaning-of-a-second-interview.pdf", "meaning-of-a-second-interview.epub", "index.html", "SHA256SUMS"}
    assert expected | {"opds.xml", "html/introduction.html", "html/styles/book.css"} <= set(first)


@pytest.mark.slow
def test_source_date_epoch_sets_the_epub_dates(tmp_path):
    build_in_subprocess(tmp_path, SOURCE_DATE_EPOCH="1700000000")
    epub = tmp_path / "meaning-of-a-second-interview.epub"
    with zipfile.ZipFile(epub) as archive:
        infos = archive.infolist()
        opf = archive.read("EPUB/content.opf").decode()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert "2023-11-14T22:13:20Z" in opf


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["classic", "modern"])  # TrueType and CFF (OpenType) fonts
def test_the_same_bytes_with_or_without_the_systems_harfbuzz_subsetter(theme, tmp_path):
    """WeasyPrint subsets with libharfbuzz-subset when it can load it, else with fontTools, which
    gave other bytes and stamped the clock into each font; Octavo subsets the same way on both."""
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is None:
        pytest.fail(
            "libharfbuzz-subset is not installed, so this test cannot compare with it: "
            "run `make test` or `apt-get install libharfbuzz-subset0`",
            pytrace=False,
        )
    hidden = ROOT / "tests" / "tools" / "without_harfbuzz_subset.py"
    without = build_in_subprocess(tmp_path / "without", "--theme", theme, launcher=hidden)
    with_it = build_in_subprocess(tmp_path / "with", "--theme", theme)
    assert "meaning-of-a-second-interview.pdf" in with_it
    assert without == with_it
