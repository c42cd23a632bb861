"""Cross-site scripting payloads and a checker, shared by every test that renders user-written text.

``XSS_VECTORS`` mixes raw HTML payloads (the classic filter-evasion cheat sheets) with Markdown-specific
tricks; ``assert_no_xss(html)`` parses rendered output with an HTML parser, the way a browser would, and
fails on anything that could run script.

Usage in a feature test::

    from tests.security.xss_corpus import XSS_VECTORS, assert_no_xss

    @pytest.mark.parametrize("payload", XSS_VECTORS)
    def test_comment_body_is_safe(member_client, payload): ...
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

FORBIDDEN_ELEMENTS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "form",
        "meta",
        "base",
        "link",
        "template",
        "noscript",
        "input",
        "button",
        "textarea",
        "select",
        "video",
        "audio",
        "source",
    }
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcset", "lowsrc", "dynsrc"}
)
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc"})
# Browsers drop ASCII whitespace and control characters anywhere inside a URL scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")

XSS_VECTORS: list[str] = [
    # script elements in many spellings
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<script src="https://evil.example/x.js"></script>',
    "<script/src=//evil.example/x.js></script>",
    "<script\n>alert(1)</script\n>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script>alert(1)",
    "</p><script>alert(1)</script><p>",
    # event handlers
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<IMG SRC="#" ONERROR="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<a href=\"https://example.com\" onclick='alert(1)'>x</a>",
    '<details open ontoggle="alert(1)">',
    "<img/src/onerror=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    '<p title="x" onmouseenter=alert(1)>text</p>',
    # javascript:/data:/vbscript: links, plain and obfuscated
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img src="javascript:alert(1)">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></mglyph></table></mtext></math>',
    '<math href="javascript:alert(1)">x</math>',
    # frames, objects, embeds
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    # styles
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:url('javascript:alert(1)')}</style>",
    '<style>@import "https://evil.example/x.css";</style>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # malformed and unclosed markup, comments
    '<img """><script>alert(1)</script>">',
    "<a href='javascript:alert(1)'",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!-- --!><script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<p title="</p><script>alert(1)</script>">x</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # document-level tricks
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<template><script>alert(1)</script></template>",
    # Markdown links and images
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
    '[x](https://example.com/"onmouseover="alert(1))',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://example.com/a.png)',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x][img]\n\n[img]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[<img src=x onerror=alert(1)>](https://example.com)",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "# <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "> <iframe src=javascript:alert(1)>",
    "* <svg onload=alert(1)>",
    "https://example.com/<script>alert(1)</script>",
    'https://example.com/"onmouseover="alert(1)',
]


class _ElementCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def url_scheme_is_dangerous(url: str) -> bool:
    """The scheme as a browser sees it: entities decoded, whitespace/control characters dropped, any case."""
    normalised = _IGNORED_IN_SCHEME.sub("", html.unescape(url)).lower()
    return normalised.startswith(DANGEROUS_SCHEMES)


def assert_no_xss(rendered: str) -> None:
    collector = _ElementCollector()
    collector.feed(str(rendered))
    collector.close()
    for tag, attrs in collector.elements:
        assert tag not in FORBIDDEN_ELEMENTS, f"<{tag}> element in output: {rendered!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name} on <{tag}>: {rendered!r}"
            assert name not in FORBIDDEN_ATTRIBUTES, f"{name} attribute on <{tag}>: {rendered!r}"
            if name in URL_ATTRIBUTES and value is not None:
                assert not url_scheme_is_dangerous(value), f"{name}={value!r} on <{tag}>: {rendered!r}"
