"""The private calendar feed: a secret token per person that lists their confirmed workshops."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.types import utcnow
from portal.extensions import db
from portal.workshops.models import CalendarFeed, Registration, RegistrationStatus, Workshop, WorkshopStatus


def feed_token(user: User) -> str | None:
    feed = db.session.get(CalendarFeed, user.id)
    return feed.token if feed else None


def renew_feed_token(user: User) -> str:
    """A new private feed URL; the old one stops working."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = utcnow()
    db.session.commit()
    return feed.token


def revoke_feed_token(user: User) -> None:
    feed = db.session.get(CalendarFeed, user.id)
    if feed is not None:
        db.session.delete(feed)
        db.session.commit()


def feed_owner(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    user = accounts.get_user(feed.user_id)
    return user if user is not None and user.is_active else None


def confirmed_workshops(user: User) -> list[Workshop]:
    stmt = (
        select(Workshop)
        .join(Registration, Registration.workshop_id == Workshop.id)
        .where(
            Registration.user_id == user.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)),
        )
        .order_by(Workshop.starts_at)
        .options(selectinload(Workshop.sessions), joinedload(Workshop.provider_unit))
    )
    return list(db.session.scalars(stmt).unique())
