"""Raw HTML that tries to run script or fetch from elsewhere: the classic filter-evasion vectors
(entities, tabs and case in `javascript:`, SVG and MathML parsing tricks, CSS escapes) and the ones
found against Octavo. `ORIGIN` stands for a listener on 127.0.0.1 that must never be contacted."""

from __future__ import annotations

ORIGIN = "http://127.0.0.1:PORT"

VECTORS = [
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('onerror')>",
    "<IMG SRC=\"jav&#x09;ascript:alert('entity tab');\">",
    "<a href=\"java&#9;script:alert('tab')\">tab</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('decimal')\">decimal</a>",
    "<a href=\" JaVaScRiPt:alert('case')\">case</a>",
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "<svg onload=alert('svg onload')></svg>",
    "<svg><script>alert('svg script')</script></svg>",
    "<svg><style><img src=x onerror=alert('svg style')></style></svg>",
    '<svg><a xlink:href="javascript:alert(\'svg link\')"><text y="20">svg link</text></a></svg>',
    '<svg><animate attributeName="href" values="javascript:alert(\'animate\')"/></svg>',
    '<svg><a><set attributeName="href" to="javascript:alert(\'set\')"/><text y="20">set</text></a></svg>',
    "<form><button formaction=\"java&#9;script:alert('formaction')\">go</button></form>",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe>",
    "<object data=\"javascript:alert('object')\"></object>",
    "<embed src=\"data:text/html,<script>alert('embed')</script>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>",
    "<details open ontoggle=alert('ontoggle')><summary>s</summary></details>",
    "<input autofocus onfocus=alert('onfocus')>",
    "<p style=\"background:url(javascript:alert('css url'))\">css</p>",
    "<div style=\"width: expression(alert('expression'))\">expr</div>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'refresh\')">',
    "<base href=\"javascript:alert('base')//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\"></noscript>",
    "<template><script>alert('template')</script></template>",
    f'<link rel="stylesheet" href="{ORIGIN}/link.css">',
    f'<img src="{ORIGIN}/src.png" alt="remote">',
    f'<img src="drawing.svg" srcset="{ORIGIN}/srcset.png 2x" alt="srcset">',
    f'<video poster="{ORIGIN}/poster.png"></video>',
    f'<table background="{ORIGIN}/background.png"><tr><td>t</td></tr></table>',
    f'<svg><filter id="f"><feImage href="{ORIGIN}/feimage.png"/></filter></svg>',
    f'<svg><rect width="9" height="9" fill="url({ORIGIN}/fill.svg#a)"/></svg>',
    f'<p style="background: u\\72l({ORIGIN}/escaped.png)">escaped</p>',
    f'<style>@\\69mport "{ORIGIN}/import.css"; p {{ background: image-set("{ORIGIN}/set.png" 1x) }}</style>',
    f'<svg><use href="{ORIGIN}/use.svg#a"/></svg>',
]

# Markdown's own ways in: an attribute list, and a link whose target is script.
MARKDOWN_VECTORS = [
    "A paragraph with attributes.\n{: onfocus=\"alert('attr list')\" autofocus tabindex=0 }",
    "[a link](javascript:alert('markdown link'))",
    "![an image](javascript:alert('markdown image'))",
]

# An SVG file of the book, packaged as an image.
HOSTILE_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  width="40" height="40" onload="alert('svg file onload')">
  <script>alert('svg file script')</script>
  <a xlink:href="javascript:alert('svg file link')"><rect width="40" height="40" fill="teal"/></a>
  <image href="{ORIGIN}/svg-file-image.png" width="10" height="10"/>
  <foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">foreign</p></foreignObject>
</svg>
"""


def chapter(port: int) -> str:
    vectors = "\n\n".join(v.replace("PORT", str(port)) for v in VECTORS + MARKDOWN_VECTORS)
    return f"# Hostile\n\nFirst words.\n\n{vectors}\n\n![A drawing](drawing.svg)\n\nLast words.\n"
