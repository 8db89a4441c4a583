"""Hostile text for the security tests: XSS, Markdown tricks, template injection, Unicode, formulas.

Every payload is plain data that a writer could put in a YAML field. None of them may
run, fetch from another host, or be evaluated; each must come out of the site as text
(or as harmless Markdown) and out of the JSON export unchanged.
"""

from __future__ import annotations

SCRIPT_AND_HANDLERS = [
    '<script>alert("xss-script")</script>',
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(2)>",
    '<img src="x" onerror="alert(3)">',
    "<svg onload=alert(4)>",
    "<svg><script>alert(5)</script></svg>",
    "<body onload=alert(6)>",
    '<iframe src="javascript:alert(7)"></iframe>',
    "<iframe srcdoc=\"<script>alert('srcdoc')</script>\"></iframe>",
    "<details open ontoggle=alert(9)>",
    '<a href="javascript:alert(10)">click me</a>',
    '<div style="background:url(javascript:alert(11))">styled</div>',
    "<input autofocus onfocus=alert(12)>",
    "<video><source onerror=alert(13)></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(14)>",
    "<svg><animate onbegin=alert(15) attributeName=x dur=1s>",
    '<object data="data:text/html,<script>alert(16)</script>"></object>',
    '<embed src="javascript:alert(17)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(18)">',
    '<base href="http://evil.example/">',
    "<link rel=stylesheet href=http://evil.example/x.css>",
    '<style>@import "http://evil.example/x.css"; body{display:none}</style>',
    "<xss onpointerenter=alert(19) style=display:block>hover me</xss>",
    "<img src=x:alert(alt) onerror=eval(src) alt=20>",
    "<<script>alert(21)//<</script>",
    "<scr<script>ipt>alert(22)</script>",
    "<math><a xlink:href=javascript:alert(23)>math link</a></math>",
    "<svg><a xlink:href=javascript:alert(24)><text x=0 y=20>svg link</text></a></svg>",
    '<a href="&#106;avascript:alert(25)">entity link</a>',
    "<!-- <script>alert(26)</script> -->",
    "<![CDATA[<script>alert(27)</script>]]>",
]

MARKDOWN = [
    "[click](javascript:alert(30))",
    "[click](JaVaScRiPt:alert(31))",
    '[click]( javascript:alert(32) "title")',
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgzMyk8L3NjcmlwdD4=)",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMzQpPg==)",
    "![pixel](http://evil.example/pixel.png)",
    '![x](x" onerror="alert(35))',
    "<javascript:alert(36)>",
    '<http://evil.example/"onmouseover="alert(37)>',
    "[reference][evil]\n\n[evil]: javascript:alert(38)",
    "![reference image][pic]\n\n[pic]: http://evil.example/pic.png",
    "[vb](vbscript:msgbox(39))",
    "[tab](java\tscript:alert(40))",
    '[quote](http://example.org "x\\" onmouseover=\\"alert(41)")',
    '[hash](#" onclick="alert(42))',
    "*emph* **strong** `code <script>alert(43)</script>`",
    "```html\n<script>alert(44)</script>\n```",
    "# heading\n\n---\n\n> quote <img src=x onerror=alert(45)>\n\n1. one\n2. two",
    "    indented <script>alert(46)</script>",
    "\\<script>alert(47)\\</script>",
    "<https://example.org/plain-autolink>",
]

ENTITIES = [
    "&lt;script&gt;alert(50)&lt;/script&gt;",
    "&#60;script&#62;alert(51)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(52)&#x3E;",
    "&amp;lt;b&amp;gt; double &amp;amp; escaped",
    "%3Cscript%3Ealert(53)%3C/script%3E",
]

BREAKOUTS = [
    '"><script>alert(60)</script>',
    "'><img src=x onerror=alert(61)>",
    '" onmouseover="alert(62)" x="',
    "' onfocus='alert(63)' autofocus x='",
    "` onmouseover=alert(64) `",
    "</textarea><script>alert(65)</script>",
    "</title><script>alert(66)</script>",
    "</script><script>alert(67)</script>",
    "</style><script>alert(68)</script>",
    "</svg><script>alert(69)</script>",
    "]]></title><script>alert(70)</script>",
    "--><script>alert(71)</script><!--",
]

TEMPLATES = [
    "{{ 7*7 }}",
    "{{ 7*7777 }}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "{{ config.items() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "${7*7}",
    "<%= 7*7 %>",
    "#{7*7}",
    "{{#each items}}{{/each}}",
    "{# comment #}",
]

UNICODE = [
    "line\u2028separator\u2029paragraph",
    "zero\u200bwidth\u200c\u200d\ufeffjoiners",
    "right\u202eto-left override",
    "<scr\u200bipt>alert(80)</scr\u200bipt>",
    "[zero width](java\u200bscript:alert(81))",
    "\uff1cscript\uff1ealert(82)\uff1c/script\uff1e",
    "e\u0301\u0301\u0301 combining marks",
    "\u0000 nul \u0085 next line",
    "rocket \U0001f680 emoji \U0001d54f",
]

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]

LONG = [
    "A" * 5000,
    " ".join(["long words <b>bold</b> [link](javascript:alert(90))"] * 300),
]

PAYLOADS: list[str] = [*SCRIPT_AND_HANDLERS, *MARKDOWN, *ENTITIES, *BREAKOUTS, *TEMPLATES, *UNICODE, *FORMULAS, *LONG]

JINJA_SENTINEL = "54439"
"""What `{{ 7*7777 }}` would print if any template evaluated content."""

XML_INVALID = "\u0000\u0001\u0008\u000b\u000c\u001b\ufffe\uffff"
"""Characters that a YAML escape can produce but XML 1.0 forbids (the Atom feed is XML)."""


def title_safe(text: str) -> bool:
    """False for text with a character beyond U+FFFF (titles of that kind have their own test in test_xss.py)."""
    return all(ord(c) <= 0xFFFF for c in text)


def feed_safe(text: str) -> bool:
    """False for text with a character that XML forbids (the feed's own test in test_xss.py covers it)."""
    return not any(c in XML_INVALID for c in text)
