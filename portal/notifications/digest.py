"""The daily email digest: one mail per person with the notifications they chose "ringkasan harian" for.

``flask notifications digest`` runs it (cron, once a day). Each notification carries its own sent marker
(``emailed_at``): a run claims a person's unsent items with one conditional UPDATE, commits, and then mails them,
so a second run the same day — or two runs at once — never mails an item twice. A mail that cannot be sent gives
its items back (the marker is cleared) for the next run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.mail import send_mail
from portal.core.types import utcnow
from portal.extensions import db
from portal.notifications.kinds import render_message
from portal.notifications.models import Notification
from portal.notifications.services import absolute_link

log = logging.getLogger(__name__)

MAX_ITEMS_IN_MAIL = 50  # the rest is behind the link to the notification list


@dataclass
class DigestResult:
    mails: int = 0
    items: int = 0
    failed: int = 0


def _waiting_user_ids() -> list[int]:
    stmt = (
        select(Notification.user_id)
        .where(Notification.email_digest.is_(True), Notification.emailed_at.is_(None))
        .distinct()
        .order_by(Notification.user_id)
    )
    return list(db.session.scalars(stmt))


def _claim(user_id: int) -> list[Notification]:
    """Mark the person's unsent digest items as sent and return them; items another run claimed are not here."""
    claimed = db.session.scalars(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.email_digest.is_(True),
            Notification.emailed_at.is_(None),
        )
        .values(emailed_at=utcnow())
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    stmt = select(Notification).where(Notification.id.in_(claimed)).order_by(Notification.created_at, Notification.id)
    return list(db.session.scalars(stmt))


def _compose(user: User, items: list[Notification]) -> tuple[str, str]:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        site = current_app.config["SITE_NAME"]
        subject = _("Ringkasan harian %(site)s: %(count)d pemberitahuan", site=site, count=len(items))
        lines = [
            f"- {render_message(item.kind, item.params)}\n  {absolute_link(item.url)}"
            for item in items[:MAX_ITEMS_IN_MAIL]
        ]
        if len(items) > MAX_ITEMS_IN_MAIL:
            lines.append(_("... dan %(count)d lainnya.", count=len(items) - MAX_ITEMS_IN_MAIL))
        body = _(
            "Halo %(name)s,\n\nPemberitahuan Anda sejak ringkasan terakhir:\n\n%(items)s\n\n"
            "Semua pemberitahuan: %(link)s\n\n"
            "Anda menerima ringkasan ini karena memilih ringkasan harian. Ubah di halaman pengaturan notifikasi: "
            "%(settings)s",
            name=user.name,
            items="\n".join(lines),
            link=absolute_link(_path("notifications.index")),
            settings=absolute_link(_path("notifications.settings")),
        )
    return subject, body


def _path(endpoint: str) -> str:
    return current_app.url_map.bind("").build(endpoint)


def _give_back(ids: list[int]) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(emailed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def send_digests() -> DigestResult:
    """Mail each person their unsent digest items once. Inactive accounts get nothing (their items wait)."""
    result = DigestResult()
    waiting = set(_waiting_user_ids())
    for user in sorted(accounts.get_users(waiting), key=lambda u: u.id):
        if not user.is_active:
            continue
        items = _claim(user.id)
        if not items:
            db.session.rollback()
            continue
        subject, body = _compose(user, items)
        ids = [item.id for item in items]
        db.session.commit()
        try:
            send_mail(user.email, subject, body)
        except Exception:  # one unreachable mailbox must not stop the others
            log.exception("Could not send the notification digest to %s", user.email)
            _give_back(ids)
            result.failed += 1
            continue
        result.mails += 1
        result.items += len(ids)
    return result
