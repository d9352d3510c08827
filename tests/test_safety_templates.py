"""A book's templates are untrusted: they run in Jinja's sandbox, and whatever they try beyond
showing the values they are given is an error at the template's file and line."""

from __future__ import annotations

import pytest
from conftest import SAMPLE, read_book, run_cli

from octavo.errors import BookError
from octavo.formats.templating import make_environment

RESOURCES = '[[resource]]\nid = "k"\ntitle = "A Book"\n'
ESCAPES = [
    '{{ cycler.__init__.__globals__.os.popen("id").read() }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].system('id') }}",
    "{{ self._TemplateReference__context }}",
    "{% set x = items.append(1) %}",
    "{{ 'a' * 1000000000 }}",
    "{{ 9 ** 999999 }}",
]


def book_with_citation_template(tmp_path, template: str):
    """The citation template is rendered while the book is read, so no layout is needed."""
    return read_book(
        tmp_path,
        {
            "resources.toml": RESOURCES,
            "templates/partials/citation.html": f"x\n{template}\n",
            "chapters/a.md": "# A\n\nAs [@k] says.\n",
        },
    )


@pytest.mark.parametrize("template", ESCAPES)
def test_a_way_out_of_the_sandbox_is_an_error_at_the_templates_line(tmp_path, template):
    with pytest.raises(BookError) as failure:
        book_with_citation_template(tmp_path, template)
    [problem] = failure.value.problems
    assert problem.file.name == "citation.html" and problem.line == 2
    assert "not allowed" in problem.message or "too large" in problem.message


@pytest.mark.parametrize(
    ("template", "words"),
    [("{{ nothing_here }}", "'nothing_here' is undefined"), ("{% if %}", "Expected an expression")],
)
def test_mistakes_in_a_template_are_errors_at_its_line(tmp_path, template, words):
    with pytest.raises(BookError) as failure:
        book_with_citation_template(tmp_path, template)
    [problem] = failure.value.problems
    assert (problem.file.name, problem.line) == ("citation.html", 2)
    assert words in problem.message


def test_a_template_may_show_and_loop_over_what_it_is_given(tmp_path):
    template = "<cite>{% for resource, locator in items %}{{ resource.title | upper }}{{ locator }}{% endfor %}</cite>"
    book = read_book(
        tmp_path,
        {
            "resources.toml": RESOURCES,
            "templates/partials/citation.html": template,
            "chapters/a.md": "# A\n\nAs [@k] says.\n",
        },
    )
    assert "<cite>A BOOK</cite>" in book.chapters[0].html


def test_a_citation_template_that_gives_no_element_is_an_error(tmp_path):
    with pytest.raises(BookError) as failure:
        book_with_citation_template(tmp_path, "<b>one</b><b>two</b>")
    [problem] = failure.value.problems
    assert problem.file.name == "citation.html" and "well-formed" in problem.message


def test_the_built_in_templates_render_in_the_sandbox():
    env = make_environment(SAMPLE)
    assert type(env).__name__ == "BookEnvironment"
    for name in env.list_templates():
        env.get_template(name)  # every one compiles; rendering them is what every build test does


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])  # the web edition is made in the worker process, or not
def test_a_hostile_web_template_stops_the_build_and_runs_nothing(tmp_path, jobs):
    book = tmp_path / "book"
    run_cli("new", str(book), "--title", "Hostile")
    (book / "templates" / "web").mkdir(parents=True)
    (book / "templates" / "web" / "chapter.html").write_text(
        '{% extends "!base/web/chapter.html" %}\n'
        '{% block title %}{{ cycler.__init__.__globals__.os.popen("id").read() }}{% endblock %}\n'
    )
    out = tmp_path / "out"
    result = run_cli(str(book), "--out", str(out), "--jobs", jobs)
    assert result.returncode == 1
    assert f"{book / 'templates/web/chapter.html'}:2: error: template not allowed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_template_that_loops_too_long_is_stopped_at_its_line(tmp_path, monkeypatch):
    import time

    import octavo.formats.templating

    monkeypatch.setattr(octavo.formats.templating, "RENDER_SECONDS", 1)
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{{ '' }}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(BookError) as failure:
        book_with_citation_template(tmp_path, loop)
    assert time.monotonic() - started < 10
    [problem] = failure.value.problems
    assert problem.file.name == "citation.html" and problem.line == 2 and "ran for more than 1" in problem.message
