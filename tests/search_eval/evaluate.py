"""nDCG@10, recall@10 and MRR on the judged set (``corpus.py``), for three rankings over the same documents:

* ``bm25``: plain BM25 over unstemmed, lower-cased words, any word (Whoosh's BM25F, title boosted): the floor;
* ``before``: the ranking before issue 14 (Indonesian analysis, then all words, else any word), on an index
  without document-side expansion (which came after it);
* ``best-match, no doc expansion``: the portal's ranking on that index (what document-side expansion adds);
* ``best-match``: the portal's ranking now (``WhooshBackend.search``: any word, coordination, proximity; the
  index holds each document's thesaurus expansion, :mod:`portal.search.expansion`).
* ``best-match, PostgreSQL``: the same on the PostgreSQL backend (``PgBackend.search``), when a server is given.

Run: ``.venv/bin/python -m tests.search_eval.evaluate`` (prints the table of docs/search-relevance.md); with
``TEST_DATABASE_URL=postgresql+psycopg://…`` set, the PostgreSQL backend too, in a database of its own that is
created and dropped (tests/database.py).
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from whoosh import index
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup

from portal import create_app
from portal.extensions import db
from portal.search import pg_index, registry
from portal.search.analysis import TOKEN_PATTERN
from portal.search.pg_backend import PgBackend
from portal.search.registry import PUBLIC, SearchDocument
from portal.search.services import parse_query
from portal.search.whoosh_backend import BackendQuery, WhooshBackend, _weighted_terms, close_all
from portal.search.whoosh_scoring import all_words, any_word, top
from tests.search_eval.corpus import DOCUMENTS, HELD_OUT, TUNING, TYPO_QUERIES

K = 10
Ranker = Callable[[str], list[int]]
Judged = Sequence[tuple[str, dict[int, int]]]


@dataclass(frozen=True)
class Scores:
    ndcg: float
    recall: float
    mrr: float


def _dcg(grades: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def score_query(ranking: list[int], judged: dict[int, int]) -> Scores:
    top_k = ranking[:K]
    ideal = _dcg(sorted(judged.values(), reverse=True)[:K])
    ndcg = _dcg([judged.get(doc, 0) for doc in top_k]) / ideal
    recall = len([doc for doc in top_k if doc in judged]) / len(judged)
    first = next((rank for rank, doc in enumerate(top_k, 1) if doc in judged), None)
    return Scores(ndcg, recall, 1 / first if first else 0.0)


def evaluate(ranker: Ranker, queries: Judged) -> Scores:
    per_query = [score_query(ranker(query), judged) for query, judged in queries]
    n = len(per_query)
    return Scores(
        ndcg=sum(s.ndcg for s in per_query) / n,
        recall=sum(s.recall for s in per_query) / n,
        mrr=sum(s.mrr for s in per_query) / n,
    )


def typo_misses(ranker: Ranker) -> list[str]:
    """Typo queries whose best document (grade 2) is not in the top 3."""
    judged = dict(TUNING) | dict(HELD_OUT)
    return [
        query for query in sorted(TYPO_QUERIES) if not any(judged[query].get(doc) == 2 for doc in ranker(query)[:3])
    ]


def _documents() -> list[SearchDocument]:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        SearchDocument(
            doc_type=doc.doc_type,
            doc_id=doc_id,
            title=doc.title,
            url=f"/d/{doc_id}",
            created_at=created,
            summary=doc.summary,
            body=doc.body,
            replies=doc.replies,
            audience=frozenset({PUBLIC}),
        )
        for doc_id, doc in DOCUMENTS.items()
    ]


@contextlib.contextmanager
def _no_document_expansion() -> Iterator[None]:
    original = registry.expansion_text
    registry.expansion_text = lambda *texts: ""
    try:
        yield
    finally:
        registry.expansion_text = original


def _backend(directory: str, expand: bool = True) -> WhooshBackend:
    backend = WhooshBackend(directory)
    with contextlib.nullcontext() if expand else _no_document_expansion(), backend.writer(timeout=10) as batch:
        for document in _documents():
            batch.upsert(document)
    return backend


def pg_ranker() -> Ranker:
    """The PostgreSQL backend over the set, in the current app context (its database is PostgreSQL)."""
    pg_index.rebuild(db.session(), _documents())
    db.session.commit()
    return best_match_ranker(PgBackend())


@contextmanager
def postgres_app(url: str) -> Iterator[None]:
    """An app context on a fresh PostgreSQL database next to ``url``'s, dropped afterwards."""
    from tests import database  # the test helpers: only when asked for PostgreSQL

    with tempfile.TemporaryDirectory() as folder, database.run_database_at(url) as run:
        app = create_app({"PORTAL_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": run.url, "UPLOAD_DIR": folder})
        with app.app_context():
            db.create_all()
            try:
                yield
            finally:
                db.session.remove()
                db.engine.dispose()


def best_match_ranker(backend: WhooshBackend | PgBackend) -> Ranker:
    def rank(query: str) -> list[int]:
        words, phrases = parse_query(query)
        request = BackendQuery(words=words, phrases=phrases, audiences=frozenset({PUBLIC}), per_page=K, highlight=False)
        return [hit.doc_id for hit in backend.search(request).hits]

    return rank


def before_ranker(backend: WhooshBackend) -> Ranker:
    """The rule before issue 14, on the same index and analysis: every word, else any word (typos corrected)."""

    def rank(query: str) -> list[int]:
        words, phrases = parse_query(query)
        request = BackendQuery(words=words, phrases=phrases, audiences=frozenset({PUBLIC}), per_page=K)
        with backend._opened() as opened:
            searcher = opened.searcher
            corrections = backend._corrections(searcher, request, None)
            terms = [t for word in words if (t := _weighted_terms(corrections.get(word.lower(), word)))]
            if not terms:
                return []
            scores = all_words(searcher, terms, opened.lengths)
            if not scores:
                scores = any_word(searcher, terms, opened.lengths)
            return [int(searcher.stored_fields(docnum)["doc_id"]) for docnum, _score in top(scores, K)]

    return rank


def bm25_ranker(directory: str) -> Ranker:
    """Plain BM25 over unstemmed words: no stemming, no stopwords, no typo correction; any word matches."""
    analyzer = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
    schema = Schema(doc_id=ID(stored=True), title=TEXT(analyzer=analyzer), content=TEXT(analyzer=analyzer))
    ix = index.create_in(directory, schema)
    with ix.writer() as writer:
        for doc_id, doc in DOCUMENTS.items():
            writer.add_document(doc_id=str(doc_id), title=doc.title, content=f"{doc.summary} {doc.body} {doc.replies}")
    parser = MultifieldParser(["title", "content"], schema, fieldboosts={"title": 5.0, "content": 1.0}, group=OrGroup)

    def rank(query: str) -> list[int]:
        with ix.searcher() as searcher:
            return [int(hit["doc_id"]) for hit in searcher.search(parser.parse(query), limit=K)]

    return rank


@dataclass(frozen=True)
class Row:
    ranking: str
    half: str
    scores: Scores


PG_BEST = "best-match, PostgreSQL"


def compare(postgres: bool = False) -> tuple[list[Row], dict[str, list[str]]]:
    """Every ranking on both halves, and each ranking's typo queries that miss the top 3.

    ``postgres``: also the PostgreSQL backend, in the current app context (whose database must be PostgreSQL).
    """
    with (
        tempfile.TemporaryDirectory() as ours,
        tempfile.TemporaryDirectory() as unexpanded,
        tempfile.TemporaryDirectory() as plain,
    ):
        try:
            backend, without = _backend(ours), _backend(unexpanded, expand=False)
            rankers = {
                "BM25, unstemmed (floor)": bm25_ranker(plain),
                "before (all words, else any)": before_ranker(without),
                "best-match, no doc expansion": best_match_ranker(without),
                "best-match (now)": best_match_ranker(backend),
            }
            if postgres:
                rankers[PG_BEST] = pg_ranker()
            rows = [
                Row(name, half, evaluate(ranker, queries))
                for name, ranker in rankers.items()
                for half, queries in (("tuning", TUNING), ("held-out", HELD_OUT))
            ]
            return rows, {name: typo_misses(ranker) for name, ranker in rankers.items()}
        finally:
            close_all()


def main() -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        with postgres_app(url):
            rows, misses = compare(postgres=True)
    else:
        rows, misses = compare()
    print(f"{len(DOCUMENTS)} documents, {len(TUNING)} tuning + {len(HELD_OUT)} held-out queries, cut-off {K}")
    print(f"| {'ranking':<30} | {'half':<8} | nDCG@10 | recall@10 |   MRR |")
    print(f"|{'-' * 32}|{'-' * 10}|--------:|----------:|------:|")
    for row in rows:
        s = row.scores
        print(f"| {row.ranking:<30} | {row.half:<8} | {s.ndcg:7.3f} | {s.recall:9.3f} | {s.mrr:5.3f} |")
    for name, missed in misses.items():
        print(f"typo queries without their best document in the top 3, {name}: {', '.join(missed) or 'none'}")


if __name__ == "__main__":
    main()
