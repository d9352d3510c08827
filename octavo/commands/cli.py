"""The command line: `octavo [build|new|check|serve|clean] ...`; `python build.py` is the same program.

Exit statuses: 0 done, 1 the book has problems (each listed with file and line), 2 bad usage.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import cast

from ..build.pipeline import BuildResult, build
from ..build.progress import reporter_for
from ..errors import EXIT_BAD_INPUT, EXIT_OK, BookError, Problem, display_path, in_reading_order
from ..formats import default_formats, installed_hint, registry
from ..standards import PDF_VARIANTS
from ..style.themes import available_themes
from ..typography import plural

COMMANDS = ("build", "new", "check", "serve", "clean")
OVERVIEW = """commands:
  build [BOOK_DIR]   build the PDF, EPUB and site (the default command); a folder with
                     library.toml builds every book of the library
  new DIR            start a new book folder that builds as it is
  check [BOOK_DIR]   check everything a build checks, writing nothing
  serve [BOOK_DIR]   preview the web edition on 127.0.0.1, rebuilding on every change
  clean [BOOK_DIR]   remove the output folder and the build cache

exit status: 0 done, 1 the book has problems (each listed with file and line), 2 bad usage."""


class Defaults:
    """Where `python build.py` looks without arguments (the sample book, dist/), or the console script."""

    def __init__(self, book: Path | None, out: Path | None) -> None:
        self.book = book
        self.out = out

    def book_dir(self, given: Path | None) -> Path:
        return given or self.book or Path.cwd()

    def out_dir(self, given: Path | None, book_dir: Path) -> Path:
        """--out, else the default: dist/ in the book folder, or octavo/ in an mdBook's build folder."""
        from ..read.mdbook import build_folder

        if given or self.out:
            return cast(Path, given or self.out)
        mdbook = build_folder(book_dir)
        return mdbook / "octavo" if mdbook is not None else book_dir / "dist"


def parse_formats(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in registry()]
    if unknown or not names:
        given = ", ".join(unknown) or repr(value)
        hint = installed_hint(unknown[0]) if unknown else f"installed formats: {', '.join(registry())}"
        raise argparse.ArgumentTypeError(f"unknown format {given}; {hint}")
    return names


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1, 2, ...)")
    return int(value)


def add_book_dir(parser: argparse.ArgumentParser, defaults: Defaults) -> None:
    where = f"default: {defaults.book}" if defaults.book else "default: the current folder"
    parser.add_argument(
        "book_dir", nargs="?", type=Path, metavar="BOOK_DIR", help=f"the folder holding book.toml ({where})"
    )


def add_output(parser: argparse.ArgumentParser, defaults: Defaults) -> None:
    where = f"default: {defaults.out}" if defaults.out else "default: BOOK_DIR/dist"
    parser.add_argument("--out", type=Path, metavar="DIR", help=f"the output folder ({where})")


def add_reporting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")
    parser.add_argument("-v", "--verbose", action="store_true", help="also show the PDF engine's messages")
    parser.add_argument("--strict", action="store_true", help="treat warnings (such as missing alt text) as errors")


def build_parser(prog: str, defaults: Defaults) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build a book folder (book.toml + Markdown chapters) into a PDF, an EPUB 3 and a site.",
        epilog=OVERVIEW,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_book_dir(parser, defaults)
    add_output(parser, defaults)
    parser.add_argument(
        "--format",
        type=parse_formats,
        default=default_formats(),
        metavar="FORMATS",
        help=f"comma-separated formats: {','.join(registry())} (default: {','.join(default_formats())}; "
        "site: web edition and download page)",
    )
    parser.add_argument(
        "--pdf-variant",
        choices=PDF_VARIANTS,
        metavar="VARIANT",
        help=f"a PDF standard to follow, overriding [pdf] variant: {', '.join(PDF_VARIANTS)}",
    )
    parser.add_argument("--theme", metavar="NAME", help="build with this theme, overriding [theme] name")
    parser.add_argument("--list-themes", action="store_true", help="list the themes and exit")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="download the http(s) images the book links (never allowed by the book itself)",
    )
    parser.add_argument(
        "--force", action="store_true", help="build even if nothing has changed since the last build into --out"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="run EPUBCheck on the EPUB before publishing it (done anyway when the book has raw HTML, "
        "templates of its own or SVG images, and with --strict)",
    )
    parser.add_argument(
        "--page-list",
        action="store_true",
        help="give the EPUB the print edition's page numbers even when that means laying the print edition out "
        "(--format epub takes them from the last layout of the same text when there is one, else leaves them out)",
    )
    parser.add_argument(
        "--jobs",
        type=positive,
        metavar="N",
        help="a book: 2 (default), the EPUB and web edition are made in a second process while the PDF is "
        "laid out; 1, everything in one process, slower but lighter on memory. A library (a folder with "
        "library.toml): N books at a time (default: one per core)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a library: build its books on the Dask cluster whose scheduler is at ADDRESS "
        "(tcp://host:8786), overriding [library] scheduler; needs octavo[cluster]",
    )
    add_reporting(parser)
    return parser


def main(argv: list[str] | None = None, default_book: Path | None = None, default_out: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    defaults = Defaults(default_book, default_out)
    prog = "build.py" if default_book else "octavo"
    command = argv.pop(0) if argv and argv[0] in COMMANDS else "build"
    handlers = {"build": run_build, "new": run_new, "check": run_check, "serve": run_serve, "clean": run_clean}
    try:
        return handlers[command](argv, prog, defaults)
    except BookError as error:
        report_problems(error.problems, error.warnings)
        return EXIT_BAD_INPUT
    except OSError as error:
        where = display_path(Path(error.filename), Path.cwd()) if error.filename else prog
        print(f"{where}: error: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of Octavo's, not a problem of the book: one line, and how to see more
        if os.environ.get("OCTAVO_TRACEBACK"):
            raise
        print(
            f"{prog}: internal error: {type(error).__name__}: {str(error)[:300]}\n"
            "This is a bug in Octavo, not in the book. Run again with OCTAVO_TRACEBACK=1 to see where it "
            "happened, and report it.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.INFO if verbose else logging.WARNING)
    if not verbose:
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)


def report_problems(problems: list[Problem], warnings: list[Problem] | None = None) -> None:
    """Errors and warnings together, in the order of the files and lines they stand at."""
    cwd = Path.cwd()
    everything = in_reading_order([*problems, *(warnings or [])])
    for problem in everything:
        print(problem.format(cwd), file=sys.stderr)
    count = len(problems)
    also = f" (and {plural(len(warnings), 'warning')})" if warnings else ""
    print(f"Nothing was built: {plural(count, 'problem')} to fix{also}.", file=sys.stderr)


def report_warnings(result_warnings: list[Problem]) -> None:
    for warning in in_reading_order(result_warnings):
        print(warning.format(Path.cwd()), file=sys.stderr)


def run_build(argv: list[str], prog: str, defaults: Defaults) -> int:
    args = build_parser(prog, defaults).parse_args(argv)
    book_dir = defaults.book_dir(args.book_dir)
    if args.list_themes:
        for theme in available_themes(book_dir.resolve()).values():
            print(f"{theme.name:<10} {theme.description}")
        return EXIT_OK
    setup_logging(args.verbose)
    from ..library.config import is_library

    if is_library(book_dir):
        return run_library_build(book_dir, args)
    reporter = reporter_for(args.quiet)
    try:
        result = build(
            book_dir,
            defaults.out_dir(args.out, book_dir),
            args.format,
            pdf_variant=args.pdf_variant,
            theme=args.theme,
            reporter=reporter,
            strict=args.strict,
            cache=True,
            force=args.force,
            parallel=(args.jobs or 2) > 1,
            allow_remote=args.allow_remote,
            check=args.check,
            page_list=args.page_list,
        )
    finally:
        reporter.close()
    report_warnings(result.warnings)
    if not args.quiet:
        summarize(result)
    return EXIT_OK


def run_library_build(library_dir: Path, args: argparse.Namespace) -> int:
    """Every book of the library, N at a time; a book that fails is listed with its problems and the
    others still build; the exit status is 1 when any failed."""
    from ..library.build import BookOutcome, build_library
    from ..library.config import load_library

    config = load_library(library_dir)
    out = args.out or library_dir / "dist"
    width = len(str(len(config.books)))

    def progress(outcome: BookOutcome, done: int, total: int) -> None:
        if not args.quiet or not outcome.built:
            state = "up to date" if outcome.unchanged else "built" if outcome.built else "FAILED"
            name = outcome.title or outcome.folder.name
            print(f"[{done:>{width}}/{total}] {outcome.slug}: {state} ({outcome.seconds:.1f} s) {name}", flush=True)
        for warning in outcome.warnings:  # as a single build prints them, --quiet or not
            print(f"  {warning}", file=sys.stderr, flush=True)

    result = build_library(config, out.resolve(), args.jobs, progress, args.scheduler)
    for outcome in result.failed:
        print(f"{outcome.slug} ({display_path(outcome.folder, Path.cwd())}) was not built:", file=sys.stderr)
        for problem in outcome.problems:
            print(f"  {problem}", file=sys.stderr)
    built = len(result.outcomes) - len(result.failed)
    if not args.quiet or result.failed:
        print(f"Library “{config.title}”: {built} of {plural(len(result.outcomes), 'book')} built into {out}")
    return EXIT_BAD_INPUT if result.failed else EXIT_OK


def summarize(result: BuildResult) -> None:
    """What was written: each file with its size, and the PDF's page count."""
    cwd = Path.cwd()
    pages = f", {plural(result.pages, 'page')}" if result.pages else ""
    if result.unchanged:
        print(f"Up to date: “{result.title}” has not changed since the last build (--force builds it again)")
    else:
        print(f"Built “{result.title}”: {plural(result.chapters, 'chapter')}{pages}")
    kinds = {".pdf": 0, ".epub": 1}
    for path in sorted(result.files, key=lambda path: kinds.get(path.suffix, 2)):
        if path.is_dir():
            count = sum(1 for item in path.rglob("*") if item.is_file())
            print(f"  {display_path(path, cwd)}/  ({count} files)")
        else:
            print(f"  {display_path(path, cwd)}  ({path.stat().st_size / 1024:,.0f} KB)")
    for note in result.notes:
        print(note)


def run_new(argv: list[str], prog: str, defaults: Defaults) -> int:
    from .new import new_book

    parser = argparse.ArgumentParser(prog=f"{prog} new", description="Start a new book folder that builds as it is.")
    parser.add_argument("folder", type=Path, metavar="DIR", help="the new book folder")
    parser.add_argument("--title", default="My Book", help='the title (default: "My Book")')
    parser.add_argument("--language", default="en", help="its language, a BCP 47 tag (default: en)")
    args = parser.parse_args(argv)
    for path in new_book(args.folder, args.title, args.language):
        print(f"  {display_path(path, Path.cwd())}")
    command = "python build.py" if prog == "build.py" else prog
    print(f"Your book is ready. Build it with: {command} build {args.folder}")
    return EXIT_OK


def run_check(argv: list[str], prog: str, defaults: Defaults) -> int:
    from .check import check_book

    parser = argparse.ArgumentParser(
        prog=f"{prog} check", description="Check everything a build checks; write nothing."
    )
    add_book_dir(parser, defaults)
    add_reporting(parser)
    parser.add_argument("--no-validators", action="store_true", help="skip EPUBCheck and Ace even when installed")
    parser.add_argument(
        "--print",
        action="store_true",
        dest="print_kit",
        help="preflight the print-on-demand files as [print] service would: trim, bleed, fonts, images, margins, "
        "page count, spine",
    )
    args = parser.parse_args(argv)
    setup_logging(args.verbose)
    book_dir = defaults.book_dir(args.book_dir)
    return check_book(
        book_dir, strict=args.strict, quiet=args.quiet, validators=not args.no_validators, print_kit=args.print_kit
    )


def run_serve(argv: list[str], prog: str, defaults: Defaults) -> int:
    from .serve import PDF_PAGE, serve

    parser = argparse.ArgumentParser(
        prog=f"{prog} serve",
        description="Preview the web edition on 127.0.0.1, rebuilding and reloading on every change.",
    )
    add_book_dir(parser, defaults)
    add_output(parser, defaults)
    parser.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0 picks a free one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")
    parser.add_argument(
        "--pdf",
        action="store_true",
        help=f"also show the PDF at {PDF_PAGE}, reloaded at the reader's page whenever it changes",
    )
    args = parser.parse_args(argv)
    setup_logging(False)
    book_dir = defaults.book_dir(args.book_dir)
    return serve(book_dir, defaults.out_dir(args.out, book_dir), args.port, quiet=args.quiet, pdf=args.pdf)


def run_clean(argv: list[str], prog: str, defaults: Defaults) -> int:
    from ..build.cache import BuildCache
    from ..build.staging import check_output_folder, remove_octavo_files

    parser = argparse.ArgumentParser(
        prog=f"{prog} clean", description="Remove what Octavo wrote into the output folder, and the book's build cache."
    )
    add_book_dir(parser, defaults)
    add_output(parser, defaults)
    args = parser.parse_args(argv)
    book_dir = defaults.book_dir(args.book_dir)
    out = check_output_folder(book_dir, defaults.out_dir(args.out, book_dir))
    build_cache = BuildCache(book_dir, out)
    record = build_cache.read_json(build_cache.record_file) or {}
    cache = build_cache.folder
    if cache.is_dir() and not cache.is_symlink():
        shutil.rmtree(cache)
        print(f"Removed {display_path(cache, Path.cwd())}")
    if not out.exists():
        print(f"Nothing more to clean: {display_path(out, Path.cwd())} does not exist.")
        return EXIT_OK
    removed, left = remove_octavo_files(out, record.get("published", []))
    if not removed and left:
        raise BookError.single(
            out, "holds nothing Octavo recorded writing", "it may not be Octavo's output folder: remove it yourself"
        )
    if left:
        where = display_path(out, Path.cwd())
        print(f"Removed Octavo's files from {where}; left what it did not write: {', '.join(left)}")
    else:
        print(f"Removed {display_path(out, Path.cwd())}")
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
