"""Raw HTML as it appears in real READMEs, manuals and book chapters, written for these tests: the
property test in test_rawhtml_property.py puts random sequences of these snippets into chapters and
asks that a build that exits 0 gives an EPUB EPUBCheck accepts.

Each snippet is a block (it stands between blank lines). `mark.png` is an image of the test book.
"""

from __future__ import annotations

SNIPPETS = [
    # Centred logos and badges, as a README's head has them
    '<p align="center">\n  <img src="mark.png" alt="Logo" width="120">\n</p>',
    '<h1 align="center">A Project</h1>',
    '<div align="center">\n\n**Bold in a centred block** and [a link](https://example.org).\n\n</div>',
    '<p align="center"><a href="https://example.org"><img src="mark.png" alt="badge" height="20"></a></p>',
    "<center><b>Centred</b> with an old element</center>",
    '<img align="right" src="mark.png" width="15%" alt="Floated right" hspace="10" vspace="5">',
    '<img src="mark.png" width="50%">',
    '<img src="https://example.org/remote.png" alt="remote">',
    '<a href="https://example.org"><img src="https://example.org/badge.svg"></a>',
    # Presentational markup
    '<font color="red" size="4">Red words</font> in a line.',
    '<table border="1" width="80%" cellpadding="4" bgcolor="#eeeeee">\n<tr><th>A</th><th>B</th></tr>\n'
    '<tr><td align="right">1</td><td valign="top">2</td></tr>\n</table>',
    "<tt>typewriter</tt>, <strike>struck</strike>, <big>big</big> and <u>underlined</u>.",
    '<hr width="50%" size="3" noshade>',
    # Content models browsers forgive
    "<span><div>a block inside an inline element</div></span>",
    "Inline <em>emphasis with <p>a paragraph</p> inside</em> here.",
    "<p><div>a div in a paragraph</div></p>",
    '<figure><img src="mark.png" alt="x"><br><figcaption>Caption</figcaption><figcaption>Another</figcaption></figure>',
    "<ul><li>one<li>two</ul>",
    "<li>an item outside any list</li>",
    "<p>Para with <br/> a break and <hr> a rule</p>",
    '<a href="#top"><h2>Heading in a link</h2></a>',
    "<table><tr><td><ul><li>list in a cell</li></ul></td></tr></table>",
    "<table><td>cells with no row</td></table>",
    "<dl><dt>Term</dt><dd>Definition</dd><dd>Another</dd></dl>",
    "<blockquote><p>Quote</p><cite>Someone</cite></blockquote>",
    "<p>unclosed paragraph\n\n<p>and another",
    "</div> a stray end tag",
    # Interactive and unknown elements
    "<details><summary><b>Click</b></summary>\n\nHidden **text**.\n\n</details>",
    "<details open>\n<summary>Open</summary>\n\n- a list\n- inside\n\n</details>",
    "<kbd>Ctrl</kbd>+<kbd>C</kbd> copies; <samp>output</samp>; <var>x</var>.",
    '<button>Press</button> <input type="text" value="x"> <select><option>a</option></select>',
    "<custom-element>unknown element's text</custom-element>",
    '<x-note type="info">Another unknown</x-note>',
    "<marquee>moving text</marquee>",
    # Anchors and ids
    '<a name="anchor-here"></a>',
    '<a id="legacy"></a>Text after an id anchor.',
    '<span id="a-span">A span with an id</span> and [a link to it](#a-span).',
    '<h3 id="dup">One</h3>\n\n<h3 id="dup">Two with the same id</h3>',
    # Media
    '<picture><source srcset="mark.png" media="(prefers-color-scheme: dark)">'
    '<img src="mark.png" alt="themed"></picture>',
    '<video src="clip.mp4" controls>A video</video>',
    '<audio controls><source src="a.mp3"></audio>',
    '<iframe src="https://example.org/embed" width="560" height="315"></iframe>',
    '<svg width="20" height="20"><circle cx="10" cy="10" r="8" fill="teal"/></svg>',
    # Text-level oddities
    'Sub<sub>script</sub> and super<sup>script</sup>, <abbr title="HyperText">HTML</abbr>, <mark>marked</mark>.',
    "Entities: &nbsp;&copy;&mdash;&hellip;&#x1F600; &unknown; & alone",
    "<!-- a comment -->Text after a comment.",
    '<p style="color: red; position: fixed">inline styles</p>',
    '<div class="note" onclick="alert(1)">an event handler</div>',
    "<script>alert(1)</script>",
    "<style>p { color: red }</style>",
    "<br><br><br>",
    "<p></p>",
    '<a href="javascript:alert(1)">a script link</a>',
    '<a href="../CONTRIBUTING.md">a link to a file of the book that is no chapter</a>',
    "<ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>",
    '<bdi>مرحبا</bdi> and <span dir="rtl" lang="he">שלום</span>',
    "<wbr>long<wbr>word<wbr>",
    '<object data="movie.swf"><embed src="movie.swf"></object>',
    '<form action="/x"><label>Name <input name="n"></label></form>',
    "<math><mi>x</mi><mo>=</mo><mn>1</mn></math>",
    "<center>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n</center>",
]
