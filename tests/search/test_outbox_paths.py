"""Nothing bypasses the outbox: every path that writes searchable content leaves the index in step.

Each test starts on a fresh, empty index, never rebuilds it, and ends with ``flask search check`` clean: the
command line, the web, moderation and admin actions, and cascades (a renamed author, a category turned into a
unit room, a cancelled workshop) all queue their change through the one flush hook of ``portal.search.outbox``.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.articles.models import Article
from portal.competencies.models import Competency, CompetencyCategory
from portal.core.permissions import Role
from portal.extensions import db
from portal.forums import services as forums
from portal.forums.models import ForumCategory, ForumThread, Visibility
from portal.learning.seed import upsert_development_types
from portal.search import services as search
from portal.workshops import services as workshops
from portal.workshops.models import Workshop


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Admin BKPSDM")


@pytest.fixture
def catalogue():
    upsert_development_types()
    db.session.add_all(
        [
            Competency(code="M.01", category=CompetencyCategory.MANAGERIAL, name="Integritas"),
            Competency(code="M.05", category=CompetencyCategory.MANAGERIAL, name="Pelayanan Publik"),
        ]
    )
    db.session.commit()
    forums.ensure_general_category()


def _records(suffix: str = "", title_prefix: str = "") -> list[dict]:
    return [
        {
            "type": "article",
            "external_id": f"kb-arsip{suffix}",
            "title": f"{title_prefix}Pedoman Retensi Arsip Dinamis",
            "summary": "Jadwal retensi arsip aktif dan inaktif.",
            "body": "Arsip inaktif dipindahkan ke **record center** setelah masa retensi.",
            "tags": ["kearsipan"],
            "competencies": ["M.01"],
        },
        {
            "type": "thread",
            "external_id": f"forum-cuti{suffix}",
            "category": "umum",
            "title": f"{title_prefix}Cara mengajukan cuti tahunan lewat SIASN",
            "body": "Mohon langkah-langkahnya.",
            "replies": [{"body": "Masuk SIASN, menu Layanan Cuti, lalu minta persetujuan atasan."}],
        },
        {
            "type": "workshop",
            "external_id": f"bkpsdm-gratifikasi{suffix}",
            "title": f"{title_prefix}Sosialisasi Pengendalian Gratifikasi",
            "body": "Materi pelaporan *gratifikasi* ke UPG.",
            "starts_at": "2030-03-02T08:00:00",
            "ends_at": "2030-03-02T14:00:00",
            "capacity": 40,
            "competencies": ["M.01"],
        },
    ]


def _import(cli, tmp_path, admin, records: list[dict]):
    path = tmp_path / "impor.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n", encoding="utf-8")
    result = cli.invoke(args=["content", "import", str(path), "--as", admin.nip])
    assert result.exit_code == 0, result.output
    return result


def _fresh() -> None:
    """End this session's transaction: the outbox was applied in an app context (and session) of its own."""
    db.session.rollback()


def _titles(query: str, user, **filters) -> list[str]:
    _fresh()
    return [hit.title for hit in search.search(query, search.SearchFilters(**filters), user).hits]


def _assert_in_step(cli) -> None:
    """``flask search check`` finds nothing missing, stale or extra, and nothing waits in the outbox."""
    db.session.commit()
    result = cli.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "antrean (outbox) belum diterapkan: 0" in result.output


def test_content_import_of_every_type_is_searchable_at_once(cli, tmp_path, admin, catalogue):
    result = _import(cli, tmp_path, admin, _records())
    assert "3 dibuat" in result.output
    _fresh()
    assert search.pending_count() == 0  # applied when the command ended, no request, no rebuild
    assert _titles("retensi arsip", admin, doc_type="article") == ["Pedoman Retensi Arsip Dinamis"]
    assert _titles("persetujuan atasan", admin, doc_type="thread") == ["Cara mengajukan cuti tahunan lewat SIASN"]
    assert _titles("gratifikasi", admin, doc_type="workshop") == ["Sosialisasi Pengendalian Gratifikasi"]
    _assert_in_step(cli)


def test_reimporting_changed_records_updates_every_type(cli, tmp_path, admin, catalogue):
    _import(cli, tmp_path, admin, _records())
    _import(cli, tmp_path, admin, _records(title_prefix="Revisi "))
    assert sorted(_titles("revisi", admin)) == [
        "Revisi Cara mengajukan cuti tahunan lewat SIASN",
        "Revisi Pedoman Retensi Arsip Dinamis",
        "Revisi Sosialisasi Pengendalian Gratifikasi",
    ]
    _assert_in_step(cli)


def test_renaming_an_author_by_the_user_import_reindexes_their_documents(cli, tmp_path, admin, catalogue, unit):
    _import(cli, tmp_path, admin, _records())
    csv = tmp_path / "pegawai.csv"
    csv.write_text(
        f"nip,name,email,unit,position,status,role\r\n{admin.nip},Admin BKPSDM Baru,{admin.email},{unit.code},"
        "Analis,PNS,admin\r\n",
        encoding="utf-8",
    )
    result = cli.invoke(args=["users", "import", str(csv)])
    assert result.exit_code == 0, result.output
    _fresh()
    assert db.session.get(User, admin.id).name == "Admin BKPSDM Baru"
    page = search.search("gratifikasi", search.SearchFilters(doc_type="workshop"), admin)
    assert [hit.author_name for hit in page.hits] == ["Admin BKPSDM Baru"]
    _assert_in_step(cli)


def test_a_plain_orm_change_outside_any_service_is_queued(cli, admin, catalogue):
    thread = forums.create_thread(admin, forums.ensure_general_category(), "Jadwal apel pagi", "Setiap Senin.")
    thread = db.session.get(ForumThread, thread.id)
    thread.title = "Jadwal apel gabungan"  # no service, no explicit queue call
    db.session.commit()
    search.apply_after_request()  # what the end of a request (or of a command) does
    assert _titles("gabungan", admin) == ["Jadwal apel gabungan"]
    _assert_in_step(cli)


def test_web_reply_and_moderation_reach_the_index(cli, admin, catalogue, login_as, moderator_client):
    writer = login_as(Role.MEMBER)
    thread = forums.create_thread(admin, forums.ensure_general_category(), "Antrean MPP setiap Senin", "Ramai.")
    response = writer.post(f"/forum/t/{thread.id}/balas", data={"body": "Coba pendaftaran lewat WhatsApp."})
    assert response.status_code in (200, 302, 303), response.status_code
    assert _titles("whatsapp", admin) == ["Antrean MPP setiap Senin"]
    _assert_in_step(cli)

    reply = forums.post_by_number(db.session.get(ForumThread, thread.id), 2)
    response = moderator_client.post(f"/forum/pos/{reply.id}/sembunyikan", data={"reason": "Promosi."})
    assert response.status_code in (200, 302, 303), response.status_code
    assert _titles("whatsapp", admin) == []
    _assert_in_step(cli)


def test_a_category_turned_into_a_unit_room_changes_who_finds_its_threads(cli, admin, catalogue, make_user, make_unit):
    reader = make_user()
    thread = forums.create_thread(admin, forums.ensure_general_category(), "Rapat koordinasi triwulan", "Agenda.")
    search.apply_after_request()
    assert _titles("triwulan", reader) == ["Rapat koordinasi triwulan"]
    category = db.session.get(ForumCategory, thread.category_id)
    category.visibility, category.unit_id = Visibility.UNIT, make_unit("RSUD Sawahlunto").id
    db.session.commit()
    search.apply_after_request()
    assert _titles("triwulan", reader) == []
    _assert_in_step(cli)


def test_cancelling_a_workshop_and_deleting_an_article_remove_them(cli, tmp_path, admin, catalogue):
    _import(cli, tmp_path, admin, _records())
    workshop = db.session.scalar(select(Workshop))
    workshops.cancel_workshop(admin, workshop, "Narasumber berhalangan hadir.")
    article = db.session.scalar(select(Article))
    from portal.articles import services as articles

    articles.delete(admin, article, "Diganti pedoman baru.")
    search.apply_after_request()
    assert _titles("gratifikasi", admin) == []
    assert _titles("retensi", admin) == []
    _assert_in_step(cli)


def test_demo_load_leaves_the_index_in_step(cli):
    result = cli.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    _fresh()
    assert search.pending_count() == 0
    assert db.session.scalar(select(Workshop.id).limit(1)) is not None
    assert search.get_backend().document_count() > 0
    _assert_in_step(cli)
