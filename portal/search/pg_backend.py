"""The PostgreSQL search backend: the index is two tables of the database (:mod:`portal.search.pg_index`).

Rows are written in the transaction of the content change (the outbox's ``before_commit`` hook), so every app
server sees a change at its commit: no index files, no lock between processes, no rebuild in normal operation.

A search is three statements:

1. the corpus totals and the query lexemes' document frequencies (``search_terms``, primary key);
2. every candidate through the GIN index (any query word; every quoted phrase, ``<->``), filtered by audience
   and the user's filters in SQL, with the exact total, the coordination level (how many distinct query words
   each matches) and a cheap ``ts_rank`` × idf, ordered and cut at ``limit + RERANK_DEPTH``;
3. the query lexemes' positions and weights in those candidates, for the exact BM25F and proximity re-rank of
   :mod:`portal.search.pg_scoring`, then the page's stored fields for the highlighted hits.

"Did you mean": a word found nowhere is looked up in the vocabulary through its trigram index (pg_trgm), within
one or two typos (same first three letters, like the Whoosh backend), and the most frequent word that the user
may see wins.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from markupsafe import Markup, escape
from sqlalchemy import text

from portal.extensions import db
from portal.search import pg_index
from portal.search.analysis import word_index_terms, word_terms
from portal.search.backend import BackendHit, BackendQuery, BackendResult
from portal.search.pg_index import REACH_LIMITED, PgBatch
from portal.search.pg_scoring import (
    RANK_WEIGHTS,
    STATS,
    Candidate,
    Corpus,
    any_of,
    bm25f,
    levenshtein,
    phrase_lexemes,
    phrase_query,
    proximity,
    quote,
    word_lexemes,
)
from portal.search.ranking import RERANK_DEPTH
from portal.search.registry import MEMBERS, PUBLIC, SearchDocument
from portal.search.snippets import highlight_snippet, highlight_title, shorten
from portal.search.synonyms import alternatives

SUGGESTION_CANDIDATES = 30


class PgBackend:
    """Search and index upkeep in the app's database session (``db.session``)."""

    # ------------------------------------------------------------ upkeep

    def exists(self) -> bool:
        return True

    def is_current(self) -> bool:
        return True

    def document_count(self) -> int:
        return pg_index.document_count(db.session())

    def fingerprints(self) -> dict[str, str]:
        return pg_index.fingerprints(db.session())

    @contextlib.contextmanager
    def writer(self, timeout: float, any_format: bool = False) -> Iterator[PgBatch]:  # noqa: ARG002 - no lock here
        """Changes written in the session's transaction; the caller commits (no lock: rows lock themselves)."""
        batch = PgBatch(db.session())
        yield batch
        batch.write()

    def rebuild(self, documents: Iterable[SearchDocument], lock_timeout: float, procs: int = 1) -> int:  # noqa: ARG002
        count = pg_index.rebuild(db.session(), documents)
        db.session.commit()
        return count

    # ------------------------------------------------------------ searching

    def search(self, request: BackendQuery) -> BackendResult:
        distinct = {word.lower(): word for word in reversed(request.words)}
        loose = [word for word in reversed(distinct.values()) if word_terms(word) is not None]
        phrases = [found for phrase in request.phrases if (found := phrase_lexemes(phrase))]
        words = [word_lexemes(word) for word in loose]
        every = {lexeme for lexemes in words for lexeme in lexemes} | {lex for phrase in phrases for lex in phrase}
        corpus = self._corpus(every)
        mask_sql, mask_params = _mask(request)
        corrections = self._corrections(request, corpus, mask_sql, mask_params)
        if corrections:
            loose = [corrections.get(word.lower(), word) for word in loose]
            words = [word_lexemes(word) for word in loose]
            corpus = self._corpus({lexeme for lexemes in words for lexeme in lexemes} | every)
        result = BackendResult(corrections=corrections)
        if not words and not phrases:
            return result
        limit = request.page * request.per_page
        rows = self._candidates(request, words, phrases, corpus, mask_sql, mask_params, limit)
        if not rows:
            result.matched_all = False
            return result
        result.total = rows[0].total
        result.matched_all = (max(row.matched for row in rows) == len(words)) if words else True
        if request.newest_first:
            ordered = [(row.id, 0.0) for row in rows[:limit]]
        else:
            ordered = self._rerank(rows, words, phrases, corpus, limit)
        start = (request.page - 1) * request.per_page
        result.hits = self._page_hits(ordered[start : start + request.per_page], request, loose)
        return result

    @staticmethod
    def _corpus(lexemes: set[str]) -> Corpus:
        counts = db.session.execute(
            text("SELECT term, doc_count FROM search_terms WHERE term = ANY(:terms)"),
            {"terms": [*STATS, *sorted(lexemes)]},
        )
        return Corpus.from_counts(dict(counts.all()))

    @staticmethod
    def _candidates(request, words, phrases, corpus: Corpus, mask_sql: str, params: dict, limit: int) -> list:
        params = dict(params)
        matched, scores = [], []
        for index, lexemes in enumerate(words):
            params[f"w{index}"] = any_of(list(lexemes))
            params[f"f{index}"] = max(corpus.idf(lexeme) for lexeme in lexemes)
            matched.append(f"(d.t @@ CAST(:w{index} AS tsquery))::int")
            scores.append(f"ts_rank(CAST(:weights AS real[]), d.t, CAST(:w{index} AS tsquery)) * :f{index}")
        for index, lexemes in enumerate(phrases):
            params[f"p{index}"] = phrase_query(lexemes)
            scores.append(f"ts_rank(CAST(:weights AS real[]), d.t, CAST(:p{index} AS tsquery)) * :g{index}")
            params[f"g{index}"] = max(corpus.idf(lexeme) for lexeme in lexemes)
        if phrases:
            match_sql = " && ".join(f"CAST(:p{index} AS tsquery)" for index in range(len(phrases)))
        else:
            params["any"] = " | ".join(f"({params[f'w{index}']})" for index in range(len(words)))
            match_sql = "CAST(:any AS tsquery)"
        params["weights"] = RANK_WEIGHTS
        params["limit"] = limit + RERANK_DEPTH if not request.newest_first else limit
        order = "d.created_at DESC, d.id" if request.newest_first else "matched DESC, score DESC, d.id"
        sql = f"""
            SELECT d.id, {" + ".join(matched) or "0"} AS matched, {" + ".join(scores) or "0"} AS score,
                   count(*) OVER () AS total
            FROM (
                SELECT id, created_at, tsv || ''::tsvector AS t FROM search_documents
                WHERE tsv @@ ({match_sql}) AND {mask_sql}
                OFFSET 0
            ) AS d
            ORDER BY {order}
            LIMIT :limit
        """  # noqa: S608 - only placeholders and fixed SQL are formatted in; values are bound
        return list(db.session.execute(text(sql), params))

    @staticmethod
    def _rerank(rows, words, phrases, corpus: Corpus, limit: int) -> list[tuple[int, float]]:
        lexemes = sorted({lexeme for group in words for lexeme in group} | {lex for ph in phrases for lex in ph})
        places: dict[int, dict] = {row.id: {} for row in rows}
        lengths: dict[int, tuple[int, int]] = {}
        found = db.session.execute(
            text(
                "SELECT d.id, d.title_len, d.content_len, u.lexeme, u.positions, u.weights"
                " FROM search_documents AS d"
                " LEFT JOIN LATERAL unnest(d.tsv) AS u(lexeme, positions, weights) ON u.lexeme = ANY(:lexemes)"
                " WHERE d.id = ANY(:ids)"
            ),
            {"ids": list(places), "lexemes": lexemes},
        )
        for row in found:
            lengths[row.id] = (row.title_len, row.content_len)
            if row.lexeme is not None:
                places[row.id][row.lexeme] = (row.positions, row.weights)
        phrase_words = [dict.fromkeys(phrase, 1.6) for phrase in phrases]
        scored = []
        for row in rows:
            title_len, content_len = lengths.get(row.id, (0, 0))
            candidate = Candidate(row.id, title_len, content_len, places[row.id])
            score = sum(bm25f(candidate, group, corpus) for group in [*words, *phrase_words])
            score *= proximity(candidate, words)
            scored.append((-row.matched, -score, row.id))
        scored.sort()
        return [(doc, -score) for _matched, score, doc in scored[:limit]]

    @staticmethod
    def _page_hits(ordered: list[tuple[int, float]], request: BackendQuery, loose: list[str]) -> list[BackendHit]:
        if not ordered:
            return []
        stored = {
            row.id: row
            for row in db.session.execute(
                text(
                    "SELECT id, doc_type, doc_id, title, url, excerpt, author_name, created_at"
                    " FROM search_documents WHERE id = ANY(:ids)"
                ),
                {"ids": [doc for doc, _score in ordered]},
            )
        }
        wanted = _snippet_terms(loose, request.phrases) if request.highlight else None
        hits = []
        for doc, score in ordered:
            row = stored.get(doc)
            if row is None:
                continue
            snippet = highlight_snippet(row.excerpt, wanted) if wanted else ""
            if not snippet:
                snippet = str(escape(shorten(row.excerpt)))
            created: datetime | None = row.created_at
            hits.append(
                BackendHit(
                    doc_type=row.doc_type,
                    doc_id=row.doc_id,
                    title=row.title,
                    url=row.url,
                    snippet=Markup(snippet),  # noqa: S704 - built by highlight_snippet, which escapes all text
                    score=round(float(score), 4),
                    created_at=created.astimezone(UTC) if created else None,
                    author_name=row.author_name,
                    title_html=Markup(highlight_title(row.title, wanted) if wanted else str(escape(row.title))),  # noqa: S704 - escaped by highlight_title
                )
            )
        return hits

    # ------------------------------------------------------------ typo tolerance

    def _corrections(self, request: BackendQuery, corpus: Corpus, mask_sql: str, params: dict) -> dict[str, str]:
        corrections: dict[str, str] = {}
        for word in request.words:
            lexemes = word_lexemes(word)
            if not lexemes or len(word) < 4 or alternatives(word):
                continue
            if any(corpus.frequencies.get(lexeme, 0) > 0 for lexeme in lexemes):
                continue
            best = self._closest(word.lower(), mask_sql, params)
            if best:
                corrections[word.lower()] = best
        return corrections

    @staticmethod
    def _closest(word: str, mask_sql: str, params: dict) -> str | None:
        """The most frequent visible word form within one or two typos of ``word``."""
        max_distance = 1 if len(word) <= 6 else 2
        rows = db.session.execute(
            text(
                "SELECT term, doc_count FROM search_terms"
                " WHERE term % :word AND doc_count > 0 AND term LIKE :prefix"
                " ORDER BY similarity(term, :word) DESC LIMIT :n"
            ),
            {"word": word, "prefix": f"={word[:3]}%", "n": SUGGESTION_CANDIDATES},
        )
        near = [
            (count, term)
            for term, count in rows
            if term[1:] != word and levenshtein(term[1:], word, max_distance) <= max_distance
        ]
        for _count, term in sorted(near, key=lambda item: (-item[0], item[1]))[:5]:
            probe = text(f"SELECT 1 FROM search_documents WHERE tsv @@ CAST(:probe AS tsquery) AND {mask_sql} LIMIT 1")  # noqa: S608 - fixed SQL
            if db.session.execute(probe, {**params, "probe": quote(term)}).first() is not None:
                return term[1:]
        return None


def _mask(request: BackendQuery) -> tuple[str, dict]:
    """SQL (and its parameters) keeping out what the user may not see or did not ask for."""
    clauses: list[str] = []
    params: dict = {}
    if MEMBERS not in request.audiences:
        clauses.append("reach = 'public'")
    else:
        personal = sorted(request.audiences - {PUBLIC, MEMBERS})
        labels = " OR ".join(f"audience LIKE :label{index}" for index in range(len(personal)))
        params.update({f"label{index}": f"% {label} %" for index, label in enumerate(personal)})
        clauses.append(f"(reach <> '{REACH_LIMITED}'" + (f" OR {labels})" if labels else ")"))
    if request.doc_types:
        clauses.append("doc_type = ANY(:doc_types)")
        params["doc_types"] = list(request.doc_types)
    if request.competency_id:
        clauses.append("competencies LIKE :competency")
        params["competency"] = f"% {request.competency_id} %"
    if request.unit_id:
        clauses.append("unit_id = :unit_id")
        params["unit_id"] = request.unit_id
    if request.author_id:
        clauses.append("author_id = :author_id")
        params["author_id"] = request.author_id
    if request.date_from:
        clauses.append("created_at >= :date_from")
        params["date_from"] = request.date_from
    if request.date_to:
        clauses.append("created_at <= :date_to")
        params["date_to"] = request.date_to
    return " AND ".join(clauses), params


def _snippet_terms(loose: list[str], phrases: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """Index terms a snippet marks (as the Whoosh backend): the stems of loose words, exact forms of phrase words."""
    wanted: set[str] = set()
    for word in loose:
        if (terms := word_terms(word)) is not None:
            wanted.update(terms[1])
    for phrase in phrases:
        wanted.update(word_index_terms(word)[0] for word in phrase if word_terms(word) is not None)
    return frozenset(wanted)
