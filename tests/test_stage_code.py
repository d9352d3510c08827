"""Code as technical books write it, in-process: fences in every dialect, Pygments' classes,
line numbers and titles; GitHub's strike-through and bare links."""

from __future__ import annotations

import pytest
from conftest import chapter_root

from octavo.read.dialect import normalize_blocks
from octavo.read.fences import normalized_info


@pytest.mark.parametrize(
    ("info", "normal"),
    [
        ("rust,ignore", "rust"),
        ("rust,no_run,edition2021", "rust"),
        ('js title="hello.js"', 'js title="hello.js"'),
        ("{.python .numberLines}", 'python linenums="1"'),
        ('{.python .numberLines title="a b.py"}', 'python title="a b.py" linenums="1"'),
        ("python linenums='1'", 'python linenums="1"'),
        ("", ""),
        ("c++", "c++"),
    ],
)
def test_info_strings_of_every_dialect_become_one(info, normal):
    assert normalized_info(info) == normal


def test_only_opening_fences_are_rewritten():
    text = '```rust,ignore\nlet s = "```not a fence";\n```\n\n~~~~ {.py}\n~~~\n~~~~\n'
    assert normalize_blocks(text).split("\n") == [
        "```rust",
        'let s = "```not a fence";',
        "```",
        "",
        "",
        "~~~~py",
        "~~~",
        "~~~~",
        "",
        "",
    ]


def test_a_fence_with_extras_is_code_and_the_prose_after_it_is_prose(tmp_path):
    root = chapter_root(tmp_path, '```rust,ignore\nfn main() { println!("hi"); }\n```\n\nProse again.')
    assert root.xpath("//div[contains(@class, 'language-rust')]//span[@class='k']/text()") == ["fn"]
    assert root.xpath("//p/text()") == ["Prose again."]


def test_highlighting_is_css_classes_with_titles_and_line_numbers(tmp_path):
    text = '~~~ {.python .numberLines title="count.py"}\nfor n in range(3):\n    print(n)  # note\n~~~'
    root = chapter_root(tmp_path, text)
    block = root.xpath("//div[contains(@class, 'highlight')]")[0]
    assert block.xpath(".//span[@class='filename']/text()") == ["count.py"]
    assert [n.get("data-linenos").strip() for n in block.xpath(".//span[@class='linenos']")] == ["1", "2"]
    assert block.xpath(".//span[@class='c1']/text()") == ["# note"]
    assert not block.xpath(".//@style")  # colours come from the theme's stylesheet, not inline


def test_an_unknown_language_is_plain_code(tmp_path):
    root = chapter_root(tmp_path, "```nosuchlanguage\nsome <code> & more\n```")
    assert root.xpath("string(//pre/code)") == "some <code> & more\n"


def test_strike_through_and_bare_links(tmp_path):
    root = chapter_root(tmp_path, "~~gone~~ and a ~single tilde, see https://example.org/docs.")
    assert root.xpath("//del/text()") == ["gone"]
    assert "~single tilde" in root.xpath("string(//p)")
    assert root.xpath("//a/@href") == ["https://example.org/docs"]


def test_a_print_line_with_a_run_too_long_for_the_page_may_break_inside_it():
    import lxml.html

    from octavo.read.codelines import wrap_code_lines

    run = "seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);"
    root = lxml.html.fragment_fromstring(f"<pre><code>let a = 1;\nlet next = {run}\n</code></pre>", create_parent="div")
    wrap_code_lines(root)
    first, second = root.xpath("//span[contains(@class, 'line')]")[:2]
    assert first.get("class") == "line" and second.get("class") == "line long-run"
    assert "".join(second.itertext()) == f"let next = {run}"  # nothing inserted: copying gives the code


def test_a_paragraph_that_introduces_a_block_stays_with_it_in_print():
    import lxml.html

    from octavo.formats.pdf.layout import mark_lead_ins

    html = (
        "<p>Try it yourself:</p><div class='highlight'><pre><code>x</code></pre></div>"
        "<p>A list follows:</p><ul><li>a</li></ul><p>Not a lead-in.</p><pre>y</pre><p>Ends here:</p>"
    )
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    mark_lead_ins(root)
    assert [p.get("class") for p in root.iter("p")] == ["lead-in", "lead-in", None, None]
