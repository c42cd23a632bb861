"""Reading workshops and registrations: one workshop, a person's registration, seat counts, waiting positions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.core.markdown import RENDERER_VERSION
from portal.core.permissions import Actor
from portal.extensions import db
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopSession
from portal.workshops.services.common import _render, can_view


def _with_details(stmt):
    return stmt.options(
        joinedload(Workshop.development_type),
        joinedload(Workshop.provider_unit),
        joinedload(Workshop.organizer),
        selectinload(Workshop.competencies),
        selectinload(Workshop.eligible_units),
        selectinload(Workshop.trainers),
        selectinload(Workshop.sessions),
    )


def get(workshop_id: int) -> Workshop | None:
    return db.session.get(Workshop, workshop_id)


def get_visible(viewer: Actor, workshop_id: int) -> Workshop | None:
    """The workshop if the viewer may see it; None otherwise, so drafts look like missing pages."""
    workshop = db.session.scalar(_with_details(select(Workshop).where(Workshop.id == workshop_id)))
    if workshop is None or not can_view(viewer, workshop):
        return None
    if workshop.renderer_version != RENDERER_VERSION:
        _render(workshop)
        db.session.commit()
    return workshop


def get_session(workshop: Workshop, session_id: int) -> WorkshopSession | None:
    return next((s for s in workshop.sessions if s.id == session_id), None)


def registration_of(user: Actor, workshop_id: int) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Registration).where(Registration.workshop_id == workshop_id, Registration.user_id == user.id)
    )


def _count(workshop_id: int, status: RegistrationStatus) -> int:
    stmt = select(func.count()).select_from(Registration)
    return db.session.scalar(stmt.where(Registration.workshop_id == workshop_id, Registration.status == status)) or 0


def confirmed_count(workshop: Workshop) -> int:
    return _count(workshop.id, RegistrationStatus.CONFIRMED)


def count_participants(workshop_id: int, completed: bool = False, unit_id: int | None = None) -> int:
    """Confirmed participants (only those who completed, when asked), optionally of one unit: for response rates."""
    stmt = select(func.count()).select_from(Registration).join(User, User.id == Registration.user_id)
    stmt = stmt.where(Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.CONFIRMED)
    if completed:
        stmt = stmt.where(Registration.completed_at.is_not(None))
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    return db.session.scalar(stmt) or 0


def seats_left(workshop: Workshop) -> int:
    return max(0, workshop.capacity - confirmed_count(workshop))


def seats_taken(workshop_ids: Sequence[int]) -> dict[int, int]:
    """Confirmed registrations per workshop, in one query (for lists)."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Registration.workshop_id, func.count())
        .where(Registration.workshop_id.in_(workshop_ids), Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.workshop_id)
    )
    return {row[0]: row[1] for row in rows}


def pending_approval(workshop_ids: Sequence[int]) -> dict[int, int]:
    """Registrations waiting for the organizer's approval per workshop, in one query (for lists)."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Registration.workshop_id, func.count())
        .where(Registration.workshop_id.in_(workshop_ids), Registration.status == RegistrationStatus.PENDING)
        .group_by(Registration.workshop_id)
    )
    return {row[0]: row[1] for row in rows}


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.workshop_id == registration.workshop_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            (Registration.queued_at < registration.queued_at)
            | ((Registration.queued_at == registration.queued_at) & (Registration.id < registration.id)),
        )
    )
    return (ahead or 0) + 1
