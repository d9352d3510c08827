"""Includes, in-process on tiny books: both syntaxes, ranges and regions, nesting, and every refusal
reported at the including file's line with nothing read from outside the book."""

from __future__ import annotations

import os

import markdown
import pytest

from octavo.errors import ProblemCollector
from octavo.read.includes import MAX_DEPTH, expand_includes

APP = "def a():\n    # --8<-- [start:setup]\n    x = 1\n    # --8<-- [end:setup]\n    return x\n"
ANCHORED = "fn main() {\n    // ANCHOR: body\n    let x = 1;\n    // ANCHOR_END: body\n}\n"
FIVE = "one\ntwo\nthree\nfour\nfive\n"


def write(root, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def expand(tmp_path, text: str, files: dict[str, str | bytes] | None = None, chapter: str = "chapters/a.md"):
    root = tmp_path / "book"
    write(root, {**(files or {}), chapter: text})
    problems = ProblemCollector()
    return expand_includes(text, root / chapter, root, problems), problems


def messages(problems: ProblemCollector) -> list[tuple[str, int | None]]:
    return [(p.message, p.line) for p in problems.problems]


def test_text_without_directives_is_returned_as_it_is(tmp_path):
    text = "# A\n\nProse with {{ braces }} and a <- arrow.\n\n```\ncode\n```\n"
    result, problems = expand(tmp_path, text)
    assert result.text is text
    assert result.inputs == ()
    assert not problems.problems


@pytest.mark.parametrize(
    "directive", ['--8<-- "../src/five.txt"', "--8<-- '../src/five.txt'", "{{#include ../src/five.txt}}"]
)
def test_a_whole_file_is_included_and_its_last_newline_ends_its_last_line(tmp_path, directive):
    result, problems = expand(tmp_path, f"# A\n\n{directive}\n\nAfter.\n", {"src/five.txt": FIVE})
    assert result.text == "# A\n\none\ntwo\nthree\nfour\nfive\n\nAfter.\n"
    assert not problems.problems


@pytest.mark.parametrize(
    ("spec", "lines"),
    [
        ('--8<-- "five.txt:2:3"', "two three"),
        ('--8<-- "five.txt:4:"', "four five"),
        ('--8<-- "five.txt::2"', "one two"),
        ('--8<-- "five.txt:4"', "four five"),  # pymdownx: from line 4 to the end
        ('--8<-- "five.txt:1:1,5:5"', "one five"),
        ('--8<-- "five.txt:-2:"', "four five"),
        ("{{#include five.txt:2}}", "two"),  # mdBook: line 2 only
        ("{{#include five.txt::2}}", "one two"),
        ("{{#include five.txt:4:}}", "four five"),
        ("{{#include five.txt:2:3}}", "two three"),
        ('{{#include "five.txt":2:3}}', "two three"),
        ("{{#rustdoc_include five.txt:2:3}}", "two three"),
    ],
)
def test_line_ranges_of_both_syntaxes(tmp_path, spec, lines):
    result, problems = expand(tmp_path, spec, {"chapters/five.txt": FIVE})
    assert result.text.split("\n") == lines.split()
    assert not problems.problems


def test_named_regions_of_both_syntaxes_leave_their_markers_out(tmp_path):
    files = {"chapters/app.py": APP, "chapters/main.rs": ANCHORED}
    result, problems = expand(tmp_path, '--8<-- "app.py:setup"\n{{#include main.rs:body}}', files)
    assert result.text == "    x = 1\n    let x = 1;"
    assert not problems.problems


def test_markers_of_other_regions_and_all_anchor_lines_are_dropped(tmp_path):
    nested = "# --8<-- [start:outer]\na\n# --8<-- [start:inner]\nb\n# --8<-- [end:inner]\n# --8<-- [end:outer]\n"
    files = {"chapters/n.py": nested, "chapters/main.rs": ANCHORED}
    result, _ = expand(tmp_path, '--8<-- "n.py:outer"\n--8<-- "n.py"\n{{#include main.rs}}', files)
    assert result.text.split("\n") == ["a", "b", "a", "b", "fn main() {", "    let x = 1;", "}"]


def test_indentation_is_kept_on_every_line_inside_a_list_item(tmp_path):
    text = '- Step one:\n\n    ```python\n    --8<-- "app.py"\n    ```\n'
    result, _ = expand(tmp_path, text, {"chapters/app.py": "def a():\n    return 1\n"})
    assert result.text == "- Step one:\n\n    ```python\n    def a():\n        return 1\n    ```\n"


@pytest.mark.parametrize("directive", ["{{#include main.rs}}", '--8<-- "main.rs"'])
def test_an_include_inside_a_fenced_code_block_fills_it(tmp_path, directive):
    result, _ = expand(tmp_path, f"```rust\n{directive}\n```\n", {"chapters/main.rs": "fn main() {}\n"})
    assert result.text == "```rust\nfn main() {}\n```\n"


def test_an_inline_mdbook_include_repeats_what_precedes_it(tmp_path):
    result, _ = expand(tmp_path, "> {{#include q.md}}\n", {"chapters/q.md": "Quoted\nlines\n"})
    assert result.text == "> Quoted\n> lines\n"


def test_nested_includes_take_paths_from_their_own_folder(tmp_path):
    files = {
        "chapters/parts/intro.md": "Intro:\n\n```\n{{#include code/hi.py}}\n```\n",
        "chapters/parts/code/hi.py": "print('hi')\n",
    }
    result, problems = expand(tmp_path, '--8<-- "parts/intro.md"\n', files)
    assert result.text == "Intro:\n\n```\nprint('hi')\n```\n"
    assert not problems.problems


def test_inputs_are_every_file_read_resolved_once_in_first_read_order(tmp_path):
    files = {"chapters/b.md": '--8<-- "c.txt"\n', "chapters/c.txt": "c\n", "src/d.txt": "d\n"}
    text = '--8<-- "b.md"\n--8<-- "../src/d.txt"\n--8<-- "c.txt"\n'
    result, _ = expand(tmp_path, text, files)
    book = (tmp_path / "book").resolve()
    assert result.inputs == (book / "chapters/b.md", book / "chapters/c.txt", book / "src/d.txt")


def test_a_cycle_is_an_error_that_names_the_chain(tmp_path):
    files = {"chapters/b.md": 'B\n--8<-- "c.md"\n', "chapters/c.md": "C\n{{#include a.md}}\n"}
    result, problems = expand(tmp_path, 'A\n--8<-- "b.md"\n', files)
    [problem] = problems.problems
    assert "chapters/a.md -> chapters/b.md -> chapters/c.md -> chapters/a.md" in problem.message
    assert problem.file.name == "c.md" and problem.line == 2
    assert "included from chapters/b.md:2 <- chapters/a.md:2" in problem.message
    assert result.text == "A\nB\nC\n"


def test_includes_nested_deeper_than_the_limit_are_an_error(tmp_path):
    files = {f"chapters/{n}.md": f'{n}\n--8<-- "{n + 1}.md"\n' for n in range(1, MAX_DEPTH + 2)}
    result, problems = expand(tmp_path, '--8<-- "1.md"\n', files)
    [problem] = problems.problems  # in the file at depth 8, which would include a ninth
    assert (problem.file.name, problem.line) == (f"{MAX_DEPTH}.md", 2)
    assert problem.message.startswith("the includes are nested more than 8 deep")
    assert result.text.split("\n") == [str(n) for n in range(1, MAX_DEPTH + 1)] + [""]


def test_a_missing_file_is_reported_at_its_line_and_the_build_goes_on(tmp_path):
    text = '# A\n\n--8<-- "nope.py"\n\n    {{#include also-nope.rs}}\n--8<-- "five.txt:1:1"\n'
    files = {"chapters/five.txt": FIVE}
    result, problems = expand(tmp_path, text, files)
    assert messages(problems) == [("there is no file 'nope.py'", 3), ("there is no file 'also-nope.rs'", 5)]
    assert problems.problems[1].column == 5
    assert problems.problems[0].file == tmp_path / "book/chapters/a.md"
    assert result.text == "# A\n\n\none\n"  # each refused directive is replaced by nothing


def test_a_missing_file_written_from_the_book_folder_gets_the_right_path_as_a_hint(tmp_path):
    _, problems = expand(tmp_path, '--8<-- "src/app.py"\n', {"src/app.py": APP})
    assert "did you mean '../src/app.py'?" in problems.problems[0].hint


def test_nothing_is_read_from_outside_the_book(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n")
    root = tmp_path / "book"
    write(root, {"chapters/x": ""})
    os.symlink(secret, root / "chapters/link.txt")
    os.symlink(tmp_path, root / "chapters/up")
    text = (
        '--8<-- "../../secret.txt"\n'
        f'--8<-- "{secret}"\n'
        "{{#include link.txt}}\n"
        '--8<-- "up/secret.txt"\n'
        '--8<-- "../../nothing-there.txt"\n'
    )
    problems = ProblemCollector()
    result = expand_includes(text, root / "chapters/a.md", root, problems)
    assert [line for _, line in messages(problems)] == [1, 2, 3, 4, 5]
    assert all(message.endswith("is outside the book folder") for message, _ in messages(problems))
    assert "SECRET" not in result.text
    assert result.inputs == ()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ('--8<-- "five.txt:4:2"', "line range '4:2' of 'five.txt' ends before it starts"),
        ("{{#include five.txt:20:30}}", "line range '20:30' of 'five.txt' goes past its end: it has 5 lines"),
        ("{{#include five.txt:6}}", "line range '6' of 'five.txt' goes past its end: it has 5 lines"),
        ('--8<-- "five.txt:2:9"', "line range '2:9' of 'five.txt' goes past its end: it has 5 lines"),
        ('--8<-- "five.txt:0:2"', "line range '0:2' of 'five.txt' has a line 0"),
        ('--8<-- "five.txt:-9:"', "line range '-9:' of 'five.txt' counts back past its first line: it has 5 lines"),
        ("{{#include five.txt:2:x}}", "'x' is not a line number"),
        ('--8<-- "app.py:nope"', "'app.py' has no region 'nope'"),
        ("{{#include main.rs:nope}}", "'main.rs' has no region 'nope'"),
        ('--8<-- "bad.txt"', "'bad.txt' is not UTF-8 text (line 2)"),
        ('--8<-- "sub"', "'sub' is a folder"),
    ],
)
def test_a_bad_request_is_an_error_at_the_directive(tmp_path, spec, message):
    files = {
        "chapters/five.txt": FIVE,
        "chapters/app.py": APP,
        "chapters/main.rs": ANCHORED,
        "chapters/bad.txt": b"ok\n\xff\n",
        "chapters/sub/x.txt": "x",
    }
    result, problems = expand(tmp_path, f"Before.\n{spec}\n", files)
    assert messages(problems) == [(message, 2)]
    assert problems.problems[0].hint
    assert result.text == "Before.\n"


def test_unknown_regions_list_the_regions_there_are(tmp_path):
    _, problems = expand(tmp_path, '--8<-- "app.py:setpu"\n', {"chapters/app.py": APP})
    assert problems.problems[0].hint == "its regions are: setup"


def test_a_region_without_an_end_runs_to_the_end_with_a_warning(tmp_path):
    files = {"chapters/main.rs": "a\n// ANCHOR: open\nb\nc\n"}
    result, problems = expand(tmp_path, "{{#include main.rs:open}}\n", files)
    assert result.text == "b\nc\n"
    assert not problems.problems
    assert [w.message for w in problems.warnings] == [
        "region 'open' of 'main.rs' has no end, so it runs to the end of the file"
    ]


def test_escaped_directives_show_the_syntax(tmp_path):
    text = '```\n;--8<-- "app.py"\n# ;--8<-- [start:x]\n\\{{#include app.py}}\n'
    text += "```\n"
    result, problems = expand(tmp_path, text, {"chapters/app.py": APP})
    assert result.text == ('```\n--8<-- "app.py"\n# --8<-- [start:x]\n{{#include app.py}}\n```\n')
    assert not problems.problems


def test_the_block_form_takes_one_path_a_line(tmp_path):
    files = {"chapters/a.txt": "A\n", "chapters/b.txt": "B\n"}
    result, problems = expand(tmp_path, "--8<--\na.txt\n;b.txt\nb.txt\n--8<--\n\n--8<--\nnever closed\n", files)
    assert result.text == "A\nB\n\n--8<--\nnever closed\n"
    assert messages(problems) == [("a block of included paths opened with --8<-- is never closed", 7)]


def test_an_include_bomb_stops_at_the_size_limit(tmp_path):
    line = "x" * 99 + "\n"
    files = {"chapters/big.txt": line * 10_000, "chapters/ten.md": '--8<-- "big.txt"\n' * 10}  # 10 MB
    result, problems = expand(tmp_path, 'Intro.\n--8<-- "ten.md"\n--8<-- "ten.md"\n', files)
    assert messages(problems) == [("the includes add more than 5 MB to this chapter", 2)]
    assert len(result.text) < 1_000


@pytest.mark.parametrize(
    "spec", ["", ":2:4", ":3:", "::2", ":2", ":1:2,9:10", ":-2:", "::-3", ":setup", ":inner", ":dup"]
)
def test_snippet_lines_and_regions_are_those_pymdownx_takes(tmp_path, spec):
    region = "l1\nl2\n# --8<-- [start:setup]\nl4\n# --8<-- [start:inner]\nl6\n# --8<-- [end:inner]\n"
    region += "# ;--8<-- [end:x]\n# --8<-- [end:setup]\n# --8<-- [start:dup]\nd1\n# --8<-- [start:dup]\nd2\n"
    content = region + "# --8<-- [end:dup]\nl16"  # no final newline: pymdownx would count one more line
    line = f'  --8<-- "g.txt{spec}"'
    result, problems = expand(tmp_path, line, {"chapters/g.txt": content})
    snippets = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": {"base_path": [str(tmp_path / "book/chapters")], "check_paths": True}},
    )
    assert result.text.split("\n") == snippets.preprocessors["snippet"].run([line])
    assert not problems.problems


def test_long_lines_that_almost_hold_a_directive_cost_little(tmp_path):
    lines = ["-" * 200_000 + "8<x", ";" * 100_000 + "-" * 100_000 + "8< [start:x", "{{#include a " * 20_000]
    result, problems = expand(tmp_path, "\n".join(lines))  # a pattern that backtracked would take hours
    assert result.text == "\n".join(lines)
    assert not problems.problems


def test_a_book_reads_its_includes_and_reports_a_broken_one_at_its_line(tmp_path):
    from conftest import read_book

    from octavo.errors import BookError

    files = {
        "chapters/a.md": '# A\n\n```python\n--8<-- "../src/app.py:setup"\n```\n\n{{#include ../src/notes.md}}\n',
        "src/app.py": "# --8<-- [start:setup]\nSETUP = True\n# --8<-- [end:setup]\nOTHER = 1\n",
        "src/notes.md": "Included *prose*.\n",
    }
    book = read_book(tmp_path / "ok", files)
    html = book.chapters[0].html
    assert "SETUP" in html and "OTHER" not in html and "<em>prose</em>" in html
    files["chapters/a.md"] = "# A\n\nText.\n\n{{#include ../src/missing.md}}\n"
    with pytest.raises(BookError) as raised:
        read_book(tmp_path / "broken", files)
    (problem,) = raised.value.problems
    assert problem.file.name == "a.md" and problem.line == 5 and "missing.md" in problem.message
