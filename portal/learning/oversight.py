"""Who may see whose learning records, competency profile and plan.

One rule for every learning page: the person themself; their direct supervisor (``users.supervisor_id``);
the head of their unit (``unit_heads``); and BKPSDM (``VIEW_ALL_LEARNING``). Nobody else: a route that shows
another person's ledger answers 404 when this says no, so that it does not confirm who exists.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.accounts.models import User
from portal.core.forms import RuleError
from portal.core.permissions import Permission, has_permission
from portal.extensions import db
from portal.units.models import Unit, UnitHead


class OversightError(RuleError):
    """A supervisor or unit-head assignment was refused."""


def headed_unit_ids(user: Any) -> list[int]:
    """The units the user heads (usually none or one)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(UnitHead.unit_id).where(UnitHead.user_id == user.id)))


def headed_units(user: Any) -> list[Unit]:
    ids = headed_unit_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name)))


def head_of(unit_id: int | None) -> User | None:
    if unit_id is None:
        return None
    stmt = select(User).join(UnitHead, UnitHead.user_id == User.id).where(UnitHead.unit_id == unit_id)
    return db.session.scalar(stmt)


def subordinates(user: Any) -> list[User]:
    """Active ASN whose direct supervisor is the user, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(select(User).where(User.supervisor_id == user.id, User.active.is_(True)).order_by(User.name))
    )


def sees_everyone(viewer: Any) -> bool:
    return has_permission(viewer, Permission.VIEW_ALL_LEARNING)


def can_view_records(viewer: Any, owner: User) -> bool:
    """Whether ``viewer`` may see ``owner``'s ledger, competency profile and development plan."""
    if not getattr(viewer, "is_authenticated", False) or not getattr(viewer, "is_active", False):
        return False
    if viewer.id == owner.id or sees_everyone(viewer):
        return True
    if owner.supervisor_id == viewer.id:
        return True
    return owner.unit_id is not None and owner.unit_id in headed_unit_ids(viewer)


def can_oversee_unit(viewer: Any, unit_id: int) -> bool:
    """Whether ``viewer`` may see a unit's figures and the people in it (its head, or BKPSDM)."""
    return sees_everyone(viewer) or unit_id in headed_unit_ids(viewer)


def set_supervisor(user: User, supervisor: User | None) -> None:
    """Set the direct supervisor; refuses the user themself and a supervisor chain that loops. Does not commit."""
    seen = {user.id}
    current = supervisor
    while current is not None:
        if current.id in seen:
            raise OversightError(
                _l("Atasan tidak boleh membentuk lingkaran: seseorang akan menjadi atasan dirinya sendiri."),
                "supervisor",
            )
        seen.add(current.id)
        current = db.session.get(User, current.supervisor_id) if current.supervisor_id else None
    user.supervisor_id = supervisor.id if supervisor else None
