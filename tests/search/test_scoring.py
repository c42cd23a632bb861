"""The fast path for plain words (whoosh_scoring) must find and score exactly as Whoosh's own search does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from whoosh.query import Or

from portal.search.registry import PUBLIC, SearchDocument
from portal.search.services import parse_query
from portal.search.whoosh_backend import BackendQuery, WhooshBackend, _weighted_terms, _word_group
from portal.search.whoosh_scoring import any_word
from tests.search_eval.corpus import DOCUMENTS, JUDGEMENTS


@pytest.fixture
def backend(search_index):
    backend = WhooshBackend(search_index)
    created = datetime(2026, 1, 1, tzinfo=UTC)
    ids = sorted(DOCUMENTS)
    for part in (ids[: len(ids) // 2], ids[len(ids) // 2 :]):  # two commits: two segments, as after a rebuild
        with backend.writer(timeout=10) as batch:
            for doc_id in part:
                title, body = DOCUMENTS[doc_id].title, DOCUMENTS[doc_id].body
                summary = "pelatihan pegawai" if doc_id % 5 == 0 else ""
                batch.upsert(
                    SearchDocument(
                        doc_type="doc",
                        doc_id=doc_id,
                        title=title,
                        url=f"/d/{doc_id}",
                        created_at=created,
                        summary=summary,
                        body=body,
                        replies="kinerja pegawai" if doc_id % 3 == 0 else "",
                        audience=frozenset({PUBLIC}),
                    )
                )
    with backend.writer(timeout=10) as batch:  # an update leaves a deleted copy in the older segment
        doc = DOCUMENTS[ids[1]]
        batch.upsert(
            SearchDocument("doc", ids[1], doc.title, "/d/2", created, body=doc.body, audience=frozenset({PUBLIC}))
        )
    return backend


@pytest.mark.parametrize("query", [*JUDGEMENTS, "pegawai kinerja", "pelatihan SPBE songket"])
def test_fast_path_matches_whoosh(backend, query):
    words, _phrases = parse_query(query)
    request = BackendQuery(words=words, phrases=(), audiences=frozenset({PUBLIC}), doc_types=("doc",), per_page=10)
    with backend._opened() as opened:
        mask = backend._mask(opened, request) or set()
        terms = [weighted for word in words if (weighted := _weighted_terms(word))]
        fast = {d: score for d, score in any_word(opened.searcher, terms, opened.lengths).items() if d not in mask}
        groups = [_word_group(weighted) for weighted in terms]
        results = opened.searcher.search(Or(groups), limit=None, mask=mask or None, terms=False, optimize=False)
        slow = {docnum: score for score, docnum in results.top_n}
    assert set(fast) == set(slow)
    assert [fast[docnum] for docnum in sorted(slow)] == pytest.approx([slow[d] for d in sorted(slow)], rel=1e-6)
