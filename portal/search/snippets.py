"""Highlighted snippets: the matching words of a stored excerpt wrapped in <mark>, all text HTML-escaped.

Only the ten or so hits on a page get a snippet, each from a bounded excerpt (never the whole body), and a word
is recognised with the memoized analysis of :func:`portal.search.analysis.word_terms`: no analyzer pipeline
is re-run per hit, which is where Whoosh's own highlighter spent its time.
"""

from __future__ import annotations

import heapq
import re

from markupsafe import escape

from portal.search.analysis import EXACT_MARK, TOKEN_PATTERN, word_index_terms

FRAGMENT_CHARS = 180  # matches closer than this share one fragment
SURROUND_CHARS = 60  # context shown on each side of a fragment's matches
FRAGMENTS = 2
SEPARATOR = " … "
_WORD_RE = re.compile(TOKEN_PATTERN, re.UNICODE)


def _could_match(word: str, clues: tuple[str, ...]) -> bool:
    """A cheap test before stemming: a word contains its stem, but for a first letter that an affix may
    replace (memimpin -> pimpin, menyapa -> sapa). Stemming a word not seen before costs milliseconds."""
    lowered = word.lower()
    return any(clue in lowered for clue in clues)


def highlight_snippet(text: str, wanted: frozenset[str]) -> str:
    """Up to two fragments of ``text`` around the words with an index term in ``wanted``.

    Returns "" when no word matches. The result is safe HTML: text is escaped, only <mark> is added.
    """
    clues = tuple({term.removeprefix(EXACT_MARK)[1:] for term in wanted})
    spans = [
        match.span()
        for match in _WORD_RE.finditer(text)
        if _could_match(match.group(), clues) and not wanted.isdisjoint(word_index_terms(match.group()))
    ]
    if not spans:
        return ""
    fragments: list[list[tuple[int, int]]] = []
    for span in spans:
        if fragments and span[1] - fragments[-1][0][0] <= FRAGMENT_CHARS:
            fragments[-1].append(span)
        else:
            fragments.append([span])
    best = sorted(heapq.nlargest(FRAGMENTS, fragments, key=len), key=lambda marks: marks[0][0])
    return SEPARATOR.join(_render(text, marks) for marks in best)


def highlight_title(title: str, wanted: frozenset[str]) -> str:
    """The whole ``title`` with every word that has an index term in ``wanted`` wrapped in <mark>.

    Safe HTML like :func:`highlight_snippet` (text escaped, only <mark> added); the title escaped when no word
    matches.
    """
    clues = tuple({term.removeprefix(EXACT_MARK)[1:] for term in wanted})
    marks = [
        match.span()
        for match in _WORD_RE.finditer(title)
        if _could_match(match.group(), clues) and not wanted.isdisjoint(word_index_terms(match.group()))
    ]
    pieces = []
    position = 0
    for mark_start, mark_end in marks:
        pieces.append(str(escape(title[position:mark_start])))
        pieces.append(f"<mark>{escape(title[mark_start:mark_end])}</mark>")
        position = mark_end
    pieces.append(str(escape(title[position:])))
    return "".join(pieces)


def _render(text: str, marks: list[tuple[int, int]]) -> str:
    start, end = _widen(text, marks[0][0], marks[-1][1])
    pieces = []
    position = start
    for mark_start, mark_end in marks:
        pieces.append(str(escape(text[position:mark_start])))
        pieces.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        position = mark_end
    pieces.append(str(escape(text[position:end])))
    return "".join(pieces)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Add some context on both sides, cut at a space so no word is broken."""
    left = max(0, start - SURROUND_CHARS)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else start
    right = min(len(text), end + SURROUND_CHARS)
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else end
    return left, right


def shorten(text: str, limit: int = 220) -> str:
    """The start of ``text`` (plain, not escaped), cut at a space, for hits without a highlighted word."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"
