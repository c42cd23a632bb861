"""The upload store: atomic writes under random names, one UPLOAD_ROOT shared by apps with separate instances."""

from __future__ import annotations

import contextlib
import io
import os
import threading
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from portal import create_app
from portal.core import uploads
from portal.core.storage import DirectoryStorage, storage
from portal.extensions import db
from tests.core.test_uploads import make_pdf, make_png


def test_save_writes_the_whole_file_under_a_random_name(tmp_path):
    store = DirectoryStorage(tmp_path)
    first = store.save("tests", "pdf", b"%PDF-1.4 one")
    second = store.save("tests", "pdf", b"%PDF-1.4 one")
    assert first != second
    assert (tmp_path / "tests" / first).read_bytes() == b"%PDF-1.4 one"
    assert sorted(p.name for p in (tmp_path / "tests").iterdir()) == sorted([first, second])


def test_no_partial_file_is_ever_visible_under_a_stored_name(tmp_path):
    """A reader polling the folder while big files are written only ever sees complete files."""
    store = DirectoryStorage(tmp_path)
    (tmp_path / "tests").mkdir()
    payload = os.urandom(4 * 1024 * 1024)
    done = threading.Event()
    seen_sizes: list[int] = []

    def watch() -> None:
        while not done.is_set():
            for path in (tmp_path / "tests").iterdir():
                if store.path("tests", path.name) is None:
                    continue  # a temporary name: not a stored file
                with contextlib.suppress(FileNotFoundError):
                    seen_sizes.append(path.stat().st_size)

    watcher = threading.Thread(target=watch)
    watcher.start()
    names = [store.save("tests", "bin", payload) for _ in range(8)]
    done.set()
    watcher.join()
    assert seen_sizes, "the watcher saw no stored file at all"
    assert set(seen_sizes) == {len(payload)}
    assert all((tmp_path / "tests" / name).read_bytes() == payload for name in names)


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    store = DirectoryStorage(tmp_path)

    def broken_replace(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save("tests", "pdf", b"%PDF-1.4")
    assert list((tmp_path / "tests").iterdir()) == []


@pytest.mark.parametrize("subdir", ["../etc", "Tests", "a//b", ""])
def test_bad_subdir_is_refused(tmp_path, subdir):
    with pytest.raises(ValueError):
        DirectoryStorage(tmp_path).save(subdir, "pdf", b"x")


@pytest.mark.parametrize("name", ["../../passwd", "x.pdf", "0" * 32 + ".pdf/../a", "0" * 32])
def test_names_that_are_not_ours_lead_nowhere(tmp_path, name):
    store = DirectoryStorage(tmp_path)
    assert store.path("tests", name) is None
    assert not store.exists("tests", name)
    store.delete("tests", name)  # no error, nothing touched


def test_upload_root_defaults_to_the_instance_folder(tmp_path, run_db, monkeypatch):
    for name in ("UPLOAD_ROOT", "UPLOAD_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setattr("portal.config.Config.UPLOAD_ROOT", None)
    app = create_app(
        {"PORTAL_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": run_db.url, "SEARCH_INDEX_DIR": str(tmp_path / "s")}
    )
    assert Path(app.config["UPLOAD_ROOT"]) == tmp_path / "instance" / "uploads"
    with app.app_context():
        db.engine.dispose()


def test_two_apps_with_separate_instances_share_one_upload_root(tmp_path, run_db, monkeypatch):
    """Two hosts: their own instance folders, one UPLOAD_ROOT - a file one saves, the other serves and deletes."""
    shared = tmp_path / "shared-uploads"
    apps = []
    for host in ("a", "b"):
        monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / f"instance-{host}"))
        apps.append(
            create_app(
                {
                    "PORTAL_CONFIG": "testing",
                    "SQLALCHEMY_DATABASE_URI": run_db.url,
                    "SEARCH_INDEX_DIR": str(tmp_path / f"instance-{host}" / "search-index"),
                    "UPLOAD_ROOT": str(shared),
                }
            )
        )
    host_a, host_b = apps
    assert host_a.instance_path != host_b.instance_path
    data = make_pdf()
    with host_a.test_request_context():
        saved = uploads.save_upload(FileStorage(io.BytesIO(data), "surat.pdf"), ["pdf"], 1 << 20, "tests")
    with host_b.test_request_context():
        assert storage().exists("tests", saved.stored_name)
        response = uploads.send_stored("tests", saved.stored_name, saved.original_name, saved.mime)
        response.direct_passthrough = False
        assert response.get_data() == data
        response.close()
        uploads.delete_stored("tests", saved.stored_name)
    with host_a.test_request_context():
        assert not storage().exists("tests", saved.stored_name)
    for application in apps:
        with application.app_context():
            db.engine.dispose()


def test_content_checks_still_refuse_before_anything_is_stored(app):
    png = make_png()
    with app.test_request_context(), pytest.raises(uploads.UploadError):
        uploads.save_upload(FileStorage(io.BytesIO(png), "surat.pdf"), ["pdf"], 1 << 20, "tests-refused")
    assert not (Path(app.config["UPLOAD_ROOT"]) / "tests-refused").exists()
