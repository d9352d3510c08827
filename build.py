#!/usr/bin/env python3
"""Build the book: `python build.py [BOOK_DIR] [--out DIR] [--format pdf,epub]` (see --help)."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from octavo.commands.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(default_book=HERE / "book", default_out=HERE / "dist"))
