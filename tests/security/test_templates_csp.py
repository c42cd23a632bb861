"""The CSP forbids inline script and style, so no template may contain them (they would silently break)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A JSON data block is not executed, so the CSP allows it.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_inline_code(template):
    source = template.read_text(encoding="utf-8")
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("inline style", INLINE_STYLE),
        ("on* handler", INLINE_HANDLER),
    ):
        match = pattern.search(source)
        assert match is None, f"{name} in {template.name}: {match.group(0) if match else ''}"
