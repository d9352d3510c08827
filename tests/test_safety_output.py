"""Where a build writes, and what `clean` removes: never the book's sources, never through a link
out of the book, never more than what Octavo wrote. Each case compares the trees before and after."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import run_cli, write_book

from octavo.build.pipeline import build
from octavo.build.staging import check_output_folder, recorded_names
from octavo.errors import BookError

TOML = '[book]\ntitle = "Safe"\nlanguage = "en"\n'


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under `folder`, links not followed: files by content, links by target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "link to " + str(path.readlink())
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[name] = "folder"
    return found


@pytest.fixture
def book(tmp_path) -> Path:
    return write_book(tmp_path / "book", {"book.toml": TOML, "chapters/a.md": "# A\n\nText.\n", "html/keep.txt": "x"})


@pytest.fixture
def victim(tmp_path) -> Path:
    return write_book(tmp_path / "victim", {"precious.txt": "do not touch", "sub/more.pdf": "%PDF-1.7 mine"})


@pytest.mark.parametrize(
    ("out", "why"),
    [
        (lambda book, victim: book, "it is the book folder"),
        (lambda book, victim: book.parent, "it holds the book folder"),
        (lambda book, victim: Path("/"), "root or home"),
        (lambda book, victim: Path.home(), "root or home"),
        (lambda book, victim: book / "chapters" / "a.md", "it is a file"),
    ],
    ids=["book folder", "its parent", "root", "home", "a file"],
)
def test_an_output_folder_that_would_hit_the_sources_is_refused(book, victim, tmp_path, out, why):
    before = snapshot(tmp_path)
    with pytest.raises(BookError) as failure:
        build(book, out(book, victim))
    assert why in failure.value.problems[0].message
    assert snapshot(tmp_path) == before


def test_a_dist_link_in_the_book_is_not_followed(book, victim, tmp_path):
    (book / "dist").symlink_to(victim)
    before = snapshot(tmp_path)
    for out in (book / "dist", book / "dist" / "sub"):
        with pytest.raises(BookError) as failure:
            build(book, out)
        assert "link" in failure.value.problems[0].message
    assert snapshot(tmp_path) == before


def test_a_link_the_user_gives_outside_the_book_is_theirs_to_give(book, victim, tmp_path):
    """The person running Octavo is trusted: a path on the command line may go through links."""
    (tmp_path / "www").symlink_to(victim)
    assert check_output_folder(book, tmp_path / "www" / "site") == victim / "site"


@pytest.mark.parametrize("args", [["--out", "BOOK"], ["--out", "PARENT"]])
def test_clean_never_removes_the_book(book, tmp_path, args):
    before = snapshot(tmp_path)
    args = [str(book) if a == "BOOK" else str(book.parent) if a == "PARENT" else a for a in args]
    result = run_cli("clean", str(book), *args)
    assert result.returncode == 1 and "refusing" in result.stderr
    assert snapshot(tmp_path) == before


def test_clean_refuses_a_folder_octavo_did_not_write(book, victim, tmp_path):
    before = snapshot(tmp_path)
    result = run_cli("clean", str(book), "--out", str(victim / "sub"))
    assert result.returncode == 1 and "nothing Octavo recorded writing" in result.stderr
    assert snapshot(tmp_path) == before


def test_recorded_names_are_plain_names_of_the_folder(tmp_path):
    out = write_book(
        tmp_path / "out",
        {"manifest.json": '{"formats": [{"file": "../../etc/passwd"}, {"file": "a.pdf"}], "cover": "/etc"}'},
    )
    assert recorded_names(out, ["b.epub", "..", "x/y"]) == {
        "a.pdf",
        "b.epub",
        *("index.html", "opds.xml", "html", "manifest.json", "SHA256SUMS"),
    }


@pytest.mark.slow
def test_clean_removes_what_octavo_wrote_and_nothing_else(book, tmp_path):
    out = tmp_path / "site"
    result = run_cli(str(book), "--out", str(out), "-q")
    assert result.returncode == 0
    (out / "CNAME").write_text("books.example.org\n")  # the author's own file, published beside the book
    result = run_cli("clean", str(book), "--out", str(out))
    assert result.returncode == 0 and "left what it did not write: CNAME" in result.stdout
    assert snapshot(out) == {"CNAME": hashlib.sha256(b"books.example.org\n").hexdigest()}
    assert (book / "html" / "keep.txt").exists()
    (out / "CNAME").unlink()
    assert run_cli(str(book), "--out", str(out), "-q", "--format", "pdf").returncode == 0
    assert run_cli("clean", str(book), "--out", str(out)).returncode == 0
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book"]  # no lock or staging left beside it


def test_a_cache_folder_that_is_a_link_is_refused(book, victim, tmp_path):
    (book / ".octavo-cache").symlink_to(victim)
    before = snapshot(tmp_path)
    with pytest.raises(BookError) as failure:
        build(book, tmp_path / "out", cache=True)
    assert "cache is a link" in failure.value.problems[0].message
    assert snapshot(tmp_path) == before
