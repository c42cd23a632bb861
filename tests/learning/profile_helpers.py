"""Builders shared by the positions, profile, plan and oversight tests (plain functions, no fixtures)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.competencies.models import Competency, CompetencyCategory, CompetencyLevel
from portal.extensions import db
from portal.learning.models import (
    CompetencyAssessment,
    JobType,
    LearningRecord,
    LearningSource,
    LearningStatus,
    Position,
    PositionRequirement,
)
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.workshops import services as workshops
from portal.workshops.services import SessionInput, WorkshopInput

CATALOGUE = (
    ("M.01", CompetencyCategory.MANAGERIAL, "Integritas"),
    ("M.03", CompetencyCategory.MANAGERIAL, "Komunikasi"),
    ("M.05", CompetencyCategory.MANAGERIAL, "Pelayanan Publik"),
    ("SK.01", CompetencyCategory.SOCIO_CULTURAL, "Perekat Bangsa"),
    ("T.SPBE.01", CompetencyCategory.TECHNICAL, "Tata Kelola SPBE"),
)


def add_catalogue() -> dict[str, Competency]:
    """Five competencies with a description per level."""
    items = []
    for code, category, name in CATALOGUE:
        competency = Competency(code=code, category=category, name=name)
        competency.levels = [CompetencyLevel(level=n, description=f"Deskripsi {code} level {n}.") for n in range(1, 6)]
        items.append(competency)
    db.session.add_all(items)
    db.session.commit()
    return {c.code: c for c in items}


def add_position(code: str, requirements: dict[Competency, int], unit=None, **fields) -> Position:
    position = Position(
        code=code,
        name=fields.pop("name", f"Jabatan {code}"),
        job_type=fields.pop("job_type", JobType.PELAKSANA),
        unit_id=unit.id if unit is not None else None,
        **fields,
    )
    position.requirements = [PositionRequirement(competency=c, level=level) for c, level in requirements.items()]
    db.session.add(position)
    db.session.commit()
    return position


def assess(user, competency: Competency, level: int, confirmed: int | None = None, by=None) -> CompetencyAssessment:
    assessment = CompetencyAssessment(
        user_id=user.id,
        competency_id=competency.id,
        level=level,
        confirmed_level=confirmed,
        confirmed_by_id=by.id if by is not None else None,
        confirmed_at=datetime.now(UTC) if confirmed is not None else None,
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


def add_record(user, jp: int, end: date, status: LearningStatus = LearningStatus.VERIFIED, **fields) -> LearningRecord:
    upsert_development_types()
    record = LearningRecord(
        user_id=user.id,
        title=fields.pop("title", "Coaching pelayanan"),
        development_type_id=get_development_type_by_code(fields.pop("type_code", "NKL01")).id,
        start_date=end,
        end_date=end,
        jp=jp,
        jp_claimed=jp,
        status=status,
        source=fields.pop("source", LearningSource.SELF_REPORTED),
        **fields,
    )
    db.session.add(record)
    db.session.commit()
    return record


def add_workshop(organizer, competencies: list[Competency], days_ahead: float = 20, publish: bool = True, **fields):
    """A workshop through the workshop services: one 4-hour session, tagged with the competencies."""
    upsert_development_types()
    first = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(hour=1, minute=0, second=0, microsecond=0)
    data = WorkshopInput(
        title=fields.pop("title", "Pelatihan Pelayanan Prima"),
        description="Materi pelatihan.",
        development_type_id=get_development_type_by_code("KL07").id,
        competency_codes=[c.code for c in competencies],
        provider_name="BKPSDM Kota Sawahlunto",
        location="Aula",
        sessions=[SessionInput(first, first + timedelta(hours=4))],
        capacity=30,
        **fields,
    )
    workshop = workshops.create(organizer, data)
    if publish:
        workshops.publish(organizer, workshop)
    return workshops.get(workshop.id)
