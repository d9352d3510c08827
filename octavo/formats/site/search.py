"""html/pagefind/: the web edition's search index, made by Pagefind from the finished pages.

Pagefind reads each page's `<main data-pagefind-body>` (the chapters and the resource list, not the
contents or the bars around them), splits it at its headings so a result can name its section, and
stems words in the book's language (its extended build also splits Chinese and Japanese into words).
The index is static files: searching needs no server of its own, only one that serves files, as
browsers do not let a page read its neighbours from `file://`. The binary comes from the `pagefind`
package on PyPI, so building needs no download.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ...errors import Problem

FOLDER = "pagefind"
# Pagefind's ready-made interfaces; the web edition searches through pagefind.js with its own.
UNUSED = (
    *("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css"),
    *("pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js"),
)
ENTRY = "pagefind-entry.json"
TIME_LIMIT = 600  # seconds; a book of thousands of pages takes a few


def index_for_search(site: Path) -> list[Problem]:
    """Index the pages in `site` into `site`/pagefind; a warning, and no search, when Pagefind fails."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", FOLDER, "--silent"]
    try:
        ran = subprocess.run(
            command, capture_output=True, text=True, timeout=TIME_LIMIT, stdin=subprocess.DEVNULL, check=False
        )
        failure = "" if ran.returncode == 0 else (ran.stderr.strip().splitlines() or [f"exit {ran.returncode}"])[-1]
    except (OSError, subprocess.TimeoutExpired) as error:
        failure = str(error)
    entry = site / FOLDER / ENTRY
    if failure or not entry.is_file():
        return [
            Problem(
                None,
                f"the web edition has no search: Pagefind could not index it ({failure or 'no index written'})",
                "reinstall Octavo's dependencies: pip install 'pagefind[extended]'",
                severity="warning",
            )
        ]
    for name in UNUSED:
        (site / FOLDER / name).unlink(missing_ok=True)
    # Pagefind lists a book's languages in no fixed order; sorted, two builds give the same bytes.
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    return []
