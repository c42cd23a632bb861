"""Document-side expansion: what a document means, in the words of the thesaurus, indexed at a low weight.

The query-side thesaurus (:func:`portal.search.synonyms.alternatives`) maps one query word to others. It cannot
reach a document that says "APD" for the query "keselamatan kerja", nor one that says "alat pelindung diri" for
the query "apd" (a multi-word phrase is not a query word). At index time the whole document is known, so
:func:`expansion_text` finds every thesaurus phrase it contains (matched on stems, stopwords left out, so
"pelatihan" finds "melatih" and "berbicara di depan umum" finds "berbicara depan umum") and returns:

* the phrase's **equivalents** (:func:`portal.search.synonyms.equivalents`): "APD" adds "alat pelindung diri";
* its **broader terms** (:func:`portal.search.synonyms.broader`), followed up the hierarchy, each with its
  equivalents: "sarung tangan" adds "apd", "alat pelindung diri", "k3" and "keselamatan kesehatan kerja".

Each expansion is added once per document, whatever the number of occurrences, and the backend indexes the text
at :data:`EXPANSION_WEIGHT` (below replies), so a document saying a word itself still ranks above one that only
gets it from the thesaurus. Backend-neutral: the Whoosh backend appends it as the last, lightest part of the
``content`` field; a PostgreSQL backend gives it the lowest tsvector weight.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from portal.search.analysis import word_terms, words
from portal.search.synonyms import broader, equivalents, thesaurus_phrases

EXPANSION_WEIGHT = 0.3  # per occurrence, like a part of the content field (replies: 0.4, body: 1)
MAX_PHRASE_WORDS = 6


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of a phrase's words in order, stopwords left out: what :func:`expansion_text` matches."""
    stems: list[str] = []
    for word in words(phrase):
        terms = word_terms(word)
        if terms is not None:
            stems.extend(terms[1])
    return tuple(stems)


@cache
def _phrases_by_first_stem() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """First stem -> (stem sequence, the thesaurus phrases that analyse to it), for every phrase."""
    table: dict[tuple[str, ...], list[str]] = {}
    for phrase in thesaurus_phrases():
        stems = phrase_stems(phrase)
        if stems and len(stems) <= MAX_PHRASE_WORDS:
            table.setdefault(stems, []).append(phrase)
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for stems, phrases in table.items():
        by_first.setdefault(stems[0], []).append((stems, tuple(phrases)))
    return {first: tuple(entries) for first, entries in by_first.items()}


def found_phrases(text: str) -> list[str]:
    """The thesaurus phrases ``text`` contains (on stems), in the order of their first occurrence."""
    table = _phrases_by_first_stem()
    stems = phrase_stems(text)
    found: dict[str, None] = {}
    for start, first in enumerate(stems):
        for sequence, phrases in table.get(first, ()):
            if stems[start : start + len(sequence)] == sequence:
                for phrase in phrases:
                    found.setdefault(phrase, None)
    return list(found)


def expansions_of(phrases: Iterable[str]) -> list[str]:
    """Equivalents and broader terms of ``phrases``, each once, leaving out the phrases themselves.

    The broader terms are followed up the hierarchy, each with its equivalents ("sarung tangan" -> "apd",
    "alat pelindung diri" -> "k3", "keselamatan kesehatan kerja")."""
    given = list(dict.fromkeys(phrases))
    out: dict[str, None] = {}
    pending = list(given)
    while pending:
        phrase = pending.pop(0)
        for other in (phrase, *equivalents(phrase)):
            if other not in out:
                out[other] = None
                pending.extend(broader(other))
    for phrase in given:
        out.pop(phrase, None)
    return list(out)


def expansion_text(*texts: str) -> str:
    """What the index adds for a document with these texts: its thesaurus expansions, as one string."""
    found: dict[str, None] = {}
    for text in texts:
        for phrase in found_phrases(text):
            found.setdefault(phrase, None)
    return " ".join(expansions_of(found))
