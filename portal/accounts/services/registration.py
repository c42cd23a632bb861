"""Sign-up and accounts made by an administrator, sign-in and the session token, looking accounts up."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts.models import User
from portal.accounts.nip import normalize_nip
from portal.accounts.services.common import (
    _DUMMY_HASH,
    _MAX_ROW_ID,
    AccountError,
    Registration,
    _check_nip,
    _check_unit,
    _personal_words,
    _status,
    check_contract,
    check_email,
    check_name,
    normalize_email,
    password_problem,
)
from portal.audit import services as audit
from portal.core import fragments
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission, Role, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.units.models import Unit

# ---------------------------------------------------------------- registration and login


def new_session_token() -> str:
    return secrets.token_hex(16)


def _build_user(data: Registration, role: Role, verified: bool) -> User:
    status = _status(data.employment_status)
    name = check_name(data.name)
    nip = _check_nip(data.nip, status)
    email = check_email(data.email)
    unit_id = _check_unit(data.unit_id)
    contract_start, contract_end = check_contract(status, data.contract_start, data.contract_end)
    problem = password_problem(data.password, _personal_words(nip, email, name))
    if problem:
        raise AccountError(problem, "password")
    return User(
        nip=nip,
        name=name,
        email=email,
        unit_id=unit_id,
        position=(data.position or "").strip()[:200],
        employment_status=status,
        contract_start=contract_start,
        contract_end=contract_end,
        role=role,
        password_hash=generate_password_hash(data.password),
        session_token=new_session_token(),
        is_verified=verified,
        verified_at=utcnow() if verified else None,
    )


def _save_new_user(user: User, actor: User | None = None, audited: bool = False) -> User:
    try:
        db.session.add(user)
        db.session.flush()
        if audited:
            audit.record(actor, "user.create", user, role=user.role.value)
        db.session.commit()
    except IntegrityError:  # a concurrent registration took the NIP or email between check and insert
        db.session.rollback()
        raise AccountError(_l("NIP atau email ini baru saja didaftarkan. Coba masuk."), "nip") from None
    return user


def register(data: Registration) -> User:
    """Self-registration. The account waits for an admin unless ACCOUNTS_AUTO_VERIFY is on."""
    user = _build_user(data, Role.MEMBER, verified=current_app.config["ACCOUNTS_AUTO_VERIFY"])
    return _save_new_user(user)


def create_user(actor: User | None, data: Registration, role: Role = Role.MEMBER) -> User:
    """Create a verified account on someone's behalf (admin UI, CLI). actor None = command line."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    return _save_new_user(_build_user(data, role, verified=True), actor, audited=True)


def find_by_login(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return db.session.scalar(select(User).where(User.email == normalize_email(identifier)))
    nip = normalize_nip(identifier)
    return db.session.scalar(select(User).where(User.nip == nip)) if nip else None


def authenticate(identifier: str, password: str) -> User:
    """Return the user for valid credentials. One message for unknown user and wrong password."""
    user = find_by_login(identifier)
    stored_hash = user.password_hash if user else _DUMMY_HASH
    db.session.commit()  # end the lookup's transaction: no lock is held while the (slow on purpose) hash is checked
    valid = check_password_hash(stored_hash, password or "")
    if not user or not valid:
        raise AccountError(_l("NIP/email atau kata sandi salah."))
    if not user.active:
        raise AccountError(_l("Akun ini dinonaktifkan. Hubungi admin BKPSDM."))
    if not user.is_verified:
        raise AccountError(
            _l("Akun Anda belum diverifikasi oleh admin BKPSDM. Anda akan bisa masuk setelah diverifikasi.")
        )
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<session token>"``; a changed password invalidates old sessions."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not 0 < int(user_id) <= _MAX_ROW_ID:
        return None
    user = _account(int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


_ACCOUNT_TABLES = ("users", "units")  # the row and its unit (User.unit is loaded with it)


def _account(user_id: int) -> User | None:
    """The signed-in account, read from the database once per change of the users or units table and process.

    Every page asks for it, so it is kept (as column values, through the fragment cache's change stamps) and
    put back into the session as a persistent object without a statement: it updates, lazy-loads and
    compares like one read now. A password change, deactivation or logout everywhere writes the row, so the
    next request reads it again and the old session token stops working at once.
    """
    read: list[User] = []

    def row() -> tuple[Any, ...]:
        user = db.session.get(User, user_id)
        if user is None:
            return ()
        read.append(user)
        return (_values(user), _values(user.unit) if user.unit is not None else None)

    kept = fragments.remembered("accounts.user", user_id, _ACCOUNT_TABLES, row)
    if read:
        return read[0]
    if not kept:
        return None
    user = _detached(User, kept[0])
    if kept[1] is not None:
        set_committed_value(user, "unit", _detached(Unit, kept[1]))
    return db.session.merge(user, load=False)


def _values(row: User | Unit) -> tuple[tuple[str, Any], ...]:
    return tuple((column.key, getattr(row, column.key)) for column in sa_inspect(type(row)).column_attrs)


_Row = TypeVar("_Row", User, Unit)


def _detached(model: type[_Row], values: tuple[tuple[str, Any], ...]) -> _Row:
    row = sa_inspect(model).class_manager.new_instance()
    for key, value in values:
        set_committed_value(row, key, value)
    make_transient_to_detached(row)
    return row


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id) if 0 < user_id <= _MAX_ROW_ID else None


def get_users(user_ids: Iterable[int]) -> list[User]:
    """Several accounts in one query (unknown ids are skipped)."""
    ids = {user_id for user_id in user_ids if 0 < user_id <= _MAX_ROW_ID}
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def get_by_nip(nip: str) -> User | None:
    return db.session.scalar(select(User).where(User.nip == normalize_nip(nip)))
