"""The signed-in person as the code reads it: Flask-Login's ``current_user`` proxy, typed as a :class:`User`.

On pages open to visitors it may be the anonymous user, whose ``is_authenticated`` is False; code reads anything
else only after checking that (as it must with the untyped proxy too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask_login import current_user as _proxy

if TYPE_CHECKING:
    from portal.accounts.models import User

    current_user: User
else:
    current_user = _proxy


def current_user_object() -> User:
    """The signed-in user itself rather than the proxy, for what keeps it (``login_user()``)."""
    return cast("User", _proxy._get_current_object())
