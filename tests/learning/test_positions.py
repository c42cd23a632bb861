"""Positions (jabatan), their competency standards, and giving users a position: services and admin pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.models import JobType, Position, PositionRequirement
from portal.learning.services import positions
from portal.learning.services.positions import PositionData, PositionError
from tests.learning.profile_helpers import add_catalogue, add_position


@pytest.fixture
def catalogue():
    return add_catalogue()


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Admin BKPSDM")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# ---------------------------------------------------------------- services


def test_create_normalises_and_audits(admin, unit):
    position = positions.create(
        admin, PositionData(" jf-prankom-am ", "  Pranata   Komputer Ahli Muda ", "ahli_muda", unit.id)
    )
    assert (position.code, position.name, position.job_type, position.unit_id) == (
        "JF-PRANKOM-AM",
        "Pranata Komputer Ahli Muda",
        JobType.AHLI_MUDA,
        unit.id,
    )
    assert _actions() == ["position.create"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (PositionData("bad code!", "Analis", "pelaksana"), "code", "Kode jabatan"),
        (PositionData("A-1", "Ab", "pelaksana"), "name", "3-200"),
        (PositionData("A-1", "Analis Data", "direktur"), "job_type", "Jenis jabatan tidak dikenal"),
        (PositionData("A-1", "Analis Data", "pelaksana", 9999), "unit_id", "Unit kerja"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(admin, data, field, message):
    with pytest.raises(PositionError) as caught:
        positions.create(admin, data)
    assert caught.value.field == field
    assert message in str(caught.value.message)
    assert _count(Position) == 0
    assert _actions() == []


def test_code_and_name_in_unit_must_be_unique(admin, unit, make_unit):
    positions.create(admin, PositionData("A-1", "Analis Data", "pelaksana", unit.id))
    with pytest.raises(PositionError, match="sudah dipakai"):
        positions.create(admin, PositionData("a-1", "Lain", "pelaksana"))
    with pytest.raises(PositionError, match="sudah ada di unit yang sama"):
        positions.create(admin, PositionData("A-2", "analis data", "pelaksana", unit.id))
    # The same name in another unit, or open to every unit, is another position.
    positions.create(admin, PositionData("A-3", "Analis Data", "pelaksana", make_unit().id))
    positions.create(admin, PositionData("A-4", "Analis Data", "pelaksana"))
    with pytest.raises(PositionError, match="sudah ada di unit yang sama"):
        positions.create(admin, PositionData("A-5", "Analis Data", "pelaksana"))
    assert _count(Position) == 3


def test_job_type_accepts_values_and_indonesian_labels():
    assert positions.parse_job_type("JPT Pratama") == JobType.JPT_PRATAMA
    assert positions.parse_job_type("Fungsional Ahli Pertama") == JobType.AHLI_PERTAMA
    assert positions.parse_job_type("ahli pertama") == JobType.AHLI_PERTAMA
    assert positions.parse_job_type("PELAKSANA") == JobType.PELAKSANA
    assert positions.parse_job_type("kepala") is None
    assert set(positions.JOB_TYPE_LABELS) == set(JobType)


def test_update_records_only_changes_and_deactivation(admin, unit):
    position = positions.create(admin, PositionData("A-1", "Analis Data", "pelaksana"))
    positions.update(admin, position, PositionData("A-1", "Analis Data", "pelaksana"))
    positions.update(admin, position, PositionData("A-1", "Analis Data dan Informasi", "pengawas", unit.id))
    positions.set_active(admin, position, False)
    positions.set_active(admin, position, False)
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["position.create", "position.update", "position.deactivate"]
    assert entries[1].details["job_type"] == {"old": "pelaksana", "new": "pengawas"}
    assert not position.is_active


def test_members_cannot_manage_positions(make_user):
    member = make_user(Role.MEMBER)
    with pytest.raises(PermissionDenied):
        positions.create(member, PositionData("A-1", "Analis Data", "pelaksana"))


def test_requirements_add_change_remove(admin, catalogue):
    position = positions.create(admin, PositionData("A-1", "Analis Data", "pelaksana"))
    positions.set_requirement(admin, position, catalogue["M.05"].id, "2")
    positions.set_requirement(admin, position, catalogue["M.05"].id, 3)  # the same competency: changes the level
    positions.set_requirement(admin, position, catalogue["M.01"].id, 1)
    levels = {r.competency.code: r.level for r in position.requirements}
    assert levels == {"M.05": 3, "M.01": 1}
    requirement = next(r for r in position.requirements if r.competency.code == "M.01")
    assert positions.remove_requirement(admin, position, requirement.id)
    assert [r.competency.code for r in positions.sorted_requirements(position)] == ["M.05"]
    assert _actions().count("position.requirement") == 4


@pytest.mark.parametrize("level", ["0", "6", "tiga", None])
def test_requirement_level_must_be_1_to_5(admin, catalogue, level):
    position = positions.create(admin, PositionData("A-1", "Analis Data", "pelaksana"))
    with pytest.raises(PositionError, match="1 sampai 5"):
        positions.set_requirement(admin, position, catalogue["M.05"].id, level)
    assert _count(PositionRequirement) == 0


def test_inactive_competency_cannot_be_added(admin, catalogue):
    position = positions.create(admin, PositionData("A-1", "Analis Data", "pelaksana"))
    catalogue["M.03"].is_active = False
    db.session.commit()
    with pytest.raises(PositionError, match="katalog"):
        positions.set_requirement(admin, position, catalogue["M.03"].id, 2)


def test_assign_position_rules(admin, unit, make_unit, make_user, catalogue):
    user = make_user(Role.MEMBER)
    general = add_position("UMUM-1", {})
    own_unit = add_position("UNIT-1", {}, unit=unit)
    elsewhere = add_position("LAIN-1", {}, unit=make_unit())
    retired = add_position("LAMA-1", {}, is_active=False)
    positions.assign_position(admin, user, own_unit.id)
    positions.assign_position(admin, user, general.id)
    assert user.position_id == general.id
    with pytest.raises(PositionError, match="unit lain"):
        positions.assign_position(admin, user, elsewhere.id)
    with pytest.raises(PositionError, match="nonaktif"):
        positions.assign_position(admin, user, retired.id)
    positions.assign_position(admin, user, None)
    assert user.position_id is None
    entries = list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.position").order_by(AuditEntry.id))
    )
    assert [(e.details["old"], e.details["new"]) for e in entries] == [
        (None, "UNIT-1"),
        ("UNIT-1", "UMUM-1"),
        ("UMUM-1", None),
    ]
    assert [p.code for p in positions.choices_for(user)] == ["UMUM-1", "UNIT-1"]


# ---------------------------------------------------------------- admin pages


def test_list_filters_by_search_type_and_unit(admin_client, unit, catalogue):
    add_position("PLK-01", {catalogue["M.05"]: 1}, unit=unit, name="Pengadministrasi Layanan")
    add_position("JF-01", {}, name="Pranata Komputer Ahli Muda", job_type=JobType.AHLI_MUDA)
    add_position("OLD-01", {}, name="Juru Ketik", is_active=False)

    def names(**query):
        page = admin_client.get("/admin/jabatan", query_string=query).get_data(as_text=True)
        return [n for n in ("Pengadministrasi Layanan", "Pranata Komputer Ahli Muda", "Juru Ketik") if n in page]

    assert names() == ["Pengadministrasi Layanan", "Pranata Komputer Ahli Muda"]
    assert names(q="pranata") == ["Pranata Komputer Ahli Muda"]
    assert names(jenis="ahli_muda") == ["Pranata Komputer Ahli Muda"]
    assert names(unit="umum") == ["Pranata Komputer Ahli Muda"]
    assert names(unit=str(unit.id)) == ["Pengadministrasi Layanan"]
    assert names(status="inactive") == ["Juru Ketik"]
    fragment = admin_client.get("/admin/jabatan?q=juru&status=", headers={"HX-Request": "true"})
    assert "Juru Ketik" in fragment.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)


def test_create_page_and_bad_input(admin_client, unit):
    assert admin_client.get("/admin/jabatan/baru").status_code == 200
    bad = admin_client.post("/admin/jabatan/baru", data={"code": "X 1", "name": "Analis", "job_type": "pelaksana"})
    assert bad.status_code == 400
    assert "Kode jabatan 1-40 karakter" in bad.get_data(as_text=True)
    assert _count(Position) == 0
    good = admin_client.post(
        "/admin/jabatan/baru",
        data={"code": "plk-02", "name": "Pengelola Layanan", "job_type": "pelaksana", "unit_id": str(unit.id)},
    )
    position = db.session.scalar(select(Position))
    assert good.status_code == 302 and good.location.endswith(f"/admin/jabatan/{position.id}/ubah")
    assert (position.code, position.unit_id) == ("PLK-02", unit.id)


def test_edit_page_and_requirements_editor(admin_client, catalogue):
    position = add_position("PLK-01", {catalogue["M.05"]: 1})
    page = admin_client.get(f"/admin/jabatan/{position.id}/ubah").get_data(as_text=True)
    assert "Standar kompetensi jabatan" in page and "M.05" in page
    added = admin_client.post(
        f"/admin/jabatan/{position.id}/standar",
        data={"competency_id": str(catalogue["M.01"].id), "level": "2"},
        headers={"HX-Request": "true"},
    )
    assert added.status_code == 200
    assert "Standar M.01 level 2 disimpan." in added.get_data(as_text=True)
    refused = admin_client.post(
        f"/admin/jabatan/{position.id}/standar",
        data={"competency_id": "", "level": "2"},
        headers={"HX-Request": "true"},
    )
    assert "Pilih kompetensi dari katalog." in refused.get_data(as_text=True)
    requirement = next(r for r in position.requirements if r.competency.code == "M.05")
    changed = admin_client.post(f"/admin/jabatan/{position.id}/standar/{requirement.id}/level", data={"level": "4"})
    assert changed.status_code == 302
    assert requirement.level == 4
    bad_level = admin_client.post(f"/admin/jabatan/{position.id}/standar/{requirement.id}/level", data={"level": "9"})
    assert bad_level.status_code == 400
    removed = admin_client.post(f"/admin/jabatan/{position.id}/standar/{requirement.id}/hapus")
    assert removed.status_code == 302
    assert {r.competency.code: r.level for r in position.requirements} == {"M.01": 2}
    assert admin_client.post(f"/admin/jabatan/{position.id}/standar/999999/hapus").status_code == 404


def test_edit_saves_and_deactivates(admin_client, unit):
    position = add_position("PLK-01", {}, name="Pengelola Layanan")
    saved = admin_client.post(
        f"/admin/jabatan/{position.id}/ubah",
        data={"code": "PLK-01", "name": "Pengelola Layanan Publik", "job_type": "pengawas", "unit_id": ""},
    )
    assert saved.status_code == 302
    assert (position.name, position.job_type) == ("Pengelola Layanan Publik", JobType.PENGAWAS)
    admin_client.post(f"/admin/jabatan/{position.id}/status", data={"active": "0"})
    assert position.is_active is False
    assert admin_client.get("/admin/jabatan/999999/ubah").status_code == 404
