"""Flood control for forum posting: a per-user budget kept in Flask-Limiter's storage, stricter for accounts
verified less than a day ago.

The budget is checked before a post is written and spent only once it was written, so a refused or invalid
post costs nothing, and the form comes back with what the user typed and a message saying how long to wait.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from limits import RateLimitItem, parse_many

from portal.accounts.models import User
from portal.core.types import utcnow
from portal.extensions import limiter

SCOPE = "forum-posting"


def is_new_account(user: User) -> bool:
    hours = current_app.config["FORUMS_NEW_ACCOUNT_HOURS"]
    return user.verified_at is None or utcnow() - user.verified_at < timedelta(hours=hours)


def _limits(user: User) -> list[RateLimitItem]:
    key = "FORUMS_NEW_ACCOUNT_RATE_LIMIT" if is_new_account(user) else "FORUMS_POST_RATE_LIMIT"
    return parse_many(current_app.config[key])


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def refusal(user: User) -> str | None:
    """Why the user may not post right now, or None."""
    if not _enabled():
        return None
    for item in _limits(user):
        if not limiter.limiter.test(item, SCOPE, str(user.id)):
            reset = limiter.limiter.get_window_stats(item, SCOPE, str(user.id)).reset_time
            minutes = max(1, math.ceil((reset - time.time()) / 60))
            message = _(
                "Anda terlalu sering mengirim di forum. Tunggu %(minutes)d menit, lalu kirim lagi.", minutes=minutes
            )
            if is_new_account(user):
                message += " " + _(
                    "Akun yang diverifikasi kurang dari sehari dibatasi lebih ketat untuk mencegah spam."
                )
            return message
    return None


def spend(user: User) -> None:
    """Count one post against the user's budget."""
    if _enabled():
        for item in _limits(user):
            limiter.limiter.hit(item, SCOPE, str(user.id))
