"""Read-only lookups other features may use (the personal home page): a person's next sessions and waiting-list
places, and the registrations waiting for an organizer. Each answers in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.competencies.models import Competency
from portal.core.permissions import Actor, Role
from portal.extensions import db
from portal.units.models import Unit
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopSession, WorkshopStatus
from portal.workshops.services.attendance import checkin_window
from portal.workshops.services.common import _setting, can_organize


@dataclass(frozen=True)
class NextSession:
    session: WorkshopSession
    workshop: Workshop
    checkin_open: bool  # the participant may check themselves in now (the window of attendance.checkin_window)


def next_sessions(user_id: int, now: datetime, limit: int = 3) -> tuple[list[NextSession], int]:
    """The person's confirmed sessions not over yet (still in their check-in window), soonest first, and how many
    there are. Two statements."""
    stmt = (
        select(WorkshopSession)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .join(Registration, Registration.workshop_id == Workshop.id)
        .where(
            Registration.user_id == user_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Workshop.status == WorkshopStatus.PUBLISHED,
            WorkshopSession.ends_at > now - _checkin_grace(),
        )
    )
    total = db.session.scalar(stmt.with_only_columns(func.count(WorkshopSession.id))) or 0
    rows = db.session.scalars(
        stmt.order_by(WorkshopSession.starts_at, WorkshopSession.id)
        .limit(limit)
        .options(joinedload(WorkshopSession.workshop))
    )
    found = []
    for session in rows:
        opens, closes = checkin_window(session)
        if session.ends_at <= now and now > closes:
            continue  # ended and past its self check-in grace
        found.append(NextSession(session, session.workshop, opens <= now <= closes))
    return found, total


def _checkin_grace() -> timedelta:
    return timedelta(minutes=_setting("SELF_CHECKIN_CLOSES_MINUTES"))


@dataclass(frozen=True)
class WaitingPlace:
    workshop: Workshop
    position: int  # 1: first on the waiting list


def waiting_places(user_id: int, limit: int = 5) -> list[WaitingPlace]:
    """The person's waiting-list places in workshops not started yet, with their position; one statement."""
    mine, other = aliased(Registration), aliased(Registration)
    ahead = (
        select(func.count(other.id))
        .where(
            other.workshop_id == mine.workshop_id,
            other.status == RegistrationStatus.WAITLISTED,
            or_(other.queued_at < mine.queued_at, and_(other.queued_at == mine.queued_at, other.id < mine.id)),
        )
        .correlate(mine)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Workshop, ahead)
        .join(mine, mine.workshop_id == Workshop.id)
        .where(
            mine.user_id == user_id,
            mine.status == RegistrationStatus.WAITLISTED,
            Workshop.status == WorkshopStatus.PUBLISHED,
        )
        .order_by(Workshop.starts_at, Workshop.id)
        .limit(limit)
    ).all()
    return [WaitingPlace(workshop, (count or 0) + 1) for workshop, count in rows]


def pending_registration_count(actor: Actor) -> int:
    """Registrations waiting for approval in workshops the actor manages (an admin: every workshop)."""
    if not can_organize(actor):
        return 0
    stmt = (
        select(func.count(Registration.id))
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Registration.status == RegistrationStatus.PENDING, Workshop.status == WorkshopStatus.PUBLISHED)
    )
    if actor.role != Role.ADMIN:
        stmt = stmt.where(Workshop.organizer_id == actor.id)
    return db.session.scalar(stmt) or 0


def open_for_competencies(
    competency_ids: Sequence[int], user_id: int, unit_id: int | None, now: datetime, limit: int
) -> list[Workshop]:
    """Published workshops not started yet, open to the unit, teaching any of the competencies, that the person
    has not signed up for (a cancelled sign-up does not count): soonest first, with their competencies. Two
    statements."""
    if not competency_ids:
        return []
    signed_up = exists().where(
        Registration.workshop_id == Workshop.id,
        Registration.user_id == user_id,
        Registration.status != RegistrationStatus.CANCELLED,
    )
    stmt = select(Workshop).where(
        Workshop.status == WorkshopStatus.PUBLISHED,
        Workshop.starts_at > now,
        Workshop.competencies.any(Competency.id.in_(list(competency_ids))),
        ~signed_up,
    )
    if unit_id:
        stmt = stmt.where(~Workshop.eligible_units.any() | Workshop.eligible_units.any(Unit.id == unit_id))
    stmt = stmt.order_by(Workshop.starts_at, Workshop.id).limit(limit).options(selectinload(Workshop.competencies))
    return list(db.session.scalars(stmt))


def public_upcoming(now: datetime, limit: int = 3) -> list[Workshop]:
    """For the public landing page: published workshops not started yet that are open to every unit (one with
    eligible units is for those units' staff only), soonest first. One statement."""
    stmt = (
        select(Workshop)
        .where(Workshop.status == WorkshopStatus.PUBLISHED, Workshop.starts_at > now, ~Workshop.eligible_units.any())
        .order_by(Workshop.starts_at, Workshop.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def registration_statuses(workshop_id: int, user_ids: Sequence[int]) -> dict[int, RegistrationStatus]:
    """The registration status of each of these people for the workshop (those registered at all). One statement."""
    if not user_ids:
        return {}
    stmt = select(Registration.user_id, Registration.status).where(
        Registration.workshop_id == workshop_id, Registration.user_id.in_(list(user_ids))
    )
    return {row.user_id: row.status for row in db.session.execute(stmt)}


def confirmed_workshop_ids(user_id: int) -> Select[int]:
    """The workshops the person holds a confirmed place in, as a subquery for the caller's own statement."""
    return select(Registration.workshop_id).where(
        Registration.user_id == user_id, Registration.status == RegistrationStatus.CONFIRMED
    )
