"""Writing workshops: create a draft, edit it, publish, cancel and mark completed."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select

from portal.accounts.models import User
from portal.audit import services as audit
from portal.core import signals
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.workshops.models import Registration, Workshop, WorkshopSession, WorkshopStatus
from portal.workshops.services.common import (
    ACTIVE_STATUSES,
    WorkshopError,
    _check_reason,
    _locked,
    _render,
    _require_manage,
    can_organize,
    workshop_url,
)
from portal.workshops.services.completion import _recheck_completions, complete_due
from portal.workshops.services.lookups import confirmed_count
from portal.workshops.services.registration import _fill_seats
from portal.workshops.services.validation import ValidatedWorkshop, WorkshopInput, validate_input


def _new_checkin_code() -> str:
    return secrets.token_urlsafe(24)


def _apply_sessions(workshop: Workshop, sessions: list[tuple[datetime, datetime]]) -> bool:
    """Update sessions in place by position (keeping attendance and QR codes); True when any time changed."""
    changed = len(sessions) != len(workshop.sessions)
    existing = list(workshop.sessions)
    for index, (starts_at, ends_at) in enumerate(sessions):
        if index < len(existing):
            session = existing[index]
            changed = changed or (session.starts_at, session.ends_at) != (starts_at, ends_at)
            session.starts_at, session.ends_at = starts_at, ends_at
        else:
            workshop.sessions.append(
                WorkshopSession(starts_at=starts_at, ends_at=ends_at, checkin_code=_new_checkin_code())
            )
    for session in existing[len(sessions) :]:
        workshop.sessions.remove(session)
    workshop.starts_at, workshop.ends_at = sessions[0][0], sessions[-1][1]
    return changed


def apply_values(workshop: Workshop, values: ValidatedWorkshop) -> None:
    workshop.title = values.title
    workshop.description_md = values.description
    workshop.development_type_id = values.development_type_id
    workshop.competencies = values.competencies
    workshop.provider_unit_id = values.provider_unit_id
    workshop.provider_name = values.provider_name
    workshop.trainers = values.trainers
    workshop.trainer_names = values.trainer_names
    workshop.location = values.location
    workshop.online_url = values.online_url
    workshop.capacity = values.capacity
    workshop.jp = values.jp
    workshop.jp_basis = values.jp_basis
    workshop.jp_reason = values.jp_reason
    workshop.registration_opens_at = values.registration_opens_at
    workshop.registration_closes_at = values.registration_closes_at
    workshop.eligible_units = values.eligible_units
    workshop.employment_filter = values.employment_filter
    workshop.approval_mode = values.approval_mode
    workshop.attendance_threshold = values.attendance_threshold
    signer = values.signer
    workshop.signer_name = signer.name if signer else ""
    workshop.signer_position = signer.position if signer else ""
    workshop.signer_nip = signer.nip if signer else ""
    if _apply_sessions(workshop, values.sessions):
        workshop.calendar_sequence += 1
    workshop.updated_at = utcnow()
    _render(workshop)


def create(actor: User, data: WorkshopInput) -> Workshop:
    """A new draft owned by the actor."""
    if not can_organize(actor):
        raise PermissionDenied("workshop.create")
    values = validate_input(data)
    workshop = Workshop(organizer_id=actor.id, status=WorkshopStatus.DRAFT, calendar_sequence=0)
    apply_values(workshop, values)
    db.session.add(workshop)
    db.session.flush()
    audit.record(actor, "workshop.create", workshop)
    # other features link it to where it came from (a plan program, a need), in this transaction
    signals.workshop_created.send(workshop, actor=actor, origin=(data.origin or "")[:60])
    _queue_search(workshop)
    db.session.commit()
    return workshop


def update(actor: User, workshop: Workshop, data: WorkshopInput) -> Workshop:
    """Save changes. Capacity may not drop below the confirmed seats; a higher one fills from the waiting list."""
    _require_manage(actor, workshop)
    values = validate_input(data, workshop)
    with _locked(workshop.id) as locked:
        if locked.status == WorkshopStatus.CANCELLED:
            raise WorkshopError(_l("Pelatihan yang dibatalkan tidak dapat diubah."))
        confirmed = confirmed_count(locked)
        if values.capacity < confirmed:
            raise WorkshopError(
                _l(
                    "Kapasitas tidak boleh kurang dari jumlah peserta terkonfirmasi (%(count)d).",
                    count=confirmed,
                ),
                "capacity",
            )
        apply_values(locked, values)
        _fill_seats(locked, actor=actor)
        _recheck_completions(locked)
        audit.record(actor, "workshop.update", locked)
        _queue_search(locked)
        db.session.commit()
    return locked


def publish(actor: User, workshop: Workshop) -> Workshop:
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        if locked.status != WorkshopStatus.DRAFT:
            raise WorkshopError(_l("Hanya draf yang dapat diterbitkan."))
        locked.status = WorkshopStatus.PUBLISHED
        locked.published_at = utcnow()
        audit.record(actor, "workshop.publish", locked)
        _queue_search(locked)
        db.session.commit()
    return locked


def cancel_workshop(actor: User, workshop: Workshop, reason: str) -> int:
    """Cancel the workshop and notify every registrant; returns how many were notified."""
    _require_manage(actor, workshop)
    reason = _check_reason(reason)
    with _locked(workshop.id) as locked:
        if locked.status not in (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED):
            raise WorkshopError(_l("Pelatihan ini sudah dibatalkan atau selesai."))
        locked.status = WorkshopStatus.CANCELLED
        locked.status_note = reason
        locked.calendar_sequence += 1
        registrants = list(
            db.session.scalars(
                select(Registration.user_id).where(
                    Registration.workshop_id == locked.id, Registration.status.in_(ACTIVE_STATUSES)
                )
            )
        )
        count = notifications.notify(
            registrants, "workshop.cancelled", workshop_url(locked), actor=actor, title=locked.title, reason=reason
        )
        audit.record(actor, "workshop.cancel", locked, reason=reason, notified=count)
        _queue_search(locked)
        db.session.commit()
    return count


def complete_workshop(actor: User, workshop: Workshop) -> Workshop:
    """Mark a workshop that has ended as completed: registration closes for good, records stay."""
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        if locked.status != WorkshopStatus.PUBLISHED:
            raise WorkshopError(_l("Hanya pelatihan terbit yang dapat ditandai selesai."))
        if locked.ends_at > utcnow():
            raise WorkshopError(_l("Pelatihan belum berakhir."))
        locked.status = WorkshopStatus.COMPLETED
        audit.record(actor, "workshop.complete", locked)
        _queue_search(locked)
        db.session.commit()
    complete_due(workshop_id=locked.id)  # attendance that met the rule by the end counts now at the latest
    return locked


def _queue_search(workshop: Workshop) -> None:
    """Keep the search index in step (the "workshop" document type, see portal/workshops/search.py)."""
    from portal.search import services as search

    search.queue("workshop", workshop.id)
