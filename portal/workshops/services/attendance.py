"""Recording attendance: the organizer's ticks, QR self check-in, and when each is possible.

**The calendar decides.** Attendance for a session can be recorded from its check-in window
(``WORKSHOPS_CHECKIN_OPENS_MINUTES`` before the start, default 60) until the correction period after its end
(``WORKSHOPS_CORRECTION_DAYS``, default 14): :func:`attendance_window`. A participant's own check-in (QR code or
the code's link) closes sooner, ``WORKSHOPS_SELF_CHECKIN_CLOSES_MINUTES`` after the end (:func:`checkin_window`),
so a shared link cannot be used days later. After the correction period the organizer (or an admin) may still
correct attendance, with a reason that goes into the audit log. Before the window nobody can record anything.

Every change re-checks the registration's completion (:mod:`.completion`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.workshops.models import (
    Attendance,
    CheckInMethod,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)
from portal.workshops.services.common import (
    WorkshopError,
    _check_reason,
    _locked,
    _managed_registration,
    _require_manage,
    _setting,
    format_when,
)
from portal.workshops.services.completion import _update_completion
from portal.workshops.services.lookups import get_session, registration_of


def attendance_window(session: WorkshopSession) -> tuple[datetime, datetime]:
    """When attendance for the session can be recorded or corrected without a reason."""
    opens = session.starts_at - timedelta(minutes=_setting("CHECKIN_OPENS_MINUTES"))
    return opens, session.ends_at + timedelta(days=_setting("CORRECTION_DAYS"))


def checkin_window(session: WorkshopSession) -> tuple[datetime, datetime]:
    """When participants can check themselves in (QR code or its link)."""
    opens = session.starts_at - timedelta(minutes=_setting("CHECKIN_OPENS_MINUTES"))
    return opens, session.ends_at + timedelta(minutes=_setting("SELF_CHECKIN_CLOSES_MINUTES"))


@dataclass(frozen=True)
class AttendanceState:
    """What the organizer's attendance list for a session allows now."""

    opens: datetime
    closes: datetime  # the end of the correction period
    open: bool  # ticks are recorded as they are
    late: bool  # the correction period is over: a change needs a reason (audited)

    @property
    def not_yet(self) -> bool:
        return not (self.open or self.late)


def attendance_state(session: WorkshopSession, now: datetime | None = None) -> AttendanceState:
    now = now or utcnow()
    opens, closes = attendance_window(session)
    return AttendanceState(opens=opens, closes=closes, open=opens <= now <= closes, late=now > closes)


def set_attendance(
    actor: User,
    workshop: Workshop,
    registration_id: int,
    session_id: int,
    present: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Registration:
    """The organizer ticks a participant present (or not) for one session, within the session's attendance
    window; after the correction period only with a reason, which is audited."""
    _require_manage(actor, workshop)
    now = now or utcnow()
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        session = get_session(locked, session_id)
        if session is None:
            raise WorkshopError(_l("Sesi tidak ditemukan."))
        if registration.status != RegistrationStatus.CONFIRMED:
            raise WorkshopError(_l("Hanya peserta terkonfirmasi yang dapat dicatat hadir."))
        state = attendance_state(session, now)
        if state.not_yet:
            raise WorkshopError(
                _l("Presensi sesi ini baru dapat dicatat mulai %(when)s.", when=format_when(state.opens))
            )
        if state.late:
            if not (reason or "").strip():
                raise WorkshopError(
                    _l(
                        "Masa koreksi presensi sesi ini berakhir %(when)s. Koreksi sesudahnya wajib disertai alasan.",
                        when=format_when(state.closes),
                    ),
                    "reason",
                )
            reason = _check_reason(reason)
        existing = _attendance(registration.id, session.id)
        changed = (present and existing is None) or (not present and existing is not None)
        if present and existing is None:
            db.session.add(
                Attendance(
                    registration_id=registration.id,
                    session_id=session.id,
                    method=CheckInMethod.MANUAL,
                    recorded_by_id=actor.id,
                    checked_in_at=now,
                )
            )
        elif not present and existing is not None:
            db.session.delete(existing)
        if changed and state.late:
            audit.record(
                actor, "workshop.attendance_correction", locked, participant=registration.user_id,
                session=session.id, present=present, reason=reason,
            )  # fmt: skip
        db.session.flush()
        _update_completion(locked, registration, now)
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


def checkin_problem(user: Actor, session: WorkshopSession, now: datetime | None = None) -> Any | None:
    """Why the user cannot check in to this session now; None when they can."""
    now = now or utcnow()
    workshop = session.workshop
    if workshop.status not in (WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED):
        return _l("Pelatihan ini tidak menerima presensi.")
    opens, closes = checkin_window(session)
    if now < opens:
        return _l("Presensi sesi ini baru dibuka %(when)s.", when=format_when(opens))
    if now > closes:
        return _l("Presensi sesi ini sudah ditutup sejak %(when)s.", when=format_when(closes))
    registration = registration_of(user, workshop.id)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return _l("Anda bukan peserta terkonfirmasi pelatihan ini, jadi presensi tidak dapat dicatat.")
    return None


@dataclass
class CheckInResult:
    session: WorkshopSession
    already: bool  # the participant had checked in before: nothing changed


def check_in(user: User, code: str, now: datetime | None = None) -> CheckInResult:
    """QR self check-in: the secret code names the session; repeated scans change nothing."""
    now = now or utcnow()
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
        problem = checkin_problem(participant, session, now)
        if problem:
            raise WorkshopError(problem)
        registration = registration_of(participant, workshop_id)
        assert registration is not None  # checkin_problem found it confirmed
        if _attendance(registration.id, session_id) is not None:
            db.session.rollback()
            return CheckInResult(session=session, already=True)
        db.session.add(
            Attendance(
                registration_id=registration.id, session_id=session_id, method=CheckInMethod.QR, checked_in_at=now
            )
        )
        db.session.flush()
        _update_completion(workshop, registration, now)
        db.session.commit()
    return CheckInResult(session=session, already=False)
