"""The demo city's annual development plan: OPDs proposed from their own data, BKPSDM consolidated and approved
it, one OPD's proposal is still a draft; re-running the loader changes nothing."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import func, select

from portal.demo import people
from portal.demo import planning as planning_demo
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.planning import services as planning
from portal.planning.models import AnnualPlan, AnnualPlanStatus, LineSource, PlanLine, PlanProgram, PlanVersion

DEMO_PASSWORD = "Sawahlunto#2026"


def _row_counts() -> tuple[int | None, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (AnnualPlan, PlanLine, PlanProgram, PlanVersion)
    )


def test_demo_city_plan_is_approved_from_opd_proposals(demo_loaded):
    assert "Rencana pengembangan tahunan: 5 dibuat" in demo_loaded.output
    year = planning.local_today().year

    city = planning.plan_of(year, None)
    assert city is not None and city.status == AnnualPlanStatus.APPROVED
    statuses = {plan.unit.code if plan.unit else None: plan.status for plan in planning.opd_plans(year)}
    assert statuses == {
        "DISDIK": AnnualPlanStatus.APPROVED,
        "RSUD": AnnualPlanStatus.APPROVED,
        "BKPSDM": AnnualPlanStatus.APPROVED,
        "DISKOMINFO": AnnualPlanStatus.DRAFT,  # the workflow is visible: one proposal not yet submitted
    }
    lines = [line for plan in planning.opd_plans(year) for line in plan.lines]
    assert all(line.source != LineSource.MANUAL for line in lines)  # accepted from the OPDs' suggestions
    assert all(1 <= line.quarter <= 4 and line.participants >= 1 for line in lines)
    assert any(line.cost_per_participant > 0 for line in lines)
    assert planning.open_lines(year) == []  # every submitted item is in a program
    # Items of one competency were merged: some program serves more than one OPD.
    assert any(len([q for q in program.quotas if q.quota]) > 1 for program in city.programs)
    assert len({program.competency_id for program in city.programs}) == len(city.programs)
    totals = planning.city_totals(city)
    assert totals.total.participants > 0 and totals.total.cost > 0
    assert len(totals.by_unit) == 3


def test_demo_plan_page_and_workbook_show_the_programs(demo_loaded, app, client):
    year = planning.local_today().year
    city = planning.plan_of(year, None)
    assert city is not None
    member = people.SHOWCASE_MEMBER
    response = client.post("/masuk", data={"identifier": member.nip, "password": DEMO_PASSWORD})
    assert response.status_code == 302

    page = client.get(f"/rencana-tahunan/{year}/kota").get_data(as_text=True)
    assert all(program.title in page for program in city.programs)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/rencana-tahunan/{year}/kota.xlsx").get_data()))
    cells = {str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row}
    assert {program.title for program in city.programs} <= cells


def test_demo_plan_reload_changes_nothing(demo_loaded):
    before = _row_counts()

    counts = planning_demo.load(DemoContext(DEMO_PASSWORD))

    assert _row_counts() == before
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (0, 0, 5)
