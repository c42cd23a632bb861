"""Notifications about events of features below this one (accounts), received through ``core.signals``."""

from __future__ import annotations

from typing import Any

from flask import current_app

from portal.accounts.models import User
from portal.core.i18n import lazy_gettext as _l
from portal.notifications import services
from portal.notifications.models import EmailChoice

ACCOUNT_VERIFIED = "account.verified"


def register_notification_kinds() -> None:
    services.register_kind(
        ACCOUNT_VERIFIED,
        _l("Akun Anda sudah diverifikasi. Selamat datang di %(site)s!"),
        label=_l("Akun saya diverifikasi"),
        email=EmailChoice.IMMEDIATE,
    )


def account_verified(user: User, actor: User | None = None, **_kwargs: Any) -> None:
    """The person can sign in now: tell them in the portal and (by default) by email. Does not commit."""
    services.notify([user], ACCOUNT_VERIFIED, "/", actor=actor, site=current_app.config["SITE_NAME"])
