"""The annual plan's rules: an OPD proposes, BKPSDM consolidates with quotas, approval locks, reopening versions,
totals, and the budget workbook."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.core.permissions import PermissionDenied
from portal.extensions import db
from portal.learning.models import DevelopmentPlan, PlanStatus
from portal.planning import services
from portal.planning.models import AnnualPlanStatus, LineSource, PlanLine, PlanProgram
from portal.planning.services import PlanningError
from tests.planning.conftest import line_input


def _lines() -> int:
    return db.session.scalar(select(func.count()).select_from(PlanLine)) or 0


def _proposal(city, year, unit=None, actor=None, **fields):
    unit = unit or city.dinkes
    actor = actor or (city.organizer if unit.id == city.dinkes.id else city.head)
    return services.add_line(actor, unit.id, year, line_input(city, **fields))


def test_an_opd_organizer_proposes_an_item_with_the_costs_it_implies(city, year):
    line = _proposal(city, year, participants=12, target_note="Perawat puskesmas")
    assert line.plan.unit_id == city.dinkes.id and line.plan.status == AnnualPlanStatus.DRAFT
    assert (line.cost, line.total_jp) == (12 * 1_500_000, 120)
    totals = services.proposal_totals(line.plan)
    assert (totals.participants, totals.jp, totals.cost) == (12, 120, 18_000_000)


def test_jp_defaults_to_the_development_types_rule(city, year):
    line = _proposal(city, year, jp=None)
    assert line.jp == 5, "a one-day workshop (KL07) counts 5 JP by LAN's guideline"


def test_the_unit_head_proposes_for_the_unit_and_nobody_else_does(city, year, make_user):
    assert _proposal(city, year, unit=city.disdik, actor=city.head).plan.unit_id == city.disdik.id
    with pytest.raises(PermissionDenied):
        _proposal(city, year, unit=city.disdik, actor=city.organizer)  # an organizer of another OPD
    with pytest.raises(PermissionDenied):
        _proposal(city, year, unit=city.dinkes, actor=city.gap_dinkes[0])  # a member of the OPD
    assert _lines() == 1


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"cost_per_participant": -1}, "cost_per_participant", "tidak negatif"),
        ({"quarter": 5}, "quarter", "Triwulan harus 1, 2, 3 atau 4"),
        ({"quarter": "dua"}, "quarter", "Triwulan"),
        ({"participants": 0}, "participants", "Jumlah peserta"),
        ({"provider_kind": "mitra", "provider_name": " "}, "provider_name", "lembaga mitra"),
        ({"development_type_id": None}, "development_type_id", "metode"),
        ({"competency_id": 999999}, "competency_id", "kompetensi"),
        ({"target_position_ids": [999999]}, "target_positions", "jabatan sasaran"),
    ],
)
def test_bad_items_are_refused_with_a_message_and_nothing_is_stored(city, year, fields, field, text):
    with pytest.raises(PlanningError) as refused:
        _proposal(city, year, **fields)
    assert refused.value.field == field
    assert text.lower() in str(refused.value.message).lower()
    assert _lines() == 0


def test_suggestions_come_from_gaps_and_approved_individual_plans(city, year):
    nurse = city.gap_dinkes[0]
    plan = DevelopmentPlan(user_id=nurse.id, year=year, status=PlanStatus.APPROVED)
    plan.competencies = [city.catalogue["SK.01"]]
    db.session.add(plan)
    db.session.commit()
    found = {s.competency.code: s for s in services.suggestions(city.dinkes.id, year)}
    assert found["M.05"].source == LineSource.GAP and found["M.05"].people_with_gap == 3
    assert found["M.01"].people_with_gap == 1  # the nurse above M.05 is below M.01
    assert found["SK.01"].source == LineSource.INDIVIDUAL and found["SK.01"].individual_plans == 1
    assert "M.03" not in found


def test_a_submitted_proposal_is_closed_to_the_opd_until_bkpsdm_returns_it(city, year):
    line = _proposal(city, year)
    services.submit(city.organizer, line.plan)
    with pytest.raises(PlanningError, match="sudah diajukan"):
        _proposal(city, year, title="Butir kedua")
    with pytest.raises(PlanningError):
        services.return_proposal(city.bkpsdm, line.plan, "")  # a reason is required
    with pytest.raises(PermissionDenied):
        services.return_proposal(city.organizer, line.plan, "Lengkapi sasaran jabatan.")
    services.return_proposal(city.bkpsdm, line.plan, "Lengkapi sasaran jabatan.")
    assert line.plan.status == AnnualPlanStatus.DRAFT and line.plan.note == "Lengkapi sasaran jabatan."
    assert _proposal(city, year, title="Butir kedua").plan.id == line.plan.id
    assert [v.action for v in line.plan.versions] == ["returned", "submitted"]


def _consolidated(city, year):
    a = _proposal(city, year, participants=3)
    b = _proposal(city, year, unit=city.disdik, participants=2, cost_per_participant=1_000_000, quarter=3)
    services.submit(city.organizer, a.plan)
    services.submit(city.head, b.plan)
    program = services.merge(city.bkpsdm, year, [a.id, b.id], title="Pelayanan Prima Kota")
    return a, b, program


def test_bkpsdm_merges_items_of_several_opds_into_one_program_with_quotas(city, year):
    a, b, program = _consolidated(city, year)
    assert program.title == "Pelayanan Prima Kota" and program.plan.unit_id is None
    assert {q.unit_id: q.quota for q in program.quotas} == {city.dinkes.id: 3, city.disdik.id: 2}
    assert program.cost_per_participant == 1_500_000, "a new program takes the first item's cost"
    services.set_quota(city.bkpsdm, program, city.disdik.id, 4)
    totals = services.city_totals(program.plan)
    by_unit = {row.unit.id: row.totals for row in totals.by_unit}
    assert (by_unit[city.disdik.id].participants, by_unit[city.disdik.id].cost) == (4, 6_000_000)
    assert (totals.total.participants, totals.total.jp, totals.total.cost) == (7, 70, 10_500_000)
    assert services.open_lines(year) == []


def test_only_items_of_one_competency_merge_and_drafts_wait(city, year):
    a = _proposal(city, year)
    with pytest.raises(PlanningError, match="sudah diajukan"):
        services.merge(city.bkpsdm, year, [a.id])  # still a draft
    other = _proposal(city, year, competency_id=city.catalogue["M.01"].id)
    services.submit(city.organizer, a.plan)
    with pytest.raises(PlanningError, match="kompetensi yang sama"):
        services.merge(city.bkpsdm, year, [a.id, other.id])
    assert db.session.scalar(select(func.count()).select_from(PlanProgram)) == 0
    with pytest.raises(PermissionDenied):
        services.merge(city.organizer, year, [a.id])


def test_bad_quota_is_refused_and_nothing_changes(city, year):
    _a, _b, program = _consolidated(city, year)
    with pytest.raises(PlanningError, match="Kuota"):
        services.set_quota(city.bkpsdm, program, city.dinkes.id, -2)
    db.session.expire_all()
    assert program.quota_of(city.dinkes.id) == 3


def test_approval_locks_the_city_plan_and_the_opd_plans_in_it(city, year):
    a, b, program = _consolidated(city, year)
    with pytest.raises(PermissionDenied):
        services.approve(city.organizer, year)
    plan = services.approve(city.bkpsdm, year)
    assert plan.status == AnnualPlanStatus.APPROVED and plan.approved_by_id == city.bkpsdm.id
    assert a.plan.status == b.plan.status == AnnualPlanStatus.APPROVED
    with pytest.raises(PlanningError, match="terkunci"):
        services.set_quota(city.bkpsdm, program, city.dinkes.id, 9)
    with pytest.raises(PlanningError, match="terkunci"):
        services.update_line(city.organizer, a, line_input(city, participants=50))
    with pytest.raises(PlanningError, match="terkunci"):
        services.update_program(city.bkpsdm, program, "Baru", 1, 10, 1, "bkpsdm", "")
    db.session.expire_all()
    assert program.quota_of(city.dinkes.id) == 3 and a.participants == 3 and program.title == "Pelayanan Prima Kota"


def test_reopening_makes_a_new_version_and_keeps_the_approved_one_readable(city, year):
    _a, _b, program = _consolidated(city, year)
    plan = services.approve(city.bkpsdm, year)
    with pytest.raises(PlanningError, match="alasan"):
        services.reopen(city.bkpsdm, plan, "")
    services.reopen(city.bkpsdm, plan, "Anggaran perubahan: kuota Disdik naik.")
    assert (plan.version, plan.status) == (2, AnnualPlanStatus.DRAFT)
    services.set_quota(city.bkpsdm, program, city.disdik.id, 6)
    services.approve(city.bkpsdm, year)
    history = [(v.version, v.action, v.actor_id) for v in reversed(plan.versions)]
    assert history == [
        (1, "approved", city.bkpsdm.id),
        (2, "reopened", city.bkpsdm.id),
        (2, "approved", city.bkpsdm.id),
    ]
    first = json.loads(next(v for v in plan.versions if v.version == 1).snapshot)
    assert first["items"][0]["quotas"] == {"Dinkes": 3, "Disdik": 2}
    latest = json.loads(plan.versions[0].snapshot)
    assert latest["items"][0]["quotas"] == {"Dinkes": 3, "Disdik": 6}


def test_the_budget_workbook_opens_with_a_sheet_per_opd_per_program_and_totals(city, year):
    _a, _b, program = _consolidated(city, year)
    plan = services.approve(city.bkpsdm, year)
    book = load_workbook(io.BytesIO(services.workbook(plan)))
    assert book.sheetnames == ["Ringkasan per OPD", "Per program", "Dinkes", "Disdik"]
    summary = [list(row) for row in book["Ringkasan per OPD"].iter_rows(values_only=True)]
    assert summary[1:] == [
        ["Dinas Kesehatan", 3, 30, 4_500_000],
        ["Dinas Pendidikan", 2, 20, 3_000_000],
        ["Jumlah", 5, 50, 7_500_000],
    ]
    programs = [list(row) for row in book["Per program"].iter_rows(values_only=True)]
    assert programs[1][0] == "Pelayanan Prima Kota" and programs[1][-3:] == [5, 50, 7_500_000]
    disdik = [list(row) for row in book["Disdik"].iter_rows(values_only=True)]
    assert disdik[-1][-3:] == [2, 20, 3_000_000]
