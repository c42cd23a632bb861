"""Search test fixtures: the test-only "note" document type (tests/conftest.py gives each test a fresh index)."""

from __future__ import annotations

import os

import pytest

from portal.extensions import db
from portal.search import registry, services
from tests.search import notes

# The Whoosh backend's outbox and index lock (queued rows, the after-request apply, catch-up, a busy lock): on
# PostgreSQL (TEST_DATABASE_URL) nothing is queued, the index rows are written in the change's transaction, and
# test_pg_backend.py checks that instead.
whoosh_only = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="Whoosh outbox/lock behaviour; PostgreSQL: test_pg_backend.py"
)


@pytest.fixture
def note_type(app):
    """Register the test-only note type with its own table; only notes are searched meanwhile."""
    saved = {t.name: t for t in registry.all_types()}
    for name in saved:
        registry.unregister(name)
    db.session.commit()  # end any read transaction: SQLite refuses writes from a snapshot older than the DDL
    notes.create_tables()
    notes.register()
    yield notes
    db.session.remove()
    notes.drop_tables()
    registry.unregister(notes.NOTE)
    for doc_type in saved.values():
        registry.register(doc_type)


def search_titles(query: str, user=None, **filters) -> list[str]:
    page = services.search(query, services.SearchFilters(**filters), user)
    return [hit.title for hit in page.hits]
