"""The programs outside Python that the slow tests run, found or failed for with how to get them.

A missing tool fails the test that needs it with the tool's name and the command that installs it:
never a bare FileNotFoundError, never a silent skip. `make test` installs them all (tools/system-deps).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# tool: (Debian package, what the tests use it for)
SYSTEM_TOOLS = {
    "java": ("default-jre-headless", "EPUBCheck runs on Java"),
    "chromium": ("chromium", "Ace by DAISY, epub.js and the web edition are checked in Chromium"),
    "pdftoppm": ("poppler-utils", "PDF pages are rendered to images"),
    "pdffonts": ("poppler-utils", "the PDF's fonts are listed"),
    "node": ("nodejs", "Ace by DAISY and epub.js run on Node.js"),
    "sha256sum": ("coreutils", "SHA256SUMS is checked as a user would"),
}
CHROMIUM = Path("/usr/bin/chromium")


def need(tool: str) -> str:
    """The path of a system tool, or the test fails saying which package brings it."""
    found = str(CHROMIUM) if tool == "chromium" and CHROMIUM.exists() else shutil.which(tool)
    if found is None:
        package, why = SYSTEM_TOOLS[tool]
        pytest.fail(
            f"{tool} is not installed ({why}): run `make test`, which installs it, "
            f"or `tools/system-deps test` as root, or `apt-get install {package}`",
            pytrace=False,
        )
    return found


def need_node_package(binary: str) -> Path:
    """A program from package.json's packages, or the test fails saying how to install them."""
    path = ROOT / "node_modules" / ".bin" / binary
    if not path.exists():
        pytest.fail(
            f"{binary} is not installed (node_modules/.bin/{binary}): run `make test`, or `npm ci` in {ROOT.name}/",
            pytrace=False,
        )
    need("node")
    return path
