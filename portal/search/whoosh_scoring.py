"""Term-at-a-time BM25F over Whoosh's posting lists, for queries of plain words (most queries).

Whoosh scores through a tree of matcher objects: several Python calls per posting, per document and per level
of the tree. At 50k documents a query of two frequent words took up to half a second that way. Here each posting
list is read a block at a time and scored in one tight loop into a dict per query word; the words' dicts are
then intersected (all words: the rarest word first, and the others only scored for its documents) or merged
(any word). The scores are Whoosh's own BM25F (same idf, average and
per-document field lengths, term boosts, sums), so both paths rank alike, and the exact number of matches
comes for free.

Reading a block uses two private methods of Whoosh's W3 posting reader (``_read_ids``/``_read_weights``):
whoosh-reloaded is pinned, and the relevance and ranking tests compare this path's order with Whoosh's.
"""

from __future__ import annotations

import heapq
from collections.abc import Container, Iterator, Sequence
from typing import cast

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

WeightedTerm = tuple[str, str, float]  # field name, term text, query boost

# Gaps in the types pyright infers for (untyped) Whoosh, ignored where they show:
# _READER: a Searcher copies its reader's methods (doc_frequency, stored_fields, …) onto itself at run time.
# _LEAVES: Searcher.leaf_searchers() returns the sub-searchers, None only before a composite searcher's __init__
#   has set them.


class FieldLengths:
    """Every document's field length, per segment: Whoosh reads them one Python call at a time.

    Segments never change once written, so the lists outlive the searcher that loaded them.
    """

    def __init__(self) -> None:
        self._lists: dict[tuple[str, str], list[int]] = {}

    def of(self, reader: IndexReader, fieldname: str) -> list[int]:
        segment = reader.segment()
        assert segment is not None  # a leaf searcher's reader reads one segment
        key = (segment.segment_id(), fieldname)
        lengths = self._lists.get(key)
        if lengths is None:
            lengths = [reader.doc_field_length(docnum, fieldname, 1) for docnum in range(reader.doc_count_all())]
            self._lists[key] = lengths
        return lengths

    def forget_except(self, readers: Sequence[IndexReader]) -> None:
        """Drop the lists of segments that merges have replaced."""
        live = {segment.segment_id() for reader in readers if (segment := reader.segment()) is not None}
        for key in [key for key in self._lists if key[0] not in live]:
            del self._lists[key]


def score_group(
    searcher: Searcher, terms: Sequence[WeightedTerm], lengths: FieldLengths, within: Container[int] | None = None
) -> dict[int, float]:
    """Document number -> the summed BM25F score of ``terms`` (the alternatives of one query word), for the
    documents in ``within`` only if given."""
    weighting = cast(BM25F, searcher.weighting)  # Whoosh instantiates the class it is given (BM25F by default)
    scores: dict[int, float] = {}
    get = scores.get
    for fieldname, text, boost in terms:
        if not searcher.doc_frequency(fieldname, text):  # pyright: ignore[reportAttributeAccessIssue] - see _READER
            continue
        k1 = weighting.K1
        b = weighting._field_B.get(fieldname, weighting.B)
        factor = boost * searcher.idf(fieldname, text) * (k1 + 1)
        constant = k1 * (1 - b)
        per_length = k1 * b / (searcher.avg_field_length(fieldname) or 1)
        for leaf, offset in searcher.leaf_searchers():  # pyright: ignore[reportOptionalIterable] - see _LEAVES
            reader = leaf.reader()
            if (fieldname, text) not in reader:
                continue
            doc_lengths = lengths.of(reader, fieldname)
            for ids, weights in _blocks(reader.postings(fieldname, text)):
                for docnum, weight in zip(ids, weights, strict=True):
                    if within is not None and docnum + offset not in within:
                        continue
                    score = factor * weight / (weight + constant + per_length * doc_lengths[docnum])
                    scores[docnum + offset] = get(docnum + offset, 0.0) + score
    return scores


def all_words(searcher: Searcher, words: list[list[WeightedTerm]], lengths: FieldLengths) -> dict[int, float]:
    """Documents matching every word, with the words' scores summed."""
    ordered = sorted(words, key=lambda terms: sum(searcher.doc_frequency(f, text) for f, text, _boost in terms))  # pyright: ignore[reportAttributeAccessIssue] - see _READER
    scores = score_group(searcher, ordered[0], lengths)
    for terms in ordered[1:]:
        if not scores:
            break
        more = score_group(searcher, terms, lengths, within=scores)
        scores = {docnum: score + more[docnum] for docnum, score in scores.items() if docnum in more}
    return scores


def any_word(searcher: Searcher, words: list[list[WeightedTerm]], lengths: FieldLengths) -> dict[int, float]:
    """Documents matching at least one word, with the matching words' scores summed."""
    combined: dict[int, float] = {}
    for terms in words:
        for docnum, score in score_group(searcher, terms, lengths).items():
            combined[docnum] = combined.get(docnum, 0.0) + score
    return combined


def top(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` (document number, score) pairs; equal scores in document order, as Whoosh does."""
    return heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))


def _blocks(matcher: Matcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(ids, weights) of a posting list, a block at a time. Deleted documents are left in: the caller masks them."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights  # pyright: ignore[reportReturnType] - just read, so not None
            matcher._next_block()
        return
    ids, weights = [], []  # a short list kept inline in the term info
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights
