"""Signing up with a waiting list, leaving, and the organizer's decisions on registrations.

**Seats are never overbooked.** Every step here runs inside :func:`~portal.workshops.services.common._locked`. A
unique constraint on (workshop, user) backs up "one registration per person". Freed seats go to the waiting list
in arrival order (``queued_at``, then id) inside the same transaction, so each promotion happens exactly once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts import services as accounts
from portal.accounts.models import EmploymentStatus, User
from portal.audit import services as audit
from portal.core import signals
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.workshops.models import (
    ApprovalMode,
    EmploymentFilter,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopStatus,
)
from portal.workshops.services.common import (
    ACTIVE_STATUSES,
    VISIBLE_STATUSES,
    WorkshopError,
    _check_reason,
    _locked,
    _managed_registration,
    _require_manage,
    _setting,
    format_when,
    registrations_path,
    workshop_url,
)
from portal.workshops.services.lookups import confirmed_count


def _fill_seats(workshop: Workshop, actor: User | None = None) -> list[Registration]:
    """Give free seats to the waiting list in arrival order, notifying each promoted participant and the
    organizer (unless the organizer's own action moved the list)."""
    if workshop.status != WorkshopStatus.PUBLISHED:
        return []
    free = workshop.capacity - confirmed_count(workshop)
    if free <= 0:
        return []
    promoted = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
            .limit(free)
        )
    )
    now = utcnow()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = registration.promoted_at = now
    if promoted:
        notifications.notify(
            [r.user_id for r in promoted], "workshop.promoted", workshop_url(workshop), title=workshop.title
        )
        notifications.notify_once(
            [workshop.organizer_id],
            "workshop.waitlist_moved",
            registrations_path(workshop, RegistrationStatus.CONFIRMED),
            actor=actor,
            title=workshop.title,
        )
        db.session.flush()
    return promoted


def eligibility_problem(user: User, workshop: Workshop) -> Any | None:
    """Why the user's unit or employment status may not join; None when eligible."""
    allowed_units = {unit.id for unit in workshop.eligible_units}
    if allowed_units and user.unit_id not in allowed_units:
        return _l("Pelatihan ini hanya untuk pegawai unit kerja tertentu.")
    status = EmploymentStatus(user.employment_status)
    if workshop.employment_filter == EmploymentFilter.PNS and status.is_pppk:
        return _l("Pelatihan ini hanya untuk PNS dan CPNS.")
    if workshop.employment_filter == EmploymentFilter.PPPK and not status.is_pppk:
        return _l("Pelatihan ini hanya untuk PPPK.")
    return None


def registration_problem(user: User, workshop: Workshop, now: datetime | None = None) -> Any | None:
    """Why the user cannot sign up now (status, window, eligibility); None when they can."""
    now = now or utcnow()
    if workshop.status != WorkshopStatus.PUBLISHED:
        return _l("Pendaftaran pelatihan ini tidak dibuka.")
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        return _l("Pendaftaran dibuka mulai %(when)s.", when=format_when(workshop.registration_opens_at))
    if now >= (workshop.registration_closes_at or workshop.starts_at):
        return _l("Pendaftaran sudah ditutup.")
    return eligibility_problem(user, workshop)


def register(user: User, workshop_id: int) -> Registration:
    """Sign the user up: a seat while there is one, else the waiting list (or pending, in approval mode)."""
    if not getattr(user, "is_active", False):
        raise PermissionDenied("workshop.register")
    user_id = user.id
    try:
        with _locked(workshop_id) as workshop:
            if workshop.status not in VISIBLE_STATUSES:
                raise WorkshopError(_l("Pelatihan tidak ditemukan."))
            registration = db.session.scalar(
                select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user_id)
            )
            if registration is not None and registration.status in ACTIVE_STATUSES:
                raise WorkshopError(_l("Anda sudah terdaftar di pelatihan ini."))
            if registration is not None and registration.status == RegistrationStatus.REJECTED:
                raise WorkshopError(_l("Pendaftaran Anda di pelatihan ini sudah ditolak penyelenggara."))
            problem = registration_problem(db.session.get_one(User, user_id), workshop)
            if problem:
                raise WorkshopError(problem)
            status = _initial_status(workshop)
            if registration is None:
                registration = Registration(workshop_id=workshop.id, user_id=user_id)
                db.session.add(registration)
            _enqueue(registration, status)
            if status == RegistrationStatus.PENDING:
                notifications.notify_once(
                    [workshop.organizer_id],
                    "workshop.registration_pending",
                    registrations_path(workshop, RegistrationStatus.PENDING),
                    actor=user,
                    title=workshop.title,
                )
            db.session.commit()
    except IntegrityError:  # the same person's other tab signed up first (the unique constraint held)
        raise WorkshopError(_l("Anda sudah terdaftar di pelatihan ini.")) from None
    return registration


def _initial_status(workshop: Workshop) -> RegistrationStatus:
    if workshop.approval_mode == ApprovalMode.ORGANIZER:
        return RegistrationStatus.PENDING
    return _seat_or_wait(workshop)


def _seat_or_wait(workshop: Workshop) -> RegistrationStatus:
    if confirmed_count(workshop) < workshop.capacity:
        return RegistrationStatus.CONFIRMED
    return RegistrationStatus.WAITLISTED


def _enqueue(registration: Registration, status: RegistrationStatus) -> None:
    now = utcnow()
    registration.status = status
    registration.queued_at = now
    registration.cancelled_at = None
    registration.decision_reason = ""
    registration.confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
    registration.promoted_at = None
    db.session.flush()


def cancel(user: User, workshop_id: int) -> Registration:
    """The participant leaves; a confirmed seat can be given up until the cut-off before the first session."""
    user_id = user.id
    with _locked(workshop_id) as workshop:
        registration = db.session.scalar(
            select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user_id)
        )
        if registration is None or registration.status not in ACTIVE_STATUSES:
            raise WorkshopError(_l("Anda tidak terdaftar di pelatihan ini."))
        problem = cancellation_problem(workshop, registration)
        if problem:
            raise WorkshopError(problem)
        _drop(registration)
        _fill_seats(workshop, actor=user)
        db.session.commit()
    return registration


def cancellation_deadline(workshop: Workshop) -> datetime:
    """Until when a participant may give up a confirmed seat (a waiting or pending one: any time)."""
    return workshop.starts_at - timedelta(hours=_setting("CANCEL_CUTOFF_HOURS"))


def cancellation_problem(workshop: Workshop, registration: Registration, now: datetime | None = None) -> Any | None:
    """Why the participant cannot cancel this registration now; None when they can (shown before the button)."""
    now = now or utcnow()
    if registration.status not in ACTIVE_STATUSES:
        return _l("Anda tidak terdaftar di pelatihan ini.")
    if workshop.status != WorkshopStatus.PUBLISHED:
        return _l("Pendaftaran pelatihan ini tidak dapat diubah lagi.")
    cutoff = cancellation_deadline(workshop)
    if registration.status == RegistrationStatus.CONFIRMED and now >= cutoff:
        return _l("Pembatalan hanya bisa sampai %(when)s. Hubungi penyelenggara.", when=format_when(cutoff))
    return None


def _drop(registration: Registration) -> None:
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    registration.completed_at = None
    signals.registration_completion_withdrawn.send(
        registration.workshop, user_id=registration.user_id, workshop_id=registration.workshop_id
    )
    db.session.flush()


def approve(actor: User, workshop: Workshop, registration_id: int) -> Registration:
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        if registration.status != RegistrationStatus.PENDING:
            raise WorkshopError(_l("Pendaftaran ini tidak menunggu persetujuan."))
        if locked.status != WorkshopStatus.PUBLISHED:
            raise WorkshopError(_l("Pendaftaran pelatihan ini tidak dapat diubah lagi."))
        status = _seat_or_wait(locked)
        registration.status = status
        registration.decided_by_id = actor.id
        registration.confirmed_at = utcnow() if status == RegistrationStatus.CONFIRMED else None
        kind = "workshop.approved" if status == RegistrationStatus.CONFIRMED else "workshop.approved_waiting"
        notifications.notify([registration.user_id], kind, workshop_url(locked), actor=actor, title=locked.title)
        audit.record(actor, "workshop.approve", locked, participant=registration.user_id, status=status.value)
        db.session.commit()
    return registration


def reject(actor: User, workshop: Workshop, registration_id: int, reason: str) -> Registration:
    _require_manage(actor, workshop)
    reason = _check_reason(reason)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        if registration.status != RegistrationStatus.PENDING:
            raise WorkshopError(_l("Pendaftaran ini tidak menunggu persetujuan."))
        registration.status = RegistrationStatus.REJECTED
        registration.decided_by_id = actor.id
        registration.decision_reason = reason
        notifications.notify(
            [registration.user_id], "workshop.rejected", workshop_url(locked), actor=actor, title=locked.title,
            reason=reason,
        )  # fmt: skip
        audit.record(actor, "workshop.reject", locked, participant=registration.user_id, reason=reason)
        db.session.commit()
    return registration


def add_participant(actor: User, workshop: Workshop, nip: str) -> Registration:
    """The organizer signs someone up (no window or eligibility check): a seat if free, else the waiting list."""
    _require_manage(actor, workshop)
    participant = accounts.get_by_nip((nip or "").strip())
    if participant is None or not participant.is_active:
        raise WorkshopError(_l("Pegawai dengan NIP tersebut tidak ditemukan atau belum aktif."), "nip")
    participant_id = participant.id
    with _locked(workshop.id) as locked:
        if locked.status != WorkshopStatus.PUBLISHED:
            raise WorkshopError(_l("Peserta hanya dapat ditambahkan ke pelatihan yang terbit."))
        registration = db.session.scalar(
            select(Registration).where(Registration.workshop_id == locked.id, Registration.user_id == participant_id)
        )
        if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
            raise WorkshopError(_l("Pegawai ini sudah menjadi peserta."), "nip")
        status = _seat_or_wait(locked)
        if registration is None:
            registration = Registration(workshop_id=locked.id, user_id=participant_id)
            db.session.add(registration)
        elif registration.status == RegistrationStatus.WAITLISTED and status == RegistrationStatus.WAITLISTED:
            raise WorkshopError(_l("Kursi penuh: pegawai ini sudah ada di daftar tunggu."), "nip")
        _enqueue(registration, status)
        registration.added_by_id = actor.id
        notifications.notify([participant_id], "workshop.added", workshop_url(locked), actor=actor, title=locked.title)
        audit.record(actor, "workshop.add_participant", locked, participant=participant_id, status=status.value)
        db.session.commit()
    return registration


def remove_participant(actor: User, workshop: Workshop, registration_id: int) -> Registration:
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        if registration.status not in ACTIVE_STATUSES:
            raise WorkshopError(_l("Pegawai ini bukan peserta aktif."))
        _drop(registration)
        registration.decided_by_id = actor.id
        notifications.notify(
            [registration.user_id], "workshop.removed", workshop_url(locked), actor=actor, title=locked.title
        )
        audit.record(actor, "workshop.remove_participant", locked, participant=registration.user_id)
        _fill_seats(locked, actor=actor)
        db.session.commit()
    return registration
