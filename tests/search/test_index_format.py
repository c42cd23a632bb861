"""An index written by the previous code (separate summary/body/replies fields) keeps serving searches until
``flask search rebuild`` replaces it; changes wait in the outbox meanwhile instead of failing."""

from __future__ import annotations

import os

from whoosh import index
from whoosh.fields import ID, STORED, TEXT, Schema

from portal.search import services
from portal.search.analysis import IndonesianAnalyzer
from portal.search.whoosh_backend import POINTER
from tests.search.conftest import whoosh_only


def _old_format_index(root: str) -> None:
    analyzer = IndonesianAnalyzer()
    schema = Schema(
        key=ID(stored=True, unique=True),
        doc_type=ID(stored=True),
        doc_id=STORED(),
        title=TEXT(analyzer=analyzer, stored=True),
        summary=TEXT(analyzer=analyzer),
        body=TEXT(analyzer=analyzer),
        replies=TEXT(analyzer=analyzer, phrase=False),
    )
    path = os.path.join(root, "v-old")
    os.makedirs(path)
    with index.create_in(path, schema).writer() as writer:
        writer.add_document(key="note:999", doc_type="note", doc_id=999, title="Catatan lama", body="arsip")
    with open(os.path.join(root, POINTER), "w", encoding="ascii") as handle:
        handle.write("v-old")


@whoosh_only
def test_old_index_waits_for_a_rebuild_and_the_rebuild_replaces_it(note_type, search_index):
    _old_format_index(search_index)
    note_type.add_note("Pelatihan kearsipan", "Tata kelola arsip dinamis.", public=True)

    services.apply_after_request()  # must not raise: the change stays queued
    assert services.pending_count() == 1
    assert services.search("arsip", services.SearchFilters(), None).hits == []
    assert services.check().missing == ["note:1"]

    assert services.rebuild() == 1
    assert services.pending_count() == 0
    assert [hit.title for hit in services.search("arsip", services.SearchFilters(), None).hits] == [
        "Pelatihan kearsipan"
    ]
    assert services.check().ok
