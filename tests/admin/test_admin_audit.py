"""The audit log page and the admin service functions behind the dashboard."""

from __future__ import annotations

import pytest

from portal.accounts import services as accounts
from portal.audit import services as audit
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_audit_page_shows_who_what_target_and_details(admin_client, make_user):
    target = make_user(name="Rudi Sasaran")
    admin_client.post(f"/admin/pengguna/{target.id}/peran", data={"role": "organizer"})
    html = _text(admin_client.get("/admin/audit"))
    assert "Peran diubah" in html
    assert admin_client.user.name in html
    assert f'href="/admin/pengguna/{target.id}">Rudi Sasaran</a>' in html
    assert "member" in html and "organizer" in html  # old and new role in the details


def test_audit_page_filters_by_action(admin_client, make_user):
    first, second = make_user(name="Pertama Diverifikasi", is_verified=False), make_user(name="Kedua Dinonaktifkan")
    admin_client.post(f"/admin/pengguna/{first.id}/verifikasi")
    admin_client.post(f"/admin/pengguna/{second.id}/status", data={"active": "0"})
    html = _text(admin_client.get("/admin/audit", query_string={"action": "user.verify"}))
    assert ">Pertama Diverifikasi</a>" in html
    assert ">Kedua Dinonaktifkan</a>" not in html


def test_audit_page_is_paginated(admin_client, make_user):
    admin = admin_client.user
    target = make_user()
    for _ in range(55):
        audit.record(admin, "user.role", target, old="member", new="organizer")
    db.session.commit()
    assert "Halaman 1 dari 2" in _text(admin_client.get("/admin/audit"))
    assert "Halaman 2 dari 2" in _text(admin_client.get("/admin/audit", query_string={"page": 2}))


def test_user_detail_shows_history(admin_client, make_user):
    target = make_user(is_verified=False)
    admin_client.post(f"/admin/pengguna/{target.id}/verifikasi")
    html = _text(admin_client.get(f"/admin/pengguna/{target.id}"))
    assert "Riwayat administrasi" in html and "Akun diverifikasi" in html


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
def test_admin_services_refuse_non_admins(make_user, role):
    actor, target = make_user(role), make_user()
    with pytest.raises(PermissionDenied):
        accounts.count_by_state(actor)
    with pytest.raises(PermissionDenied):
        accounts.member_counts_by_unit(actor)
    with pytest.raises(PermissionDenied):
        audit.entries_for(actor, target)
    with pytest.raises(PermissionDenied):
        audit.list_entries(actor, 1)


def test_count_by_state(make_user):
    admin = make_user(Role.ADMIN)
    make_user(is_verified=False)
    make_user(is_verified=False, active=False)  # a rejected registration counts as inactive, not pending
    make_user(active=False)
    assert accounts.count_by_state(admin) == {"pending": 1, "active": 1, "inactive": 2}


def test_member_counts_by_unit(make_user, make_unit, unit):
    admin = make_user(Role.ADMIN)
    other, empty = make_unit(), make_unit()
    make_user(unit_id=other.id)
    make_user(unit_id=other.id, active=False)  # deactivated members still belong to the unit
    counts = accounts.member_counts_by_unit(admin)
    assert counts == {unit.id: 1, other.id: 2}
    assert empty.id not in counts


def test_parse_role():
    assert accounts.parse_role("moderator") is Role.MODERATOR
    with pytest.raises(accounts.AccountError, match="Peran tidak dikenal"):
        accounts.parse_role("root")
