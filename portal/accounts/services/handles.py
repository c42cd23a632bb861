"""Handles for @mentions: derived from the name when an account is stored, checked when a person sets one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.accounts.services.common import _HANDLE_RE, HANDLE_MAX, HANDLE_MIN, AccountError
from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db

# ---------------------------------------------------------------- handles (@mentions)


def handle_from_name(name: str) -> str:
    """'dr. Nofriadi Putra, Sp.PD.' -> 'nofriadi.putra': the name without degrees or titles, in ASCII, dotted."""
    words = [word for word in (name or "").split(",")[0].split() if not word.endswith(".")]
    ascii_words = [
        re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower())
        for word in words
    ]
    base = ".".join(word for word in ascii_words if word)[: HANDLE_MAX - 4].strip("._")  # room for a number
    if len(base) < HANDLE_MIN:
        base = f"asn.{base}" if base else "asn"
    return base


def _free_handle(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` with the lowest number appended that no account (saved or about to be) uses."""
    pattern = base.replace("_", "\\_") + "%"
    with db.session.no_autoflush:
        used = taken | set(db.session.scalars(select(User.handle).where(User.handle.like(pattern, escape="\\"))))
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}{number}"
    return candidate


@event.listens_for(db.session, "before_flush")
def assign_handles(session: Session, _context: Any, _instances: Any) -> None:
    """Every new account gets a handle, whichever way it was created (registration, admin, import, demo)."""
    new_users = [obj for obj in session.new if isinstance(obj, User)]
    taken = {user.handle for user in new_users if user.handle}
    for user in new_users:
        if not user.handle:
            handle = _free_handle(handle_from_name(user.name), taken)
            user.handle = handle
            taken.add(handle)


def _check_handle(handle: str, exclude_user_id: int | None = None) -> str:
    handle = (handle or "").strip().removeprefix("@").lower()
    if not _HANDLE_RE.match(handle):
        raise AccountError(
            _l("Nama pengguna harus 3-30 karakter: huruf kecil, angka, titik, atau garis bawah."), "handle"
        )
    if handle.isdigit():
        raise AccountError(_l("Nama pengguna tidak boleh hanya angka."), "handle")
    stmt = select(User.id).where(User.handle == handle)
    if exclude_user_id:
        stmt = stmt.where(User.id != exclude_user_id)
    if db.session.scalar(stmt):
        raise AccountError(_l("Nama pengguna ini sudah dipakai akun lain."), "handle")
    return handle


def users_by_mention(handles: Iterable[str], nips: Iterable[str]) -> list[User]:
    """Active accounts named by handle (any case) or NIP, in one query."""
    handles, nips = {h.lower() for h in handles}, set(nips)
    if not handles and not nips:
        return []
    stmt = select(User).where(
        or_(User.handle.in_(handles), User.nip.in_(nips)), User.active.is_(True), User.is_verified.is_(True)
    )
    return list(db.session.scalars(stmt))


def suggest_by_handle(prefix: str, limit: int = 8) -> list[User]:
    """Active accounts whose handle, or a word of whose name, starts with ``prefix`` (mention autocomplete)."""
    prefix = (prefix or "").strip().removeprefix("@").lower()
    if not prefix or not re.fullmatch(r"[\w.]{1,30}", prefix):
        return []
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    name = func.lower(User.name)
    stmt = (
        select(User)
        .where(
            or_(
                User.handle.like(f"{escaped}%", escape="\\"),
                name.like(f"{escaped}%", escape="\\"),
                name.like(f"% {escaped}%", escape="\\"),
            ),
            User.active.is_(True),
            User.is_verified.is_(True),
        )
        .order_by(User.handle)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
