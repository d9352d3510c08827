"""A library built in one command: every book into OUT/<slug>/ in a process pool, a broken book
reported on its own while the others build, the front page, the OPDS catalogue, manifest.json and
SHA256SUMS over what is published, and the cache skipping unchanged books."""

from __future__ import annotations

import hashlib
import json

import lxml.html
import pytest
from conftest import ROOT, run_cli, write_book
from lxml import etree

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"


def octavo_book(title: str, author: str, subjects: str = "") -> dict[str, str]:
    toml = f'[book]\ntitle = "{title}"\nlanguage = "en"\nauthors = ["{author}"]\nsubjects = [{subjects}]\n'
    return {"book.toml": toml, "chapters/one.md": f"# One\n\nThe first chapter of {title}.\n"}


def png() -> bytes:
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (60, 40), (40, 90, 120)).save(data, "PNG")
    return data.getvalue()


def mdbook() -> dict[str, str]:
    return {
        "book.toml": '[book]\ntitle = "Rope Notes"\nauthors = ["Ida Quay"]\nlanguage = "en"\n',
        "src/SUMMARY.md": "# Summary\n\n- [Knots](knots.md)\n",
        "src/knots.md": "# Knots\n\nA bowline holds.\n",
    }


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("library")
    files = {"library.toml": '[library]\ntitle = "Harbour Press"\nbooks = ["books/*", "../rope-notes"]\n'}
    shelf = {
        "tides": octavo_book("Tides", "Ann Reed", '"Sea", "Moon"'),
        "gulls": octavo_book("Gulls", "Bo Lind", '"Sea"'),
    }
    for name, book in shelf.items():
        files.update({f"books/{name}/{path}": text for path, text in book.items()})
    files["books/gulls/chapters/two.md"] = "# Two\n\n![](gull.png)\n"  # a warning: no description
    files["books/gulls/chapters/gull.png"] = png()
    files.update({f"books/wreck/{path}": text for path, text in octavo_book("Wreck", "Cy Moss").items()})
    files["books/wreck/chapters/two.md"] = "# Two\n\n![A chart](missing-chart.png)\n"
    write_book(root / "press", files)
    write_book(root / "rope-notes", mdbook())
    out = root / "out"
    result = run_cli(str(root / "press"), "--out", str(out), "--jobs", "2")
    return root / "press", out, result


def test_a_broken_book_is_reported_alone_and_the_others_build(library):
    _, out, result = library
    assert result.returncode == 1
    assert "wreck" in result.stderr and "missing-chart.png" in result.stderr and "two.md:3" in result.stderr
    assert "3 of 4 books built" in result.stdout
    assert "gulls/chapters/two.md:3" in result.stderr and "no description" in result.stderr  # a warning, as alone
    for slug in ("gulls", "tides", "rope-notes"):
        assert (out / slug / "manifest.json").is_file() and list((out / slug).glob("*.pdf")), slug
    assert not (out / "wreck").exists()


def test_the_front_page_and_the_catalogue_list_the_books_that_built(library):
    _, out, _ = library
    page = lxml.html.fromstring((out / "index.html").read_bytes())
    titles = [span.text for span in page.cssselect(".book-title")]
    assert titles == ["Gulls", "Tides", "Rope Notes"]
    assert not page.xpath("//script") and all((out / img.get("src")).is_file() for img in page.xpath("//img"))
    shipped = ROOT / "styles" / "fonts" / "charis-sil" / "CharisSIL-Regular.ttf"
    cut = out / "fonts" / "CharisSIL-Regular.ttf"  # the page's own typeface, cut to its characters
    assert 'url("fonts/CharisSIL-Regular.ttf")' in (out / "index.html").read_text(encoding="utf-8")
    assert cut.stat().st_size < shipped.stat().st_size / 4 and (out / "fonts" / "OFL.txt").is_file()
    feed = etree.parse(str(out / "all.xml"))
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Gulls", "Tides", "Rope Notes"]
    for entry in entries:
        links = [link.get("href") for link in entry.findall(f"{ATOM}link") if "acquisition" in link.get("rel")]
        assert any(href.endswith(".epub") for href in links) and all((out / href).is_file() for href in links)


def feed_titles(path) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in etree.parse(str(path)).findall(f"{ATOM}entry")]


def test_the_catalogue_leads_to_the_books_by_author_by_subject_and_newest_first(library):
    _, out, _ = library
    assert feed_titles(out / "opds.xml") == ["All books", "Newest", "By author", "By subject"]
    assert feed_titles(out / "subjects.xml") == ["Moon", "Sea"]
    assert feed_titles(out / "subjects" / "sea.xml") == ["Gulls", "Tides"]
    assert feed_titles(out / "authors.xml") == ["Ann Reed", "Bo Lind", "Ida Quay"]
    assert feed_titles(out / "authors" / "ida-quay.xml") == ["Rope Notes"]
    assert sorted(feed_titles(out / "newest.xml")) == ["Gulls", "Rope Notes", "Tides"]
    for feed in library_feeds(out):  # each link leads somewhere, a feed of the kind the link says
        for link in etree.parse(str(feed)).iter(f"{ATOM}link"):
            target = (feed.parent / link.get("href")).resolve()
            assert target.is_file(), (feed, link.get("href"))
            if "opds-catalog" in link.get("type", ""):
                assert link.get("type") == self_type(target), (feed, link.get("href"))


def library_feeds(out) -> list:
    return [*out.glob("*.xml"), *out.glob("authors/*.xml"), *out.glob("subjects/*.xml")]


def self_type(feed) -> str:
    links = etree.parse(str(feed)).getroot().findall(f"{ATOM}link")
    return next(link.get("type") for link in links if link.get("rel") == "self")


def test_the_checksums_cover_every_published_file(library):
    _, out, _ = library
    listed = {}
    for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    files = {name for name in files if not any(part.startswith(".") for part in name.split("/"))}  # locks
    assert set(listed) == files - {"SHA256SUMS"}
    assert all(hashlib.sha256((out / name).read_bytes()).hexdigest() == digest for name, digest in listed.items())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [book["slug"] for book in manifest["books"]] == ["gulls", "tides", "rope-notes"]


def test_a_second_build_skips_every_unchanged_book_and_a_fixed_book_joins(library):
    folder, out, _ = library
    again = run_cli(str(folder), "--out", str(out))
    assert again.returncode == 1 and again.stdout.count("up to date") == 3
    (folder / "books/wreck/chapters/two.md").write_text("# Two\n\nThe chart is lost.\n", encoding="utf-8")
    fixed = run_cli(str(folder), "--out", str(out))
    assert fixed.returncode == 0 and fixed.stdout.count("up to date") == 3, fixed.stdout + fixed.stderr
    assert feed_titles(out / "all.xml") == ["Gulls", "Tides", "Wreck", "Rope Notes"]


# --- on a Dask cluster ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster on this machine: a scheduler and two worker processes, each book tried
    on at most two workers (the first try and one more) before it counts as failed."""
    import dask
    from distributed import LocalCluster

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, scheduler_port=0, dashboard_address=None
        ) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def six_books(tmp_path_factory):
    """Six small books: four Octavo books (one broken), an mdBook, and one more with a resource list."""
    root = tmp_path_factory.mktemp("six")
    files = {
        "library.toml": '[library]\ntitle = "Six"\nbooks = ["books/*"]\n\n[defaults.pdf]\nrecto_chapters = false\n'
    }
    books = {
        name: octavo_book(name.title(), f"{name.title()} Author") for name in ("coves", "dunes", "fjords", "inlets")
    }
    books["wreck"] = {**octavo_book("Wreck", "Cy Moss"), "chapters/two.md": "# Two\n\n![A chart](gone.png)\n"}
    books["rope-notes"] = mdbook()
    for name, book in books.items():
        files.update({f"books/{name}/{path}": text for path, text in book.items()})
    return write_book(root / "library", files)


def tree(out) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(out).parts)
    }


def test_a_cluster_builds_the_library_byte_for_byte_as_the_local_pool_does(cluster, six_books, tmp_path):
    from octavo.library.build import build_library
    from octavo.library.config import load_library

    config = load_library(six_books)
    local = build_library(config, tmp_path / "local", jobs=2)
    remote = build_library(config, tmp_path / "cluster", scheduler=cluster.scheduler_address)
    assert [o.slug for o in remote.failed] == [o.slug for o in local.failed] == ["wreck"]
    assert "gone.png" in remote.failed[0].problems[0]
    built, expected = tree(tmp_path / "cluster"), tree(tmp_path / "local")
    assert built.keys() == expected.keys() and len(built) > 50
    assert [name for name in built if built[name] != expected[name]] == []
    again = build_library(config, tmp_path / "cluster", scheduler=cluster.scheduler_address)
    assert sorted(o.slug for o in again.outcomes if o.unchanged) == ["coves", "dunes", "fjords", "inlets", "rope-notes"]


def test_a_worker_killed_mid_book_has_the_book_built_on_another(cluster, six_books, tmp_path):
    import os
    import signal
    import threading
    import time

    from distributed import Client

    from octavo.library.build import build_library
    from octavo.library.config import load_library

    config, out = load_library(six_books), tmp_path / "killed"
    result = {}
    thread = threading.Thread(
        target=lambda: result.update(done=build_library(config, out, scheduler=cluster.scheduler_address))
    )
    with Client(cluster) as client:
        pids = client.run(os.getpid)
        thread.start()
        killed, deadline = None, time.monotonic() + 120
        while killed is None and time.monotonic() < deadline:
            started = {path.name.split(".")[1] for path in out.glob(".*.octavo-lock")} if out.is_dir() else set()
            for worker, keys in client.processing().items():  # keys: octavo-book-<n>-<slug>
                if any(key.split("-", 3)[3] in started for key in keys):
                    os.kill(pids[worker], signal.SIGKILL)  # mid-book: its output folder is locked
                    killed = worker
                    break
            time.sleep(0.05)
        thread.join(300)
    assert killed is not None
    outcomes = result["done"].outcomes
    assert [o.slug for o in outcomes if not o.built] == ["wreck"], [o.problems for o in outcomes if not o.built]
    assert all(
        (out / slug / "manifest.json").is_file() for slug in ("coves", "dunes", "fjords", "inlets", "rope-notes")
    )


def opds_problems(path) -> list[str]:
    """What the OPDS 1.2 grammar (RELAX NG) and RFC 4287's own rules (Schematron) find wrong."""
    from lxml import isoschematron

    schemas = ROOT / "tests" / "schemas" / "opds"
    document = etree.parse(str(path))
    grammar = etree.RelaxNG(etree.parse(str(schemas / "opds.rng")))
    rules = isoschematron.Schematron(etree.parse(str(schemas / "atom-rules.sch")))
    found = [] if grammar.validate(document) else [str(error) for error in grammar.error_log]
    return found + ([] if rules.validate(document) else [str(error) for error in rules.error_log])


def test_the_catalogues_validate_against_the_opds_and_atom_grammars(library):
    _, out, _ = library
    feeds = [*library_feeds(out), out / "tides" / "opds.xml"]
    assert len(feeds) >= 10
    for feed in feeds:
        assert opds_problems(feed) == [], feed
        root, kind = etree.parse(str(feed)).getroot(), self_type(feed)
        for entry in root.findall(f"{ATOM}entry"):  # what the grammar cannot say
            rels = [link.get("rel") for link in entry.findall(f"{ATOM}link")]
            if kind.endswith("kind=acquisition"):
                assert any(rel.startswith("http://opds-spec.org/acquisition") for rel in rels), feed
            else:
                assert any("opds-catalog" in link.get("type", "") for link in entry.findall(f"{ATOM}link")), feed
    broken = etree.parse(str(out / "opds.xml"))
    broken.getroot().remove(broken.getroot().find(f"{ATOM}updated"))
    broken.write(str(out.parent / "broken.xml"))
    assert opds_problems(out.parent / "broken.xml")  # the check can fail


def test_a_change_to_the_shared_settings_rebuilds_every_book(library):
    folder, out, _ = library
    settled = run_cli(str(folder), "--out", str(out))
    assert ": built" not in settled.stdout and "up to date" in settled.stdout  # nothing left to build
    toml = folder / "library.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[defaults.theme]\nname = "modern"\n', encoding="utf-8")
    changed = run_cli(str(folder), "--out", str(out))
    assert "up to date" not in changed.stdout and changed.stdout.count(": built") >= 3, changed.stdout
