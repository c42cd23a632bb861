"""Competency catalogue: lookups for other features and the admin's CRUD."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.competencies.models import Competency
from portal.extensions import db


def get_by_code(code: str) -> Competency | None:
    return db.session.scalar(select(Competency).where(Competency.code == (code or "").strip().upper()))


def list_active() -> list[Competency]:
    stmt = (
        select(Competency)
        .where(Competency.is_active.is_(True))
        .options(selectinload(Competency.levels))
        .order_by(Competency.category, Competency.code)
    )
    return list(db.session.scalars(stmt))
