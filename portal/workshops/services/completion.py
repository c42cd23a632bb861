"""Completion: when a registration counts as completed, and telling learning to credit (or withdraw) its JP.

A registration is **completed** — JP credited, certificate available — only once the workshop's *last*
session has ended and the completion rule holds: a confirmed participant of a published (or completed)
workshop who attended at least :attr:`~portal.workshops.models.Workshop.required_sessions` sessions. Before
the end nothing is credited, however many sessions were ticked.

Completion is re-checked whenever attendance or the workshop changes (:func:`_update_completion`), and, for
registrations whose attendance already sufficed when the last session ended, by :func:`complete_due`: from
cron (``flask workshops complete-due``) and lazily when the workshop's pages are opened. Either way the credit
goes to learning through :mod:`portal.core.signals` (workshops do not import learning's ledger): one record per
person and workshop, updated in place, and removed when the registration no longer completes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from portal.core import signals
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.workshops.models import (
    Attendance,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)
from portal.workshops.services.certificates import _new_certificate_number, certificate_unlocked
from portal.workshops.services.common import _locked, workshop_url

CREDITED_STATUSES = (WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)


def completed_registrations(workshop_id: int) -> list[Registration]:
    """The registrations of participants who completed the workshop, with their users (for L3 follow-ups)."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.workshop_id == workshop_id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.completed_at.is_not(None),
            )
            .options(joinedload(Registration.user))
            .order_by(Registration.completed_at, Registration.id)
        )
    )


def has_ended(workshop: Workshop, now: datetime | None = None) -> bool:
    """Whether the workshop's last session has ended."""
    return bool(workshop.sessions) and workshop.ends_at <= (now or utcnow())


def _credit(workshop: Workshop, registration: Registration) -> dict[str, Any]:
    """The keyword arguments of :data:`portal.core.signals.registration_completed`."""
    return {
        "user_id": registration.user_id,
        "workshop_id": workshop.id,
        "title": workshop.title,
        "development_type_id": workshop.development_type_id,
        "provider": workshop.provider,
        "start_date": to_local(workshop.starts_at).date(),
        "end_date": to_local(workshop.ends_at).date(),
        "jp": workshop.jp,
        "certificate_number": registration.certificate_number or "",
        "competencies": list(workshop.competencies),
    }


def _update_completion(workshop: Workshop, registration: Registration, now: datetime | None = None) -> None:
    """Completion follows attendance and the calendar: credit the JP once (updated in place later), or withdraw
    it. Runs inside the caller's locked unit of work; does not commit."""
    now = now or utcnow()
    attended, last_check_in = db.session.execute(
        select(func.count(), func.max(Attendance.checked_in_at)).where(Attendance.registration_id == registration.id)
    ).one()
    required = workshop.required_sessions
    complete = (
        registration.status == RegistrationStatus.CONFIRMED
        and workshop.status in CREDITED_STATUSES
        and required > 0
        and (attended or 0) >= required
        and has_ended(workshop, now)
    )
    if not complete:
        registration.completed_at = None
        signals.registration_completion_withdrawn.send(workshop, user_id=registration.user_id, workshop_id=workshop.id)
        return
    # Completed when the workshop ended, or when the attendance that completed it was recorded after that.
    registration.completed_at = registration.completed_at or max(workshop.ends_at, last_check_in or workshop.ends_at)
    if registration.certificate_number is None:  # the first completion ever: tell the participant once
        registration.certificate_number = _new_certificate_number(workshop)
        kind = "workshop.completed" if certificate_unlocked(registration) else "workshop.completed_evaluate"
        notifications.notify([registration.user_id], kind, workshop_url(workshop), title=workshop.title, jp=workshop.jp)
    signals.registration_completed.send(workshop, **_credit(workshop, registration))


def _recheck_completions(workshop: Workshop) -> None:
    """After the workshop changed (JP, dates, sessions, threshold): bring every attendee's credit up to date."""
    db.session.flush()
    attendees = db.session.scalars(
        select(Registration).where(
            Registration.workshop_id == workshop.id,
            Registration.id.in_(select(Attendance.registration_id).distinct()),
        )
    )
    for registration in attendees:
        _update_completion(workshop, registration)


def _due(now: datetime):
    """Registrations not yet completed whose workshop has ended and whose attendance meets the rule."""
    sessions = (
        select(func.count()).select_from(WorkshopSession).where(WorkshopSession.workshop_id == Workshop.id)
    ).scalar_subquery()
    attended = (
        select(func.count()).select_from(Attendance).where(Attendance.registration_id == Registration.id)
    ).scalar_subquery()
    threshold = Workshop.attendance_threshold
    required = case((and_(threshold.is_not(None), threshold < sessions), threshold), else_=sessions)
    return (
        select(Registration.id, Registration.workshop_id)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.completed_at.is_(None),
            Workshop.status.in_(CREDITED_STATUSES),
            Workshop.ends_at <= now,
            required > 0,
            attended >= required,
        )
    )


def complete_due(now: datetime | None = None, workshop_id: int | None = None, user_id: int | None = None) -> int:
    """Complete the registrations whose workshop has ended and whose attendance already met the rule (e.g. QR
    check-ins during the last session). Idempotent and cheap when nothing is due: safe from cron and on page views.
    Returns how many registrations were completed; commits per workshop."""
    now = now or utcnow()
    stmt = _due(now)
    if workshop_id is not None:
        stmt = stmt.where(Registration.workshop_id == workshop_id)
    if user_id is not None:
        stmt = stmt.where(Registration.user_id == user_id)
    due_workshops = sorted({row.workshop_id for row in db.session.execute(stmt)})
    completed = 0
    for due_id in due_workshops:
        with _locked(due_id) as workshop:  # re-read under the lock: another request may have done it meanwhile
            ids = db.session.scalars(stmt.where(Registration.workshop_id == due_id).with_only_columns(Registration.id))
            for registration in db.session.scalars(select(Registration).where(Registration.id.in_(list(ids)))):
                _update_completion(workshop, registration, now)
                completed += registration.completed_at is not None
            db.session.commit()
    return completed
