"""Reminders the day before a workshop starts (``flask workshops send-reminders``)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy import update as sql_update

from portal.core.database import write_transaction
from portal.core.timezone import format_local, local_moment, to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import services as notifications
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopStatus
from portal.workshops.services.common import workshop_url


def send_reminders(now: datetime | None = None) -> int:
    """Notify confirmed participants of workshops starting tomorrow (WIB), once each; returns how many.

    Safe to run as often as wanted (cron, systemd timer): a registration is marked when reminded, in the same
    transaction as the notification, and never reminded again.
    """
    now = now or utcnow()
    tomorrow = to_local(now).date() + timedelta(days=1)
    window_end = local_moment(tomorrow + timedelta(days=1), time()).astimezone(UTC)
    write_transaction(db.session())
    try:
        due = db.session.execute(
            select(Registration.id, Registration.user_id, Workshop)
            .join(Workshop, Workshop.id == Registration.workshop_id)
            .where(
                Workshop.status == WorkshopStatus.PUBLISHED,
                Workshop.starts_at > now,
                Workshop.starts_at < window_end,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.reminder_sent_at.is_(None),
            )
        ).all()
        by_workshop: dict[int, tuple[Workshop, list[int], list[int]]] = {}
        for registration_id, user_id, workshop in due:
            entry = by_workshop.setdefault(workshop.id, (workshop, [], []))
            entry[1].append(registration_id)
            entry[2].append(user_id)
        sent = 0
        for workshop, registration_ids, user_ids in by_workshop.values():
            db.session.execute(
                sql_update(Registration).where(Registration.id.in_(registration_ids)).values(reminder_sent_at=now)
            )
            sent += notifications.notify(
                user_ids,
                "workshop.reminder",
                workshop_url(workshop),
                title=workshop.title,
                when=format_local(workshop.starts_at),
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return sent
