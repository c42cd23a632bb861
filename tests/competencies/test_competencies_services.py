"""Competency rules: code format, required levels, uniqueness, audit, permissions, catalogue queries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.competencies import services
from portal.competencies.models import Competency, CompetencyCategory, CompetencyLevel
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db


def _data(**overrides) -> services.CompetencyData:
    values = {
        "code": "M.01",
        "category": "manajerial",
        "name": "Integritas",
        "description": "Konsisten berperilaku selaras dengan nilai, norma dan etika organisasi.",
        "levels": {n: f"Level {n}: perilaku yang diharapkan" for n in range(1, 6)},
    }
    values.update(overrides)
    return services.CompetencyData(**values)


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Competency, CompetencyLevel, AuditEntry)
    )


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def test_create_with_five_levels(admin):
    competency = services.create(admin, _data(code=" m.01 "))
    assert competency.code == "M.01"
    assert competency.category == CompetencyCategory.MANAGERIAL
    assert [level.level for level in competency.levels] == [1, 2, 3, 4, 5]
    assert db.session.scalars(select(AuditEntry.action)).all() == ["competency.create"]


@pytest.mark.parametrize("code", ["M.01", "SK.01", "T.KES.01", "T.PUPR2.105", "m.08"])
def test_valid_codes(admin, code):
    assert services.create(admin, _data(code=code)).code == code.upper()


@pytest.mark.parametrize(
    "code", ["", "M01", "01.M", "M..01", "M.01.", ".M.01", "M-01", "M.0 1", "M.KÖ.01", "T." + "A" * 17 + ".01"]
)
def test_bad_codes_are_refused(admin, code):
    with pytest.raises(services.CompetencyError, match="Kode kompetensi hanya berisi") as raised:
        services.create(admin, _data(code=code))
    assert raised.value.field == "code"
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize("missing", [1, 3, 5])
def test_every_level_description_is_required(admin, missing):
    levels = dict.fromkeys(range(1, 6), "Deskripsi")
    levels[missing] = "   "
    with pytest.raises(services.CompetencyError, match=f"Deskripsi level {missing} wajib diisi.") as raised:
        services.create(admin, _data(levels=levels))
    assert raised.value.field == f"level_{missing}"
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": "kepemimpinan"}, "category", "Kategori kompetensi tidak dikenal."),
        ({"name": "ab"}, "name", "Nama kompetensi harus 3-160 karakter."),
        ({"description": "x" * 4001}, "description", "maksimal 4000"),
    ],
)
def test_other_bad_input(admin, overrides, field, message):
    with pytest.raises(services.CompetencyError, match=message) as raised:
        services.create(admin, _data(**overrides))
    assert raised.value.field == field
    assert _counts() == (0, 0, 0)


def test_code_is_unique(admin, make_competency):
    make_competency("M.01", "Integritas")
    with pytest.raises(services.CompetencyError, match="M.01 sudah dipakai"):
        services.create(admin, _data(code="m.01", name="Integritas Lain"))
    assert _counts() == (1, 5, 0)


def test_update_changes_fields_and_levels(admin, make_competency):
    competency = make_competency("M.02", "Kerja sama")
    levels = {level.level: level.description for level in competency.levels}
    levels[4] = "Membangun komitmen tim lintas unit"
    services.update(admin, competency, _data(code="M.02", name="Kerja Sama", levels=levels, description=""))
    db.session.expire_all()
    competency = services.get_by_code("M.02")
    assert competency.name == "Kerja Sama"
    assert competency.levels[3].description == "Membangun komitmen tim lintas unit"
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "competency.update"
    assert entry.details == {"code": "M.02", "fields": ["name", "level_4"]}


def test_update_without_changes_writes_nothing(admin, make_competency):
    competency = make_competency("M.03", "Komunikasi")
    levels = {level.level: level.description for level in competency.levels}
    services.update(admin, competency, _data(code="M.03", name="Komunikasi", description="", levels=levels))
    assert _counts()[2] == 0


def test_update_refuses_another_competencys_code(admin, make_competency):
    make_competency("M.04", "Orientasi pada Hasil")
    competency = make_competency("M.05", "Pelayanan Publik")
    with pytest.raises(services.CompetencyError, match="M.04 sudah dipakai"):
        services.update(admin, competency, _data(code="M.04"))
    db.session.refresh(competency)
    assert competency.code == "M.05"


def test_deactivated_competency_leaves_the_catalogue(admin, make_user, make_competency):
    member = make_user()
    competency = make_competency("SK.01", "Perekat Bangsa", CompetencyCategory.SOCIO_CULTURAL)
    services.set_active(admin, competency, False)
    assert services.catalogue() == {}
    assert services.get_visible(member, "SK.01") is None
    assert services.get_visible(admin, "sk.01") == competency
    services.set_active(admin, competency, True)
    assert db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all() == [
        "competency.deactivate",
        "competency.activate",
    ]


def test_catalogue_groups_filters_and_searches(make_competency):
    make_competency("M.01", "Integritas")
    make_competency("M.03", "Komunikasi")
    make_competency("SK.01", "Perekat Bangsa", CompetencyCategory.SOCIO_CULTURAL)
    make_competency("T.KES.01", "Pelayanan Kesehatan", CompetencyCategory.TECHNICAL)
    groups = services.catalogue()
    assert list(groups) == [
        CompetencyCategory.TECHNICAL,
        CompetencyCategory.MANAGERIAL,
        CompetencyCategory.SOCIO_CULTURAL,
    ]
    assert [c.code for c in groups[CompetencyCategory.MANAGERIAL]] == ["M.01", "M.03"]
    assert list(services.catalogue(CompetencyCategory.SOCIO_CULTURAL)) == [CompetencyCategory.SOCIO_CULTURAL]
    assert [c.code for items in services.catalogue(query="komun").values() for c in items] == ["M.03"]
    assert [c.code for items in services.catalogue(query="t.kes").values() for c in items] == ["T.KES.01"]


def test_parse_category():
    assert services.parse_category("teknis") is CompetencyCategory.TECHNICAL
    assert services.parse_category("lainnya") is None
    assert services.parse_category(None) is None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
def test_non_admins_are_refused(make_user, make_competency, role):
    actor = make_user(role)
    competency = make_competency("M.06", "Pengembangan Diri dan Orang Lain")
    with pytest.raises(PermissionDenied):
        services.create(actor, _data())
    with pytest.raises(PermissionDenied):
        services.update(actor, competency, _data(code="M.06"))
    with pytest.raises(PermissionDenied):
        services.set_active(actor, competency, False)
    with pytest.raises(PermissionDenied):
        services.list_for_admin(actor, 1)
    db.session.rollback()
    assert _counts() == (1, 5, 0)
