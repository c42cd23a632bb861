"""Unit rules: code and name validation, uniqueness, audit, permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.units import services
from portal.units.models import Unit, UnitKind


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def _units() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit))


def _audit() -> list[tuple[str, dict]]:
    return [(e.action, e.details) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_create_normalizes_and_audits(admin):
    unit = services.create(
        admin, services.UnitData(code=" kec-talawi ", name="  Kecamatan   Talawi ", kind="kecamatan")
    )
    assert (unit.code, unit.name, unit.kind, unit.is_active) == (
        "KEC-TALAWI",
        "Kecamatan Talawi",
        UnitKind.DISTRICT,
        True,
    )
    assert _audit() == [("unit.create", {"code": "KEC-TALAWI"})]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (services.UnitData(code="A", name="Dinas Sosial"), "code", "2-32 karakter"),
        (services.UnitData(code="DIN SOS", name="Dinas Sosial"), "code", "huruf besar, angka"),
        (services.UnitData(code="DINSOS_P3A", name="Dinas Sosial"), "code", "huruf besar, angka"),
        (services.UnitData(code="X" * 33, name="Dinas Sosial"), "code", "2-32 karakter"),
        (services.UnitData(code="DINSOS", name="ab"), "name", "Nama unit harus 3-200 karakter."),
        (services.UnitData(code="DINSOS", name="Dinas Sosial", short_name="s" * 61), "short_name", "maksimal 60"),
        (
            services.UnitData(code="DINSOS", name="Dinas Sosial", kind="kementerian"),
            "kind",
            "Jenis unit tidak dikenal.",
        ),
    ],
)
def test_create_rejects_bad_input(admin, unit, data, field, message):
    before = _units()
    with pytest.raises(services.UnitError, match=message) as raised:
        services.create(admin, data)
    assert raised.value.field == field
    assert _units() == before
    assert _audit() == []


def test_code_and_name_are_unique_ignoring_case(admin, unit):
    with pytest.raises(services.UnitError, match="sudah dipakai unit lain") as raised:
        services.create(admin, services.UnitData(code=unit.code.lower(), name="Unit Lain"))
    assert raised.value.field == "code"
    with pytest.raises(services.UnitError, match="Nama unit ini sudah dipakai unit lain.") as raised:
        services.create(admin, services.UnitData(code="LAIN", name=unit.name.upper()))
    assert raised.value.field == "name"


def test_update_records_what_changed(admin, unit):
    services.update(admin, unit, services.UnitData(code=unit.code, name="Dinas Kominfo dan Statistik", kind="dinas"))
    assert unit.name == "Dinas Kominfo dan Statistik"
    assert unit.short_name == ""
    action, details = _audit()[0]
    assert action == "unit.update"
    assert details == {
        "name": {"old": "Dinas Komunikasi dan Informatika", "new": "Dinas Kominfo dan Statistik"},
        "short_name": {"old": "Diskominfo", "new": ""},
    }


def test_update_without_changes_writes_nothing(admin, unit):
    data = services.UnitData(code=unit.code, name=unit.name, short_name=unit.short_name, kind=unit.kind)
    services.update(admin, unit, data)
    assert _audit() == []


def test_update_may_keep_its_own_code_but_not_take_another(admin, unit, make_unit):
    other = make_unit(code="DINKES")
    with pytest.raises(services.UnitError, match="DINKES sudah dipakai"):
        services.update(admin, unit, services.UnitData(code="dinkes", name=unit.name))
    db.session.refresh(unit)
    assert unit.code != other.code


def test_deactivate_keeps_members_and_hides_from_choices(admin, unit, make_user):
    member = make_user()
    services.set_active(admin, unit, False)
    db.session.refresh(member)
    assert member.unit_id == unit.id
    assert (unit.id, unit.name) not in services.choices()
    assert services.get_active(unit.id) is None
    services.set_active(admin, unit, False)  # no-op: nothing more in the log
    services.set_active(admin, unit, True)
    assert [action for action, _ in _audit()] == ["unit.deactivate", "unit.activate"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
def test_non_admins_are_refused(make_user, unit, role):
    actor = make_user(role)
    with pytest.raises(PermissionDenied):
        services.create(actor, services.UnitData(code="BARU", name="Unit Baru"))
    with pytest.raises(PermissionDenied):
        services.update(actor, unit, services.UnitData(code="BARU", name="Unit Baru"))
    with pytest.raises(PermissionDenied):
        services.set_active(actor, unit, False)
    db.session.rollback()
    assert _units() == 1 and unit.is_active and _audit() == []


def test_inactive_admin_is_refused(make_user):
    actor = make_user(Role.ADMIN, active=False)
    with pytest.raises(PermissionDenied):
        services.create(actor, services.UnitData(code="BARU", name="Unit Baru"))


def test_lookups(make_unit, unit):
    closed = make_unit("Aaa Unit Lama", is_active=False)
    assert services.list_all()[-1] == closed  # inactive units after the active ones
    assert closed not in services.list_active()
    assert services.count_active() == 1
