"""Units (OPD): lookups for other features and the admin's create/edit/deactivate."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.units.models import Unit


def get(unit_id: int) -> Unit | None:
    return db.session.get(Unit, unit_id)


def get_active(unit_id: int) -> Unit | None:
    unit = db.session.get(Unit, unit_id)
    return unit if unit and unit.is_active else None


def list_active() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.name)))


def choices() -> list[tuple[int, str]]:
    return [(unit.id, unit.name) for unit in list_active()]
