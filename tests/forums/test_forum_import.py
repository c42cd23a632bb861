"""``flask content import`` with "thread" records: idempotent by external_id, per-line errors, nothing half-written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portal.core.permissions import Role
from portal.extensions import db
from portal.forums.models import ForumCategory, ForumPost, ForumThread
from portal.notifications.models import Notification


def _line(**fields) -> str:
    record = {
        "type": "thread",
        "external_id": "forum-lama-001",
        "category": "umum",
        "title": "Cara mengajukan cuti tahunan lewat SIASN",
        "body": "Mohon langkah-langkahnya.",
        "created_at": "2024-03-01T09:00:00",
        "replies": [
            {"body": "Masuk SIASN, menu Layanan Cuti.", "created_at": "2024-03-01T10:00:00"},
            {"body": "Jangan lupa persetujuan atasan.", "created_at": "2024-03-02T08:00:00"},
        ],
    }
    record.update(fields)
    return json.dumps(record)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Admin BKPSDM")


def _run(app, tmp_path, admin, *lines: str):
    path = tmp_path / "impor.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return app.test_cli_runner().invoke(args=["content", "import", str(path), "--as", admin.nip])


def test_import_creates_then_updates_idempotently(app, tmp_path, admin, author, make_user, general):
    helper = make_user(name="Yulia Rahmi")
    replies = [{"body": "Masuk SIASN, menu Layanan Cuti.", "author_nip": helper.nip, "created_at": "2024-03-01T10:00"}]
    result = _run(app, tmp_path, admin, _line(author_nip=author.nip, replies=replies))
    assert result.exit_code == 0, result.output
    assert "1 dibuat" in result.output
    db.session.expire_all()
    thread = db.session.scalar(select(ForumThread))
    assert (thread.author_id, thread.reply_count, thread.last_poster_id) == (author.id, 1, helper.id)
    assert thread.created_at.isoformat() == "2024-03-01T02:00:00+00:00"  # 09:00 WIB
    assert db.session.get(ForumCategory, general.id).post_count == 2
    assert _count(Notification) == 0, "imported history notifies nobody"

    assert "1 tidak berubah" in _run(app, tmp_path, admin, _line(author_nip=author.nip, replies=replies)).output
    more = [*replies, {"body": "Terima kasih!", "author_nip": author.nip}]
    result = _run(app, tmp_path, admin, _line(author_nip=author.nip, title="Cuti tahunan lewat SIASN", replies=more))
    assert "1 diperbarui" in result.output
    db.session.expire_all()
    assert _count(ForumThread) == 1 and _count(ForumPost) == 3
    assert db.session.scalar(select(ForumThread.title)) == "Cuti tahunan lewat SIASN"


def test_a_thread_moved_by_import_updates_both_categories(app, tmp_path, admin, general, make_category):
    other = make_category("kepegawaian-jp", "Kepegawaian & JP")
    _run(app, tmp_path, admin, _line())
    _run(app, tmp_path, admin, _line(category="kepegawaian-jp"))
    db.session.expire_all()
    assert db.session.get(ForumCategory, general.id).thread_count == 0
    assert db.session.get(ForumCategory, other.id).thread_count == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": "tidak-ada"}, 'Kategori forum "tidak-ada" tidak ditemukan.'),
        ({"external_id": ""}, "external_id wajib diisi."),
        ({"title": "Hai"}, "Judul harus 5-200 karakter."),
        ({"body": ""}, "Isi kiriman tidak boleh kosong."),
        ({"created_at": "kemarin"}, "created_at bukan tanggal ISO 8601 yang valid: kemarin"),
        ({"replies": "bukan daftar"}, "replies harus berupa daftar objek."),
        ({"replies": [{"body": ""}]}, "Isi kiriman tidak boleh kosong."),
        ({"title": 12345}, "title harus berupa teks."),
    ],
)
def test_bad_lines_fail_alone_and_write_nothing(app, tmp_path, admin, general, fields, message):
    result = _run(app, tmp_path, admin, _line(**fields), _line(external_id="forum-lama-002"))
    assert result.exit_code == 1
    assert f"Baris 1: {message}" in result.output
    assert "1 dibuat" in result.output and "1 gagal" in result.output
    db.session.expire_all()
    assert _count(ForumThread) == 1 and _count(ForumPost) == 3
    assert db.session.scalar(select(ForumThread.external_id)) == "forum-lama-002"
