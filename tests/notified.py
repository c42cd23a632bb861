"""What notifications and mails people got: helpers for the notification tests of every feature."""

from __future__ import annotations

import logging

from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import Notification


def notes(kind: str) -> list[Notification]:
    """The stored notifications of ``kind``, oldest first."""
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


def recipients(kind: str) -> set[int]:
    return {note.user_id for note in notes(kind)}


def mails_to(caplog, user) -> list[str]:
    """The mails logged for ``user`` (tests use the log mail backend); call ``caplog.set_level`` first."""
    return [
        r.getMessage() for r in caplog.records if r.name == "portal.mail" and f"Mail to {user.email}:" in r.getMessage()
    ]


def watch_mail(caplog) -> None:
    caplog.set_level(logging.INFO, logger="portal.mail")
