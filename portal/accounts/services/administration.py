"""The administrator's side: the user list, verification, roles, contracts, (de)activation, counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import func, or_, select

from portal.accounts.models import User
from portal.accounts.services.common import AccountError, check_contract
from portal.accounts.services.registration import new_session_token
from portal.audit import services as audit
from portal.core import signals
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import GRANTS, Permission, Role, require
from portal.core.types import utcnow
from portal.extensions import db

# ---------------------------------------------------------------- administration


@dataclass
class UserFilter:
    query: str = ""
    unit_id: int | None = None
    role: str | None = None
    state: str | None = None  # "pending", "active", "inactive"


def list_users(actor: User, filters: UserFilter, page: int, per_page: int = 25) -> Page[User]:
    require(actor, Permission.MANAGE_USERS)
    stmt = select(User).order_by(User.is_verified, User.created_at.desc(), User.id.desc())
    if filters.query:
        term = f"%{filters.query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(term), User.nip.like(term), User.email.like(term)))
    if filters.unit_id:
        stmt = stmt.where(User.unit_id == filters.unit_id)
    if filters.role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(filters.role))
    if filters.state == "pending":
        stmt = stmt.where(User.is_verified.is_(False), User.active.is_(True))
    elif filters.state == "active":
        stmt = stmt.where(User.is_verified.is_(True), User.active.is_(True))
    elif filters.state == "inactive":
        stmt = stmt.where(User.active.is_(False))
    return paginate(stmt, page, per_page)


def active_ids_with(permission: Permission) -> list[int]:
    """The signed-in-able people whose role holds ``permission`` (who gets a notification about staff work)."""
    stmt = select(User.id).where(User.role.in_(GRANTS[permission]), User.active.is_(True), User.is_verified.is_(True))
    return list(db.session.scalars(stmt.order_by(User.id)))


def count_pending(actor: User) -> int:
    require(actor, Permission.MANAGE_USERS)
    return (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.is_verified.is_(False), User.active.is_(True))
        )
        or 0
    )


def verify(actor: User, user: User) -> None:
    require(actor, Permission.MANAGE_USERS)
    if user.is_verified:
        return
    user.is_verified = True
    user.verified_at = utcnow()
    audit.record(actor, "user.verify", user, nip=user.nip)
    signals.account_verified.send(user, actor=actor)
    db.session.commit()


def change_role(actor: User, user: User, role: Role | str) -> None:
    require(actor, Permission.MANAGE_USERS)
    role = parse_role(role)
    if user.id == actor.id and role != Role.ADMIN:
        raise AccountError(_l("Anda tidak dapat menurunkan peran akun Anda sendiri."), "role")
    if user.role == role:
        return
    previous = user.role
    user.role = role
    audit.record(actor, "user.role", user, old=previous.value, new=role.value)
    db.session.commit()


def set_contract(actor: User, user: User, start: date | None, end: date | None) -> bool:
    """Set a PPPK's employment contract dates (admin); audited. Returns whether anything changed."""
    require(actor, Permission.MANAGE_USERS)
    start, end = check_contract(user.employment_status, start, end)
    if (start, end) == (user.contract_start, user.contract_end):
        return False
    audit.record(
        actor,
        "user.contract",
        user,
        old=[str(value or "") for value in (user.contract_start, user.contract_end)],
        new=[str(value or "") for value in (start, end)],
    )
    user.contract_start, user.contract_end = start, end
    db.session.commit()
    return True


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (cannot log in, content stays) or reactivate an account."""
    require(actor, Permission.MANAGE_USERS)
    if user.id == actor.id and not active:
        raise AccountError(_l("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else utcnow()
    if not active:
        user.session_token = new_session_token()  # ends their open sessions now
    audit.record(actor, "user.activate" if active else "user.deactivate", user, nip=user.nip)
    db.session.commit()


def count_by_state(actor: User) -> dict[str, int]:
    """Accounts per state (pending, active, inactive) in one query, for the admin dashboard."""
    require(actor, Permission.MANAGE_USERS)
    pending = User.is_verified.is_(False) & User.active.is_(True)
    active = User.is_verified.is_(True) & User.active.is_(True)
    row = db.session.execute(
        select(
            func.count().filter(pending),
            func.count().filter(active),
            func.count().filter(User.active.is_(False)),
        ).select_from(User)
    ).one()
    return {"pending": row[0], "active": row[1], "inactive": row[2]}


def member_counts_by_unit(actor: User) -> dict[int, int]:
    """Unit id -> number of accounts in it, in one grouped query (the unit list shows these)."""
    require(actor, Permission.MANAGE_UNITS)
    stmt = select(User.unit_id, func.count(User.id)).where(User.unit_id.is_not(None)).group_by(User.unit_id)
    return cast("dict[int, int]", dict(db.session.execute(stmt).all()))  # the query excludes a None unit


def count_active(unit_ids: Iterable[int] | None = None) -> int:
    """Active, verified accounts (of these units, when given): the audience of surveys to all ASN or to units."""
    stmt = select(func.count(User.id)).where(User.active.is_(True), User.is_verified.is_(True))
    if unit_ids is not None:
        stmt = stmt.where(User.unit_id.in_(list(unit_ids)))
    return db.session.scalar(stmt) or 0


def parse_role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AccountError(_l("Peran tidak dikenal."), "role") from None
