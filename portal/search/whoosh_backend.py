"""The Whoosh search backend. With :mod:`portal.search.analysis`, :mod:`portal.search.ranking` and
:mod:`portal.search.whoosh_scoring`, the only code that imports Whoosh.

Searching: best-match ranking (:mod:`portal.search.ranking`): any query word makes a candidate, more distinct
words matched rank higher, then the term-at-a-time BM25F of ``whoosh_scoring`` and word proximity; quoted
phrases are required (Whoosh's phrase query finds them); exact counts.

Layout on disk: ``<root>/CURRENT`` names the live index directory ``<root>/v-<stamp>``. A rebuild writes a
new directory and replaces ``CURRENT`` atomically (``os.replace``), so searches never see a half-built index.

Per process there is ONE open index and ONE searcher per root, reopened when the index changed: opening a
searcher per request costs time and, with compound segments, hundreds of MB (docs: measured-pitfalls).
Writers use ``compound=False`` for the same reason and wait for the lock (``timeout``/``delay``) instead of
failing with ``LockError`` when another process is writing.
"""

from __future__ import annotations

import contextlib
import fcntl
import heapq
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from markupsafe import Markup, escape
from whoosh import index
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, Schema
from whoosh.index import LockError
from whoosh.query import And, DateRange, Or, Phrase, Query, Term
from whoosh.query.compound import DefaultOr
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from portal.search import ranking
from portal.search.analysis import (
    EXACT_MARK,
    IndonesianAnalyzer,
    IndonesianText,
    is_root,
    word_index_terms,
    word_terms,
)
from portal.search.backend import BackendHit, BackendQuery, BackendResult
from portal.search.expansion import EXPANSION_WEIGHT
from portal.search.registry import MEMBERS, PUBLIC, SearchDocument
from portal.search.snippets import highlight_snippet, highlight_title, shorten
from portal.search.synonyms import SYNONYM_WEIGHT, alternatives
from portal.search.whoosh_scoring import FieldLengths, WeightedTerm

POINTER = "CURRENT"
EXCERPT_CHARS = 1000  # snippets are built from this much stored plain text, never from the whole body
WRITER_DELAY = 0.05
EXACT_BOOST = 1.6  # an exact word beats a word that only shares the stem
# Two text fields, so a query word walks four posting lists (exact and stem, in each). Summary, body and
# replies share "content" and are told apart by the weight each occurrence adds (IndonesianText).
FIELD_BOOSTS = {"title": 5.0, "content": 1.0}
SUMMARY_WEIGHT, BODY_WEIGHT, REPLIES_WEIGHT = 2.5, 1.0, 0.4
REACH_LIMITED = "limited"


class IndexBusy(Exception):
    """Another process held the index lock for longer than we were willing to wait."""


class IndexOutdated(IndexBusy):
    """The live index was built by an older version of this code: ``flask search rebuild`` replaces it.

    Changes wait in the outbox meanwhile, as they do while the index is busy.
    """


def build_schema() -> Schema:
    analyzer = IndonesianAnalyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        doc_type=ID(stored=True),
        doc_id=STORED(),
        title=IndonesianText(analyzer=analyzer, stored=True),
        content=IndonesianText(analyzer=analyzer),
        excerpt=STORED(),
        url=STORED(),
        author_name=STORED(),
        fingerprint=STORED(),
        competency=KEYWORD(),
        unit=ID(),
        author=ID(),
        audience=KEYWORD(),
        reach=ID(),
        created_at=DATETIME(stored=True, sortable=True),
    )


def _current_format(ix: index.FileIndex) -> bool:
    return set(ix.schema.names()) == set(build_schema().names())


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _reach(audience: frozenset[str]) -> str:
    if PUBLIC in audience:
        return PUBLIC
    if MEMBERS in audience:
        return MEMBERS
    return REACH_LIMITED


def _fields(doc: SearchDocument) -> dict:
    summary = " ".join([doc.summary, *doc.tags]).strip()
    content = (
        (summary, SUMMARY_WEIGHT),
        (doc.body, BODY_WEIGHT),
        (doc.replies, REPLIES_WEIGHT),
        (doc.expansion, EXPANSION_WEIGHT),
    )
    return {
        "key": doc.key,
        "doc_type": doc.doc_type,
        "doc_id": doc.doc_id,
        "title": doc.title,
        "content": tuple(part for part in content if part[0]),
        "excerpt": _excerpt(doc),
        "url": doc.url,
        "author_name": doc.author_name,
        "fingerprint": doc.fingerprint(),
        "competency": " ".join(str(c) for c in doc.competency_ids),
        "unit": str(doc.unit_id or ""),
        "author": str(doc.author_id or ""),
        "audience": " ".join(sorted(doc.audience)),
        "reach": _reach(doc.audience),
        "created_at": _naive_utc(doc.created_at),
    }


def _excerpt(doc: SearchDocument) -> str:
    text = " ".join(part for part in (doc.summary, doc.body) if part)
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS)
    return text[: cut if cut > EXCERPT_CHARS // 2 else EXCERPT_CHARS]


# ---------------------------------------------------------------- the open index of this process


@dataclass
class _OpenIndex:
    version: str
    ix: index.FileIndex
    searcher: Searcher
    current: bool  # False for an index of an older format: it answers nothing until rebuilt
    masks: dict[tuple[frozenset[str], frozenset[str]], set[int] | None] = field(default_factory=dict)
    lengths: FieldLengths = field(default_factory=FieldLengths)


_OPEN: dict[str, _OpenIndex] = {}
_OPEN_LOCK = threading.RLock()


def close_all() -> None:
    """Close this process's searchers (tests, and before a forked process starts its own)."""
    with _OPEN_LOCK:
        for opened in _OPEN.values():
            opened.searcher.close()
        _OPEN.clear()


class WhooshBackend:
    def __init__(self, root: str):
        self.root = os.path.abspath(root)

    # ------------------------------------------------------------ versions and the pointer file

    def _pointer(self) -> str:
        return os.path.join(self.root, POINTER)

    def _read_version(self) -> str | None:
        try:
            with open(self._pointer(), encoding="ascii") as handle:
                return handle.read().strip() or None
        except FileNotFoundError:
            return None

    def _version(self) -> str:
        version = self._read_version()
        if version is None:
            version = self._create_first_version()
        return version

    @contextlib.contextmanager
    def _setup_lock(self) -> Iterator[None]:
        os.makedirs(self.root, exist_ok=True)
        with open(os.path.join(self.root, ".setup.lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _create_first_version(self) -> str:
        with self._setup_lock():
            version = self._read_version()
            if version is None:
                version = self._new_version_dir()
                self._point_to(version)
            return version

    def _new_version_dir(self) -> str:
        version = f"v-{time.time_ns()}-{os.getpid()}"
        path = os.path.join(self.root, version)
        os.makedirs(path)
        index.create_in(path, build_schema())
        return version

    def _point_to(self, version: str) -> None:
        temporary = f"{self._pointer()}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="ascii") as handle:
            handle.write(version)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self._pointer())

    def _remove_old_versions(self, keep: set[str]) -> None:
        """Keep the live index and the one before it (other processes may still be reading it)."""
        for name in os.listdir(self.root):
            if name.startswith("v-") and name not in keep:
                shutil.rmtree(os.path.join(self.root, name), ignore_errors=True)

    def exists(self) -> bool:
        return self._read_version() is not None

    # ------------------------------------------------------------ searcher (one per process, refreshed)

    @contextlib.contextmanager
    def _opened(self) -> Iterator[_OpenIndex]:
        with _OPEN_LOCK:
            version = self._version()
            opened = _OPEN.get(self.root)
            if opened is None or opened.version != version:
                if opened is not None:
                    opened.searcher.close()
                ix = index.open_dir(os.path.join(self.root, version))
                opened = _OpenIndex(version=version, ix=ix, searcher=ix.searcher(), current=_current_format(ix))
                _OPEN[self.root] = opened
            elif not opened.searcher.up_to_date():
                # Not Searcher.refresh(): its reader reuse keeps segments that a merge already replaced.
                opened.searcher.close()
                opened.searcher = opened.ix.searcher()
                opened.masks.clear()
                opened.lengths.forget_except([leaf.reader() for leaf, _offset in opened.searcher.leaf_searchers()])  # pyright: ignore[reportOptionalIterable] - see whoosh_scoring._LEAVES
            yield opened

    def is_current(self) -> bool:
        with self._opened() as opened:
            return opened.current

    def document_count(self) -> int:
        with self._opened() as opened:
            return opened.searcher.doc_count()

    # ------------------------------------------------------------ writing

    @contextlib.contextmanager
    def writer(self, timeout: float, any_format: bool = False) -> Iterator[IndexBatch]:
        """Lock the live index for writing; commit the batch on a clean exit, cancel it on an error.

        Raises :class:`IndexOutdated` for an index of an older format, unless ``any_format`` (the rebuild,
        which only holds the lock while it builds the new index elsewhere).
        """
        deadline = time.monotonic() + timeout
        while True:
            version = self._version()
            ix = index.open_dir(os.path.join(self.root, version))
            if not any_format and not _current_format(ix):
                raise IndexOutdated(self.root)
            try:
                writer = ix.writer(timeout=max(0.0, deadline - time.monotonic()), delay=WRITER_DELAY, compound=False)
            except LockError:
                raise IndexBusy(self.root) from None
            if self._read_version() == version:
                break
            writer.cancel()  # a rebuild swapped the index while we waited: write to the new one
        batch = IndexBatch(writer)
        try:
            yield batch
        except BaseException:
            writer.cancel()
            raise
        if batch.changed:
            writer.commit(merge=True)
        else:
            writer.cancel()

    def rebuild(self, documents: Iterable[SearchDocument], lock_timeout: float, procs: int = 1) -> int:
        """Index ``documents`` into a new directory and swap it in.

        The live index stays locked meanwhile, so outbox entries queued during the rebuild wait in the outbox
        and are applied to the new index afterwards, instead of going to the old one and being lost.
        """
        with self.writer(lock_timeout, any_format=True) as live:
            previous = self._version()
            version = self._new_version_dir()
            ix = index.open_dir(os.path.join(self.root, version))
            options = {"procs": procs, "multisegment": True, "subargs": {"compound": False}} if procs > 1 else {}
            writer = ix.writer(limitmb=256, compound=False, **options)
            count = 0
            try:
                for doc in documents:
                    writer.add_document(**_fields(doc))
                    count += 1
            except BaseException:
                writer.cancel()
                shutil.rmtree(os.path.join(self.root, version), ignore_errors=True)
                raise
            writer.commit()
            self._point_to(version)
            live.changed = False
        self._remove_old_versions(keep={version, previous})
        return count

    # ------------------------------------------------------------ inspection

    def fingerprints(self) -> dict[str, str]:
        with self._opened() as opened:
            return {
                stored["key"]: stored.get("fingerprint", "") for stored in opened.searcher.reader().all_stored_fields()
            }

    # ------------------------------------------------------------ searching

    def search(self, request: BackendQuery) -> BackendResult:
        with self._opened() as opened:
            if not opened.current:
                return BackendResult()
            searcher = opened.searcher
            mask = self._mask(opened, request)
            corrections = self._corrections(searcher, request, mask)
            query_words = [corrections.get(word.lower(), word) for word in request.words]
            distinct = {word.lower(): word for word in reversed(query_words)}  # the first spelling of each word
            words = [terms for word in reversed(distinct.values()) if (terms := _expanded_terms(word))]
            phrases = [group for phrase in request.phrases if (group := self._phrase_group(phrase)) is not None]
            result = BackendResult(corrections=corrections)
            if not words and not phrases:
                return result
            filter_query = self._filter(request)
            hidden = mask or set()
            allowed = set(searcher.docs_for_query(filter_query)) if filter_query is not None else None

            def visible(docnum: int) -> bool:
                return docnum not in hidden and (allowed is None or docnum in allowed)

            ranked = ranking.rank(
                searcher,
                opened.lengths,
                words,
                phrases,
                visible,
                limit=request.page * request.per_page,
                newest_first=request.newest_first,
            )
            result.total, result.matched_all = ranked.total, ranked.matched_all
            result.hits = self._page_hits(searcher, ranked.hits, request, query_words)
            return result

    @staticmethod
    def _phrase_group(phrase: tuple[str, ...]) -> tuple[Query, list[WeightedTerm]] | None:
        """The query a quoted phrase requires, and the terms that score it (its words' exact forms)."""
        exact = [_phrase_term(word) for word in phrase if word_terms(word) is not None]
        if not exact:
            return None
        terms = [(f, term, boost * EXACT_BOOST) for f, boost in FIELD_BOOSTS.items() for term in dict.fromkeys(exact)]
        if len(exact) == 1:
            return Or([Term(f, exact[0]) for f in FIELD_BOOSTS]), terms
        return Or([Phrase(f, exact) for f in FIELD_BOOSTS]), terms

    @staticmethod
    def _filter(request: BackendQuery) -> Query | None:
        """Filters the user chose; the document types are part of the mask (cached), not of this."""
        parts: list[Query] = []
        if request.competency_id:
            parts.append(Term("competency", str(request.competency_id)))
        if request.unit_id:
            parts.append(Term("unit", str(request.unit_id)))
        if request.author_id:
            parts.append(Term("author", str(request.author_id)))
        if request.date_from or request.date_to:
            start = _naive_utc(request.date_from) if request.date_from else None
            end = _naive_utc(request.date_to) if request.date_to else None
            parts.append(DateRange("created_at", start, end))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)

    @staticmethod
    def _mask(opened: _OpenIndex, request: BackendQuery) -> set[int] | None:
        """Document numbers the user may not see or did not ask for (other document types): left out of hits,
        counts and suggestions alike. Cached per searcher, as it only changes when the index does."""
        key = _mask_key(request)
        if key not in opened.masks:
            searcher = opened.searcher
            audiences = request.audiences
            if MEMBERS not in audiences:  # anonymous: everything not public
                hidden = set(searcher.docs_for_query(Or([Term("reach", MEMBERS), Term("reach", REACH_LIMITED)])))
            else:
                hidden = set(searcher.docs_for_query(Term("reach", REACH_LIMITED)))
                personal = [Term("audience", label) for label in audiences - {PUBLIC, MEMBERS}]
                if hidden and personal:
                    hidden -= set(searcher.docs_for_query(Or(personal)))
            hidden |= _deleted_docs(searcher)  # the fast path reads posting lists that still name them
            if request.doc_types:
                indexed_types = {text.decode() for text in searcher.reader().lexicon("doc_type")}
                other_types = [Term("doc_type", name) for name in indexed_types - set(request.doc_types)]
                if other_types:
                    hidden |= set(searcher.docs_for_query(Or(other_types)))
            if len(opened.masks) > 256:
                opened.masks.clear()
            opened.masks[key] = hidden or None
        return opened.masks[key]

    @staticmethod
    def _page_hits(
        searcher: Searcher, ranked: list[tuple[int, float]], request: BackendQuery, query_words: list[str]
    ) -> list[BackendHit]:
        start = (request.page - 1) * request.per_page
        wanted = _snippet_terms(query_words, request.phrases) if request.highlight else None
        hits = []
        for docnum, score in ranked[start : start + request.per_page]:
            stored = searcher.stored_fields(docnum)  # pyright: ignore[reportAttributeAccessIssue] - see whoosh_scoring._READER
            excerpt = stored.get("excerpt", "")
            snippet = highlight_snippet(excerpt, wanted) if wanted else ""
            if not snippet:
                snippet = str(escape(shorten(excerpt)))
            title = stored.get("title", "")
            marked_title = highlight_title(title, wanted) if wanted else str(escape(title))
            created = stored.get("created_at")
            hits.append(
                BackendHit(
                    doc_type=stored["doc_type"],
                    doc_id=int(stored["doc_id"]),
                    title=title,
                    url=stored.get("url", ""),
                    snippet=Markup(snippet),  # noqa: S704 - built by highlight_snippet, which escapes all text
                    score=round(float(score), 4),
                    created_at=created.replace(tzinfo=UTC) if created else None,
                    author_name=stored.get("author_name", ""),
                    title_html=Markup(marked_title),  # noqa: S704 - built by highlight_title, which escapes all text
                )
            )
        return hits

    # ------------------------------------------------------------ typo tolerance

    def _corrections(self, searcher: Searcher, request: BackendQuery, mask) -> dict[str, str]:
        """Words found nowhere in the index -> the closest indexed word that the user can see."""
        corrections: dict[str, str] = {}
        reader = searcher.reader()
        for word in request.words:
            terms = word_index_terms(word)
            if not terms or len(word) < 4 or alternatives(word):
                continue
            if any(reader.doc_frequency(f, t) for f in FIELD_BOOSTS for t in terms):
                continue
            best = self._closest(searcher, word.lower(), mask)
            if best:
                corrections[word.lower()] = best
        return corrections

    @staticmethod
    def _closest(searcher: Searcher, word: str, mask) -> str | None:
        """The most frequent visible word within one or two typos: an exact form, or a word that is its own
        stem (which is indexed without the exact mark)."""
        reader = searcher.reader()
        max_distance = 1 if len(word) <= 6 else 2
        candidates: dict[str, int] = {}
        for fieldname in FIELD_BOOSTS:
            for marked in (True, False):
                target = EXACT_MARK + word if marked else word
                for term in reader.terms_within(fieldname, target, max_distance, prefix=3 + marked):
                    if term.startswith(EXACT_MARK) == marked and term != target:
                        candidates[term] = candidates.get(term, 0) + reader.doc_frequency(fieldname, term)
        for term, _freq in heapq.nlargest(5, candidates.items(), key=lambda item: item[1]):
            probe = Or([Term(f, term) for f in FIELD_BOOSTS])
            if searcher.search(probe, limit=1, mask=mask, terms=False).scored_length():
                return term.removeprefix(EXACT_MARK)
        return None


def _weighted_terms(word: str) -> list[WeightedTerm]:
    """The index terms a query word matches, with their boosts: exact form and stems, in title and content."""
    terms = word_terms(word)
    if terms is None:
        return []
    exact, stems = terms
    weighted: list[WeightedTerm] = []
    for fieldname, boost in FIELD_BOOSTS.items():
        if not is_root(terms):  # a root word has no exact term: its weight in the index says "exact"
            weighted.append((fieldname, exact, boost * EXACT_BOOST))
        weighted.extend((fieldname, stemmed, boost) for stemmed in stems)
    return weighted


def _expanded_terms(word: str) -> list[WeightedTerm]:
    """A query word's terms and, with a lower weight, those of its thesaurus alternatives (one word still)."""
    terms = _weighted_terms(word)
    if not terms:
        return []
    seen = {(fieldname, text) for fieldname, text, _boost in terms}
    for other in alternatives(word):
        for fieldname, text, boost in _weighted_terms(other):
            if (fieldname, text) not in seen:
                seen.add((fieldname, text))
                terms.append((fieldname, text, boost * SYNONYM_WEIGHT))
    return terms


def _word_group(terms: list[WeightedTerm]) -> Query:
    # A tree of unions; Whoosh's default for small segments preloads and scores every posting of every
    # alternative.
    return DefaultOr([Term(fieldname, text, boost=boost) for fieldname, text, boost in terms])


def _phrase_term(word: str) -> str:
    """The term of a word inside a quoted phrase: its exact form as indexed."""
    return word_index_terms(word)[0]


def _deleted_docs(searcher: Searcher) -> set[int]:
    deleted: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():  # pyright: ignore[reportOptionalIterable] - see whoosh_scoring._LEAVES
        reader = leaf.reader()
        if reader.has_deletions():
            deleted.update(docnum + offset for docnum in range(reader.doc_count_all()) if reader.is_deleted(docnum))
    return deleted


def _mask_key(request: BackendQuery) -> tuple[frozenset[str], frozenset[str]]:
    return request.audiences, frozenset(request.doc_types)


def _snippet_terms(query_words: list[str], phrases: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """Index terms a snippet marks: the stems of loose words (like the query), exact forms of phrase words."""
    wanted: set[str] = set()
    for word in query_words:
        if (terms := word_terms(word)) is not None:
            wanted.update(terms[1])
    for phrase in phrases:
        wanted.update(_phrase_term(word) for word in phrase if word_terms(word) is not None)
    return frozenset(wanted)


@dataclass
class IndexBatch:
    """Changes to the live index inside :meth:`WhooshBackend.writer`."""

    writer: IndexWriter
    changed: bool = False

    def upsert(self, doc: SearchDocument) -> None:
        self.writer.update_document(**_fields(doc))
        self.changed = True

    def remove(self, key: str) -> None:
        self.writer.delete_by_term("key", key)
        self.changed = True
