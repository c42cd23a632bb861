"""Unit management pages under /admin/unit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import Role
from portal.extensions import db
from portal.units.models import Unit, UnitKind
from tests.floor import warm_floor


def _text(response) -> str:
    return response.get_data(as_text=True)


def _units() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _pages(unit_id: int) -> list[str]:
    return ["/admin/unit", "/admin/unit/baru", f"/admin/unit/{unit_id}/ubah"]


def test_guest_is_sent_to_login(client, unit):
    for path in [*_pages(unit.id), f"/admin/unit/{unit.id}/status"]:
        method = client.post if path.endswith("/status") else client.get
        response = method(path)
        assert response.status_code == 302 and response.location.startswith("/masuk"), path


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
def test_non_admin_is_refused(login_as, unit, role):
    client = login_as(role)
    for path in _pages(unit.id):
        assert client.get(path).status_code == 403, path
    assert client.post("/admin/unit/baru", data={"code": "BARU", "name": "Unit Baru"}).status_code == 403
    assert client.post(f"/admin/unit/{unit.id}/ubah", data={"code": "X1", "name": "Nama Lain"}).status_code == 403
    assert client.post(f"/admin/unit/{unit.id}/status", data={"active": "0"}).status_code == 403
    db.session.refresh(unit)
    assert unit.is_active and unit.name == "Dinas Komunikasi dan Informatika"
    assert _units() == 1 and _actions() == []


def test_admin_sees_pages(admin_client, unit):
    for path in _pages(unit.id):
        assert admin_client.get(path).status_code == 200, path
    assert admin_client.get("/admin/unit/999999/ubah").status_code == 404


def test_list_shows_member_counts(admin_client, make_unit, make_user, unit):
    other = make_unit("Dinas Kesehatan", code="DINKES")
    for _ in range(3):
        make_user(unit_id=other.id)
    html = _text(admin_client.get("/admin/unit"))
    assert f'href="/admin/pengguna?unit={other.id}">3</a>' in html
    assert f'href="/admin/pengguna?unit={unit.id}">1</a>' in html  # the admin


def test_list_runs_a_bounded_number_of_queries(admin_client, make_unit, make_user, count_queries):
    def run() -> int:
        warm_floor(admin_client)  # the account row and the bell: counted by tests/floor.py's page, not here
        db.session.expire_all()  # the request shares the test's session: start both runs from the same state
        with count_queries() as queries:
            assert admin_client.get("/admin/unit").status_code == 200
        return len(queries)

    few = run()
    for _ in range(10):
        make_user(unit_id=make_unit().id)
    assert run() == few


def test_create_unit(admin_client):
    response = admin_client.post(
        "/admin/unit/baru", data={"code": "bpbd", "name": "Badan Penanggulangan Bencana Daerah", "kind": "badan"}
    )
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "BPBD"))
    assert unit.kind == UnitKind.AGENCY
    assert _actions() == ["unit.create"]
    assert "Badan Penanggulangan Bencana Daerah sudah ditambahkan" in _text(admin_client.get(response.location))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "U-DUP", "name": "Nama Baru"}, "Kode unit U-DUP sudah dipakai unit lain."),
        ({"code": "u-dup", "name": "Nama Baru"}, "Kode unit U-DUP sudah dipakai unit lain."),
        ({"code": "BARU", "name": "dinas yang sudah ada"}, "Nama unit ini sudah dipakai unit lain."),
        ({"code": "SALAH KODE", "name": "Nama Baru"}, "huruf besar, angka, atau tanda hubung"),
        ({"code": "", "name": "Nama Baru"}, "Kode unit wajib diisi."),
        ({"code": "BARU", "name": ""}, "Nama unit wajib diisi."),
        ({"code": "BARU", "name": "Nama Baru", "kind": "palsu"}, "Jenis unit tidak dikenal."),
    ],
)
def test_create_bad_input_shows_message_and_writes_nothing(admin_client, make_unit, data, message):
    make_unit("Dinas yang Sudah Ada", code="U-DUP")
    before = _units()
    response = admin_client.post("/admin/unit/baru", data=data)
    assert response.status_code == 200
    assert message in _text(response)
    assert _units() == before
    assert _actions() == []


def test_edit_unit(admin_client, unit):
    response = admin_client.post(
        f"/admin/unit/{unit.id}/ubah",
        data={
            "code": unit.code,
            "name": "Dinas Komunikasi, Informatika dan Statistik",
            "short_name": "Diskominfo",
            "kind": "dinas",
        },
    )
    assert response.status_code == 302
    db.session.refresh(unit)
    assert unit.name == "Dinas Komunikasi, Informatika dan Statistik"
    assert _actions() == ["unit.update"]


def test_edit_to_duplicate_name_is_refused(admin_client, make_unit, unit):
    other = make_unit("Dinas Kesehatan")
    response = admin_client.post(
        f"/admin/unit/{unit.id}/ubah", data={"code": unit.code, "name": other.name, "kind": "dinas"}
    )
    assert "Nama unit ini sudah dipakai unit lain." in _text(response)
    db.session.refresh(unit)
    assert unit.name == "Dinas Komunikasi dan Informatika"
    assert _actions() == []


def test_edit_form_is_prefilled(admin_client, unit):
    html = _text(admin_client.get(f"/admin/unit/{unit.id}/ubah"))
    assert f'value="{unit.code}"' in html
    assert '<option selected value="dinas">' in html


def test_deactivate_and_reactivate(admin_client, unit, make_user):
    member = make_user()
    response = admin_client.post(f"/admin/unit/{unit.id}/status", data={"active": "0"}, follow_redirects=True)
    assert "dinonaktifkan" in _text(response)
    db.session.refresh(unit)
    db.session.refresh(member)
    assert not unit.is_active and member.unit_id == unit.id
    assert "Nonaktif" in _text(admin_client.get("/admin/unit"))
    admin_client.post(f"/admin/unit/{unit.id}/status", data={"active": "1"})
    db.session.refresh(unit)
    assert unit.is_active
    assert _actions() == ["unit.deactivate", "unit.activate"]


def test_deactivate_asks_for_confirmation(admin_client, unit):
    assert "data-confirm=" in _text(admin_client.get("/admin/unit"))
