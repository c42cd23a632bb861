"""User management: list, search, filters, verification, roles, (de)activation, creating accounts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.core.permissions import Role
from portal.extensions import db
from tests.admin.conftest import audit_actions
from tests.conftest import PASSWORD, login, make_nip
from tests.floor import warm_floor

HTMX = {"HX-Request": "true"}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


# ---------------------------------------------------------------- list, search, filters


def test_list_shows_users_with_unit_and_state(admin_client, make_user, unit):
    pending = make_user(name="Rina Pending", is_verified=False)
    html = _text(admin_client.get("/admin/pengguna"))
    assert "Rina Pending" in html and pending.nip in html
    assert unit.short_name in html
    assert "Menunggu verifikasi" in html


@pytest.mark.parametrize(
    ("query", "field"),
    [("Siti Rahmah", "name"), ("siti rah", "name"), ("198801", "nip"), ("SITI.RAHMAH@", "email")],
)
def test_search_by_name_nip_or_email(admin_client, make_user, query, field):
    make_user(name="Siti Rahmah", nip="198801012015032001", email="siti.rahmah@sawahluntokota.go.id")
    make_user(name="Budi Santoso", nip="197502022000031002", email="budi@sawahluntokota.go.id")
    html = _text(admin_client.get("/admin/pengguna", query_string={"q": query}))
    assert "Siti Rahmah" in html
    assert "Budi Santoso" not in html


def test_filters_by_unit_role_and_state(admin_client, make_user, make_unit):
    other = make_unit("Dinas Kesehatan", code="DINKES")
    make_user(name="Ani Dinkes", unit_id=other.id)
    make_user(name="Oki Organizer", role=Role.ORGANIZER)
    make_user(name="Nia Nonaktif", active=False)
    make_user(name="Putri Pending", is_verified=False)

    def names(**args):
        return re.findall(
            r'href="/admin/pengguna/\d+">([^<]+)</a>', _text(admin_client.get("/admin/pengguna", query_string=args))
        )

    assert names(unit=other.id) == ["Ani Dinkes"]
    assert names(role="organizer") == ["Oki Organizer"]
    assert names(state="inactive") == ["Nia Nonaktif"]
    assert names(state="pending") == ["Putri Pending"]
    assert "Nia Nonaktif" not in names(state="active")


def test_list_is_paginated(admin_client, make_user):
    for n in range(30):
        make_user(name=f"Pegawai Halaman {n:02d}")
    first = _text(admin_client.get("/admin/pengguna"))
    second = _text(admin_client.get("/admin/pengguna", query_string={"page": 2}))
    assert "Halaman 1 dari 2" in first and "Halaman 2 dari 2" in second
    first_names = set(re.findall(r"Pegawai Halaman \d\d", first))
    second_names = set(re.findall(r"Pegawai Halaman \d\d", second))
    assert first_names and second_names and not first_names & second_names


def test_list_runs_a_bounded_number_of_queries(admin_client, make_user, make_unit, count_queries):
    def run() -> int:
        warm_floor(admin_client)  # the account row and the bell: counted by tests/floor.py's page, not here
        db.session.expire_all()  # the request shares the test's session: start both runs from the same state
        with count_queries() as queries:
            assert admin_client.get("/admin/pengguna").status_code == 200
        return len(queries)

    make_user(unit_id=make_unit().id)
    few = run()
    for _ in range(15):
        make_user(unit_id=make_unit().id)  # every user in a different unit: unit names must not cost a query each
    assert run() == few
    assert few <= 8


# ---------------------------------------------------------------- verification


def test_verify_by_form_post(admin_client, make_user):
    target = make_user(is_verified=False)
    response = admin_client.post(f"/admin/pengguna/{target.id}/verifikasi")
    assert response.status_code == 302
    assert response.location.endswith(f"/admin/pengguna/{target.id}")
    db.session.refresh(target)
    assert target.is_verified and target.verified_at is not None
    assert audit_actions() == ["user.verify"]
    assert "sudah diverifikasi" in _text(admin_client.get(response.location))


def test_verify_by_htmx_swaps_the_row(admin_client, make_user):
    target = make_user(name="Dewi Baru", is_verified=False)
    response = admin_client.post(f"/admin/pengguna/{target.id}/verifikasi", data={"view": "row"}, headers=HTMX)
    html = _text(response)
    assert response.status_code == 200
    assert html.strip().startswith(f'<tr id="user-row-{target.id}"')
    assert "<html" not in html
    assert "Akun Dewi Baru sudah diverifikasi." in html
    assert "Menunggu verifikasi" not in html
    db.session.refresh(target)
    assert target.is_verified


def test_verify_by_htmx_on_detail_page_swaps_action_area(admin_client, make_user):
    target = make_user(is_verified=False)
    response = admin_client.post(f"/admin/pengguna/{target.id}/verifikasi", headers=HTMX)
    html = _text(response)
    assert 'id="user-actions"' in html and "<html" not in html
    assert "Verifikasi akun" not in html  # the button is gone once verified


def test_verified_user_can_log_in(app, admin_client, make_user):
    target = make_user(is_verified=False)
    admin_client.post(f"/admin/pengguna/{target.id}/verifikasi")
    login(app.test_client(), target)


# ---------------------------------------------------------------- roles


def test_change_role(admin_client, make_user):
    target = make_user()
    response = admin_client.post(
        f"/admin/pengguna/{target.id}/peran", data={"role": "moderator"}, follow_redirects=True
    )
    assert "sekarang Moderator" in _text(response)
    db.session.refresh(target)
    assert target.role == Role.MODERATOR
    assert audit_actions() == ["user.role"]


def test_forged_role_is_refused(admin_client, make_user):
    target = make_user()
    response = admin_client.post(f"/admin/pengguna/{target.id}/peran", data={"role": "superuser"}, headers=HTMX)
    assert "Peran tidak dikenal." in _text(response)
    db.session.refresh(target)
    assert target.role == Role.MEMBER
    assert audit_actions() == []


def test_admin_cannot_demote_self(admin_client):
    me = admin_client.user
    response = admin_client.post(f"/admin/pengguna/{me.id}/peran", data={"role": "member"}, follow_redirects=True)
    assert "Anda tidak dapat menurunkan peran akun Anda sendiri." in _text(response)
    db.session.refresh(me)
    assert me.role == Role.ADMIN
    assert audit_actions() == []


# ---------------------------------------------------------------- deactivation


def test_deactivate_and_reactivate(app, admin_client, make_user):
    target = make_user()
    response = admin_client.post(f"/admin/pengguna/{target.id}/status", data={"active": "0"}, follow_redirects=True)
    assert "Kontennya tetap tersimpan" in _text(response)
    db.session.refresh(target)
    assert not target.active and target.deactivated_at is not None
    refused = app.test_client().post("/masuk", data={"identifier": target.nip, "password": PASSWORD})
    assert "dinonaktifkan" in _text(refused)

    admin_client.post(f"/admin/pengguna/{target.id}/status", data={"active": "1"})
    db.session.refresh(target)
    assert target.active
    assert audit_actions() == ["user.deactivate", "user.activate"]


def test_deactivation_by_htmx_asks_for_confirmation_and_swaps(admin_client, make_user):
    target = make_user()
    page = _text(admin_client.get(f"/admin/pengguna/{target.id}"))
    assert "hx-confirm=" in page
    response = admin_client.post(f"/admin/pengguna/{target.id}/status", data={"active": "0"}, headers=HTMX)
    html = _text(response)
    assert 'id="user-actions"' in html and "Aktifkan kembali" in html


def test_admin_cannot_deactivate_self(admin_client):
    me = admin_client.user
    response = admin_client.post(f"/admin/pengguna/{me.id}/status", data={"active": "0"}, headers=HTMX)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in _text(response)
    db.session.refresh(me)
    assert me.active
    assert audit_actions() == []


# ---------------------------------------------------------------- creating accounts


def _new_account(unit, **overrides):
    data = {
        "name": "Fajar Hidayat, S.Kom.",
        "nip": make_nip(),
        "employment_status": "PNS",
        "email": "fajar.hidayat@sawahluntokota.go.id",
        "unit_id": str(unit.id),
        "position": "Pranata Komputer",
        "role": "organizer",
        "password": "Kuat#Sekali2026",
        "password_confirm": "Kuat#Sekali2026",
    }
    data.update(overrides)
    return data


def test_create_verified_account(app, admin_client, unit):
    data = _new_account(unit)
    response = admin_client.post("/admin/pengguna/baru", data=data)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == data["email"]))
    assert user.is_verified and user.role == Role.ORGANIZER and user.unit_id == unit.id
    assert audit_actions() == ["user.create"]
    client = app.test_client()
    assert client.post("/masuk", data={"identifier": user.nip, "password": data["password"]}).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nip": "12345"}, "NIP harus 18 digit"),
        ({"nip": "198813172019031001"}, "Digit 1-8 NIP harus tanggal lahir"),
        ({"email": "bukan-email"}, "Alamat email tidak valid."),
        ({"role": "superuser"}, "Peran tidak dikenal."),
        ({"unit_id": "0"}, "Pilih unit kerja."),
        ({"password": "pendek", "password_confirm": "pendek"}, "Kata sandi minimal"),
    ],
)
def test_create_account_bad_input_writes_nothing(admin_client, unit, overrides, message):
    before = _user_count()
    response = admin_client.post("/admin/pengguna/baru", data=_new_account(unit, **overrides))
    assert response.status_code == 200
    assert message in _text(response)
    assert _user_count() == before
    assert audit_actions() == []


def test_create_account_with_taken_email(admin_client, make_user, unit):
    taken = make_user()
    before = _user_count()
    response = admin_client.post("/admin/pengguna/baru", data=_new_account(unit, email=taken.email.upper()))
    assert "Email ini sudah dipakai akun lain." in _text(response)
    assert _user_count() == before


# ---------------------------------------------------------------- dashboard


def test_dashboard_counts_and_pending_preview(admin_client, make_user):
    make_user(name="Yuni Menunggu", is_verified=False)
    make_user(active=False)
    html = _text(admin_client.get("/admin/"))
    assert "Yuni Menunggu" in html
    counts = dict(
        re.findall(
            r'<h3 class="h6 card-title text-body-secondary">([^<]+)</h3>\s*<p class="display-6 fw-semibold mb-2">(\d+)',
            html,
        )
    )
    assert counts["Akun menunggu verifikasi"] == "1"
    assert counts["Pengguna aktif"] == "1"  # only the admin: inactive and pending accounts are not active
    assert counts["Unit kerja aktif"] == "1"
    assert counts["Kompetensi aktif"] == "0"
