"""Learning-record rules: development types, automatic JP credit from workshop attendance, a user's records.

Crediting and voiding add to the caller's transaction and never commit: the workshop service that recorded the
attendance commits both together, so a credit never exists without the attendance behind it (and vice versa).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.competencies.models import Competency
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import DevelopmentType, LearningRecord, LearningSource, LearningStatus


@dataclass
class AttendanceCredit:
    """What a completed workshop puts on the attendee's record."""

    title: str
    development_type_id: int | None
    provider: str
    start_date: date
    end_date: date
    jp: int
    certificate_number: str = ""
    competencies: Sequence[Competency] = field(default_factory=list)


# ---------------------------------------------------------------- development types


def list_development_types(include_inactive: bool = False) -> list[DevelopmentType]:
    stmt = select(DevelopmentType).order_by(DevelopmentType.category, DevelopmentType.code)
    if not include_inactive:
        stmt = stmt.where(DevelopmentType.is_active.is_(True))
    return list(db.session.scalars(stmt))


def get_development_type(type_id: int | None) -> DevelopmentType | None:
    return db.session.get(DevelopmentType, type_id) if type_id else None


def get_development_type_by_code(code: str) -> DevelopmentType | None:
    return db.session.scalar(select(DevelopmentType).where(DevelopmentType.code == (code or "").strip().upper()))


# ---------------------------------------------------------------- attendance credit


def attendance_record(user_id: int, workshop_id: int) -> LearningRecord | None:
    return db.session.scalar(
        select(LearningRecord).where(LearningRecord.user_id == user_id, LearningRecord.workshop_id == workshop_id)
    )


def credit_workshop_attendance(user: Any, workshop_id: int, credit: AttendanceCredit) -> LearningRecord:
    """Record (or bring up to date) the user's verified JP for a completed workshop; exactly one per workshop.

    Called again after the attendance or the workshop changed, it updates the same record. Does not commit.
    """
    user_id = user if isinstance(user, int) else user.id
    record = attendance_record(user_id, workshop_id)
    if record is None:
        record = LearningRecord(user_id=user_id, workshop_id=workshop_id, source=LearningSource.ATTENDANCE)
        db.session.add(record)
    record.title = credit.title[:200]
    record.development_type_id = credit.development_type_id
    record.provider = credit.provider[:200]
    record.start_date = credit.start_date
    record.end_date = max(credit.end_date, credit.start_date)
    record.jp = max(0, int(credit.jp))
    record.certificate_number = credit.certificate_number
    record.competencies = list(credit.competencies)
    record.status = LearningStatus.VERIFIED  # attendance recorded by the organizer needs no further check
    record.verified_at = record.verified_at or utcnow()
    record.updated_at = utcnow()
    return record


def void_workshop_attendance(user: Any, workshop_id: int) -> bool:
    """Remove the credit of an attendance that no longer completes the workshop. Does not commit."""
    user_id = user if isinstance(user, int) else user.id
    record = attendance_record(user_id, workshop_id)
    if record is None:
        return False
    db.session.delete(record)
    return True


# ---------------------------------------------------------------- reading


def records_for(user: Any, year: int | None = None) -> list[LearningRecord]:
    stmt = (
        select(LearningRecord)
        .where(LearningRecord.user_id == user.id)
        .options(selectinload(LearningRecord.competencies))
        .order_by(LearningRecord.end_date.desc(), LearningRecord.id.desc())
    )
    if year is not None:
        stmt = stmt.where(LearningRecord.end_date >= date(year, 1, 1), LearningRecord.end_date <= date(year, 12, 31))
    return list(db.session.scalars(stmt).unique())


def verified_jp(user: Any, year: int) -> int:
    """JP of the user's verified records that ended in the given year."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(LearningRecord.jp), 0)).where(
            LearningRecord.user_id == user.id,
            LearningRecord.status == LearningStatus.VERIFIED,
            LearningRecord.end_date >= date(year, 1, 1),
            LearningRecord.end_date <= date(year, 12, 31),
        )
    )
    return int(total or 0)
