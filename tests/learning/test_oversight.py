"""Oversight roles: supervisors (no self, no loops), unit heads (one per unit), the admin user page, Tim saya."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.models import DevelopmentPlan, PlanStatus
from portal.learning.services import local_today, oversight
from portal.learning.services.oversight import OversightError
from portal.units.models import UnitHead
from tests.learning.profile_helpers import add_position, add_record


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Admin BKPSDM")


def _audit(action: str) -> list[dict]:
    stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return [entry.details for entry in db.session.scalars(stmt)]


# ---------------------------------------------------------------- supervisors


def test_assign_supervisor_by_nip_and_clear(admin, make_user):
    boss, user = make_user(name="Atasan"), make_user(name="Staf")
    assert oversight.assign_supervisor(admin, user, f" {boss.nip} ") == boss
    assert user.supervisor_id == boss.id
    assert oversight.assign_supervisor(admin, user, "") is None
    assert user.supervisor_id is None
    assert _audit("user.supervisor") == [{"old": None, "new": boss.nip}, {"old": boss.nip, "new": None}]


def test_supervisor_refuses_self_unknown_and_inactive(admin, make_user):
    user = make_user()
    gone = make_user(active=False)
    with pytest.raises(OversightError, match="dirinya sendiri"):
        oversight.assign_supervisor(admin, user, user.nip)
    with pytest.raises(OversightError, match="Tidak ada pegawai aktif"):
        oversight.assign_supervisor(admin, user, "199001012019031999")
    with pytest.raises(OversightError, match="Tidak ada pegawai aktif"):
        oversight.assign_supervisor(admin, user, gone.nip)
    assert user.supervisor_id is None and _audit("user.supervisor") == []


def test_supervisor_loops_are_refused(admin, make_user):
    a, b, c = make_user(name="A"), make_user(name="B"), make_user(name="C")
    oversight.assign_supervisor(admin, a, b.nip)  # A reports to B
    with pytest.raises(OversightError, match="lingkaran"):
        oversight.assign_supervisor(admin, b, a.nip)  # B to A: a loop of two
    oversight.assign_supervisor(admin, b, c.nip)  # B reports to C
    with pytest.raises(OversightError, match="lingkaran"):
        oversight.assign_supervisor(admin, c, a.nip)  # C to A: a loop of three
    db.session.refresh(c)
    assert c.supervisor_id is None
    assert (a.supervisor_id, b.supervisor_id) == (b.id, c.id)


def test_only_position_managers_assign(make_user):
    member, other = make_user(), make_user()
    with pytest.raises(PermissionDenied):
        oversight.assign_supervisor(member, other, member.nip)
    with pytest.raises(PermissionDenied):
        oversight.appoint_head(member, other.unit_id, member)


# ---------------------------------------------------------------- unit heads


def test_one_head_per_unit_and_replacement_is_audited(admin, make_user, unit):
    first, second = make_user(name="Kepala Lama"), make_user(name="Kepala Baru")
    oversight.appoint_head(admin, unit.id, first)
    oversight.appoint_head(admin, unit.id, first)  # again: nothing changes
    oversight.appoint_head(admin, unit.id, second)
    heads = list(db.session.scalars(select(UnitHead)))
    assert [(h.unit_id, h.user_id) for h in heads] == [(unit.id, second.id)]
    assert oversight.head_of(unit.id) == second
    assert oversight.headed_unit_ids(first) == []
    assert _audit("unit.head_appoint") == [{"head": first.nip}]
    assert _audit("unit.head_replace") == [{"old": first.nip, "new": second.nip}]
    assert oversight.relieve_head(admin, unit.id)
    assert not oversight.relieve_head(admin, unit.id)
    assert oversight.head_of(unit.id) is None
    assert _audit("unit.head_relieve") == [{"head": second.nip}]


def test_head_needs_an_active_unit_and_account(admin, make_user, make_unit):
    closed = make_unit(is_active=False)
    with pytest.raises(OversightError, match="unit kerja yang aktif"):
        oversight.appoint_head(admin, closed.id, make_user())
    with pytest.raises(OversightError, match="akun aktif"):
        oversight.appoint_head(admin, make_unit().id, make_user(is_verified=False))
    assert db.session.scalar(select(UnitHead)) is None


# ---------------------------------------------------------------- who may see whom


def test_can_view_records_per_role(admin, make_user, make_unit, unit):
    other_unit = make_unit()
    boss = make_user(name="Atasan")
    head = make_user(name="Kepala", unit_id=other_unit.id)
    owner = make_user(name="Pemilik", supervisor_id=boss.id)
    colleague = make_user(name="Rekan")
    db.session.add(UnitHead(unit_id=unit.id, user_id=head.id))
    db.session.commit()
    assert oversight.can_view_records(owner, owner)
    assert oversight.can_view_records(boss, owner)
    assert oversight.can_view_records(head, owner)  # heads the owner's unit, works elsewhere
    assert oversight.can_view_records(admin, owner)
    assert not oversight.can_view_records(colleague, owner)
    assert not oversight.can_view_records(owner, boss)  # oversight goes down, not up
    assert (
        oversight.can_confirm(boss, owner)
        and oversight.can_confirm(head, owner)
        and oversight.can_confirm(admin, owner)
    )
    assert not oversight.can_confirm(owner, owner) and not oversight.can_confirm(colleague, owner)
    assert not oversight.can_confirm(admin, admin)


def test_team_is_subordinates_and_headed_units(make_user, make_unit, unit):
    other_unit = make_unit()
    boss = make_user(name="Zaki Atasan", unit_id=other_unit.id)
    direct = make_user(name="Budi Bawahan", unit_id=other_unit.id, supervisor_id=boss.id)
    in_unit = make_user(name="Ani Unit")
    make_user(name="Nonaktif Unit", active=False)
    make_user(name="Orang Lain", unit_id=other_unit.id)
    assert oversight.oversees_anyone(boss)
    db.session.add(UnitHead(unit_id=unit.id, user_id=boss.id))
    db.session.commit()
    team = list(db.session.scalars(oversight.team_statement(boss)))
    assert team == [in_unit, direct]
    assert list(db.session.scalars(oversight.team_statement(boss, relation="bawahan"))) == [direct]
    assert list(db.session.scalars(oversight.team_statement(boss, relation="unit"))) == [in_unit]
    assert list(db.session.scalars(oversight.team_statement(boss, query="budi"))) == [direct]
    assert not oversight.oversees_anyone(in_unit)


# ---------------------------------------------------------------- the admin user page


def test_admin_user_page_sets_position_supervisor_and_head(admin_client, make_user, unit):
    boss = make_user(name="Atasan Langsung")
    user = make_user(name="Staf Baru")
    position = add_position("PLK-01", {}, unit=unit, name="Pengelola Layanan")
    page = admin_client.get(f"/admin/pengguna/{user.id}").get_data(as_text=True)
    assert "Jabatan dan atasan" in page and "Pengelola Layanan" in page
    htmx = {"HX-Request": "true"}
    answer = admin_client.post(f"/admin/pengguna/{user.id}/jabatan", data={"position_id": position.id}, headers=htmx)
    assert "sekarang Pengelola Layanan" in answer.get_data(as_text=True)
    assert user.position_id == position.id
    answer = admin_client.post(f"/admin/pengguna/{user.id}/atasan", data={"supervisor_nip": boss.nip}, headers=htmx)
    assert "Atasan Langsung sekarang atasan langsung Staf Baru" in answer.get_data(as_text=True)
    answer = admin_client.post(f"/admin/pengguna/{user.id}/atasan", data={"supervisor_nip": user.nip}, headers=htmx)
    assert "dirinya sendiri" in answer.get_data(as_text=True)
    assert user.supervisor_id == boss.id
    answer = admin_client.post(f"/admin/pengguna/{boss.id}/kepala-unit", data={"unit_id": unit.id})
    assert answer.status_code == 302
    assert oversight.head_of(unit.id) == boss
    answer = admin_client.post(
        f"/admin/pengguna/{boss.id}/kepala-unit", data={"unit_id": unit.id, "action": "relieve"}, headers=htmx
    )
    assert "tidak lagi menjadi kepala" in answer.get_data(as_text=True)
    assert oversight.head_of(unit.id) is None


# ---------------------------------------------------------------- Tim saya


def test_team_page_shows_jp_against_target_and_links(login_as, make_user, unit):
    client = login_as(Role.MEMBER, name="Kepala Seksi")
    boss = client.user
    year = local_today().year
    worker = make_user(name="Dewi Pelaksana", supervisor_id=boss.id)
    add_record(worker, 8, date(year, 1, 15))
    add_record(worker, 5, date(year - 1, 12, 20))  # last year: not counted
    db.session.add(DevelopmentPlan(user_id=worker.id, year=year, status=PlanStatus.SUBMITTED))
    db.session.commit()
    page = client.get("/tim").get_data(as_text=True)
    assert "Dewi Pelaksana" in page
    assert "8 / 20 JP" in page
    assert "Menunggu persetujuan" in page
    assert f"/profil-kompetensi/pegawai/{worker.id}" in page
    assert f"/rencana-pengembangan/pegawai/{worker.id}" in page
    assert f"/rekam-jejak/pegawai/{worker.id}" in page
    assert "menunggu keputusan Anda" in page  # the submitted plan is theirs to decide


def test_team_page_for_a_head_and_for_nobody(login_as, make_user, unit):
    head_client = login_as(Role.MEMBER, name="Kepala Dinas")
    db.session.add(UnitHead(unit_id=unit.id, user_id=head_client.user.id))
    db.session.commit()
    make_user(name="Rina Staf Dinas")
    assert "Rina Staf Dinas" in head_client.get("/tim").get_data(as_text=True)
    nobody = login_as(Role.MEMBER, name="Staf Biasa")
    page = nobody.get("/tim").get_data(as_text=True)
    assert "belum tercatat sebagai atasan" in page and "Rina Staf Dinas" not in page
    # The learning menu offers "Tim saya" only to those who oversee someone.
    assert 'href="/tim"' in head_client.get("/profil-kompetensi").get_data(as_text=True)
    assert 'href="/tim"' not in nobody.get("/profil-kompetensi").get_data(as_text=True)
