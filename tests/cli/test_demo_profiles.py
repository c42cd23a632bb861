"""The demo's positions, oversight roles, assessments and plans: the journey exists; re-runs change nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.accounts import services as accounts
from portal.competencies.seed import upsert_catalogue
from portal.demo import people
from portal.demo import profiles as profile_demo
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.learning.models import CompetencyAssessment, DevelopmentPlan, PlanStatus, Position
from portal.learning.seed import upsert_development_types
from portal.learning.services import local_today, oversight, plans, positions, profile
from portal.units.models import UnitHead
from portal.units.seed import upsert_units


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Position, UnitHead, CompetencyAssessment, DevelopmentPlan)
    )


def test_demo_builds_the_journey_and_is_idempotent(app):
    upsert_units()
    upsert_catalogue()
    upsert_development_types()
    people.load(DemoContext("Sawahlunto#2026"))
    counts = profile_demo.load()
    assert counts["jabatan"] == len(profile_demo.JOBS)
    assert len({profile_demo.position_code(name) for name in profile_demo.JOBS}) == len(profile_demo.JOBS)

    showcase = accounts.get_by_nip(people.SHOWCASE_MEMBER.nip)
    service = next(g for g in profile.gaps_for(showcase) if g.competency.code == "M.05")
    assert (service.required, service.current) == (3, 2)
    assert positions.position_of(showcase).name == "Guru Ahli Muda"
    waiting = plans.awaiting(showcase)
    assert [plan.status for plan in waiting] == [PlanStatus.SUBMITTED]
    assert oversight.oversees_anyone(showcase)
    head = next(person for person in people.HEADS if person.unit == "DISKOMINFO")
    assert oversight.headed_units(accounts.get_by_nip(head.nip))[0].code == "DISKOMINFO"
    assert accounts.get_by_nip(people.MODERATOR.nip).supervisor_id == accounts.get_by_nip(head.nip).id
    assert plans.plan_for(showcase, local_today().year).status == PlanStatus.DRAFT
    assert profile.unit_gaps(limit=3)

    before = _counts()
    again = profile_demo.load()
    assert _counts() == before
    assert (again["created"], again["unchanged"]) == (0, len(profile_demo.JOBS))
