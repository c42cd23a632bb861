"""PPPK contract dates on accounts: the admin's create form and user page, the profile, the service's checks."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.accounts import services as accounts
from portal.accounts.models import EmploymentStatus, User
from portal.extensions import db
from tests.admin.conftest import audit_actions
from tests.conftest import login, make_nip


def _new_pppk(unit, **overrides):
    data = {
        "name": "Mira Susanti, S.Pd.",
        "nip": make_nip(status="PPPK"),
        "employment_status": "PPPK",
        "email": "mira.susanti@sawahluntokota.go.id",
        "unit_id": str(unit.id),
        "position": "Guru Ahli Pertama",
        "role": "member",
        "password": "Kuat#Sekali2026",
        "password_confirm": "Kuat#Sekali2026",
        "contract_start": "2026-03-01",
        "contract_end": "2031-02-28",
    }
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize(
    ("status", "start", "end", "message"),
    [
        ("PNS", date(2026, 3, 1), None, "Tanggal kontrak hanya diisi untuk PPPK."),
        ("PPPK", None, date(2027, 2, 28), "Isi tanggal mulai kontrak bila tanggal akhirnya diisi."),
        ("PPPK", date(2026, 3, 1), date(2026, 2, 1), "Tanggal akhir kontrak tidak boleh sebelum tanggal mulainya."),
        ("PPPK_PW", date(1926, 3, 1), None, "Tanggal kontrak harus antara tahun 2000 dan 2100."),
    ],
)
def test_contract_dates_are_checked(status, start, end, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.check_contract(status, start, end)


def test_contract_dates_pass_for_pppk_and_are_empty_for_others():
    assert accounts.check_contract("PPPK", date(2026, 3, 1), None) == (date(2026, 3, 1), None)
    assert accounts.check_contract("CPNS", None, None) == (None, None)


def test_admin_creates_a_pppk_with_contract_dates(admin_client, unit):
    response = admin_client.post("/admin/pengguna/baru", data=_new_pppk(unit))
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "mira.susanti@sawahluntokota.go.id"))
    assert (user.employment_status, user.contract_start, user.contract_end) == (
        EmploymentStatus.PPPK,
        date(2026, 3, 1),
        date(2031, 2, 28),
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"employment_status": "PNS", "nip": make_nip()}, "Tanggal kontrak hanya diisi untuk PPPK."),
        ({"contract_end": "2025-01-01"}, "Tanggal akhir kontrak tidak boleh sebelum tanggal mulainya."),
        ({"contract_start": "kemarin"}, "Tanggal tidak valid."),
    ],
)
def test_create_with_bad_contract_dates_writes_nothing(admin_client, unit, overrides, message):
    before = _count()
    response = admin_client.post("/admin/pengguna/baru", data=_new_pppk(unit, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count() == before


def test_admin_sets_and_clears_contract_dates_on_the_user_page(admin_client, make_user):
    pppk = make_user(employment_status="PPPK")
    url = f"/admin/pengguna/{pppk.id}/kontrak"
    assert "Kontrak PPPK" in admin_client.get(f"/admin/pengguna/{pppk.id}").get_data(as_text=True)

    response = admin_client.post(url, data={"contract_start": "2026-03-01", "contract_end": ""}, follow_redirects=True)
    assert f"Tanggal kontrak {pppk.name} disimpan." in response.get_data(as_text=True)
    db.session.refresh(pppk)
    assert (pppk.contract_start, pppk.contract_end) == (date(2026, 3, 1), None)

    response = admin_client.post(
        url, data={"contract_start": "2026-03-01", "contract_end": "2025-12-31"}, headers={"HX-Request": "true"}
    )
    assert "Tanggal akhir kontrak tidak boleh sebelum tanggal mulainya." in response.get_data(as_text=True)
    db.session.refresh(pppk)
    assert pppk.contract_end is None
    assert audit_actions() == ["user.contract"]

    admin_client.post(url, data={"contract_start": "", "contract_end": ""})
    db.session.refresh(pppk)
    assert pppk.contract_start is None


def test_contract_form_is_for_pppk_only(admin_client, make_user):
    pns = make_user()
    assert 'name="contract_start"' not in admin_client.get(f"/admin/pengguna/{pns.id}").get_data(as_text=True)
    response = admin_client.post(f"/admin/pengguna/{pns.id}/kontrak", data={"contract_start": "2026-03-01"})
    assert response.status_code == 302
    db.session.refresh(pns)
    assert pns.contract_start is None and audit_actions() == []


def test_contract_needs_the_admin(app, make_user):
    pppk = make_user(employment_status="PPPK")
    client = login(app.test_client(), make_user())
    assert client.post(f"/admin/pengguna/{pppk.id}/kontrak", data={"contract_start": "2026-03-01"}).status_code == 403


def test_own_profile_shows_the_contract(app, make_user):
    pppk = make_user(employment_status="PPPK", contract_start=date(2026, 3, 1))
    client = login(app.test_client(), pppk)
    page = client.get(f"/pegawai/{pppk.id}").get_data(as_text=True)
    assert "Kontrak PPPK" in page and "1 Mar 2026 – tanpa tanggal akhir" in page
    other = login(app.test_client(), make_user())
    assert "Kontrak PPPK" not in other.get(f"/pegawai/{pppk.id}").get_data(as_text=True)


def test_contract_dates_are_typed_and_shown_day_first(admin_client, make_user):
    pppk = make_user(employment_status="PPPK")
    admin_client.post(f"/admin/pengguna/{pppk.id}/kontrak", data={"contract_start": "2/3/2026", "contract_end": ""})
    db.session.refresh(pppk)
    assert pppk.contract_start == date(2026, 3, 2)  # 2 March, not 3 February
    page = admin_client.get(f"/admin/pengguna/{pppk.id}").get_data(as_text=True)
    assert 'value="02/03/2026"' in page and 'placeholder="hh/bb/tttt"' in page and 'type="date"' not in page
