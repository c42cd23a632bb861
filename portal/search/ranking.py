"""Best-match ranking over the Whoosh index (issue 14 item 2).

* Every document that matches **any** query word (after Indonesian analysis: exact form or stem) is a candidate,
  and the total counts them all.
* **Coordination**: a document matching more of the query's distinct words ranks above one matching fewer,
  whatever their BM25F scores ("budaya belajar": the documents with both words, then those with one).
* Inside one coordination level, BM25F (``whoosh_scoring``) orders them: an exact form above a stem match,
  title above summary/tags above body above replies (term boosts and part weights of the index).
* **Proximity**: among the best candidates, query words close together (same field, a few positions apart)
  multiply the score, so "penilaian kinerja" said as such beats the two words in different paragraphs.
* A quoted phrase is required: candidates are the documents containing every phrase; loose words only rank.
* "Newest first" sorts the same candidates by date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whoosh.query import Query
from whoosh.searching import Searcher

from portal.search.whoosh_scoring import FieldLengths, WeightedTerm, score_group

PROXIMITY_WINDOW = 4  # words at most this far apart count as close
PROXIMITY_BOOST = 0.6  # adjacent words multiply the score by 1 + this; farther ones by less
RERANK_DEPTH = 50  # proximity is computed for this many candidates beyond the requested page


@dataclass(frozen=True)
class Ranked:
    hits: list[tuple[int, float]]  # (document number, score), best first, up to the limit asked for
    total: int  # every visible candidate
    matched_all: bool  # at least one candidate matches every distinct query word


def rank(
    searcher: Searcher,
    lengths: FieldLengths,
    words: Sequence[Sequence[WeightedTerm]],
    phrases: Sequence[tuple[Query, Sequence[WeightedTerm]]],
    visible,
    limit: int,
    newest_first: bool = False,
) -> Ranked:
    """Rank documents for loose ``words`` (each the weighted terms of one distinct query word) and required
    ``phrases`` (a Whoosh query and the terms that score it). ``visible(docnum)`` keeps out masked and
    filtered-out documents."""
    per_word = [_visible_scores(score_group(searcher, terms, lengths), visible) for terms in words]
    required: set[int] | None = None
    phrase_score: dict[int, float] = {}
    for query, terms in phrases:
        found = {docnum for docnum in searcher.docs_for_query(query) if visible(docnum)}
        required = found if required is None else required & found
        for docnum, score in score_group(searcher, terms, lengths, within=found).items():
            phrase_score[docnum] = phrase_score.get(docnum, 0.0) + score
    matched: dict[int, int] = {}
    scores: dict[int, float] = {}
    for word_scores in per_word:
        for docnum, score in word_scores.items():
            if required is not None and docnum not in required:
                continue
            matched[docnum] = matched.get(docnum, 0) + 1
            scores[docnum] = scores.get(docnum, 0.0) + score
    for docnum in required or ():
        matched.setdefault(docnum, 0)
        scores[docnum] = scores.get(docnum, 0.0) + phrase_score.get(docnum, 0.0)
    matched_all = bool(words) and any(count == len(words) for count in matched.values())
    if not words:
        matched_all = bool(scores)
    if newest_first:
        return Ranked(_newest(searcher, scores, limit), len(scores), matched_all)
    ordered = sorted(scores, key=lambda docnum: (-matched[docnum], -scores[docnum], docnum))
    head = ordered[: limit + RERANK_DEPTH]
    if len(words) > 1:
        factors = _proximity(searcher, words, head)
        head.sort(key=lambda docnum: (-matched[docnum], -scores[docnum] * factors.get(docnum, 1.0), docnum))
        hits = [(docnum, scores[docnum] * factors.get(docnum, 1.0)) for docnum in head[:limit]]
    else:
        hits = [(docnum, scores[docnum]) for docnum in head[:limit]]
    return Ranked(hits, len(scores), matched_all)


def _visible_scores(scores: dict[int, float], visible) -> dict[int, float]:
    return {docnum: score for docnum, score in scores.items() if visible(docnum)}


def _newest(searcher: Searcher, scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    dates = searcher.reader().column_reader("created_at")
    ordered = sorted(scores, key=lambda docnum: (dates[docnum] or 0, -docnum), reverse=True)
    return [(docnum, 0.0) for docnum in ordered[:limit]]


def _positions(searcher: Searcher, terms: Sequence[WeightedTerm], docnums: Sequence[int]) -> dict:
    """(document number, field) -> sorted positions of any of ``terms`` (one query word's alternatives)."""
    found: dict[tuple[int, str], set[int]] = {}
    wanted = sorted(docnums)
    for fieldname, text, _boost in terms:
        for leaf, offset in searcher.leaf_searchers():  # pyright: ignore[reportOptionalIterable] - always a list
            reader = leaf.reader()
            if (fieldname, text) not in reader:
                continue
            matcher = reader.postings(fieldname, text)
            for docnum in wanted:
                local = docnum - offset
                if local < 0 or local >= reader.doc_count_all():
                    continue
                if not matcher.is_active():
                    break
                if matcher.id() < local:
                    matcher.skip_to(local)
                    if not matcher.is_active():
                        break
                if matcher.id() == local:
                    found.setdefault((docnum, fieldname), set()).update(matcher.value_as("positions"))
    return {key: sorted(places) for key, places in found.items()}


def closeness(first: list[int], second: list[int]) -> float:
    """1 for adjacent words, less the farther apart, 0 beyond the window."""
    best = PROXIMITY_WINDOW + 1
    i = j = 0
    while i < len(first) and j < len(second):
        distance = abs(first[i] - second[j])
        best = min(best, distance)
        if first[i] < second[j]:
            i += 1
        else:
            j += 1
    if best == 0 or best > PROXIMITY_WINDOW:
        return 0.0  # 0: the same word (two query words with a shared stem), not closeness
    return 1.0 / best


def _proximity(searcher: Searcher, words: Sequence[Sequence[WeightedTerm]], docnums: list[int]) -> dict[int, float]:
    """Document number -> a factor >= 1 for query words that stand close together in one field."""
    places = [_positions(searcher, terms, docnums) for terms in words]
    fields = {fieldname for terms in words for fieldname, _text, _boost in terms}
    factors: dict[int, float] = {}
    pairs = len(words) - 1
    for docnum in docnums:
        total = 0.0
        for index in range(pairs):
            total += max(
                (
                    closeness(places[index][(docnum, f)], places[index + 1][(docnum, f)])
                    for f in fields
                    if (docnum, f) in places[index] and (docnum, f) in places[index + 1]
                ),
                default=0.0,
            )
        if total:
            factors[docnum] = 1.0 + PROXIMITY_BOOST * total / pairs
    return factors
