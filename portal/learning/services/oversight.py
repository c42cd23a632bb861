"""Who may see whose learning records, competency profile and plan.

One rule for every learning page: the person themself; their direct supervisor (``users.supervisor_id``);
the head of their unit (``unit_heads``); and BKPSDM (``VIEW_ALL_LEARNING``). Nobody else: a route that shows
another person's ledger answers 404 when this says no, so that it does not confirm who exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, func, or_, select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import GRANTS, Actor, Permission, has_permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.units.models import Unit, UnitHead


class OversightError(RuleError):
    """A supervisor or unit-head assignment was refused."""


def headed_unit_ids(user: Actor) -> list[int]:
    """The units the user heads (usually none or one)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(UnitHead.unit_id).where(UnitHead.user_id == user.id)))


def headed_units(user: Actor) -> list[Unit]:
    ids = headed_unit_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name)))


def head_of(unit_id: int | None) -> User | None:
    if unit_id is None:
        return None
    stmt = select(User).join(UnitHead, UnitHead.user_id == User.id).where(UnitHead.unit_id == unit_id)
    return db.session.scalar(stmt)


def sees_everyone(viewer: Actor) -> bool:
    return has_permission(viewer, Permission.VIEW_ALL_LEARNING)


def can_view_records(viewer: Actor, owner: User) -> bool:
    """Whether ``viewer`` may see ``owner``'s ledger, competency profile and development plan."""
    if not getattr(viewer, "is_authenticated", False) or not getattr(viewer, "is_active", False):
        return False
    if viewer.id == owner.id or sees_everyone(viewer):
        return True
    if owner.supervisor_id == viewer.id:
        return True
    return owner.unit_id is not None and owner.unit_id in headed_unit_ids(viewer)


def can_oversee_unit(viewer: Actor, unit_id: int) -> bool:
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


# ---------------------------------------------------------------- who oversees whom


def supervises_anyone(viewer: Actor) -> bool:
    """Whether someone active has the viewer as direct supervisor."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    subordinate = db.session.scalar(
        select(User.id).where(User.supervisor_id == viewer.id, User.active.is_(True)).limit(1)
    )
    return subordinate is not None


def oversees_anyone(viewer: Actor) -> bool:
    """Whether the viewer supervises someone or heads a unit (they get the "Tim saya" page)."""
    return supervises_anyone(viewer) or bool(headed_unit_ids(viewer))


def team_statement(viewer: Actor, query: str = "", relation: str = "") -> Select[Any]:
    """Active, verified people the viewer oversees: direct subordinates and everyone in the units they head.

    ``relation`` "bawahan" keeps only direct subordinates, "unit" only the units' people.
    """
    unit_ids = headed_unit_ids(viewer)
    direct = User.supervisor_id == viewer.id
    in_units = User.unit_id.in_(unit_ids) if unit_ids else false()
    scope = direct if relation == "bawahan" else in_units if relation == "unit" else or_(direct, in_units)
    stmt = select(User).where(scope, User.id != viewer.id, User.active.is_(True), User.is_verified.is_(True))
    query = (query or "").strip().lower()
    if query:
        stmt = stmt.where(or_(func.lower(User.name).like(f"%{query}%"), User.nip.like(f"%{query}%")))
    return stmt.order_by(User.name, User.id)


def can_confirm(viewer: Actor, owner: User) -> bool:
    """Who may confirm an ASN's assessed level: the supervisor, the unit head, or a BKPSDM verifier; never oneself."""
    if not getattr(viewer, "is_authenticated", False) or not getattr(viewer, "is_active", False):
        return False
    if viewer.id == owner.id:
        return False
    if has_permission(viewer, Permission.VERIFY_LEARNING) or owner.supervisor_id == viewer.id:
        return True
    return owner.unit_id is not None and owner.unit_id in headed_unit_ids(viewer)


def bkpsdm_staff() -> list[User]:
    """Active accounts holding VIEW_ALL_LEARNING: they decide for ASN without a supervisor."""
    roles = list(GRANTS[Permission.VIEW_ALL_LEARNING])
    stmt = select(User).where(User.role.in_(roles), User.active.is_(True), User.is_verified.is_(True))
    return list(db.session.scalars(stmt.order_by(User.id)))


def active_supervisor(owner: User) -> User | None:
    """The owner's supervisor if that account can still act (a deactivated one cannot approve anything)."""
    if not owner.supervisor_id:
        return None
    supervisor = db.session.get(User, owner.supervisor_id)
    return supervisor if supervisor is not None and supervisor.is_active else None


# ---------------------------------------------------------------- administration (MANAGE_POSITIONS)


def assign_supervisor(actor: Actor, user: User, supervisor_nip: str) -> User | None:
    """Set the user's supervisor by NIP (empty: none); refuses unknown NIPs, the user themself and loops."""
    require(actor, Permission.MANAGE_POSITIONS)
    nip = (supervisor_nip or "").strip()
    supervisor = None
    if nip:
        supervisor = accounts.get_by_nip(nip)
        if supervisor is None or not supervisor.active:
            raise OversightError(_l("Tidak ada pegawai aktif dengan NIP %(nip)s.", nip=nip), "supervisor")
        if supervisor.id == user.id:
            raise OversightError(_l("Seseorang tidak dapat menjadi atasan dirinya sendiri."), "supervisor")
    new_id = supervisor.id if supervisor else None
    if new_id == user.supervisor_id:
        return supervisor
    old = db.session.get(User, user.supervisor_id) if user.supervisor_id else None
    set_supervisor(user, supervisor)
    audit.record(
        actor, "user.supervisor", user, old=old.nip if old else None, new=supervisor.nip if supervisor else None
    )
    db.session.commit()
    return supervisor


def appoint_head(actor: Actor, unit_id: int, user: User) -> UnitHead:
    """Make the user the head of the unit, replacing the current head (audited as a replacement)."""
    require(actor, Permission.MANAGE_POSITIONS)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.is_active:
        raise OversightError(_l("Pilih unit kerja yang aktif."), "unit_id")
    if not user.is_active:
        raise OversightError(_l("Hanya akun aktif dan terverifikasi yang dapat menjadi kepala unit."), "unit_id")
    head = db.session.get(UnitHead, unit.id)
    if head is not None and head.user_id == user.id:
        return head
    if head is None:
        head = UnitHead(unit_id=unit.id, user_id=user.id)
        db.session.add(head)
        audit.record(actor, "unit.head_appoint", unit, head=user.nip)
    else:
        previous = db.session.get(User, head.user_id)
        audit.record(actor, "unit.head_replace", unit, old=previous.nip if previous else None, new=user.nip)
        head.user_id, head.appointed_at = user.id, utcnow()
    db.session.commit()
    return head


def relieve_head(actor: Actor, unit_id: int) -> bool:
    """Leave the unit without a head; False when it had none."""
    require(actor, Permission.MANAGE_POSITIONS)
    head = db.session.get(UnitHead, unit_id) if unit_id else None
    if head is None:
        return False
    unit = db.session.get(Unit, unit_id)
    previous = db.session.get(User, head.user_id)
    db.session.delete(head)
    audit.record(actor, "unit.head_relieve", unit, head=previous.nip if previous else None)
    db.session.commit()
    return True
