"""Writing the PostgreSQL index: documents analysed in Python into weighted ``tsvector`` rows, in the caller's
transaction.

Analysis is the Whoosh backend's (:mod:`portal.search.analysis`: Sastrawi stems, exact forms, acronyms,
stopwords), so both backends match the same words. Every word puts its exact form (``=pelatihan``) and its stems
(``latih``) at one position; unlike the Whoosh index a word that is its own stem also gets its exact form, which
is how the ranking tells "pegawai" from "kepegawaian" here. The weight of a position names its part: A title,
B summary and tags, C body, D replies. Parts are :data:`PART_GAP` positions apart, so a quoted phrase (tsquery
``<->``) never spans two parts.

``search_terms`` keeps each lexeme's document frequency (BM25 idf) and the corpus totals, changed with the
documents in the same transaction, terms in sorted order so two transactions never deadlock on them (a writer
holds the row locks of its terms only from its index write to its commit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from portal.search.analysis import PART_GAP, word_terms, words
from portal.search.models import SearchIndexRow, SearchTerm
from portal.search.registry import MEMBERS, PUBLIC, SearchDocument

EXCERPT_CHARS = 1000  # as the Whoosh index: snippets come from this much stored plain text
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position; later words share it
MAX_POSITIONS = 255  # per lexeme and document (PostgreSQL keeps at most 256)
TITLE, SUMMARY, BODY, REPLIES = "A", "B", "C", "D"
REACH_LIMITED = "limited"
WRITE_BATCH = 500
# Corpus totals live in search_terms under names no lexeme can have (a lexeme has no spaces): the number of
# documents and the words in all titles and all contents, for BM25's idf and average lengths.
DOCS, TITLE_WORDS, CONTENT_WORDS = " documents", " title words", " content words"


def lexemes(word: str) -> tuple[str, ...]:
    """What one word puts into the index: its exact form, then its stems; () for a stopword."""
    terms = word_terms(word)
    if terms is None:
        return ()
    exact, stems = terms
    return (exact, *stems)


@dataclass
class Analysed:
    tsv: str  # tsvector literal
    lexemes: frozenset[str]
    title_len: int
    content_len: int


def quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def analyse(doc: SearchDocument) -> Analysed:
    summary = " ".join([doc.summary, *doc.tags]).strip()
    # The thesaurus expansion (search.expansion) shares the lightest class with the replies: a tsvector has four
    # weights, and 0.4 against Whoosh's 0.3 for the expansion changed no measured ranking.
    parts = ((doc.title, TITLE), (summary, SUMMARY), (doc.body, BODY), (doc.replies, REPLIES), (doc.expansion, REPLIES))
    places: dict[str, list[str]] = {}
    position = 1
    lengths = {TITLE: 0, SUMMARY: 0, BODY: 0, REPLIES: 0}
    for part, weight in parts:
        for word in words(part):
            found = lexemes(word)
            if not found:
                continue
            lengths[weight] += 1
            mark = f"{min(position, MAX_POSITION)}{weight}"
            for lexeme in found:
                entry = places.setdefault(lexeme, [])
                if len(entry) < MAX_POSITIONS:
                    entry.append(mark)
            position += 1
        position += PART_GAP
    tsv = " ".join(f"{quote(lexeme)}:{','.join(marks)}" for lexeme, marks in places.items())
    return Analysed(
        tsv=tsv,
        lexemes=frozenset(places),
        title_len=lengths[TITLE],
        content_len=lengths[SUMMARY] + lengths[BODY] + lengths[REPLIES],
    )


def reach(audience: frozenset[str]) -> str:
    if PUBLIC in audience:
        return PUBLIC
    if MEMBERS in audience:
        return MEMBERS
    return REACH_LIMITED


def excerpt(doc: SearchDocument) -> str:
    body = " ".join(part for part in (doc.summary, doc.body) if part)
    if len(body) <= EXCERPT_CHARS:
        return body
    cut = body.rfind(" ", 0, EXCERPT_CHARS)
    return body[: cut if cut > EXCERPT_CHARS // 2 else EXCERPT_CHARS]


def row_values(doc: SearchDocument, analysed: Analysed) -> dict:
    created = doc.created_at if doc.created_at.tzinfo else doc.created_at.replace(tzinfo=UTC)
    return {
        "key": doc.key,
        "doc_type": doc.doc_type,
        "doc_id": doc.doc_id,
        "title": doc.title,
        "url": doc.url,
        "excerpt": excerpt(doc),
        "author_name": doc.author_name,
        "fingerprint": doc.fingerprint(),
        "competencies": " " + " ".join(str(c) for c in sorted(doc.competency_ids)) + " ",
        "unit_id": doc.unit_id,
        "author_id": doc.author_id,
        "audience": " " + " ".join(sorted(doc.audience)) + " ",
        "reach": reach(doc.audience),
        "created_at": created,
        "title_len": analysed.title_len,
        "content_len": analysed.content_len,
        "tsv": analysed.tsv,
    }


@dataclass
class PgBatch:
    """Changes to the index inside one transaction; :meth:`write` sends them (the caller commits)."""

    session: Session
    upserts: dict[str, SearchDocument] = field(default_factory=dict)
    removals: set[str] = field(default_factory=set)
    changed: bool = False

    def upsert(self, doc: SearchDocument) -> None:
        self.upserts[doc.key] = doc
        self.removals.discard(doc.key)
        self.changed = True

    def remove(self, key: str) -> None:
        self.removals.add(key)
        self.upserts.pop(key, None)
        self.changed = True

    def write(self) -> None:
        keys = sorted(set(self.upserts) | self.removals)
        delta: Counter[str] = Counter()
        for start in range(0, len(keys), WRITE_BATCH):
            self._write_keys(keys[start : start + WRITE_BATCH], delta)
        add_frequencies(self.session, delta)  # once, in term order: two writers never deadlock on the terms
        self.upserts.clear()
        self.removals.clear()

    def _write_keys(self, keys: list[str], delta: Counter[str]) -> None:
        # Lock the rows being replaced, so the document frequencies are counted from what is really there.
        previous = self.session.execute(
            text(
                "SELECT key, tsvector_to_array(tsv), title_len, content_len FROM search_documents"
                " WHERE key = ANY(:keys) FOR UPDATE"
            ),
            {"keys": keys},
        ).all()
        for _key, old, title_len, content_len in previous:
            delta.subtract(old)
            delta.subtract({DOCS: 1, TITLE_WORDS: title_len, CONTENT_WORDS: content_len})
        rows = []
        for key in keys:
            doc = self.upserts.get(key)
            if doc is None:
                continue
            analysed = analyse(doc)
            delta.update(analysed.lexemes)
            delta.update({DOCS: 1, TITLE_WORDS: analysed.title_len, CONTENT_WORDS: analysed.content_len})
            rows.append(row_values(doc, analysed))
        gone = [key for key in keys if key not in self.upserts]
        if gone:
            self.session.execute(delete(SearchIndexRow).where(SearchIndexRow.key.in_(gone)))
        if rows:
            statement = insert(SearchIndexRow)
            updated = {name: statement.excluded[name] for name in rows[0] if name != "key"}
            self.session.execute(statement.on_conflict_do_update(index_elements=["key"], set_=updated), rows)


def add_frequencies(session: Session, delta: Counter[str]) -> None:
    changes = [{"term": term, "doc_count": count} for term, count in sorted(delta.items()) if count]
    for start in range(0, len(changes), 2000):
        statement = insert(SearchTerm)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["term"], set_={"doc_count": SearchTerm.doc_count + statement.excluded.doc_count}
            ),
            changes[start : start + 2000],
        )


def rebuild(session: Session, documents: Iterable[SearchDocument]) -> int:
    """Replace the whole index with ``documents`` in the session's transaction (the caller commits).

    Searches keep seeing the old rows until the commit; rows are deleted, not truncated, so no search waits.
    """
    session.execute(delete(SearchIndexRow))
    session.execute(delete(SearchTerm))
    frequencies: Counter[str] = Counter()
    count = 0
    pending: list[dict] = []
    for doc in documents:
        analysed = analyse(doc)
        frequencies.update(analysed.lexemes)
        frequencies.update({DOCS: 1, TITLE_WORDS: analysed.title_len, CONTENT_WORDS: analysed.content_len})
        pending.append(row_values(doc, analysed))
        count += 1
        if len(pending) >= WRITE_BATCH:
            session.execute(insert(SearchIndexRow), pending)
            pending = []
    if pending:
        session.execute(insert(SearchIndexRow), pending)
    add_frequencies(session, frequencies)
    return count


def fingerprints(session: Session) -> dict[str, str]:
    return dict(session.execute(select(SearchIndexRow.key, SearchIndexRow.fingerprint)).all())


def document_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SearchIndexRow)) or 0
