"""Attendance and completion: the organizer's ticks and QR self check-in; completing a workshop credits its JP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.core.timezone import format_local, to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning import services as learning
from portal.notifications import services as notifications
from portal.workshops.models import (
    Attendance,
    CheckInMethod,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)
from portal.workshops.services.certificates import _new_certificate_number, certificate_unlocked
from portal.workshops.services.common import (
    WorkshopError,
    _locked,
    _managed_registration,
    _require_manage,
    _setting,
    workshop_url,
)
from portal.workshops.services.lookups import get_session, registration_of


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


def _credit_for(workshop: Workshop, registration: Registration) -> learning.AttendanceCredit:
    return learning.AttendanceCredit(
        title=workshop.title,
        development_type_id=workshop.development_type_id,
        provider=workshop.provider,
        start_date=to_local(workshop.starts_at).date(),
        end_date=to_local(workshop.ends_at).date(),
        jp=workshop.jp,
        certificate_number=registration.certificate_number or "",
        competencies=list(workshop.competencies),
    )


def _update_completion(workshop: Workshop, registration: Registration) -> None:
    """Completion follows attendance: credit the JP once (updated in place later), or withdraw it."""
    attended = db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.registration_id == registration.id)
    )
    required = workshop.required_sessions
    complete = (
        registration.status == RegistrationStatus.CONFIRMED
        and workshop.status in (WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)
        and required > 0
        and (attended or 0) >= required
    )
    if not complete:
        registration.completed_at = None
        learning.void_workshop_attendance(registration.user_id, workshop.id)
        return
    registration.completed_at = registration.completed_at or utcnow()
    if registration.certificate_number is None:  # the first completion ever: tell the participant once
        registration.certificate_number = _new_certificate_number(workshop)
        kind = "workshop.completed" if certificate_unlocked(registration) else "workshop.completed_evaluate"
        notifications.notify([registration.user_id], kind, workshop_url(workshop), title=workshop.title, jp=workshop.jp)
    learning.credit_workshop_attendance(registration.user_id, workshop.id, _credit_for(workshop, registration))


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


def set_attendance(
    actor: User, workshop: Workshop, registration_id: int, session_id: int, present: bool
) -> Registration:
    """The organizer ticks a participant present (or not) for one session."""
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        session = get_session(locked, session_id)
        if session is None:
            raise WorkshopError(_l("Sesi tidak ditemukan."))
        if registration.status != RegistrationStatus.CONFIRMED:
            raise WorkshopError(_l("Hanya peserta terkonfirmasi yang dapat dicatat hadir."))
        existing = _attendance(registration.id, session.id)
        if present and existing is None:
            db.session.add(
                Attendance(
                    registration_id=registration.id,
                    session_id=session.id,
                    method=CheckInMethod.MANUAL,
                    recorded_by_id=actor.id,
                )
            )
        elif not present and existing is not None:
            db.session.delete(existing)
        db.session.flush()
        _update_completion(locked, registration)
        db.session.commit()
    return registration


def _attendance(registration_id: int, session_id: int) -> Attendance | None:
    return db.session.scalar(
        select(Attendance).where(Attendance.registration_id == registration_id, Attendance.session_id == session_id)
    )


def present_session_ids(registration: Registration) -> set[int]:
    return set(db.session.scalars(select(Attendance.session_id).where(Attendance.registration_id == registration.id)))


def session_by_code(code: str) -> WorkshopSession | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(
        select(WorkshopSession)
        .where(WorkshopSession.checkin_code == code)
        .options(joinedload(WorkshopSession.workshop))
    )


def checkin_window(session: WorkshopSession) -> tuple[datetime, datetime]:
    margin = timedelta(minutes=_setting("CHECKIN_MARGIN_MINUTES"))
    return session.starts_at - margin, session.ends_at + margin


def checkin_problem(user: Actor, session: WorkshopSession, now: datetime | None = None) -> Any | None:
    """Why the user cannot check in to this session now; None when they can."""
    now = now or utcnow()
    workshop = session.workshop
    if workshop.status not in (WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED):
        return _l("Pelatihan ini tidak menerima presensi.")
    opens, closes = checkin_window(session)
    if now < opens:
        return _l("Presensi sesi ini baru dibuka %(when)s.", when=format_local(opens))
    if now > closes:
        return _l("Presensi sesi ini sudah ditutup sejak %(when)s.", when=format_local(closes))
    registration = registration_of(user, workshop.id)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return _l("Anda bukan peserta terkonfirmasi pelatihan ini, jadi presensi tidak dapat dicatat.")
    return None


@dataclass
class CheckInResult:
    session: WorkshopSession
    already: bool  # the participant had checked in before: nothing changed


def check_in(user: User, code: str) -> CheckInResult:
    """QR self check-in: the secret code names the session; repeated scans change nothing."""
    if not getattr(user, "is_active", False):
        raise PermissionDenied("workshop.check_in")
    found = session_by_code(code)
    if found is None:
        raise WorkshopError(_l("Kode presensi tidak dikenal."))
    session_id, workshop_id, user_id = found.id, found.workshop_id, user.id
    with _locked(workshop_id) as workshop:
        session = get_session(workshop, session_id)
        assert session is not None  # the code named a session of this workshop
        participant = db.session.get_one(User, user_id)
        problem = checkin_problem(participant, session)
        if problem:
            raise WorkshopError(problem)
        registration = registration_of(participant, workshop_id)
        assert registration is not None  # checkin_problem found it confirmed
        if _attendance(registration.id, session_id) is not None:
            db.session.rollback()
            return CheckInResult(session=session, already=True)
        db.session.add(Attendance(registration_id=registration.id, session_id=session_id, method=CheckInMethod.QR))
        db.session.flush()
        _update_completion(workshop, registration)
        db.session.commit()
    return CheckInResult(session=session, already=False)
