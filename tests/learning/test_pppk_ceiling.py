"""PPPK: a JP *ceiling* per contract year (PP 49/2018 Pasal 40 ayat (1)), PNS/CPNS: a *target* per calendar year.

Every test that depends on "today" freezes the clock (``portal.learning.services.common.utcnow``).
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.accounts.models import EmploymentStatus
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services
from portal.learning.models import AnnualTarget, LearningStatus, TargetGroup, TargetKind
from portal.learning.services import dashboard, reminders, targets
from portal.learning.services.targets import PeriodBasis, State
from portal.notifications.models import Notification
from portal.units.models import UnitHead

PPPK = EmploymentStatus.PPPK
CONTRACT = date(2026, 3, 1)


def freeze(monkeypatch, day: date) -> None:
    """Today in WIB is ``day`` (09.00 WIB)."""
    moment = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
    monkeypatch.setattr("portal.learning.services.common.utcnow", lambda: moment)


@pytest.fixture
def contracted(make_user, make_record):
    """A PPPK whose contract started 1 March 2026, with records either side of the first contract year's end."""
    user = make_user(name="Hendri Saputra", employment_status=PPPK, contract_start=CONTRACT)
    make_record(user, end=date(2026, 2, 20), jp=5, title="Sebelum kontrak")
    make_record(user, end=date(2026, 6, 10), jp=10, title="Juni 2026")
    make_record(user, end=date(2027, 2, 20), jp=8, title="Februari 2027")
    make_record(user, end=date(2027, 3, 5), jp=6, title="Maret 2027")
    return user


# ---------------------------------------------------------------- the period a figure counts


def test_contract_years_run_from_the_contract_start():
    assert targets.contract_year(CONTRACT, None, date(2027, 2, 28)) == targets.Period(
        date(2026, 3, 1), date(2027, 2, 28), PeriodBasis.CONTRACT
    )
    assert targets.contract_year(CONTRACT, None, date(2027, 3, 1)).start == date(2027, 3, 1)
    assert targets.contract_year(CONTRACT, None, date(2027, 3, 1)).end == date(2028, 2, 29)
    assert targets.contract_year(CONTRACT, date(2027, 8, 31), date(2027, 6, 1)).end == date(2027, 8, 31)
    leap = targets.contract_year(date(2024, 2, 29), None, date(2025, 2, 28))
    assert (leap.start, leap.end) == (date(2024, 2, 29), date(2025, 2, 28))


def test_february_2027_counts_in_the_first_contract_year(monkeypatch, contracted):
    freeze(monkeypatch, date(2027, 2, 25))
    standing = services.standing(contracted, 2027)
    assert (standing.period.start, standing.period.end) == (date(2026, 3, 1), date(2027, 2, 28))
    assert standing.period.is_contract_year
    assert standing.jp == 18  # June 2026 and February 2027; not before the contract, not March 2027
    assert services.standing(contracted, 2026).jp == 18  # the 2026 page shows the same contract year
    assert (standing.rule.kind, standing.rule.jp, standing.state) == (TargetKind.CEILING, 24, State.WITHIN)
    assert standing.rule.basis == "PP 49/2018 Pasal 40 ayat (1)"

    freeze(monkeypatch, date(2027, 6, 1))
    second = services.standing(contracted, 2027)
    assert (second.period.start, second.period.end, second.jp) == (date(2027, 3, 1), date(2028, 2, 29), 6)


def test_ledger_lists_the_contract_year_and_history_per_contract_year(monkeypatch, contracted):
    freeze(monkeypatch, date(2027, 6, 1))
    ledger = services.ledger(contracted, 2026)
    assert [r.title for r in ledger.records] == ["Februari 2027", "Juni 2026"]
    assert (ledger.verified, ledger.target, ledger.reached) == (18, 24, False)
    rows = [(r.year, r.period.start, r.verified, r.target, r.state) for r in services.history(contracted)]
    assert rows == [
        (2027, date(2027, 3, 1), 6, 24, State.WITHIN),
        (2026, date(2026, 3, 1), 18, 24, State.WITHIN),
    ]


def test_pppk_at_46_jp_is_above_the_ceiling_not_reached(monkeypatch, app, make_user, make_record, login_as):
    freeze(monkeypatch, date(2026, 11, 2))
    client = login_as(Role.MEMBER, employment_status=PPPK, contract_start=date(2026, 1, 1))
    make_record(client.user, end=date(2026, 5, 5), jp=46)
    standing = services.standing(client.user, 2026)
    assert (standing.over_ceiling, standing.below_target, standing.excess) == (True, False, 22)

    page = client.get("/rekam-jejak?tahun=2026").get_data(as_text=True)
    assert "46 dari batas 24 JP" in page
    assert "Melebihi batas: 22 JP di atas batas 24 JP." in page
    assert "PP 49/2018 Pasal 40 ayat (1)" in page
    assert "tercapai" not in page and "Kurang" not in page


def test_pppk_without_contract_dates_counts_the_calendar_year_and_says_so(
    monkeypatch, make_user, make_record, login_as
):
    freeze(monkeypatch, date(2027, 2, 25))
    client = login_as(Role.MEMBER, employment_status=EmploymentStatus.PPPK_PART_TIME)
    make_record(client.user, end=date(2026, 6, 10), jp=10)
    make_record(client.user, end=date(2027, 2, 20), jp=8)
    standing = services.standing(client.user, 2027)
    assert (standing.period.start, standing.period.end) == (date(2027, 1, 1), date(2027, 12, 31))
    assert (standing.period.basis, standing.jp, standing.state) == (PeriodBasis.NO_CONTRACT, 8, State.WITHIN)
    page = client.get("/rekam-jejak").get_data(as_text=True)
    assert "Tanggal kontrak PPPK belum tercatat: JP dihitung per tahun kalender." in page
    assert "Masih dalam batas: sisa 16 JP." in page


def test_a_year_outside_the_recorded_contract_falls_back_to_the_calendar_year(monkeypatch, contracted):
    freeze(monkeypatch, date(2027, 6, 1))
    before = services.standing(contracted, 2025)
    assert (before.period.basis, before.period.start) == (PeriodBasis.OUTSIDE_CONTRACT, date(2025, 1, 1))


def test_pns_target_is_unchanged(monkeypatch, make_user, make_record, login_as):
    freeze(monkeypatch, date(2027, 2, 25))
    client = login_as(Role.MEMBER)  # PNS
    make_record(client.user, end=date(2026, 6, 10), jp=10)
    make_record(client.user, end=date(2027, 2, 20), jp=8)
    standing = services.standing(client.user, 2027)
    assert (standing.period.start, standing.period.end) == (date(2027, 1, 1), date(2027, 12, 31))
    assert (standing.rule.kind, standing.rule.jp, standing.jp, standing.missing) == (TargetKind.TARGET, 20, 8, 12)
    assert standing.below_target and standing.rule.basis == "PP 17/2020 Pasal 203 ayat (4)"
    page = client.get("/rekam-jejak").get_data(as_text=True)
    assert "8 dari 20 JP" in page and "Kurang 12 JP untuk mencapai target." in page
    assert "PP 17/2020 Pasal 203 ayat (4)" in page


# ---------------------------------------------------------------- BKPSDM's setting


def test_bkpsdm_changes_the_figure_kind_and_basis(monkeypatch, verifier, make_user, make_record):
    freeze(monkeypatch, date(2026, 11, 2))
    services.set_targets(
        verifier,
        2026,
        {TargetGroup.PNS: 20, TargetGroup.PPPK: 20},
        kinds={TargetGroup.PPPK: "target"},
        bases={TargetGroup.PPPK: "UU 20/2023 Pasal 49"},
    )
    rule = services.rule_for(TargetGroup.PPPK, 2026)
    assert (rule.kind, rule.jp, rule.basis) == (TargetKind.TARGET, 20, "UU 20/2023 Pasal 49")
    pppk = make_user(employment_status=PPPK)
    make_record(pppk, end=date(2026, 5, 5), jp=6)
    assert services.standing(pppk, 2026).below_target  # a policy move: PPPK now have a target

    services.set_targets(
        verifier, 2026, {TargetGroup.PPPK: 24}, kinds={TargetGroup.PPPK: "ceiling"}, bases={TargetGroup.PPPK: ""}
    )
    row = db.session.scalar(select(AnnualTarget).where(AnnualTarget.group == TargetGroup.PPPK))
    assert (row.jp, row.kind, row.legal_basis) == (24, None, None)  # the defaults again
    assert services.standing(pppk, 2026).state == State.WITHIN


def test_bad_setting_changes_nothing(monkeypatch, verifier):
    freeze(monkeypatch, date(2026, 11, 2))
    with pytest.raises(services.LearningError) as refused:
        services.set_targets(verifier, 2026, {TargetGroup.PNS: 25, TargetGroup.PPPK: 24}, kinds={TargetGroup.PPPK: "x"})
    assert refused.value.field == "pppk_kind"
    with pytest.raises(services.LearningError) as refused:
        services.set_targets(verifier, 2026, {TargetGroup.PNS: 25}, bases={TargetGroup.PNS: "x" * 201})
    assert refused.value.field == "pns_basis"
    assert db.session.scalar(select(func.count()).select_from(AnnualTarget)) == 0


def test_settings_page_shows_the_rule_with_its_legal_basis(monkeypatch, admin_client):
    freeze(monkeypatch, date(2026, 11, 2))
    response = admin_client.post(
        "/rekam-jejak/pengaturan/target",
        data={
            "year": 2026,
            "pns": 20,
            "pns_kind": "target",
            "pns_basis": "",
            "pppk": 24,
            "pppk_kind": "bukan",
            "pppk_basis": "",
        },
    )
    assert response.status_code == 400 and "Pilih target atau batas." in response.get_data(as_text=True)
    page = admin_client.get("/rekam-jejak/pengaturan").get_data(as_text=True)
    assert "Batas (paling banyak): <strong>24 JP</strong>" in page
    assert "PP 49/2018 Pasal 40 ayat (1)" in page and "PP 17/2020 Pasal 203 ayat (4)" in page


# ---------------------------------------------------------------- dashboard, team, reminders, exports


@pytest.fixture
def office(make_unit, make_user, make_record):
    """Unit "Dinas Pendidikan" in 2026: a PNS below target, a PPPK within the ceiling, a PPPK above it (30 JP in
    the contract year from 1 March 2026, 10 of them in February 2027), a PPPK without contract dates at 0."""
    unit = make_unit("Dinas Pendidikan")
    people = {
        "pns": make_user(name="Ani PNS", unit_id=unit.id),
        "within": make_user(name="Budi PPPK", unit_id=unit.id, employment_status=PPPK, contract_start=CONTRACT),
        "over": make_user(name="Citra PPPK", unit_id=unit.id, employment_status=PPPK, contract_start=CONTRACT),
        "nodates": make_user(name="Dedi PPPK", unit_id=unit.id, employment_status=PPPK),
    }
    make_record(people["pns"], end=date(2026, 6, 1), jp=12)
    make_record(people["within"], end=date(2026, 6, 1), jp=20)
    make_record(people["over"], end=date(2026, 6, 1), jp=20)
    make_record(people["over"], end=date(2027, 2, 10), jp=10)
    return unit, people


def test_dashboard_counts_use_the_rule(monkeypatch, office):
    unit, people = office
    freeze(monkeypatch, date(2027, 2, 25))
    rows = {p.name: p for p in dashboard.people(2026, [unit.id])}
    assert {name: (p.jp, p.target, p.kind.value) for name, p in rows.items()} == {
        "Ani PNS": (12, 20, "target"),
        "Budi PPPK": (20, 24, "ceiling"),
        "Citra PPPK": (30, 24, "ceiling"),  # the contract year 1 Mar 2026 – 28 Feb 2027
        "Dedi PPPK": (0, 24, "ceiling"),
    }
    assert [p.name for p in dashboard.below_target(rows.values())] == ["Ani PNS"]
    assert [(p.name, p.excess) for p in dashboard.over_ceiling(rows.values())] == [("Citra PPPK", 6)]
    (progress,) = dashboard.progress_by_unit(list(rows.values()))
    assert (progress.people, progress.subject, progress.reached, progress.below, progress.over_ceiling) == (
        4,
        1,
        0,
        1,
        1,
    )


def test_bkpsdm_sees_who_is_above_the_ceiling(monkeypatch, office, admin_client):
    unit, people = office
    freeze(monkeypatch, date(2027, 2, 25))
    page = admin_client.get(f"/dasbor-pengembangan?tahun=2026&unit={unit.id}").get_data(as_text=True)
    below = page[page.index('id="di-bawah-target"') : page.index('id="melebihi-batas"')]
    assert "Ani PNS" in below and "PPPK" not in below.split("</h2>", 1)[1].split("<tbody>")[1]
    over = page[page.index('id="melebihi-batas"') :]
    assert "PPPK melebihi batas JP (1)" in over and "Citra PPPK" in over and "Budi PPPK" not in over
    assert "1 Mar 2026 – 28 Feb 2027" in over


def test_team_view_shows_the_ceiling(monkeypatch, app, office, make_user):
    unit, people = office
    freeze(monkeypatch, date(2027, 2, 25))
    from tests.conftest import login

    head = make_user(name="Kepala Dinas", unit_id=unit.id)
    db.session.add(UnitHead(unit_id=unit.id, user_id=head.id))
    db.session.commit()
    client = login(app.test_client(), head)
    page = client.get("/tim").get_data(as_text=True)
    assert "30 / batas 24 JP" in page and "melebihi batas" in page
    assert "0 / 20 JP" in page  # the PNS counts calendar 2027; the PPPK still their first contract year


def test_reminders_skip_pppk(monkeypatch, office):
    unit, people = office
    now = datetime(2026, 10, 6, 2, tzinfo=UTC)
    freeze(monkeypatch, now.date())
    counts = reminders.send_reminders(now=now)
    assert counts == {"sent": 1, "already": 0, "reached": 0, "ceiling": 3}
    notified = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == reminders.CRON_KIND)))
    assert notified == {people["pns"].id}  # not Dedi (PPPK at 0 JP): a ceiling is not a target


def test_dashboard_export_lists_the_pppk_above_the_ceiling(monkeypatch, office, admin_client):
    unit, people = office
    freeze(monkeypatch, date(2027, 2, 25))
    response = admin_client.get(f"/dasbor-pengembangan/unduh.xlsx?tahun=2026&unit={unit.id}")
    book = load_workbook(io.BytesIO(response.data))
    rows = [list(row) for row in book["Melebihi batas"].iter_rows(values_only=True)]
    assert rows[1:] == [
        [
            "Dinas Pendidikan",
            people["over"].nip,
            "Citra PPPK",
            "PPPK",
            30,
            24,
            6,
            "1 Mar 2026 – 28 Feb 2027",
            "PP 49/2018 Pasal 40 ayat (1)",
        ]
    ]
    below = [row[2] for row in book["Di bawah target"].iter_rows(values_only=True)]
    assert below[1:] == ["Ani PNS"]
    units = [list(row) for row in book["Capaian per unit"].iter_rows(values_only=True)]
    assert units[1][:4] == ["Dinas Pendidikan", 4, 1, 0] and units[1][-1] == 1


def test_a_pppk_record_status_other_than_verified_is_waiting_not_counted(monkeypatch, contracted, make_record):
    freeze(monkeypatch, date(2027, 2, 25))
    make_record(contracted, end=date(2026, 12, 1), jp=9, status=LearningStatus.SUBMITTED)
    standing = services.standing(contracted, 2027)
    assert (standing.jp, standing.pending) == (18, 9)
