"""Ranking on PostgreSQL: the query's lexemes, the tsqueries, and the exact BM25F re-rank of the best candidates.

The SQL of :mod:`portal.search.pg_backend` finds every candidate (GIN), counts the distinct query words each one
matches (coordination, exact) and orders them by a cheap ``ts_rank`` times idf. The best ``limit + RERANK_DEPTH``
are then scored here as the Whoosh backend scores (:mod:`portal.search.ranking`): BM25F with the idf and average
lengths of the corpus totals in ``search_terms``, the title 5 and summary/tags 2.5 / body 1 / replies 0.4
weights, exact forms ×1.6 over stems, thesaurus alternatives at half weight, and word proximity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from portal.search.analysis import word_terms
from portal.search.pg_index import CONTENT_WORDS, DOCS, TITLE, TITLE_WORDS, quote
from portal.search.ranking import PROXIMITY_BOOST, closeness
from portal.search.synonyms import SYNONYM_WEIGHT, alternatives

EXACT_BOOST = 1.6
TITLE_BOOST = 5.0
PART_WEIGHTS = {"A": 1.0, "B": 2.5, "C": 1.0, "D": 0.4}  # content parts' weight per occurrence (A: the title)
K1, B = 1.2, 0.75  # Whoosh's BM25F defaults
RANK_WEIGHTS = "{0.08, 0.2, 0.5, 1.0}"  # ts_rank's D, C, B, A: the cheap first ordering only
STATS = (DOCS, TITLE_WORDS, CONTENT_WORDS)

Lexemes = dict[str, float]  # lexeme -> query boost


def word_lexemes(word: str) -> Lexemes:
    """A query word's lexemes with their boosts: exact form and stems, then its thesaurus alternatives'."""
    weighted = _own_lexemes(word, 1.0)
    if not weighted:
        return {}
    for other in alternatives(word):
        for lexeme, boost in _own_lexemes(other, SYNONYM_WEIGHT).items():
            weighted.setdefault(lexeme, boost)
    return weighted


def _own_lexemes(word: str, weight: float) -> Lexemes:
    terms = word_terms(word)
    if terms is None:
        return {}
    exact, stems = terms
    weighted = {exact: EXACT_BOOST * weight}
    for stem in stems:
        weighted.setdefault(stem, weight)
    return weighted


def phrase_lexemes(phrase: Sequence[str]) -> list[str]:
    """The exact forms of a quoted phrase's words (stopwords left out, as the index leaves them out)."""
    return [terms[0] for word in phrase if (terms := word_terms(word)) is not None]


def any_of(lexemes: Sequence[str]) -> str:
    return " | ".join(quote(lexeme) for lexeme in lexemes)


def phrase_query(lexemes: Sequence[str]) -> str:
    return "(" + " <-> ".join(quote(lexeme) for lexeme in lexemes) + ")"


@dataclass(frozen=True)
class Corpus:
    documents: int
    avg_title: float
    avg_content: float
    frequencies: Mapping[str, int]

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> Corpus:
        documents = max(0, counts.get(DOCS, 0))
        return cls(
            documents=documents,
            avg_title=(counts.get(TITLE_WORDS, 0) / documents) if documents else 1.0,
            avg_content=(counts.get(CONTENT_WORDS, 0) / documents) if documents else 1.0,
            frequencies=counts,
        )

    def idf(self, lexeme: str) -> float:
        """Whoosh's idf: log(N / (df + 1)) + 1."""
        return math.log(max(self.documents, 1) / (max(self.frequencies.get(lexeme, 0), 0) + 1)) + 1


@dataclass(frozen=True)
class Candidate:
    doc_id: int  # the search_documents row id
    title_len: int
    content_len: int
    places: Mapping[str, tuple[Sequence[int], Sequence[str]]]  # lexeme -> (positions, weights) in this document


def _saturated(weight: float, length: int, average: float) -> float:
    return weight * (K1 + 1) / (weight + K1 * (1 - B + B * length / (average or 1)))


def bm25f(candidate: Candidate, lexemes: Mapping[str, float], corpus: Corpus) -> float:
    score = 0.0
    for lexeme, boost in lexemes.items():
        found = candidate.places.get(lexeme)
        if found is None:
            continue
        title = content = 0.0
        for weight in found[1]:
            if weight == TITLE:
                title += 1.0
            else:
                content += PART_WEIGHTS[weight]
        field_score = 0.0
        if title:
            field_score += TITLE_BOOST * _saturated(title, candidate.title_len, corpus.avg_title)
        if content:
            field_score += _saturated(content, candidate.content_len, corpus.avg_content)
        score += boost * corpus.idf(lexeme) * field_score
    return score


def _field_positions(candidate: Candidate, lexemes: Mapping[str, float]) -> dict[bool, list[int]]:
    """In title (True) and content (False): the sorted positions of any of one word's lexemes."""
    found: dict[bool, set[int]] = {True: set(), False: set()}
    for lexeme in lexemes:
        places = candidate.places.get(lexeme)
        if places is None:
            continue
        for position, weight in zip(places[0], places[1], strict=True):
            found[weight == TITLE].add(position)
    return {in_title: sorted(positions) for in_title, positions in found.items()}


def proximity(candidate: Candidate, words: Sequence[Mapping[str, float]]) -> float:
    """A factor >= 1 for consecutive query words that stand close together in one field."""
    if len(words) < 2:
        return 1.0
    places = [_field_positions(candidate, lexemes) for lexemes in words]
    total = 0.0
    for index in range(len(words) - 1):
        total += max(closeness(places[index][field], places[index + 1][field]) for field in (True, False))
    return 1.0 + PROXIMITY_BOOST * total / (len(words) - 1)


def levenshtein(first: str, second: str, limit: int) -> int:
    """Edit distance, or ``limit + 1`` as soon as it is known to exceed ``limit``."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, 1):
        current = [i]
        for j, other in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
