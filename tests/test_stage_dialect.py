"""GitHub's habits and callouts, in-process: lists nested as GitHub nests them, task lists, tables
with alignment, <details>, alerts and admonitions as asides with a translated label; code lines
cut into blocks for print."""

from __future__ import annotations

import lxml.html
import pytest
from conftest import BOOKS, chapter_root, read_book
from lxml import etree

from octavo.errors import BookError
from octavo.read.codelines import wrap_code_lines
from octavo.read.dialect import normalize_blocks


def depths(root) -> dict[str, int]:
    """Each list item's own text -> how many lists it stands in."""
    return {
        (item.text or "").strip() or item.xpath("string(p)").strip(): len(item.xpath("ancestor::ul | ancestor::ol"))
        for item in root.iter("li")
    }


def test_lists_nest_under_two_spaces_as_on_github(tmp_path):
    root = chapter_root(tmp_path, "- one\n  - two\n    - three\n- four\n\n1. a\n   1. b\n2. c")
    assert depths(root) == {"one": 1, "two": 2, "three": 3, "four": 1, "a": 1, "b": 2, "c": 1}


def test_lists_nested_under_four_spaces_still_nest(tmp_path):
    root = chapter_root(tmp_path, "1. First\n    - nested\n        1. deeper\n2. Second\n\n    More of the second.")
    assert depths(root) == {"First": 1, "nested": 2, "deeper": 3, "Second": 1}
    assert root.xpath("//ol/li[2]/p/text()") == ["Second", "More of the second."]


def test_a_fence_in_a_two_space_list_item_is_code_and_the_next_item_a_list_item(tmp_path):
    root = chapter_root(tmp_path, "- item\n\n  ```rust,ignore\n  fn x() {}\n      deeper\n  ```\n- next\n  - nested")
    code = root.xpath("//li//pre/code")
    assert len(code) == 1 and code[0].xpath("string()") == "fn x() {}\n    deeper\n"
    assert depths(root)["next"] == 1 and depths(root)["nested"] == 2


def test_code_and_rules_are_not_lists():
    text = "* * *\n\n    - indented code\n\n```\n- in a fence\n  - still\n```"
    assert normalize_blocks(text).split("\n")[:6] == ["* * *", "", "    - indented code", "", "```", "- in a fence"]


def test_task_lists_are_drawn_boxes_with_their_state_as_text(tmp_path):
    root = chapter_root(tmp_path, "- [x] done it\n- [ ] to do\n- plain")
    boxes = root.xpath("//li/span[contains(@class, 'task-box')]")
    assert [(b.get("class"), b.get("role"), b.get("aria-label")) for b in boxes] == [
        ("task-box task-done", "img", "Done"),
        ("task-box", "img", "Not done"),
    ]
    assert not root.xpath("//input") and "[x]" not in root.xpath("string()")


def test_table_columns_keep_their_alignment(tmp_path):
    root = chapter_root(tmp_path, "| L | C | R |\n|:--|:-:|--:|\n| a | b | c |")
    styles = [cell.get("style", "").replace(" ", "").rstrip(";") for cell in root.xpath("//tbody//td")]
    assert styles == ["text-align:left", "text-align:center", "text-align:right"]


def test_details_read_markdown_inside(tmp_path):
    root = chapter_root(tmp_path, "<details>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>")
    assert root.xpath("//details/summary/text()") == ["More"]
    assert root.xpath("//details/p/em/text()") == ["text"]


ALERTS = "\n\n".join(
    f"> [!{kind}]\n> Text of the {kind.lower()}." for kind in ("NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION")
)


def test_github_alerts_are_asides_with_a_role_and_a_label(tmp_path):
    root = chapter_root(tmp_path, ALERTS)
    asides = root.xpath("//aside")
    assert [(a.get("class"), a.get("role"), a.get("aria-label")) for a in asides] == [
        ("callout callout-note", "note", "Note"),
        ("callout callout-tip", "doc-tip", "Tip"),
        ("callout callout-important", "note", "Important"),
        ("callout callout-warning", "note", "Warning"),
        ("callout callout-caution", "note", "Caution"),
    ]
    assert asides[0].xpath("string(p[@class='callout-title'])") == "Note"
    assert asides[1].xpath("string(p[2])") == "Text of the tip."
    assert "[!" not in root.xpath("string()")


def test_admonitions_keep_their_title_beside_the_label(tmp_path):
    root = chapter_root(
        tmp_path, '!!! warning "Mind the *gap*"\n    Between the train and the platform.\n\n!!! hint\n    A hint.'
    )
    first, second = root.xpath("//aside")
    assert first.get("class") == "callout callout-warning" and first.get("aria-label") == "Warning: Mind the gap"
    assert first.xpath("string(.//span[@class='callout-name'])") == "Mind the gap"
    assert first.xpath(".//span[@class='callout-name']/em/text()") == ["gap"]
    assert second.get("class") == "callout callout-tip" and second.xpath("string(p[1])") == "Tip"


@pytest.mark.parametrize(("language", "label"), [("fr", "Avertissement"), ("de", "Warnung"), ("ru", "Предупреждение")])
def test_callout_labels_speak_the_books_language(tmp_path, language, label):
    root = chapter_root(tmp_path, "> [!WARNING]\n> Attention.", language=language)
    assert root.xpath("string(//span[@class='callout-label'])") == label


def test_code_lines_become_blocks_with_a_hanging_indent():
    html = (
        '<pre><code><span class="linenos" data-linenos="1 "></span><span class="k">if</span> x:\n'
        '<span class="linenos" data-linenos="2 "></span>    <span class="s">"two\nlines"</span>\n\nend\n</code></pre>'
    )
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    wrap_code_lines(root)
    lines = root.xpath("//code/span[@class='line']")
    assert [line.xpath("string()") for line in lines] == ["if x:", '    "two', 'lines"', "", "end"]
    assert [line.get("style").split(";")[0] for line in lines] == [
        "--hang:4ch",
        "--hang:8ch",
        "--hang:2ch",
        "--hang:2ch",
        "--hang:2ch",
    ]
    assert [s.get("class") for s in lines[1].iter("span")][1:] == ["linenos", "s"]
    assert lines[2].xpath("span/@class") == ["s"]  # the string token is continued on its second line
    assert etree.tostring(lines[3]).startswith(b'<span class="line"')


NUMBERED = """![A lens](lens.png "The lens"){#fig-lens}

| Fruit | Price |
|-------|------:|
| pear  | 1.20  |

Table: Prices in *euros* {#tbl-prices}

Table: Before its table

| a | b |
|---|---|
| 1 | 2 |

| x | y |
|---|---|
| 3 | 4 |

: The short form {#tbl-short}

```python {#lst-setup title="setup.py"}
print("set up")
```

```{#lst-plain .sh}
make
```

See [](#tbl-prices), [](#tbl-short), [](#lst-setup), [](#lst-plain) and [](#fig-lens).
"""


def test_tables_and_listings_are_numbered_and_referred_to_by_number(tmp_path):
    (tmp_path / "chapters").mkdir(parents=True)
    (tmp_path / "chapters" / "lens.png").write_bytes((BOOKS / "manuscript" / "cover.png").read_bytes())
    root = chapter_root(tmp_path, NUMBERED)
    captions = [c.xpath("string()") for c in root.xpath("//table/caption")]
    assert captions == ["Table 1. Prices in euros", "Table 2. Before its table", "Table 3. The short form"]
    assert root.xpath("//table/@id") == ["tbl-prices", "tbl-short"]
    assert root.xpath("//table[1]/caption/em/text()") == ["euros"]
    assert "Table:" not in root.xpath("string()") and "{#" not in root.xpath("string()")
    listings = root.xpath("//figure[@class='listing']")
    assert [f.get("id") for f in listings] == ["lst-setup", "lst-plain"]
    assert [f.xpath("string(figcaption)") for f in listings] == ["Listing 1. setup.py", "Listing 2"]
    assert listings[0].xpath(".//pre/code//span[@class='nb']/text()") == ["print"]
    assert not listings[0].xpath(".//span[@class='filename']")
    references = [(a.get("class"), a.get("href"), a.text) for a in root.xpath("//p[last()]/a")]
    assert references == [
        ("xref xref-table", "#tbl-prices", "table 1"),
        ("xref xref-table", "#tbl-short", "table 3"),
        ("xref xref-listing", "#lst-setup", "listing 1"),
        ("xref xref-listing", "#lst-plain", "listing 2"),
        ("xref xref-figure", "#fig-lens", "figure 1"),
    ]
    assert all(a.get("data-page") == "page" for a in root.xpath("//p[last()]/a"))


# Habits GitHub renders one way and a careless re-indenting pass would break.


def test_a_fence_right_after_a_line_of_text_is_a_listing(tmp_path):
    root = chapter_root(tmp_path, "Save this as a.py:\n```python {#lst-a}\nprint(1)\n```\n\nSee [](#lst-a).")
    assert root.xpath("//figure[@id='lst-a']") and root.xpath("//a[@class='xref xref-listing']/text()") == ["listing 1"]
    assert root.xpath("//p[1]/text()") == ["Save this as a.py:"]


def test_code_and_raw_pre_are_not_rewritten(tmp_path):
    text = (
        "Use the `<details>` element.\n\n```html\n<details>\n$$ {#eq-energy}\n```\n\n"
        "<pre>\n- a\n  - b\n</pre>\n\n    $$ {#eq-code}"
    )
    html = read_book(tmp_path, {"chapters/a.md": f"# A\n\n{text}\n"}).chapters[0].html
    assert 'markdown="1"' not in html and "\\label" not in html
    assert "&lt;details&gt;" in html and "$$ {#eq-energy}" in html and "\n  - b\n" in html


def test_an_item_with_two_paragraphs_is_followed_by_the_next_item(tmp_path):
    root = chapter_root(tmp_path, "1. First\n\n   More about first.\n2. Second\n3. Third")
    assert [item.xpath("string(p[1])") or item.text for item in root.xpath("//ol/li")] == ["First", "Second", "Third"]


def test_a_quote_or_a_table_directly_under_item_text_stays_in_the_item(tmp_path):
    root = chapter_root(tmp_path, "- a\n  > quote in item\n- b\n  | x | y |\n  |---|---|\n  | 1 | 2 |")
    assert root.xpath("//ul/li[1]/blockquote/p/text()") == ["quote in item"]
    assert root.xpath("//ul/li[2]/table//td/text()") == ["1", "2"]


def test_a_wrapped_line_that_starts_with_a_year_is_no_list(tmp_path):
    root = chapter_root(tmp_path, "- The event first happened in\n  2019. Then it was repeated.\n\nIn\n1984. It was.")
    assert not root.xpath("//ol") and "2019. Then it was repeated." in root.xpath("string(//li)")


def test_lists_numbered_with_a_parenthesis_are_lists(tmp_path):
    root = chapter_root(tmp_path, "1) one\n2) two\n   - nested")
    assert depths(root) == {"one": 1, "two": 1, "nested": 2}


def test_captions_written_before_their_tables_stay_with_them(tmp_path):
    table = "| a |\n|---|\n| {} |"
    text = f"Table: Prices {{#tbl-prices}}\n\n{table.format(1)}\n\nTable: Costs {{#tbl-costs}}\n\n{table.format(2)}"
    root = chapter_root(tmp_path, text)
    assert [(t.get("id"), t.xpath("string(caption)"), t.xpath("string(.//td)")) for t in root.xpath("//table")] == [
        ("tbl-prices", "Table 1. Prices", "1"),
        ("tbl-costs", "Table 2. Costs", "2"),
    ]


def test_raw_html_that_looks_like_a_formula_is_left_alone(tmp_path):
    text = 'Empty: <span class="arithmatex"></span> and <span class="arithmatex">docs</span>.'
    html = read_book(tmp_path, {"chapters/a.md": f"# A\n\n{text}\n"}).chapters[0].html
    assert "<math" not in html and ">docs</span>" in html


def test_a_listing_with_a_control_character_keeps_its_number(tmp_path):
    root = chapter_root(tmp_path, "```text {#lst-out}\nred\x1b[31m text\x0c\n```\n\nSee [](#lst-out).")
    assert root.xpath("//figure[@id='lst-out']//code") and "listing 1" in root.xpath("string(//p)")


def test_one_id_given_twice_is_an_error_where_the_second_is(tmp_path):
    text = "$$a \\label{eq-a}$$\n\nText.\n\n$$b \\label{eq-a}$$\n\nSee [](#eq-a)."
    with pytest.raises(BookError) as raised:
        chapter_root(tmp_path, text)
    (problem,) = raised.value.problems
    assert "the id 'eq-a' is given to two things" in problem.message and problem.line == 7
