"""Units (OPD): lookups for other features and the admin's create/edit/deactivate.

Units are never deleted: users, and other features' records, keep pointing at a deactivated unit, which
only disappears from the choices offered for new data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from portal.audit import services as audit
from portal.core import records
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, require
from portal.extensions import db
from portal.units.models import Unit, UnitKind

CODE_RE = re.compile(r"^[A-Z0-9-]{2,32}$")
NAME_MIN, NAME_MAX, SHORT_NAME_MAX = 3, 200, 60


class UnitError(RuleError):
    """A unit rule was broken."""


@dataclass
class UnitData:
    code: str
    name: str
    short_name: str | None = ""
    kind: UnitKind | str = UnitKind.OTHER


# ---------------------------------------------------------------- lookups for every feature


def get(unit_id: int) -> Unit | None:
    return db.session.get(Unit, unit_id)


def get_active(unit_id: int) -> Unit | None:
    unit = db.session.get(Unit, unit_id)
    return unit if unit and unit.is_active else None


def list_active() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.name)))


def list_all() -> list[Unit]:
    """Active units first; inactive ones stay listed so old records can still be filtered by them."""
    return list(db.session.scalars(select(Unit).order_by(Unit.is_active.desc(), Unit.name)))


def choices() -> list[tuple[int, str]]:
    return [(unit.id, unit.name) for unit in list_active()]


def count_active() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit).where(Unit.is_active.is_(True))) or 0


# ---------------------------------------------------------------- administration


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def _check_code(code: str, exclude_id: int | None) -> str:
    code = normalize_code(code)
    if not CODE_RE.match(code):
        raise UnitError(
            _l("Kode unit harus 2-32 karakter dan hanya berisi huruf besar, angka, atau tanda hubung (-)."), "code"
        )
    stmt = select(Unit.id).where(func.upper(Unit.code) == code)
    if exclude_id:
        stmt = stmt.where(Unit.id != exclude_id)
    if db.session.scalar(stmt):
        raise UnitError(_l("Kode unit %(code)s sudah dipakai unit lain.", code=code), "code")
    return code


def _check_name(name: str, exclude_id: int | None) -> str:
    name = " ".join((name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise UnitError(_l("Nama unit harus %(min)d-%(max)d karakter.", min=NAME_MIN, max=NAME_MAX), "name")
    stmt = select(Unit.id).where(func.lower(Unit.name) == name.lower())
    if exclude_id:
        stmt = stmt.where(Unit.id != exclude_id)
    if db.session.scalar(stmt):
        raise UnitError(_l("Nama unit ini sudah dipakai unit lain."), "name")
    return name


def _check_short_name(short_name: str | None) -> str:
    short_name = " ".join((short_name or "").split())
    if len(short_name) > SHORT_NAME_MAX:
        raise UnitError(_l("Nama singkat maksimal %(max)d karakter.", max=SHORT_NAME_MAX), "short_name")
    return short_name


def _check_kind(kind: UnitKind | str) -> UnitKind:
    try:
        return UnitKind(kind)
    except ValueError:
        raise UnitError(_l("Jenis unit tidak dikenal."), "kind") from None


def _validated(data: UnitData, exclude_id: int | None = None) -> dict[str, Any]:
    return {
        "code": _check_code(data.code, exclude_id),
        "name": _check_name(data.name, exclude_id),
        "short_name": _check_short_name(data.short_name),
        "kind": _check_kind(data.kind),
    }


def _conflict() -> UnitError:  # another admin saved the same code or name between our check and the write
    return UnitError(_l("Kode atau nama unit ini baru saja dipakai unit lain. Periksa lalu coba lagi."))


def create(actor: Actor, data: UnitData) -> Unit:
    require(actor, Permission.MANAGE_UNITS)
    unit = Unit(**_validated(data))
    db.session.add(unit)
    db.session.flush()
    audit.record(actor, "unit.create", unit, code=unit.code)
    records.commit_unique(_conflict())
    return unit


def update(actor: Actor, unit: Unit, data: UnitData) -> Unit:
    require(actor, Permission.MANAGE_UNITS)
    values = _validated(data, exclude_id=unit.id)
    records.update_audited(actor, unit, values, action="unit.update", audit=audit.record, conflict=_conflict())
    return unit


def set_active(actor: Actor, unit: Unit, active: bool) -> None:
    records.set_active(actor, unit, active, permission=Permission.MANAGE_UNITS, action="unit", audit=audit.record)
