"""A person's own account: profile, language, password change, ending every session; the password reset link."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts.models import PasswordResetToken, User
from portal.accounts.services.common import (
    AccountError,
    _check_unit,
    _personal_words,
    check_email,
    check_name,
    password_problem,
)
from portal.accounts.services.handles import _check_handle
from portal.accounts.services.registration import find_by_login, new_session_token
from portal.core.database import write_transaction
from portal.core.i18n import lazy_gettext as _l
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db

# ---------------------------------------------------------------- self-service


def update_profile(
    user: User,
    *,
    name: str,
    email: str,
    unit_id: int | None,
    position: str | None,
    bio: str | None,
    current_password: str | None = "",
    handle: str | None = None,
) -> User:
    """Save the user's own profile. A new email needs the current password: the email is where reset links go,
    so changing it from a borrowed or hijacked session would otherwise hand over the account."""
    # Check everything before changing anything: a half-updated user would show in the page's header.
    name = check_name(name)
    email = check_email(email, exclude_user_id=user.id)
    unit_id = _check_unit(unit_id)
    handle = _check_handle(handle, exclude_user_id=user.id) if handle is not None else user.handle
    if email != user.email and not check_password_hash(user.password_hash, current_password or ""):
        raise AccountError(_l("Masukkan kata sandi saat ini untuk mengganti email."), "current_password")
    user.name, user.email, user.unit_id, user.handle = name, email, unit_id, handle
    user.position = (position or "").strip()[:200]
    user.bio = (bio or "").strip()[:2000]
    try:
        db.session.commit()
    except IntegrityError:  # another account took the email or handle between the check and the commit
        db.session.rollback()
        raise AccountError(_l("Email atau nama pengguna ini baru saja dipakai akun lain."), "email") from None
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password or ""):
        raise AccountError(_l("Kata sandi saat ini salah."), "current_password")
    set_password(user, new_password)
    db.session.commit()


def set_password(user: User, new_password: str) -> None:
    problem = password_problem(new_password, _personal_words(user.nip, user.email, user.name))
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = generate_password_hash(new_password)
    user.session_token = new_session_token()  # logs out other sessions and remember-me cookies


def end_sessions(user: User) -> None:
    """Rotate the user's session token: every session cookie and remember-me cookie issued so far stops working
    (logout, "keluar dari semua perangkat"). A short write transaction of its own."""
    user_id = user.id
    write_transaction(db.session())
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_token=new_session_token())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def set_preferred_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
        db.session.commit()


# ---------------------------------------------------------------- password reset


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(identifier: str) -> tuple[User, str] | None:
    """Create a single-use token for an active account; return (user, token), or None when no such account.

    The caller must answer the same way in both cases, so the form reveals nothing about who is registered; so
    that the time does not tell either, an unknown account costs the same work: a token is made and hashed, and
    the same two statements run in a write transaction (matching no account) before the commit.
    """
    user = find_by_login(identifier)
    user_id = user.id if user is not None and user.active else 0  # no account has id 0: an unknown one
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])
    write_transaction(db.session())
    _retire_reset_links(PasswordResetToken.user_id == user_id)  # only the newest link works
    db.session.execute(
        insert(PasswordResetToken).from_select(
            ["user_id", "token_hash", "created_at", "expires_at"],
            select(
                User.id,
                literal(_hash_token(token)),
                literal(utcnow(), UTCDateTime()),
                literal(expires_at, UTCDateTime()),
            ).where(User.id == user_id, User.active.is_(True)),
        )
    )
    db.session.commit()
    found = db.session.get(User, user_id)  # reloads the expired account; for id 0 the same query finds nothing
    return (found, token) if user_id and found is not None else None


def reset_token_user(token: str) -> User | None:
    record = _valid_reset_token(token)
    return record.user if record else None


def _valid_reset_token(token: str) -> PasswordResetToken | None:
    record = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash_token(token or ""))
    )
    if record is None or record.used_at is not None or record.expires_at < utcnow() or not record.user.active:
        return None
    return record


def _retire_reset_links(*conditions: Any) -> int:
    """Mark the unused links matching ``conditions`` as used; return how many there were."""
    result = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.used_at.is_(None), *conditions)
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount  # an UPDATE's result is a cursor result


def reset_password(token: str, new_password: str) -> User:
    invalid = AccountError(_l("Tautan atur ulang kata sandi tidak valid, sudah dipakai, atau kedaluwarsa."))
    record = _valid_reset_token(token)
    if record is None:
        raise invalid
    user = record.user
    set_password(user, new_password)
    # Claimed with a conditional UPDATE: of two simultaneous submissions of one link only the first succeeds.
    if not _retire_reset_links(PasswordResetToken.id == record.id):
        db.session.rollback()
        raise invalid
    _retire_reset_links(PasswordResetToken.user_id == user.id)  # every outstanding link dies with the first use
    db.session.commit()
    return user
