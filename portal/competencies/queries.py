"""Read-only lookups in the competency catalogue for other features (the development types a workshop or a
learning record names). Writes go through the services; these only read."""

from __future__ import annotations

from sqlalchemy import select

from portal.competencies.models import DevelopmentType
from portal.extensions import db


def list_development_types(include_inactive: bool = False) -> list[DevelopmentType]:
    stmt = select(DevelopmentType).order_by(DevelopmentType.category, DevelopmentType.code)
    if not include_inactive:
        stmt = stmt.where(DevelopmentType.is_active.is_(True))
    return list(db.session.scalars(stmt))


def get_development_type(type_id: int | None) -> DevelopmentType | None:
    return db.session.get(DevelopmentType, type_id) if type_id else None


def get_development_type_by_code(code: str) -> DevelopmentType | None:
    return db.session.scalar(select(DevelopmentType).where(DevelopmentType.code == (code or "").strip().upper()))
