"""The command line: arguments, a short report, and exit statuses 0 (built), 1 (bad input), 2 (bad usage)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .config import pdf_variants
from .errors import EXIT_BAD_INPUT, EXIT_OK, BookError, display_path
from .pipeline import FORMATS, build
from .themes import available_themes


def parse_formats(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or repr(value)}; choose from {', '.join(FORMATS)}"
        )
    return names


def make_parser(default_book: Path | None, default_out: Path | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py" if default_book else "octavo",
        description="Build a book folder (book.toml + Markdown chapters) into a PDF and an EPUB 3.",
        epilog="Exit status: 0 built, 1 the book has problems (each listed with file and line), 2 bad usage.",
    )
    parser.add_argument(
        "book_dir",
        nargs="?",
        type=Path,
        default=default_book,
        metavar="BOOK_DIR",
        help="the folder holding book.toml (default: %(default)s)"
        if default_book
        else "the folder holding book.toml (default: the current folder)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=default_out,
        metavar="DIR",
        help="where to write the files (default: %(default)s)"
        if default_out
        else "where to write the files (default: BOOK_DIR/dist)",
    )
    parser.add_argument(
        "--format",
        type=parse_formats,
        default=FORMATS,
        metavar="FORMATS",
        help=f"comma-separated formats to build: {','.join(FORMATS)} (default: all)",
    )
    parser.add_argument(
        "--pdf-variant",
        choices=pdf_variants(),
        metavar="VARIANT",
        help=f"a PDF standard to follow, overriding [pdf] variant: {', '.join(pdf_variants())}",
    )
    parser.add_argument("--theme", metavar="NAME", help="build with this theme, overriding [theme] name")
    parser.add_argument("--list-themes", action="store_true", help="list the themes and exit")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")
    parser.add_argument("-v", "--verbose", action="store_true", help="also show the PDF engine's messages")
    return parser


def main(argv: list[str] | None = None, default_book: Path | None = None, default_out: Path | None = None) -> int:
    args = make_parser(default_book, default_out).parse_args(argv)
    book_dir: Path = args.book_dir or Path.cwd()
    out_dir: Path = args.out or book_dir / "dist"
    if args.list_themes:
        for theme in available_themes(book_dir.resolve()).values():
            print(f"{theme.name:<10} {theme.description}")
        return EXIT_OK
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.INFO if args.verbose else logging.WARNING)
    if not args.verbose:
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
    cwd = Path.cwd()
    try:
        result = build(book_dir, out_dir, args.format, pdf_variant=args.pdf_variant, theme=args.theme)
    except BookError as error:
        for problem in error.problems:
            print(problem.format(cwd), file=sys.stderr)
        count = len(error.problems)
        print(f"Nothing was built: {count} problem{'s' if count != 1 else ''} to fix.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        where = display_path(Path(error.filename), cwd) if error.filename else ""
        print(f"{where}: error: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for warning in result.book.warnings:
        print(warning.format(cwd), file=sys.stderr)
    if not args.quiet:
        print(f"Built “{result.book.meta.title}”: {len(result.book.chapters)} chapters")
        for path in result.files:
            if path.is_dir():
                count = sum(1 for item in path.rglob("*") if item.is_file())
                print(f"  {display_path(path, cwd)}/  ({count} files)")
            else:
                print(f"  {display_path(path, cwd)}  ({path.stat().st_size / 1024:,.0f} KB)")
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
