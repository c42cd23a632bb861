"""Read-only lookups in learning other features join on (the annual development plan): who is below the job
standard in a competency, and which competencies approved individual plans target. Writes go through the services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.competencies.models import Competency
from portal.extensions import db
from portal.learning.models import (
    CompetencyAssessment,
    DevelopmentPlan,
    PlanStatus,
    Position,
    PositionRequirement,
    plan_competencies,
)


@dataclass(frozen=True)
class GapHolder:
    """An active ASN whose current level (confirmed, else self-assessed) is below their position's standard."""

    user: User
    position: Position
    competency_id: int
    required: int
    current: int

    @property
    def gap(self) -> int:
        return self.required - self.current


def people_with_gap(
    competency_ids: Sequence[int], unit_id: int | None = None, position_id: int | None = None
) -> list[GapHolder]:
    """Everyone below the standard in one of the competencies (one row per person: their largest gap), by unit
    and name. People never assessed have no gap yet and are not listed."""
    if not competency_ids:
        return []
    current = func.coalesce(CompetencyAssessment.confirmed_level, CompetencyAssessment.level)
    stmt = (
        select(User, Position, PositionRequirement.competency_id, PositionRequirement.level, current)
        .join(Position, Position.id == User.position_id)
        .join(PositionRequirement, PositionRequirement.position_id == Position.id)
        .join(
            CompetencyAssessment,
            (CompetencyAssessment.user_id == User.id)
            & (CompetencyAssessment.competency_id == PositionRequirement.competency_id),
        )
        .where(
            PositionRequirement.competency_id.in_(list(competency_ids)),
            PositionRequirement.level > current,
            User.active.is_(True),
            User.is_verified.is_(True),
        )
        .order_by(User.unit_id, User.name, User.id)
    )
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    if position_id is not None:
        stmt = stmt.where(User.position_id == position_id)
    found: dict[int, GapHolder] = {}
    for user, position, competency_id, required, level in db.session.execute(stmt):
        holder = GapHolder(user, position, competency_id, required, level)
        if user.id not in found or holder.gap > found[user.id].gap:
            found[user.id] = holder
    return list(found.values())


def gap_counts(unit_id: int) -> list[tuple[Competency, int]]:
    """Per competency, how many of the unit's active people are below their position's standard; most first."""
    current = func.coalesce(CompetencyAssessment.confirmed_level, CompetencyAssessment.level)
    people = func.count(User.id)
    stmt = (
        select(Competency, people)
        .join(PositionRequirement, PositionRequirement.competency_id == Competency.id)
        .join(User, User.position_id == PositionRequirement.position_id)
        .join(
            CompetencyAssessment,
            (CompetencyAssessment.user_id == User.id) & (CompetencyAssessment.competency_id == Competency.id),
        )
        .where(User.unit_id == unit_id, User.active.is_(True), PositionRequirement.level > current)
        .group_by(Competency.id)
        .order_by(people.desc(), Competency.code)
    )
    return [(competency, int(count)) for competency, count in db.session.execute(stmt)]


def planned_competency_counts(unit_id: int, year: int) -> list[tuple[Competency, int]]:
    """Per competency, how many approved individual development plans of the unit's people for ``year`` target it."""
    people = func.count(DevelopmentPlan.id)
    stmt = (
        select(Competency, people)
        .join(plan_competencies, plan_competencies.c.competency_id == Competency.id)
        .join(DevelopmentPlan, DevelopmentPlan.id == plan_competencies.c.plan_id)
        .join(User, User.id == DevelopmentPlan.user_id)
        .where(User.unit_id == unit_id, DevelopmentPlan.year == year, DevelopmentPlan.status == PlanStatus.APPROVED)
        .group_by(Competency.id)
        .order_by(people.desc(), Competency.code)
    )
    return [(competency, int(count)) for competency, count in db.session.execute(stmt)]


def positions_for_unit(unit_id: int | None) -> list[Position]:
    """Active positions of a unit and those open to any unit, by name (the target groups of a plan item)."""
    stmt = select(Position).where(Position.is_active.is_(True)).order_by(Position.name)
    if unit_id is not None:
        stmt = stmt.where((Position.unit_id == unit_id) | Position.unit_id.is_(None))
    return list(db.session.scalars(stmt))


def positions_by_ids(position_ids: Sequence[int]) -> list[Position]:
    if not position_ids:
        return []
    return list(db.session.scalars(select(Position).where(Position.id.in_(list(position_ids)))))
