"""Write book.toml's settings into docs/reference.md from octavo/options.py, where each is declared
once. tests/test_config.py fails when the page and the declarations disagree; run this to mend it."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from octavo.options import reference_tables  # noqa: E402

PAGE = ROOT / "docs" / "reference.md"
START = "<!-- book.toml settings: written by tools/make_reference.py from octavo/options.py -->"
END = "<!-- end of the book.toml settings -->"


def with_tables(page: str) -> str:
    before, rest = page.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n\n{reference_tables()}\n{END}{after}"


if __name__ == "__main__":
    PAGE.write_text(with_tables(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
