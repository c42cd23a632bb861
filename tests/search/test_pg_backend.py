"""The PostgreSQL backend: index rows written in the content's transaction, frequencies kept in step, pg_trgm
suggestions, rebuild and check. Runs with TEST_DATABASE_URL (the rest of tests/search runs on both backends)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from portal.extensions import db
from portal.search import services
from portal.search.outbox import backend_name
from portal.search.pg_backend import PgBackend
from tests.search.conftest import search_titles

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL backend only")


def indexed_keys() -> list[str]:
    return list(db.session.scalars(text("SELECT key FROM search_documents ORDER BY key")))


def recounted_frequencies() -> dict[str, int]:
    rows = db.session.execute(
        text("SELECT u.lexeme, count(*) FROM search_documents AS d, unnest(d.tsv) AS u GROUP BY u.lexeme")
    )
    return dict(rows.all())


def kept_frequencies() -> dict[str, int]:
    rows = db.session.execute(
        text("SELECT term, doc_count FROM search_terms WHERE doc_count <> 0 AND term NOT LIKE ' %'")
    )
    return dict(rows.all())


def test_postgresql_is_the_backend_and_nothing_waits_in_an_outbox(app, note_type):
    assert backend_name() == "postgresql"
    assert isinstance(services.get_backend(), PgBackend)
    note_type.add_note("Pelatihan pelayanan publik", public=True)
    assert services.pending_count() == 0
    assert search_titles("pelayanan") == ["Pelatihan pelayanan publik"]


def test_the_index_row_is_committed_with_the_content_and_seen_by_another_connection_at_once(app, run_db, note_type):
    note = note_type.add_note("Orientasi pegawai baru", public=True)
    other = create_engine(run_db.url)
    try:
        with other.connect() as conn:
            found = conn.execute(
                text("SELECT key FROM search_documents WHERE tsv @@ CAST(:q AS tsquery)"), {"q": "'=orientasi'"}
            ).scalars()
            assert list(found) == [f"note:{note.id}"]
        note_type.update_note(note, title="Orientasi CPNS")
        with other.connect() as conn:
            title = conn.execute(text("SELECT title FROM search_documents WHERE key = :k"), {"k": f"note:{note.id}"})
            assert title.scalar_one() == "Orientasi CPNS"
    finally:
        other.dispose()


def test_a_rolled_back_change_leaves_no_index_row(note_type):
    note_type.add_note("Catatan yang dibatalkan", public=True, commit=False)
    db.session.rollback()
    assert indexed_keys() == []
    assert search_titles("dibatalkan") == []
    # The next transaction does not carry the rolled-back change along.
    later = note_type.add_note("Catatan berikutnya", public=True)
    assert indexed_keys() == [f"note:{later.id}"]


def test_document_frequencies_follow_creates_updates_and_deletes(note_type):
    first = note_type.add_note("Pelatihan kearsipan", "Arsip dinamis dan arsip statis.", public=True)
    second = note_type.add_note("Kearsipan digital", "Pelatihan arsip elektronik.", public=True)
    assert kept_frequencies() == recounted_frequencies()
    note_type.update_note(first, title="Rapat koordinasi", body="Agenda rapat bulanan.")
    assert kept_frequencies() == recounted_frequencies()
    note_type.delete_note(second)
    assert kept_frequencies() == recounted_frequencies()
    documents = db.session.scalar(text("SELECT doc_count FROM search_terms WHERE term = ' documents'"))
    assert documents == 1


def test_typo_suggestion_comes_from_the_trigram_index_of_visible_words(note_type, make_user):
    note_type.add_note("Kepemimpinan kepala seksi", "Gaya kepemimpinan yang melayani.", public=True)
    note_type.add_note("Rahasia unit", "Kerahasiaan dokumen kepegawaian.", unit_only=True, unit_id=999)
    assert db.session.scalar(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_search_terms_trgm'")) == 1
    page = services.search("kepemimpnan", services.SearchFilters(), None)
    assert page.suggestion == "kepemimpinan"
    assert [hit.title for hit in page.hits] == ["Kepemimpinan kepala seksi"]
    # A word only a unit's members can see is never suggested to others.
    assert services.search("kerahasian", services.SearchFilters(), make_user()).suggestion is None


def test_rebuild_and_check_on_postgresql(app, note_type):
    kept = note_type.add_note("Kearsipan digital", public=True)
    note_type.add_note("Arsip lama", public=True)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    db.session.execute(text("UPDATE search_test_notes SET title = 'Kearsipan dinamis' WHERE id = :id"), {"id": kept.id})
    db.session.execute(text("DELETE FROM search_documents WHERE key <> :k"), {"k": f"note:{kept.id}"})
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "usang: 1" in result.output and "hilang: 1" in result.output
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "2 dokumen" in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert kept_frequencies() == recounted_frequencies()
    assert search_titles("kearsipan")[0] == "Kearsipan dinamis"  # then "Arsip lama" (the same stem)
    assert runner.invoke(args=["search", "sync"]).exit_code == 0
