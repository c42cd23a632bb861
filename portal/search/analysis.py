"""Indonesian text analysis for the search index and for queries (the same chain for both).

Every word yields its Sastrawi stem and, at the same position, its exact form marked with :data:`EXACT_MARK`
when that differs from the stem. A query word matches either, and the exact form carries a higher boost, so
"pelatihan" finds "melatih" but a document that says "pelatihan" ranks first. A word that is its own stem
("pegawai") is indexed once, with the weight :data:`ROOT_WEIGHT`, so the query "pegawai" still ranks
"pegawai" above "kepegawaian", with half the postings that both forms of every word would cost. Acronyms
(SKP, SPBE) and numbers (20 JP) are kept as they are: never stemmed, never dropped as stopwords.

Whoosh pickles the schema with its analyzer, so the filter keeps no stemmer as state: stemming goes through
the module-level, memoized :func:`stem`. Indexing does not run the analyzer's token pipeline:
:class:`IndonesianText` makes the same terms and positions with one memoized lookup per word
(:func:`word_index_terms`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import TEXT

EXACT_MARK = "="
# Words, with inner hyphens (reduplication: buku-buku) and inner dots/commas for numbers (4.0, 2,5).
TOKEN_PATTERN = r"\w+(?:[-.,]\w+)*"  # noqa: S105 - a regex, not a secret
_WORD_RE = re.compile(TOKEN_PATTERN, re.UNICODE)
MAX_TOKEN_LENGTH = 40
ROOT_WEIGHT = 1.6  # the weight of a word that is its own stem, like the exact-form boost of the query
PART_GAP = 100  # positions left empty between the parts of a field, so a phrase never spans two parts


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@cache
def stopwords() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


@lru_cache(maxsize=200_000)
def stem(word: str) -> tuple[str, ...]:
    """The stems of one lower-cased word (Sastrawi splits hyphenated compounds into several)."""
    if not any(ch.isalpha() for ch in word):
        return (word,)
    stems = tuple(dict.fromkeys(part for part in _stemmer().stem(word).split() if part))
    return stems or (word,)


def is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def exact_term(word: str) -> str:
    return EXACT_MARK + word


class IndonesianFilter(Filter):
    """Lower-cases, drops stopwords, emits exact + stemmed forms, renumbers positions."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IndonesianFilter)

    def __hash__(self) -> int:
        return hash(IndonesianFilter)

    def __call__(self, tokens):
        position = 0
        for token in tokens:
            terms = word_index_terms(token.text)
            if not terms:
                continue
            if token.positions:
                token.pos = position
            position += 1
            for term in terms:
                token.text = term
                yield token


def IndonesianAnalyzer():  # noqa: N802 - named like Whoosh's analyzer factories
    # Whoosh compiles a string pattern; pyright takes the parameter's type from its compiled default.
    return RegexTokenizer(TOKEN_PATTERN) | IndonesianFilter()  # pyright: ignore[reportArgumentType]


def words(text: str) -> list[str]:
    """The raw words of a query, as the tokenizer sees them (case kept)."""
    return _WORD_RE.findall(text or "")


def analyze(text: str) -> list[str]:
    """All index terms of ``text`` (exact and stemmed), in order: for tests and the relevance harness."""
    return [token.text for token in IndonesianAnalyzer()(text)]


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, tuple[str, ...]] | None:
    """The exact term and the stems of one word as written, or None for a stopword (memoized)."""
    if len(word) > MAX_TOKEN_LENGTH:
        return None
    lowered = word.lower()
    if is_acronym(word):
        return exact_term(lowered), (lowered,)
    if lowered in stopwords():
        return None
    return exact_term(lowered), stem(lowered)


@lru_cache(maxsize=200_000)
def word_index_terms(word: str) -> tuple[str, ...]:
    """What one word as written puts into the index: its stems, after its exact term if that differs."""
    terms = word_terms(word)
    if terms is None:
        return ()
    exact, stems = terms
    return stems if is_root(terms) else (exact, *stems)


def is_root(terms: tuple[str, tuple[str, ...]]) -> bool:
    """True for a word that is its own only stem: its exact term is not indexed."""
    exact, stems = terms
    return len(stems) == 1 and stems[0] == exact[len(EXACT_MARK) :]


Parts = Sequence[tuple[str, float]]


class IndonesianText(TEXT):
    """A text field with the terms and positions of :class:`IndonesianFilter`, one memoized lookup per word.

    Its value is a string or a sequence of ``(text, weight)`` parts: each occurrence of a term adds its part's
    weight to the term's weight in the document, so one field can rank a summary above a body above replies
    while a query walks one posting list per term instead of one per part.
    """

    def index(self, value: str | Parts, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        parts: Parts = ((value, 1.0),) if isinstance(value, str) else value
        positions: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, float] = defaultdict(float)
        position = 0
        for text, weight in parts:
            root_weight = weight * ROOT_WEIGHT
            for word in _WORD_RE.findall(text):
                terms = word_index_terms(word)
                if not terms:
                    continue
                if len(terms) == 1:
                    positions[terms[0]].append(position)
                    weights[terms[0]] += root_weight
                else:
                    for term in terms:
                        positions[term].append(position)
                        weights[term] += weight
                position += 1
            position += PART_GAP
        encode = self.format.encode  # pyright: ignore[reportAttributeAccessIssue] - Whoosh's Format defines it
        for term, places in positions.items():
            yield term.encode("utf-8"), len(places), weights[term], encode(places)
