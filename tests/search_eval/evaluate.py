"""Relevance of the Indonesian analyzer vs Whoosh's default StandardAnalyzer on the judged corpus.

Run: ``.venv/bin/python -m tests.search_eval.evaluate`` (prints nDCG@10, recall@10 and MRR side by side).
Both sides use the same fields, title boost and "all words, else any word" rule: only the analysis differs
(plus the typo correction, which needs the Indonesian exact forms).
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from whoosh import index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup

from portal.search.registry import PUBLIC, SearchDocument
from portal.search.services import parse_query
from portal.search.whoosh_backend import BackendQuery, WhooshBackend, close_all
from tests.search_eval.corpus import DOCUMENTS, JUDGEMENTS

K = 10
Ranker = Callable[[str], list[int]]


@dataclass(frozen=True)
class Scores:
    ndcg: float
    recall: float
    mrr: float


def _dcg(grades: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def score_query(ranking: list[int], judged: dict[int, int]) -> Scores:
    top = ranking[:K]
    ideal = _dcg(sorted(judged.values(), reverse=True)[:K])
    ndcg = _dcg([judged.get(doc, 0) for doc in top]) / ideal
    recall = len([doc for doc in top if doc in judged]) / len(judged)
    first = next((rank for rank, doc in enumerate(top, 1) if doc in judged), None)
    return Scores(ndcg, recall, 1 / first if first else 0.0)


def evaluate(ranker: Ranker) -> Scores:
    per_query = [score_query(ranker(query), judged) for query, judged in JUDGEMENTS.items()]
    n = len(per_query)
    return Scores(
        ndcg=sum(s.ndcg for s in per_query) / n,
        recall=sum(s.recall for s in per_query) / n,
        mrr=sum(s.mrr for s in per_query) / n,
    )


def indonesian_ranker(directory: str) -> Ranker:
    backend = WhooshBackend(directory)
    created = datetime(2026, 1, 1, tzinfo=UTC)
    with backend.writer(timeout=10) as batch:
        for doc_id, (title, body) in DOCUMENTS.items():
            batch.upsert(
                SearchDocument(
                    doc_type="doc",
                    doc_id=doc_id,
                    title=title,
                    url=f"/d/{doc_id}",
                    created_at=created,
                    body=body,
                    audience=frozenset({PUBLIC}),
                )
            )

    def rank(query: str) -> list[int]:
        words, phrases = parse_query(query)
        request = BackendQuery(words=words, phrases=phrases, audiences=frozenset({PUBLIC}), per_page=K, highlight=False)
        return [hit.doc_id for hit in backend.search(request).hits]

    return rank


def standard_ranker(directory: str) -> Ranker:
    schema = Schema(
        doc_id=ID(stored=True), title=TEXT(analyzer=StandardAnalyzer()), body=TEXT(analyzer=StandardAnalyzer())
    )
    ix = index.create_in(directory, schema)
    with ix.writer() as writer:
        for doc_id, (title, body) in DOCUMENTS.items():
            writer.add_document(doc_id=str(doc_id), title=title, body=body)
    boosts = {"title": 5.0, "body": 1.0}
    all_words = MultifieldParser(["title", "body"], schema, fieldboosts=boosts, group=AndGroup)
    any_word = MultifieldParser(["title", "body"], schema, fieldboosts=boosts, group=OrGroup)

    def rank(query: str) -> list[int]:
        with ix.searcher() as searcher:
            hits = searcher.search(all_words.parse(query), limit=K)
            if not hits.scored_length():
                hits = searcher.search(any_word.parse(query), limit=K)
            return [int(hit["doc_id"]) for hit in hits]

    return rank


def compare() -> dict[str, Scores]:
    with tempfile.TemporaryDirectory() as indonesian_dir, tempfile.TemporaryDirectory() as standard_dir:
        try:
            return {
                "Indonesian (Sastrawi)": evaluate(indonesian_ranker(indonesian_dir)),
                "Whoosh StandardAnalyzer": evaluate(standard_ranker(standard_dir)),
            }
        finally:
            close_all()


def main() -> None:
    print(f"{len(DOCUMENTS)} documents, {len(JUDGEMENTS)} judged queries, cut-off {K}")
    print(f"{'analyzer':<26} {'nDCG@10':>8} {'recall@10':>10} {'MRR':>6}")
    for name, scores in compare().items():
        print(f"{name:<26} {scores.ndcg:>8.3f} {scores.recall:>10.3f} {scores.mrr:>6.3f}")


if __name__ == "__main__":
    main()
