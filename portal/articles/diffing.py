"""Word-level comparison of two texts, shown as escaped text with <ins>/<del> marks."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

# Words and the whitespace between them are both tokens, so line breaks survive into the comparison.
_TOKENS = re.compile(r"\s+|\S+")


def word_diff(old: str, new: str) -> Markup:
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts: list[Markup] = []
    for operation, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>{}</del>").format("".join(before[i1:i2])))
        if j2 > j1:
            parts.append(Markup("<ins>{}</ins>").format("".join(after[j1:j2])))
    return Markup("").join(parts)


def has_changes(old: str, new: str) -> bool:
    return (old or "") != (new or "")
