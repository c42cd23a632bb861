"""The fast path for plain words (whoosh_scoring) must rank and score exactly as Whoosh's own search does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.search.registry import PUBLIC, SearchDocument
from portal.search.services import parse_query
from portal.search.whoosh_backend import BackendQuery, WhooshBackend, _weighted_terms, _word_group
from tests.search_eval.corpus import DOCUMENTS, JUDGEMENTS


@pytest.fixture
def backend(search_index):
    backend = WhooshBackend(search_index)
    created = datetime(2026, 1, 1, tzinfo=UTC)
    for first in (1, 24):  # two commits: two segments, as after a rebuild plus updates
        with backend.writer(timeout=10) as batch:
            for doc_id in [n for n in DOCUMENTS if first <= n < first + 23]:
                title, body = DOCUMENTS[doc_id]
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
        title, body = DOCUMENTS[2]
        batch.upsert(SearchDocument("doc", 2, title, "/d/2", created, body=body, audience=frozenset({PUBLIC})))
    return backend


@pytest.mark.parametrize("query", [*JUDGEMENTS, "pegawai kinerja", "pelatihan SPBE songket"])
def test_fast_path_matches_whoosh(backend, query):
    words, _phrases = parse_query(query)
    request = BackendQuery(words=words, phrases=(), audiences=frozenset({PUBLIC}), doc_types=("doc",), per_page=10)
    with backend._opened() as opened:
        mask = backend._mask(opened, request)
        terms = [weighted for word in words if (weighted := _weighted_terms(word))]
        fast, fast_total, fast_all = backend._search_words(opened, terms, mask, None, 10)
        groups = [_word_group(weighted) for weighted in terms]
        slow, slow_total, slow_all = backend._search_whoosh(opened.searcher, groups, request, mask, None, 10)
    assert (fast_total, fast_all) == (slow_total, slow_all)
    assert [docnum for docnum, _score in fast] == [docnum for docnum, _score in slow]
    assert [score for _docnum, score in fast] == pytest.approx([score for _docnum, score in slow], rel=1e-6)
