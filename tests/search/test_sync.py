"""The index follows the database: after commit only, across processes, through rebuilds, and checked."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.search import services
from portal.search.models import SearchOutbox
from tests.search.conftest import search_titles, whoosh_only


def keys(query: str) -> list[str]:
    return search_titles(query)


@whoosh_only
def test_create_update_delete_reach_the_index_after_commit(note_type):
    note = note_type.add_note("Pelatihan pelayanan publik", "Materi untuk petugas loket.", public=True)
    assert services.take_committed_flag()
    services.apply_outbox()
    assert keys("pelayanan") == ["Pelatihan pelayanan publik"]

    note_type.update_note(note, title="Orientasi pegawai baru")
    services.apply_outbox()
    assert keys("pelayanan") == []
    assert keys("orientasi") == ["Orientasi pegawai baru"]

    note_type.delete_note(note)
    services.apply_outbox()
    assert keys("orientasi") == []
    assert services.pending_count() == 0


def test_after_request_hook_applies_the_outbox_once(note_type):
    note_type.add_note("Analisis jabatan", public=True)
    services.apply_after_request()
    assert services.pending_count() == 0
    assert keys("jabatan") == ["Analisis jabatan"]
    assert not services.take_committed_flag()


def test_unpublishing_removes_the_document(note_type):
    note = note_type.add_note("Rencana aksi SPBE", public=True)
    services.apply_outbox()
    note_type.update_note(note, status="draft")
    services.apply_outbox()
    assert keys("SPBE") == []


def test_rolled_back_transaction_indexes_nothing(note_type):
    note_type.add_note("Draf yang batal", public=True, commit=False)
    db.session.rollback()
    assert not services.take_committed_flag()
    assert services.pending_count() == 0
    services.apply_outbox()
    assert keys("batal") == []
    assert services.check().ok


@whoosh_only
def test_search_catches_up_with_a_waiting_outbox(note_type):
    note_type.add_note("Budaya kerja BerAKHLAK", public=True)
    assert services.pending_count() == 1
    assert keys("budaya") == ["Budaya kerja BerAKHLAK"]
    assert services.pending_count() == 0


def test_check_reports_missing_stale_and_extra_and_rebuild_repairs(app, note_type):
    gone = note_type.add_note("Arsip lama", public=True)
    kept = note_type.add_note("Kearsipan digital", public=True)
    services.apply_outbox()
    assert services.check().ok
    # Changes behind the outbox's back: the drift check must see all three kinds.
    db.session.execute(text("UPDATE search_test_notes SET title = 'Kearsipan dinamis' WHERE id = :id"), {"id": kept.id})
    db.session.execute(text("DELETE FROM search_test_notes WHERE id = :id"), {"id": gone.id})
    db.session.expunge_all()
    db.session.add(note_type.Note(title="Tanpa antrean", public=True))
    db.session.commit()
    report = services.check()
    assert report.stale == [f"note:{kept.id}"]
    assert report.extra == [f"note:{gone.id}"]
    assert len(report.missing) == 1

    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "usang: 1" in result.output and "hilang: 1" in result.output and "berlebih: 1" in result.output

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert keys("kearsipan") == ["Kearsipan dinamis"]


@whoosh_only
def test_sync_command_applies_the_outbox(app, note_type):
    note_type.add_note("Manajemen talenta", public=True)
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.exit_code == 0
    assert "1 perubahan" in result.output
    assert services.pending_count() == 0


def test_rebuild_while_searching_never_fails_a_search(app, note_type):
    for n in range(60):
        note_type.add_note(f"Pelatihan teknis {n}", "Pelatihan untuk pengembangan kompetensi.", public=True)
    services.apply_outbox()
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def keep_searching():
        with app.app_context():
            while not stop.is_set():
                try:
                    page = services.search("melatih", services.SearchFilters(), None)
                    counts.append(page.total)
                except BaseException as error:  # noqa: BLE001 - any failure is the finding
                    errors.append(error)
            db.session.remove()

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        for _ in range(3):
            assert services.rebuild() == 60
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert counts and set(counts) == {60}


@whoosh_only
def test_changes_queued_during_a_rebuild_are_not_lost(app, note_type, monkeypatch):
    note_type.add_note("Sebelum rebuild", public=True)
    services.apply_outbox()
    original = note_type.NOTE_TYPE.load_all
    busy: list[bool] = []

    def load_all_while_someone_writes():
        yield from original()
        # Another worker commits a change and tries to apply it while the rebuild holds the index lock.
        with app.app_context():
            note_type.add_note("Selama rebuild", public=True)
            try:
                services.apply_outbox(lock_timeout=0.2)
            except services.IndexBusy:
                busy.append(True)
            db.session.remove()

    monkeypatch.setattr(
        note_type.registry,
        "_TYPES",
        {
            "note": note_type.NOTE_TYPE.__class__(
                **{**note_type.NOTE_TYPE.__dict__, "load_all": load_all_while_someone_writes}
            )
        },
    )
    services.rebuild()
    assert busy == [True]
    assert sorted(keys("rebuild")) == ["Sebelum rebuild", "Selama rebuild"]
    assert services.check().ok


def _writer_process(config: dict, worker: int, count: int, errors) -> None:
    from portal import create_app
    from portal.extensions import db
    from portal.search import services
    from tests.search import notes

    app = create_app(config)
    with app.app_context():
        notes.register()
        try:
            for n in range(count):
                notes.add_note(f"Catatan pekerja {worker} nomor {n}", "Laporan pelatihan pegawai.", public=True)
                services.apply_after_request()  # what each gunicorn worker does after its request
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            errors.put(f"{worker}: {error!r}")
        db.session.remove()
        db.engine.dispose()


@pytest.mark.slow
def test_concurrent_writers_in_several_processes_lose_nothing(app, note_type):
    config = {
        "PORTAL_CONFIG": "testing",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
    }
    workers, per_worker = 4, 15
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    processes = [
        context.Process(target=_writer_process, args=(config, worker, per_worker, errors)) for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=180)
        assert process.exitcode == 0
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
    assert db.session.query(SearchOutbox).count() == 0
    report = services.check()
    assert report.ok and not report.missing
    page = services.search("pelatihan", services.SearchFilters(), None, per_page=50)
    assert page.total == workers * per_worker
