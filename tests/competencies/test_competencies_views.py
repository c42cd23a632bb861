"""The catalogue for every signed-in user and the admin pages under /admin/kompetensi."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.competencies.models import Competency, CompetencyCategory
from portal.core.permissions import Role
from portal.extensions import db
from tests.competencies.conftest import level_form


def _text(response) -> str:
    return response.get_data(as_text=True)


def _competencies() -> int:
    return db.session.scalar(select(func.count()).select_from(Competency))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def integrity(make_competency):
    return make_competency("M.01", "Integritas")


# ---------------------------------------------------------------- catalogue


@pytest.mark.parametrize("path", ["/kompetensi", "/kompetensi/M.01"])
def test_catalogue_needs_login(client, integrity, path):
    response = client.get(path)
    assert response.status_code == 302 and response.location.startswith("/masuk")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_catalogue(login_as, integrity, role):
    client = login_as(role)
    listing = _text(client.get("/kompetensi"))
    assert "Integritas" in listing and "Manajerial" in listing
    detail = client.get("/kompetensi/M.01")
    assert detail.status_code == 200
    html = _text(detail)
    for level in range(1, 6):
        assert f"Deskripsi M.01 level {level}" in html
    assert ("Kelola katalog" in listing) == (role == Role.ADMIN)


def test_catalogue_filter_and_search(member_client, make_competency):
    make_competency("M.01", "Integritas")
    make_competency("SK.01", "Perekat Bangsa", CompetencyCategory.SOCIO_CULTURAL)
    make_competency("T.KES.01", "Pelayanan Kesehatan Dasar", CompetencyCategory.TECHNICAL)
    by_category = _text(member_client.get("/kompetensi", query_string={"kategori": "sosial_kultural"}))
    assert "Perekat Bangsa" in by_category and "Integritas" not in by_category
    by_code = _text(member_client.get("/kompetensi", query_string={"q": "t.kes"}))
    assert "Pelayanan Kesehatan Dasar" in by_code and "Integritas" not in by_code
    nothing = _text(member_client.get("/kompetensi", query_string={"q": "tidak ada", "kategori": "palsu"}))
    assert "Tidak ada kompetensi yang cocok." in nothing


def test_detail_is_case_insensitive_and_404s(member_client, integrity):
    assert member_client.get("/kompetensi/m.01").status_code == 200
    assert member_client.get("/kompetensi/M.99").status_code == 404


def test_inactive_competency_is_hidden_from_members(member_client, make_competency):
    make_competency("M.07", "Mengelola Perubahan", is_active=False)
    assert "Mengelola Perubahan" not in _text(member_client.get("/kompetensi"))
    assert member_client.get("/kompetensi/M.07").status_code == 404


def test_admin_sees_inactive_competency_detail(admin_client, make_competency):
    make_competency("M.07", "Mengelola Perubahan", is_active=False)
    response = admin_client.get("/kompetensi/M.07")
    assert response.status_code == 200
    assert "nonaktif" in _text(response)


# ---------------------------------------------------------------- admin pages


def _admin_pages() -> list[str]:
    return ["/admin/kompetensi", "/admin/kompetensi/baru", "/admin/kompetensi/M.01/ubah"]


def test_admin_pages_send_guests_to_login(client, integrity):
    for path in _admin_pages():
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/masuk"), path


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
def test_admin_pages_refuse_non_admins(login_as, integrity, role):
    client = login_as(role)
    for path in _admin_pages():
        assert client.get(path).status_code == 403, path
    assert client.post("/admin/kompetensi/baru", data=level_form()).status_code == 403
    assert client.post("/admin/kompetensi/M.01/ubah", data=level_form(code="M.01")).status_code == 403
    assert client.post("/admin/kompetensi/M.01/status", data={"active": "0"}).status_code == 403
    db.session.refresh(integrity)
    assert integrity.is_active and integrity.name == "Integritas"
    assert _competencies() == 1 and _actions() == []


def test_admin_pages_open_for_admin(admin_client, integrity):
    for path in _admin_pages():
        assert admin_client.get(path).status_code == 200, path
    assert admin_client.get("/admin/kompetensi/X.99/ubah").status_code == 404


def test_admin_list_shows_inactive_and_filters(admin_client, make_competency):
    make_competency("M.01", "Integritas")
    make_competency("M.08", "Pengambilan Keputusan", is_active=False)
    html = _text(admin_client.get("/admin/kompetensi"))
    assert "Integritas" in html and "Pengambilan Keputusan" in html and "Nonaktif" in html
    filtered = _text(admin_client.get("/admin/kompetensi", query_string={"q": "keputusan"}))
    assert "Integritas" not in filtered


def test_create_competency(admin_client):
    response = admin_client.post("/admin/kompetensi/baru", data=level_form(code="t.kes.01"))
    assert response.status_code == 302
    competency = db.session.scalar(select(Competency).where(Competency.code == "T.KES.01"))
    assert competency.category == CompetencyCategory.TECHNICAL
    assert [level.description for level in competency.levels] == [f"Perilaku level {n}" for n in range(1, 6)]
    assert _actions() == ["competency.create"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "M01"}, "Kode kompetensi hanya berisi huruf, angka, dan titik"),
        ({"code": "M.01/x"}, "Kode kompetensi hanya berisi huruf, angka, dan titik"),
        ({"code": "M.01"}, "Kode kompetensi M.01 sudah dipakai."),
        ({"code": ""}, "Kode kompetensi wajib diisi."),
        ({"name": ""}, "Nama kompetensi wajib diisi."),
        ({"level_3": ""}, "Deskripsi level 3 wajib diisi."),
        ({"level_5": "   "}, "Deskripsi level 5 wajib diisi."),
        ({"category": "kepemimpinan"}, "Kategori kompetensi tidak dikenal."),
    ],
)
def test_create_bad_input_shows_message_and_writes_nothing(admin_client, integrity, overrides, message):
    response = admin_client.post("/admin/kompetensi/baru", data=level_form(**overrides))
    assert response.status_code == 200
    assert message in _text(response)
    assert _competencies() == 1
    assert _actions() == []


def test_missing_level_field_in_forged_post(admin_client):
    data = level_form()
    del data["level_2"]
    response = admin_client.post("/admin/kompetensi/baru", data=data)
    assert "Deskripsi level 2 wajib diisi." in _text(response)
    assert _competencies() == 0


def test_edit_form_is_prefilled_with_levels(admin_client, integrity):
    html = _text(admin_client.get("/admin/kompetensi/M.01/ubah"))
    assert 'value="M.01"' in html
    assert "Deskripsi M.01 level 4" in html
    assert '<option selected value="manajerial">' in html


def test_edit_competency(admin_client, integrity):
    data = level_form(code="M.01", category="manajerial", name="Integritas", level_1="Jujur dalam tugas")
    response = admin_client.post("/admin/kompetensi/M.01/ubah", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    competency = db.session.scalar(select(Competency).where(Competency.code == "M.01"))
    assert competency.levels[0].description == "Jujur dalam tugas"
    assert _actions() == ["competency.update"]


def test_edit_with_missing_level_changes_nothing(admin_client, integrity):
    data = level_form(code="M.01", category="manajerial", name="Integritas Baru", level_4="")
    response = admin_client.post("/admin/kompetensi/M.01/ubah", data=data)
    assert "Deskripsi level 4 wajib diisi." in _text(response)
    db.session.expire_all()
    competency = db.session.scalar(select(Competency).where(Competency.code == "M.01"))
    assert competency.name == "Integritas"
    assert competency.levels[3].description == "Deskripsi M.01 level 4"
    assert _actions() == []


def test_deactivate_and_reactivate(admin_client, member_client, integrity):
    response = admin_client.post("/admin/kompetensi/M.01/status", data={"active": "0"}, follow_redirects=True)
    assert "dinonaktifkan dari katalog" in _text(response)
    assert member_client.get("/kompetensi/M.01").status_code == 404
    admin_client.post("/admin/kompetensi/M.01/status", data={"active": "1"})
    assert member_client.get("/kompetensi/M.01").status_code == 200
    assert _actions() == ["competency.deactivate", "competency.activate"]
