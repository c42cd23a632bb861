"""Notifications: every feature registers its kinds and calls :func:`notify` from its own services.

How a feature uses it::

    notifications.register_kind("article.commented", _l("%(actor)s mengomentari artikel \"%(title)s\"."))
    ...
    notifications.notify([article.author], "article.commented", url, actor=actor, title=article.title)
    db.session.commit()

:func:`notify` only adds rows to the caller's session: they are committed (or rolled back) together with the
event that caused them. Recipients who turned email on are mailed *after* that commit: the mails wait in
``session.info`` and a session ``after_commit`` hook sends them; a rollback discards them.

Each recipient's email choice for the kind (:mod:`.preferences`) decides the rest: "immediate" queues one mail
for after the commit, "digest" marks the row for the daily digest (:mod:`.digest`), "off" sends nothing.

The message is stored as ``kind`` + ``params`` and rendered when shown (:func:`message_for`), so it appears in
the reader's language. When ``actor`` is given, ``%(actor)s`` is available to the message (the actor's name).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import CursorResult, event, func, select, update
from sqlalchemy.orm import Session, SessionTransaction

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.mail import send_mail
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.kinds import (  # noqa: F401 (re-exported: features register through this module)
    FALLBACK_MESSAGE,
    MAX_KIND_LENGTH,
    _messages,
    register_kind,
    render_message,
)
from portal.notifications.models import EmailChoice, Notification  # noqa: F401 (EmailChoice: for register_kind)

log = logging.getLogger(__name__)

MAX_URL_LENGTH = 500
_PENDING_MAIL = "notifications.pending_mail"
_UNSAFE_URL_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\]")


class NotificationNotFound(LookupError):
    """No notification with that id."""


@dataclass(frozen=True)
class PendingMail:
    to: str
    subject: str
    body: str


# ---------------------------------------------------------------- kinds and messages


def message_for(notification: Notification) -> str:
    return render_message(notification.kind, notification.params)


def is_local_url(url: str) -> bool:
    """Only same-site paths: no scheme, no host, no '//' or backslash tricks browsers turn into another site."""
    if not url.startswith("/") or url.startswith("//") or _UNSAFE_URL_CHARACTERS.search(url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


# ---------------------------------------------------------------- sending


def notify(recipients: Iterable[Any], kind: str, url: str, actor: User | None = None, **params: Any) -> int:
    """Add a notification for each recipient (users or user ids) except the actor; returns how many.

    Nothing is committed here: the caller commits with the change that caused the notification.
    """
    return _notify(recipients, kind, url, actor, False, params)


def notify_once(recipients: Iterable[Any], kind: str, url: str, actor: User | None = None, **params: Any) -> int:
    """:func:`notify` for an event that may repeat (a claim submitted again, a sign-up made again): a recipient who
    still has an unread notification of this kind about the same ``url`` gets no second one."""
    return _notify(recipients, kind, url, actor, True, params)


def _notify(
    recipients: Iterable[Any], kind: str, url: str, actor: User | None, once: bool, params: dict[str, Any]
) -> int:
    if kind not in _messages:
        raise ValueError(f"Notification kind {kind!r} is not registered")
    if len(url) > MAX_URL_LENGTH or not is_local_url(url):
        raise ValueError(f"Notification url must be a same-site path: {url!r}")
    actor_id = getattr(actor, "id", None)
    user_ids = _unique_ids(recipients, exclude=actor_id)
    if once and user_ids:
        unread = set(
            db.session.scalars(
                select(Notification.user_id).where(
                    Notification.user_id.in_(user_ids),
                    Notification.kind == kind,
                    Notification.url == url,
                    Notification.read_at.is_(None),
                )
            )
        )
        user_ids = [user_id for user_id in user_ids if user_id not in unread]
    if actor is not None:
        params.setdefault("actor", str(actor.name))
    stored = {key: value if isinstance(value, int | float) else str(value) for key, value in params.items()}
    choices = preferences.choices_for(user_ids, kind)
    db.session.add_all(
        Notification(
            user_id=user_id,
            kind=kind,
            params=dict(stored),
            url=url,
            actor_id=actor_id,
            email_digest=choices[user_id] == EmailChoice.DIGEST,
        )
        for user_id in user_ids
    )
    _queue_mail([u for u in user_ids if choices[u] == EmailChoice.IMMEDIATE], kind, url, stored)
    return len(user_ids)


def _unique_ids(recipients: Iterable[Any], exclude: int | None) -> list[int]:
    ids: dict[int, None] = {}
    for recipient in recipients:
        user_id = recipient if isinstance(recipient, int) else getattr(recipient, "id", None)
        if user_id is not None and user_id != exclude:
            ids[user_id] = None
    return list(ids)


def _queue_mail(user_ids: list[int], kind: str, url: str, params: dict[str, Any]) -> None:
    if not user_ids:
        return
    pending = db.session.info.setdefault(_PENDING_MAIL, [])
    for user in accounts.get_users(user_ids):
        if user.is_active:
            pending.append(_mail_for(user, kind, url, params))


def absolute_link(url: str) -> str:
    """The link a mail carries: ``PUBLIC_BASE_URL`` when set (a Host header can lie; the CLI has no request), else
    the request's host, else the bare path."""
    base = current_app.config.get("PUBLIC_BASE_URL") or (request.host_url if has_request_context() else "")
    return str(base).rstrip("/") + url


def _mail_for(user: User, kind: str, url: str, params: dict[str, Any]) -> PendingMail:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        site = current_app.config["SITE_NAME"]
        subject = _("Pemberitahuan baru di %(site)s", site=site)
        body = _(
            "Halo %(name)s,\n\n%(message)s\n\nBuka: %(link)s\n\n"
            "Email ini dikirim karena Anda menyalakan pemberitahuan email. Matikan di halaman pengaturan notifikasi.",
            name=user.name,
            message=render_message(kind, params),
            link=absolute_link(url),
        )
    return PendingMail(to=user.email, subject=subject, body=body)


@event.listens_for(db.session, "after_commit")
def _send_pending_mail(session: Session) -> None:
    for mail in session.info.pop(_PENDING_MAIL, []):
        try:
            send_mail(mail.to, mail.subject, mail.body)
        except Exception:  # a mail server problem must not undo or fail the committed action
            log.exception("Could not send notification mail to %s", mail.to)


@event.listens_for(db.session, "after_transaction_end")
def _discard_unsent_mail(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outer transaction ended without a commit (a commit sent them already)
        session.info.pop(_PENDING_MAIL, None)


# ---------------------------------------------------------------- reading


def unread_count(user: Actor) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def list_for(user: Actor, page: int, per_page: int | None = None) -> Page[Notification]:
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(stmt, page, per_page or current_app.config["PAGE_SIZE"])


def get_own(user: Actor, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotificationNotFound(notification_id)
    if notification.user_id != user.id:
        raise PermissionDenied("notification")
    return notification


# ---------------------------------------------------------------- marking read


def mark_read(user: Actor, notification_id: int) -> Notification:
    notification = get_own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: Actor) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return cast(CursorResult[Any], result).rowcount  # an UPDATE's result is a cursor result
