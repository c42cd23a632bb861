"""The one renderer for user-written text: Markdown in, sanitised HTML out.

Nothing a user wrote is ever marked safe in a template except the output of :func:`render_markdown`
(the ``markdown`` Jinja filter). Two layers keep it safe: markdown-it escapes raw HTML (``html=False``) and
refuses javascript:/vbscript:/file: links, then nh3 (an allowlist HTML sanitiser) keeps only the tags,
attributes and URL schemes listed below. Features that store rendered HTML store :data:`RENDERER_VERSION`
with it and re-render when it differs.

Bare URLs become links through markdown-it's linkify (linkify-it-py); those links pass the same link
validation and sanitiser as any other.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

import nh3
from flask import current_app, has_app_context
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

RENDERER_VERSION = 1

DEFAULT_UPLOAD_URL_PREFIXES: tuple[str, ...] = ("/berkas/", "/lampiran/")

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "hr", *_HEADINGS, "strong", "em", "del", "s", "code", "pre", "blockquote"),
        *("ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td"),
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "ol": {"start"},
    **{heading: {"id"} for heading in _HEADINGS},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

# Table column alignment arrives as style="text-align:…"; styles are not allowed, Bootstrap classes are.
_ALIGN_CLASSES = {"left": "text-start", "center": "text-center", "right": "text-end"}
_ALLOWED_CLASSES = {cell: set(_ALIGN_CLASSES.values()) for cell in ("th", "td")}
_LANGUAGE_CLASS = re.compile(r"language-[\w+#.-]{1,40}")
_NON_WORD = re.compile(r"[^\w]+")
_WHITESPACE = re.compile(r"\s+")

_parser = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": True}).enable(
    ["table", "strikethrough", "linkify"]
)


def render_markdown(text: str | None) -> Markup:
    """Markdown → sanitised HTML, safe to put in a page as is."""
    prefixes = _upload_url_prefixes()
    tokens = _parser.parse(text or "")
    _drop_foreign_images(tokens, prefixes)
    _add_heading_ids(tokens)
    _table_alignment_as_classes(tokens)
    rendered = _parser.renderer.render(tokens, _parser.options, {})
    return Markup(_sanitise(rendered, prefixes))  # noqa: S704 - sanitised by nh3 with an allowlist


def render_plain_excerpt(text: str | None, length: int = 200) -> str:
    """The first ``length`` characters of the text without markup, cut at a word, for lists and snippets."""
    rendered = _parser.render(text or "")
    plain = html.unescape(nh3.clean(rendered, tags=set()))
    plain = _WHITESPACE.sub(" ", plain).strip()
    if len(plain) <= length:
        return plain
    cut = plain[:length]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" .,;:!?-") + "…"


def _upload_url_prefixes() -> Sequence[str]:
    if has_app_context():
        return tuple(current_app.config.get("UPLOAD_URL_PREFIXES", DEFAULT_UPLOAD_URL_PREFIXES))
    return DEFAULT_UPLOAD_URL_PREFIXES


def is_allowed_image_url(src: str, prefixes: Iterable[str] = DEFAULT_UPLOAD_URL_PREFIXES) -> bool:
    """Images come from the portal's own upload URLs or over https, never from http:, data: or elsewhere."""
    return src.lower().startswith("https://") or any(src.startswith(prefix) for prefix in prefixes)


def _inline_children(tokens: list[Token]) -> Iterable[Token]:
    return (token for token in tokens if token.type == "inline" and token.children)


def _plain_text(children: Iterable[Token] | None) -> str:
    parts = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.children:
            parts.append(_plain_text(child.children))
    return "".join(parts)


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _drop_foreign_images(tokens: list[Token], prefixes: Sequence[str]) -> None:
    """An image from anywhere else is replaced by its alt text."""
    for inline in _inline_children(tokens):
        inline.children = [
            child
            if child.type != "image" or is_allowed_image_url(str(child.attrGet("src") or ""), prefixes)
            else _text(_plain_text(child.children))
            for child in inline.children or []
        ]


def _add_heading_ids(tokens: list[Token]) -> None:
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            base = "h-" + (_slug(_plain_text(tokens[index + 1].children)) or "judul")
            anchor, number = base, 1
            while anchor in used:
                number += 1
                anchor = f"{base}-{number}"
            used.add(anchor)
            token.attrSet("id", anchor)


def _slug(text: str) -> str:
    return _NON_WORD.sub("-", text.lower()).strip("-_")[:60].rstrip("-_")


def _table_alignment_as_classes(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            alignment = str(token.attrs.pop("style")).removeprefix("text-align:")
            if alignment in _ALIGN_CLASSES:
                token.attrSet("class", _ALIGN_CLASSES[alignment])


def _sanitise(rendered: str, prefixes: Sequence[str]) -> str:
    def keep_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "code" and attribute == "class":
            return value if _LANGUAGE_CLASS.fullmatch(value) else None
        if element == "img" and attribute == "src":
            return value if is_allowed_image_url(value, prefixes) else None
        return value

    return nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        attribute_filter=keep_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
