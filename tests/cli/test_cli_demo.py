"""``flask demo load``. Tests of the loaded city start from ``demo_loaded`` (built once per run and copied in);
the ones about a load over existing rows run the command themselves."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from portal.accounts.models import User
from portal.accounts.nip import parse_nip
from portal.competencies import services as competencies
from portal.competencies.models import Competency, CompetencyCategory, CompetencyLevel
from portal.competencies.seed import CATALOGUE
from portal.core.permissions import Role
from portal.demo import people
from portal.demo.steps import DemoStep
from portal.extensions import db
from portal.units import services as units
from portal.units.models import Unit
from portal.units.seed import SAWAHLUNTO_UNITS
from tests.cli.conftest import user_count, users

DEMO_PASSWORD = "Sawahlunto#2026"
LOGIN_LINE = re.compile(r"^\s+(Admin|Penyelenggara|Moderator|Anggota)\s+(\d{18})\s", re.MULTILINE)


def row_counts() -> tuple[int, int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Unit, Competency, CompetencyLevel, User)
    )


def load_demo(cli, *options: str):
    result = cli.invoke(args=["demo", "load", *options])
    assert result.exit_code == 0, result.output
    return result


def test_demo_load_fills_units_competencies_and_users(demo_loaded):
    result = demo_loaded

    assert "Unit kerja (OPD): 31 dibuat" in result.output
    assert "Katalog kompetensi: 24 dibuat" in result.output
    assert f"Pengguna: {len(people.everyone())} dibuat" in result.output
    assert row_counts() == (31, 24, 24 * 5, len(people.everyone()))


def test_demo_load_twice_creates_no_duplicates(cli, demo_loaded):
    first = row_counts()

    result = load_demo(cli)

    assert row_counts() == first
    assert "Unit kerja (OPD): 0 dibuat, 0 diperbarui, 31 tidak berubah" in result.output
    assert f"Pengguna: 0 dibuat, 0 diperbarui, {len(people.everyone())} tidak berubah" in result.output


def test_demo_load_restores_changed_seed_rows(cli, demo_loaded):
    unit = db.session.scalar(select(Unit).where(Unit.code == "RSUD"))
    unit.name = "RSUD Lama"
    tester = db.session.scalar(select(User).where(User.nip == people.SHOWCASE_MEMBER.nip))
    tester.password_hash = generate_password_hash("Kata-sandi-lain-1", method="pbkdf2:sha256:1000")
    tester.role = Role.ADMIN
    db.session.commit()

    result = load_demo(cli)

    assert "Unit kerja (OPD): 0 dibuat, 1 diperbarui" in result.output
    assert "Pengguna: 0 dibuat, 1 diperbarui" in result.output
    db.session.expire_all()
    assert unit.name == "Rumah Sakit Umum Daerah Sawahlunto"
    assert tester.role == Role.MEMBER


@pytest.mark.slow
def test_demo_load_adopts_a_unit_created_before_under_another_code(cli, unit):
    load_demo(cli)

    db.session.expire_all()
    assert unit.code == "DISKOMINFO"  # the conftest unit has the real Diskominfo name
    assert row_counts()[0] == 31


def test_demo_load_if_empty_skips_a_database_with_users(cli, make_user):
    make_user(Role.MEMBER)

    result = load_demo(cli, "--if-empty")

    assert "Basis data sudah berisi pengguna: data demo tidak dimuat" in result.output
    assert user_count() == 1
    assert row_counts()[1] == 0
    assert "Akun demo tidak ada di basis data ini" in result.output


@pytest.mark.slow
def test_demo_load_if_empty_loads_an_empty_database_and_prints_logins_after(cli):
    load_demo(cli, "--if-empty")

    result = load_demo(cli, "--if-empty")

    assert "data demo tidak dimuat" in result.output
    assert len(LOGIN_LINE.findall(result.output)) == 4


def test_every_demo_nip_is_valid_for_its_status(app):
    for person in people.everyone():
        parse_nip(person.nip, person.status)  # raises NipError with the reason
    nips = [person.nip for person in people.everyone()]
    assert len(set(nips)) == len(nips)


def test_demo_accounts_cover_every_role_and_the_admin_queue(cli, demo_loaded):
    accounts = users()
    assert {user.role for user in accounts} == set(Role)
    assert sum(not user.is_verified for user in accounts) == 3
    assert sum(not user.active for user in accounts) == 1
    assert {user.employment_status.value for user in accounts} >= {"PNS", "PPPK", "CPNS", "PPPK_PW"}
    assert len({user.unit_id for user in accounts}) >= 25
    admin = next(user for user in accounts if user.role == Role.ADMIN)
    assert (admin.nip, admin.unit.code) == (cli.app.config["DEMO_ADMIN_NIP"], "BKPSDM")


def test_every_competency_has_exactly_five_described_levels(demo_loaded):
    competencies = list(db.session.scalars(select(Competency)))
    assert {c.code for c in competencies if c.category != CompetencyCategory.TECHNICAL} == {
        "M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08", "SK.01",
    }  # fmt: skip
    assert 12 <= sum(c.category == CompetencyCategory.TECHNICAL for c in competencies) <= 16
    for competency in competencies:
        assert [level.level for level in competency.levels] == [1, 2, 3, 4, 5], competency.code
        assert all(len(level.description) >= 15 for level in competency.levels), competency.code
        assert len(competency.description) > 80, competency.code


def test_the_printed_logins_work(demo_loaded, app):
    result = demo_loaded

    assert f"kata sandi demo: {DEMO_PASSWORD}" in result.output
    logins = LOGIN_LINE.findall(result.output)
    assert [role for role, _nip in logins] == ["Admin", "Penyelenggara", "Moderator", "Anggota"]
    for _role, nip in logins:
        client = app.test_client()
        response = client.post("/masuk", data={"identifier": nip, "password": DEMO_PASSWORD})
        assert response.status_code == 302, nip


def test_pending_and_deactivated_demo_accounts_cannot_log_in(demo_loaded, client):
    for user in users():
        if not user.is_active:
            response = client.post("/masuk", data={"identifier": user.nip, "password": DEMO_PASSWORD})
            assert response.status_code == 200, user.nip


def test_demo_load_is_refused_in_production(cli, app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")

    result = cli.invoke(args=["demo", "load"])

    assert result.exit_code == 1
    assert "tidak boleh dimuat di produksi" in result.output
    assert row_counts() == (0, 0, 0, 0)


def test_a_failing_step_stops_the_load_with_exit_status_1(cli, monkeypatch):
    def broken(_context):
        raise ValueError("data rusak")

    monkeypatch.setattr("portal.demo.cli.STEPS", [DemoStep("Langkah uji", broken)])

    result = cli.invoke(args=["demo", "load"])

    assert result.exit_code == 1
    assert "Gagal memuat Langkah uji: data rusak" in result.output


def test_seed_codes_pass_the_admin_forms_rules():
    """An admin must be able to edit a seeded unit or competency without first fixing its code."""
    assert all(units.CODE_RE.match(seed.code) for seed in SAWAHLUNTO_UNITS)
    assert all(len(seed.short_name) <= units.SHORT_NAME_MAX for seed in SAWAHLUNTO_UNITS)
    assert all(competencies.CODE_RE.match(seed.code) for seed in CATALOGUE)
    assert all(len(seed.code) <= competencies.CODE_MAX for seed in CATALOGUE)
