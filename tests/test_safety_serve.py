"""`serve` shows the output folder to this machine only: no other Host (DNS rebinding), nothing
outside the folder, links included."""

from __future__ import annotations

import http.client
import sys

import pytest
from conftest import ROOT, serving, write_book

from octavo.commands.serve import host_name


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("LOCALHOST", "localhost"),
        ("[::1]:80", "[::1]"),
        ("evil.example:8000", "evil.example"),
    ],
)
def test_host_names(header, name):
    assert host_name(header) == name


@pytest.mark.slow
def test_serve_answers_only_locally_and_only_from_its_folder(tmp_path):
    folder = write_book(
        tmp_path / "book", {"book.toml": '[book]\ntitle = "S"\nlanguage = "en"\n', "chapters/a.md": "# A\n\nText.\n"}
    )
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-BESIDE-THE-OUTPUT")
    out = tmp_path / "out"
    with serving(
        [sys.executable, str(ROOT / "build.py"), "serve", str(folder), "--out", str(out), "--port", "0"]
    ) as served:
        port = int(served.base.rsplit(":", 1)[1])
        (out / "leak.txt").symlink_to(secret)
        (out / "html" / "up").symlink_to(tmp_path)

        def get(path: str, host: str = f"127.0.0.1:{port}") -> tuple[int, bytes]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Host": host})
            response = connection.getresponse()
            return response.status, response.read()

        assert get("/html/a.html")[0] == 200
        assert get("/html/a.html", host=f"localhost:{port}")[0] == 200
        assert get("/html/a.html", host="rebound.example")[0] == 403
        assert get("/html/a.html", host=f"evil.example:{port}")[0] == 403
        for path in ("/leak.txt", "/html/up/secret.txt", "/../secret.txt", "/html/../../secret.txt"):
            status, body = get(path)
            assert status == 404 and b"SECRET" not in body, path
